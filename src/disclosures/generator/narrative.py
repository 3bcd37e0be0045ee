"""The 情况说明: sentences that restate table figures, built from a ledger.

Every figure a sentence prints is kept as a `Fig` with the table cell it
restates (or None for a narrative-only figure such as 年初预算), so the truth
file can list them and a variant can falsify one on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import catalogue as cat
from .money import fmt, percent


@dataclass
class Fig:
    text: str  # as printed, e.g. '2,201.39'
    value: int | str  # cents of 万元, a count, or a percent string
    unit: str  # 万元 | % | 个 | 辆 | 台（套） …
    label: str  # what the figure is, e.g. '收入总计'
    ref: tuple[str, str, str] | None = None  # the table cell it restates


@dataclass
class Paragraph:
    parts: list  # str or Fig
    style: str = "body"  # body | heading | subheading

    @property
    def text(self) -> str:
        return "".join(p.text if isinstance(p, Fig) else p for p in self.parts)

    @property
    def figures(self) -> list[Fig]:
        return [p for p in self.parts if isinstance(p, Fig)]


@dataclass
class Section:
    heading: str
    paragraphs: list[Paragraph] = field(default_factory=list)


def prior_keys(led) -> dict[str, int]:
    """This year's value of every figure the narrative compares with last year."""
    g = led.get
    out = {
        "收入总计": g("公开01", "总计", "收入"),
        "支出总计": g("公开01", "总计", "支出"),
        "财政拨款收入总计": g("公开04", "总计", "收入"),
        "财政拨款支出总计": g("公开04", "总计", "合计"),
        "一般公共预算财政拨款支出": g("公开05", "合计", "小计"),
        "机关运行经费": g("公开10", "机关运行经费/行政单位", "统计数")
        + g("公开10", "机关运行经费/参照公务员法管理事业单位", "统计数"),
    }
    for code in led.rows.get("公开05", []):
        if len(code) == 3:
            out[f"gpb:{code}"] = g("公开05", code, "小计")
    for col in cat.SANGONG_COLUMNS:
        out[f"sangong:{col}"] = g("公开09", "决算数", col)
    return out


def prior_figures(prior) -> dict[str, int]:
    """Last year's figures read from last year's ledger."""
    return prior_keys(prior)


class _Writer:
    def __init__(self, led, thousands: bool = True):
        self.led = led
        self.th = thousands

    def m(self, value: int, label: str, ref=None, zero: str | None = None) -> Fig:
        """A money figure; `zero` is how this sentence prints nothing ('0' or '0.00')."""
        text = zero if (value == 0 and zero is not None) else fmt(value, self.th)
        return Fig(text, value, "万元", label, ref)

    def cell(self, table, row, col, label=None, zero=None) -> Fig:
        return self.m(self.led.get(table, row, col), label or row, (table, row, col), zero)

    @staticmethod
    def pct(part: int, whole: int, label: str) -> Fig:
        value = percent(part, whole)
        return Fig(value, value, "%", label)

    def change(self, now: int, before: int, label: str, sep: str = "，") -> list:
        """'增加375.84万元，增长20.59%' (or 减少/下降, or the wording for no change)."""
        diff = now - before
        if diff == 0:
            return ["持平"]
        verb, trend = ("增加", "增长") if diff > 0 else ("减少", "下降")
        parts = [verb, self.m(abs(diff), f"{label}增减额"), f"万元{sep}"]
        if before:
            parts += [trend, self.pct(abs(diff), before, f"{label}增减率"), "%"]
        else:
            parts[-1] = "万元（上年无此项支出）"
        return parts


def build(led, thousands: bool = True) -> list[Section]:
    """The ten numbered parts of the 情况说明, as in the reference document."""
    w = _Writer(led, thousands)
    g, f, y = led.get, led.facts, led.year
    P = Paragraph
    reason = lambda key, default: f.reasons.get(key, default)
    out = []

    s = Section("一、收入支出决算总体情况说明")
    inc, spd = g("公开01", "总计", "收入"), g("公开01", "总计", "支出")
    s.paragraphs.append(P([
        f"{y}年度收入总计", w.cell("公开01", "总计", "收入", "收入总计"), "万元，支出总计",
        w.cell("公开01", "总计", "支出", "支出总计"), "万元。与上年相比，收入总计",
        *w.change(inc, f.prior.get("收入总计", 0), "收入总计"), "，支出总计",
        *w.change(spd, f.prior.get("支出总计", 0), "支出总计"),
        f"。主要原因是{reason('total', '人员经费和项目支出变动')}。"]))
    out.append(s)

    s = Section("二、收入决算情况说明")
    total = g("公开02", "合计", "本年收入合计")
    s.paragraphs.append(P([f"{y}年度收入合计", w.cell("公开02", "合计", "本年收入合计", "收入合计"), "万元，其中："]))
    lines = [c for c in cat.INCOME_COLUMNS[1:] if g("公开02", "合计", c)]
    for i, col in enumerate(lines):
        end = "。" if i == len(lines) - 1 else "；"
        s.paragraphs.append(P([col, w.cell("公开02", "合计", col), "万元，占比",
                               w.pct(g("公开02", "合计", col), total, f"{col}占比"), f"%{end}"]))
    out.append(s)

    s = Section("三、支出决算情况说明")
    total = g("公开03", "合计", "本年支出合计")
    s.paragraphs.append(P([f"{y}年度支出合计", w.cell("公开03", "合计", "本年支出合计", "支出合计"), "万元，其中："]))
    lines = [c for c in cat.SPEND_COLUMNS[1:] if g("公开03", "合计", c)]
    for i, col in enumerate(lines):
        end = "。" if i == len(lines) - 1 else "；"
        s.paragraphs.append(P([col, w.cell("公开03", "合计", col), "万元，占比",
                               w.pct(g("公开03", "合计", col), total, f"{col}占比"), f"%{end}"]))
    out.append(s)

    s = Section("四、财政拨款收支决算总体情况说明")
    a, b = g("公开04", "总计", "收入"), g("公开04", "总计", "合计")
    s.paragraphs.append(P([
        f"{y}年度财政拨款收入总计", w.cell("公开04", "总计", "收入", "财政拨款收入总计"), "万元，支出总计",
        w.cell("公开04", "总计", "合计", "财政拨款支出总计"), "万元。与上年相比，财政拨款收入总计",
        *w.change(a, f.prior.get("财政拨款收入总计", 0), "财政拨款收入总计"), "；财政拨款支出总计",
        *w.change(b, f.prior.get("财政拨款支出总计", 0), "财政拨款支出总计"),
        f"。主要原因是{reason('fiscal', reason('total', '人员经费和项目支出变动'))}。"]))
    out.append(s)

    out.append(_general_budget(w, led))

    s = Section("六、一般公共预算财政拨款基本支出决算情况说明")
    s.paragraphs.append(P([f"{y}年度财政拨款基本支出", w.cell("公开05", "合计", "基本支出", "基本支出"), "万元，其中："]))
    for key, heads in (("人员经费合计", cat.PERSONNEL_HEADS), ("公用经费合计", cat.PUBLIC_HEADS)):
        name = key[:4]
        parts = [name, w.cell("公开06", key, "决算数", name), "万元，主要包括"]
        live = [h for h in heads if g("公开06", h, "决算数")]
        for i, h in enumerate(live):
            parts += ["、" if i else "", cat.ECON_NAME[h], w.cell("公开06", h, "决算数", cat.ECON_NAME[h]), "万元"]
        parts.append("；" if key == "人员经费合计" else "。")
        s.paragraphs.append(P(parts))
    out.append(s)

    s = Section("七、政府性基金预算财政拨款收支决算情况说明")
    if led.is_empty("公开07"):
        s.paragraphs.append(P(["本年度无此项收支。"]))
    else:
        s.paragraphs.append(P([
            f"{y}年度政府性基金预算财政拨款年初结转和结余", w.cell("公开07", "合计", "年初结转和结余", zero="0.00"),
            "万元，本年收入", w.cell("公开07", "合计", "本年收入", zero="0.00"), "万元，本年支出",
            w.cell("公开07", "合计", "本年支出小计", "本年支出", zero="0.00"), "万元，年末结转和结余",
            w.cell("公开07", "合计", "年末结转和结余", zero="0.00"), "万元。"]))
    out.append(s)

    s = Section("八、国有资本经营预算财政拨款支出决算情况说明")
    if led.is_empty("公开08"):
        s.paragraphs.append(P(["本年度无此项支出。"]))
    else:
        s.paragraphs.append(P([
            f"{y}年度国有资本经营预算财政拨款支出", w.cell("公开08", "合计", "合计", "国有资本经营预算财政拨款支出"),
            "万元，其中基本支出", w.cell("公开08", "合计", "基本支出", zero="0.00"), "万元，项目支出",
            w.cell("公开08", "合计", "项目支出", zero="0.00"), "万元。"]))
    out.append(s)

    out.append(_sangong(w, led))
    out.append(_other(w, led))
    return out


def _general_budget(w: _Writer, led) -> Section:
    g, f, y, P = led.get, led.facts, led.year, Paragraph
    reason = lambda key, default: f.reasons.get(key, default)
    s = Section("五、一般公共预算财政拨款支出决算情况说明")
    gpb = g("公开05", "合计", "小计")
    s.paragraphs.append(P(["（一）一般公共预算财政拨款支出决算总体情况"], "subheading"))
    s.paragraphs.append(P([
        f"{y}年一般公共预算财政拨款决算支出", w.cell("公开05", "合计", "小计", "一般公共预算财政拨款支出"),
        "万元，占本年支出合计的", w.pct(gpb, g("公开01", "本年支出合计", "支出"), "一般公共预算财政拨款支出占比"),
        "%。与上年相比，一般公共预算财政拨款支出",
        *w.change(gpb, f.prior.get("一般公共预算财政拨款支出", 0), "一般公共预算财政拨款支出"),
        f"。主要原因是{reason('gpb', reason('total', '人员经费和项目支出变动'))}。"]))
    s.paragraphs.append(P(["（二）一般公共预算财政拨款支出决算结构情况"], "subheading"))
    s.paragraphs.append(P([f"{y}年度一般公共预算财政拨款支出", w.cell("公开05", "合计", "小计", "一般公共预算财政拨款支出"),
                           "万元，主要用于以下方面："]))
    classes = [c for c in led.rows.get("公开05", []) if len(c) == 3]
    for i, code in enumerate(classes):
        name = led.name(code)
        end = "。" if i == len(classes) - 1 else "；"
        s.paragraphs.append(P([f"{name}(类)", w.cell("公开05", code, "小计", f"{name}(类)"), "万元，占比",
                               w.pct(g("公开05", code, "小计"), gpb, f"{name}(类)占比"), f"%{end}"]))
    s.paragraphs.append(P(["（三）一般公共预算财政拨款支出决算具体情况"], "subheading"))
    s.paragraphs.append(P([
        f"{y}年度一般公共预算财政拨款支出年初预算", w.m(f.budget_initial_total, "年初预算"), "万元，支出决算",
        w.cell("公开05", "合计", "小计", "支出决算"), "万元，完成年初预算的",
        w.pct(gpb, f.budget_initial_total, "完成年初预算"), "%。其中："]))
    for code in classes:
        name, now = led.name(code), g("公开05", code, "小计")
        budget = f.budget_initial.get(code, 0)
        purpose = f.purposes.get(code, f"用于{name[:-2]}方面的基本支出和项目支出")
        parts = [f"{name}年初预算", w.m(budget, f"{name}年初预算"), "万元，支出决算",
                 w.cell("公开05", code, "小计", f"{name}支出决算"), "万元，完成年初预算的",
                 w.pct(now, budget, f"{name}完成年初预算"), f"%，{purpose}。较上年决算",
                 *w.change(now, f.prior.get(f"gpb:{code}", 0), f"{name}较上年"),
                 f"，主要原因是{reason('cat:' + code, '人员经费及项目经费变动')}。"]
        s.paragraphs.append(P(parts))
    return s


SANGONG_ITEMS = [  # (table column, sentence name, 主要原因 when nothing was spent)
    ("因公出国（境）费", "因公出国（境）费", "本部门无因公出国（境）费支出"),
    ("公务用车购置费", "公务用车购置费", "本部门无公务用车购置费支出"),
    ("公务用车运行维护费", "公务用车运行维护费", "本部门无公务用车运行维护费支出"),
    ("公务接待费", "公务接待费", "本部门无公务接待费支出"),
]


def _sangong(w: _Writer, led) -> Section:
    g, f, y, P = led.get, led.facts, led.year, Paragraph
    s = Section("九、财政拨款“三公”经费支出决算情况说明")
    s.paragraphs.append(P(["（一）“三公”经费财政拨款支出决算总体情况说明"], "subheading"))
    now, before = g("公开09", "决算数", "合计"), f.prior.get("sangong:合计", 0)
    if now == before:
        compare = ["，与上年“三公”经费财政拨款支出决算相同"]
    else:
        compare = ["，比上年“三公”经费财政拨款支出决算", *w.change(now, before, "“三公”经费")]
    s.paragraphs.append(P([
        f"{y}年度“三公”经费财政拨款支出全年预算", w.cell("公开09", "预算数", "合计", "“三公”经费全年预算", zero="0"),
        "万元，支出决算", w.cell("公开09", "决算数", "合计", "“三公”经费支出决算", zero="0"), "万元", *compare, "。其中："]))
    for i, (col, name, nothing) in enumerate(SANGONG_ITEMS):
        value, old = g("公开09", "决算数", col), f.prior.get(f"sangong:{col}", 0)
        end = "。" if i == len(SANGONG_ITEMS) - 1 else "；"
        if value == old:
            why = nothing if value == 0 else f.reasons.get(f"sangong:{col}", "严格执行相关规定")
            s.paragraphs.append(P([f"{name}支出", w.cell("公开09", "决算数", col, zero="0"),
                                   f"万元，与上年相同，主要原因是：{why}{end}"]))
        else:
            why = f.reasons.get(f"sangong:{col}", "按照厉行节约要求据实列支")
            s.paragraphs.append(P([f"{name}支出", w.cell("公开09", "决算数", col, zero="0"), "万元，比上年",
                                   *w.change(value, old, name), f"，主要原因是：{why}{end}"]))
    s.paragraphs.append(P(["（二）“三公”经费财政拨款支出决算具体情况说明"], "subheading"))
    sg = f.sangong
    count = lambda n, label, unit: Fig(str(n), n, unit, label)
    abroad = g("公开09", "决算数", "因公出国（境）费")
    s.paragraphs.append(P([
        "1、因公出国（境）费支出", w.cell("公开09", "决算数", "因公出国（境）费", zero="0"), "万元，出国（境）团组共",
        count(sg.get("groups", 0), "出国（境）团组", "个"), "个，", count(sg.get("trips", 0), "出国（境）人次", "人次"),
        "人次。主要用于：", "本部门无因公出国（境）费支出。" if not abroad else "开展对外交流合作。"]))
    bought = g("公开09", "决算数", "公务用车购置费")
    s.paragraphs.append(P([
        "2、公务用车购置支出", w.cell("公开09", "决算数", "公务用车购置费", zero="0"), "万元，使用财政拨款共购置公务用车",
        count(sg.get("bought", 0), "购置公务用车", "辆"), "辆，主要用于：",
        "本部门无公务用车购置费支出。" if not bought else "更新超过使用年限的公务用车。"]))
    running = g("公开09", "决算数", "公务用车运行维护费")
    fleet = g("公开10", "车辆数合计", "统计数")
    s.paragraphs.append(P([
        "3、公务用车运行维护费支出", w.cell("公开09", "决算数", "公务用车运行维护费", zero="0"),
        "万元，使用财政拨款负担的公务用车保有量共",
        Fig(str(fleet), fleet, "辆", "公务用车保有量", ("公开10", "车辆数合计", "统计数")), "辆，主要用于：",
        "本部门无公务用车运行维护费支出。" if not running else "公务用车燃料费、维修费、保险费等支出。"]))
    recv = g("公开09", "决算数", "公务接待费")
    batches, guests = (sg.get("receptions", 0), sg.get("guests", 0)) if recv else (0, 0)
    s.paragraphs.append(P([
        "4、公务接待费支出", w.cell("公开09", "决算数", "公务接待费", zero="0"), "万元，共接待",
        count(batches, "接待批次", "批次"), "批次，", count(guests, "接待人次", "人次"), "人次。国内接待费",
        w.cell("公开09", "决算数", "公务接待费", "国内接待费", zero="0"), "万元，共接待",
        count(batches, "国内接待批次", "批次"), "批次，", count(guests, "国内接待人次", "人次"),
        ("人次，其中外事接待费0万元，共接待0批次，0人次，主要是本年度无此项支出；"
         "国（境）外接待费0万元，共接待国（境）外0批次，0人次，主要是本年度无此项支出。")]))
    return s


def _other(w: _Writer, led) -> Section:
    g, f, y, P = led.get, led.facts, led.year, Paragraph
    s = Section("十、其他重要事项情况说明")
    s.paragraphs.append(P(["（一）机关运行经费支出情况说明"], "subheading"))
    key = "机关运行经费/行政单位" if g("公开10", "机关运行经费/行政单位", "统计数") else "机关运行经费/参照公务员法管理事业单位"
    running = g("公开10", key, "统计数")
    before = f.prior.get("机关运行经费", 0)
    if running == before:
        compare = [f"，与{y - 1}年持平"]
    else:
        compare = [f"，比{y - 1}年", *w.change(running, before, "机关运行经费")]
    s.paragraphs.append(P([f"{y}年机关运行经费支出", w.cell("公开10", key, "统计数", "机关运行经费", zero="0"),
                           "万元", *compare,
                           f"，主要原因{f.reasons.get('running', '是严格落实过紧日子要求，压减一般性支出')}。"]))
    s.paragraphs.append(P(["（二）政府采购情况说明"], "subheading"))
    total = g("公开10", "政府采购/合计", "统计数")
    pc = lambda k: w.cell("公开10", f"政府采购/{k}", "统计数", f"政府采购{k}", zero="0")
    s.paragraphs.append(P([
        f"{y}年度政府采购支出总额", pc("合计"), "万元，其中：政府采购货物支出", pc("货物"), "万元、政府采购工程支出",
        pc("工程"), "万元、政府采购服务支出", pc("服务"), "万元。政府采购授予中小企业合同金额",
        w.m(f.sme, "授予中小企业合同金额", zero="0"), "万元，占政府采购支出总额的",
        w.pct(f.sme, total, "授予中小企业占比"), "%。其中：授予小微企业合同金额",
        w.m(f.micro, "授予小微企业合同金额", zero="0"), "万元，占政府采购支出总额的",
        w.pct(f.micro, total, "授予小微企业占比"), "%。"]))
    s.paragraphs.append(P(["（三）国有资产占用情况说明"], "subheading"))
    fleet = g("公开10", "车辆数合计", "统计数")
    kit = g("公开10", cat.EQUIPMENT_KEY, "统计数")
    s.paragraphs.append(P([
        f"截至{y}年12月31日，本部门（单位）共有车辆",
        Fig(str(fleet), fleet, "辆", "车辆数合计", ("公开10", "车辆数合计", "统计数")),
        "辆。单价100万元（含）以上设备（不含车辆）",
        Fig(str(kit), kit, "台（套）", cat.EQUIPMENT_KEY, ("公开10", cat.EQUIPMENT_KEY, "统计数")), "台（套）。"]))
    s.paragraphs.append(P(["（四）预算绩效情况说明"], "subheading"))
    s.paragraphs.append(P(["1、预算绩效管理工作开展情况"], "subheading"))
    perf = f.performance
    amount = g("公开05", "合计", "项目支出")  # the projects self-assessed are the year's 项目支出
    trimmed = fmt(amount).rstrip("0").rstrip(".") if amount else "0"
    grades = perf.get("grades", [0, 0, 0, 0])
    s.paragraphs.append(P([
        f"根据预算绩效管理要求，一是组织对{y}年初预算安排的所有项目资金全面开展了绩效自评，涉及二级项目",
        Fig(str(perf.get("projects", 0)), perf.get("projects", 0), "个", "二级项目数"), "个，资金",
        Fig(trimmed, amount, "万元", "绩效自评项目资金"), "万元，其中一般公共预算项目支出",
        Fig(trimmed, amount, "万元", "一般公共预算项目支出", ("公开05", "合计", "项目支出")),
        "万元、政府性基金预算项目支出", w.cell("公开07", "合计", "本年支出项目支出", "政府性基金预算项目支出", zero="0.00"),
        "万元、国有资金经营预算项目支出", w.cell("公开08", "合计", "项目支出", "国有资本经营预算项目支出", zero="0.00"),
        "万元、社会保险基金预算项目支出0.00万元。自评结果为：",
        (f"{grades[0]}个项目自评等级为“优”，{grades[1]}个项目自评等级为“良”，{grades[2]}个项目自评等级为“中”，"
         f"{grades[3]}个项目自评等级为“差”（涉密项目除外）。")]))
    s.paragraphs.append(P(["2、其他需要说明的事项"], "subheading"))
    s.paragraphs.append(P(["本部门无其他需要说明的事项。"]))
    return s
