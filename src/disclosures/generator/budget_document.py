"""A budget disclosure laid out as a Document (the blocks every producer draws).

Three templates (BUDGETS.md "Templates seen"): Shanghai 部门预算 / 单位预算
(narrative first, nine unlabelled tables titled `2025年部门…表` /
`2025年预算单位…表`, then 其他相关情况说明), Jiangsu (概况, twelve tables
labelled 公开01表 / 公开表一 / not at all, two on a page, then 情况说明),
and the Ministry template most provinces print (表1…表9). The narrative
restates table figures in 万元 (rounded from 元 tables in Shanghai) and
compares with last year's budget, which the document does not hold: those
figures are marked not checkable in the truth.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field

from . import catalogue as cat
from .budget_ledger import TEMPLATE_TABLES, WAN_CENT, BudgetLedger, execution
from .budget_tables import build_table, fmt_fen
from .document import Cover, Document, Heading, PageBreak, Para, Toc
from .narrative import Fig, Paragraph, Section

CODES = [f"预算{n:02d}" for n in range(1, 14)]
SHANGHAI_TITLES = {
    "预算01": "财务收支预算总表", "预算02": "收入预算总表", "预算03": "支出预算总表", "预算04": "财政拨款收支预算总表",
    "预算05": "一般公共预算支出功能分类预算表", "预算07": "政府性基金预算支出功能分类预算表",
    "预算08": "国有资本经营预算支出功能分类预算表", "预算06": "一般公共预算基本支出部门预算经济分类预算表",
    "预算09": "“三公”经费和机关运行经费预算表",
}
JIANGSU_TITLES = {
    "预算01": "收支预算总表", "预算02": "收入预算总表", "预算03": "支出预算总表", "预算04": "财政拨款收支预算总表",
    "预算10": "财政拨款支出预算表（功能科目）", "预算11": "财政拨款基本支出预算表（经济科目）",
    "预算05": "一般公共预算支出预算表（功能科目）", "预算06": "一般公共预算基本支出预算表（经济科目）",
    "预算09": "“三公”经费、会议费、培训费支出预算表", "预算07": "政府性基金预算财政拨款支出预算表",
    "预算12": "一般公共预算机关运行经费支出预算表", "预算13": "政府采购支出预算表",
}
MINISTRY_TITLES = {
    "预算01": "部门收支总表", "预算02": "部门收入总表", "预算03": "部门支出总表", "预算04": "财政拨款收支总表",
    "预算05": "一般公共预算支出表", "预算06": "一般公共预算基本支出表", "预算09": "一般公共预算“三公”经费支出表",
    "预算07": "政府性基金预算支出表", "预算08": "国有资本经营预算支出表",
}
TITLES = {"shanghai": SHANGHAI_TITLES, "jiangsu": JIANGSU_TITLES, "ministry": MINISTRY_TITLES}
# Jiangsu's pairs of small tables printed on one page (公开03/04, 公开09/10)
SHARED_PAGE = {"预算04", "预算07"}


@dataclass
class BudgetStyle:
    """How one budget prints; fields the producers read are those of document.Style."""

    template: str = "shanghai"
    kind: str = "部门"
    unit: str = "元"
    table_units: dict[str, str] = field(default_factory=dict)
    thousands: bool = True
    zeros: str = ""  # Shanghai: '0.00' in every empty cell, or blank
    decimals: str = "2"  # '2' | '0' whole 元 (上海市财政局) | 'trim' Jiangsu's 80 / 3990.4
    split_codes: bool = True  # codes over 类 | 款 | 项 (Shanghai)
    total_last: bool = True  # Shanghai prints 合计 last, Jiangsu and the Ministry first
    labels: str = ""  # '' none | 公开0N表 | 公开表N (公开表一) | 表N
    two_per_page: bool = False  # Jiangsu: 公开03 and 04, 公开09 and 10 share a page
    repeat_header: bool = True  # header rows again on a continuation page
    rules: str = "grid"
    landscape: str = "page"
    landscape_wide: bool = True  # wide tables on landscape pages
    all_landscape: bool = False  # every table on a landscape page (Shanghai 单位预算 prints them so)
    font_size: float = 8.0
    title_year: str = "年"  # Shanghai '2025年部门…表'; Jiangsu 2017 '2017年度…'; '' no year
    empty_text: str = "注:本{who}{year}年无{fund}财政拨款安排的预算，故本表为空表。"
    who: str = "部门"

    @classmethod
    def for_template(cls, template: str, kind: str = "部门", seed=0) -> BudgetStyle:
        """The template's print, varied within what its real documents do (BUDGETS.md "What varies")."""
        rng = random.Random(f"budget-style/{template}/{kind}/{seed}")
        who = "单位" if kind == "单位" else "部门"
        if template == "shanghai":
            return cls(template, kind, "元", {"预算09": "万元"}, thousands=rng.random() < 0.85,
                       zeros=rng.choice(["", "0.00"]), repeat_header=rng.random() < 0.5, who=who,
                       font_size=rng.choice([7.5, 8.0]))
        if template == "jiangsu":
            labels = rng.choice(["公开0N表", "公开0N表", "公开表N", ""])
            return cls(template, kind, "万元", thousands=rng.random() < 0.6, zeros="", split_codes=False,
                       total_last=False, labels=labels, two_per_page=rng.random() < 0.7,
                       decimals="trim" if rng.random() < 0.2 else "2", title_year="年度" if not labels else "",
                       repeat_header=rng.random() < 0.5, empty_text="注：本部门无相关收支项目", who=who)
        return cls(template, kind, "万元", thousands=rng.random() < 0.5, zeros="", split_codes=False, total_last=False,
                   labels=rng.choice(["表N", "公开0N表"]), title_year="", repeat_header=rng.random() < 0.6,
                   empty_text="注：本部门无该项预算，故本表为空表。", who=who)


# Named variants over a template's random style (the layout randomiser draws from these).
BUDGET_LAYOUTS: dict[str, dict] = {
    # large print on landscape pages, so long tables run over pages: their header printed once, or again
    "header-once": {"repeat_header": False, "all_landscape": True, "font_size": 11.0},
    "header-repeated": {"repeat_header": True, "all_landscape": True, "font_size": 11.0},
    "zeros-printed": {"zeros": "0.00"},
    "no-separators": {"thousands": False},
    "whole-yuan": {"decimals": "0"},  # 上海市财政局 (Excel): 元 without 分; its ledger holds whole 元
    "trimmed-decimals": {"decimals": "trim"},  # Jiangsu's 80, 700, 3990.4
    "two-per-page": {"two_per_page": True},
    "one-per-page": {"two_per_page": False},
    "three-line": {"rules": "three-line"},
    "rotated": {"landscape": "rotate"},
    "unlabelled": {"labels": "", "title_year": "年度"},  # Jiangsu 2017
    "labels-chinese": {"labels": "公开表N", "title_year": ""},  # Jiangsu 2019 人大
}
TEMPLATE_LAYOUTS = {
    "shanghai": ["header-once", "header-repeated", "zeros-printed", "no-separators", "whole-yuan", "three-line",
                 "rotated"],
    "jiangsu": ["two-per-page", "one-per-page", "trimmed-decimals", "no-separators", "unlabelled", "labels-chinese",
                "header-once"],
    "ministry": ["header-once", "no-separators", "three-line"],
}


def apply_layout(style: BudgetStyle, layout: str | None) -> BudgetStyle:
    if not layout:
        return style
    if layout not in TEMPLATE_LAYOUTS[style.template]:
        raise ValueError(f"layout {layout!r} is not one of the {style.template} template's: "
                         f"{TEMPLATE_LAYOUTS[style.template]}")
    return dataclasses.replace(style, **BUDGET_LAYOUTS[layout])


def label_for(style: BudgetStyle, position: int) -> str:
    n = position + 1
    if style.labels == "公开0N表":
        return f"公开{n:02d}表"
    if style.labels == "公开表N":
        return f"公开表{cat.CHINESE_NUMERALS[position]}"
    if style.labels == "表N":
        return f"表{n}"
    return ""


def title_for(bl: BudgetLedger, style: BudgetStyle, code: str) -> str:
    base = TITLES[bl.template][code]
    if bl.template == "shanghai":
        if bl.kind == "单位":
            return f"{bl.year}年单位{base}" if code == "预算09" else f"{bl.year}年预算单位{base}"
        return f"{bl.year}年部门{base}"
    if bl.template == "jiangsu" and code == "预算07" and style.title_year == "年度":
        base = "财政拨款政府性基金支出预算表"  # the 2017 title
    return f"{bl.year}{style.title_year}{base}" if style.title_year else base


# ---------------------------------------------------------------- narrative


class _Writer:
    """Narrative figures in 万元: a 元 table's cell is rounded to 0.01 万元 (BUDGETS.md, Narrative claims)."""

    def __init__(self, bl: BudgetLedger, thousands: bool):
        self.bl, self.th = bl, thousands

    def wan(self, fen: int) -> int:
        return (fen + WAN_CENT // 2) // WAN_CENT  # 0.01 万元, half up

    def text(self, cents: int, zero: str = "0") -> str:
        if cents == 0:
            return zero
        whole, frac = divmod(cents, 100)
        return f"{whole:,}.{frac:02d}" if self.th else f"{whole}.{frac:02d}"

    def cell(self, table: str, row: str, col: str, label: str) -> Fig:
        value = self.wan(self.bl.get(table, row, col))
        return Fig(self.text(value), value, "万元", label, (table, row, col))

    def claim(self, now_fen: int, label: str, rng: random.Random) -> list:
        """'比2024年预算增加107.62万元' against last year's budget, which no table holds."""
        y = self.bl.year
        before = int(now_fen * rng.uniform(0.85, 1.1))
        diff = self.wan(now_fen) - self.wan(before)
        if diff == 0:
            return [f"与{y - 1}年预算持平"]
        fig = Fig(self.text(abs(diff)), abs(diff), "万元", f"{label}比上年预算增减额")
        fig.checkable = False  # last year's budget is not in the document
        return [f"比{y - 1}年预算{'增加' if diff > 0 else '减少'}", fig, "万元"]


def _shanghai_narrative(bl: BudgetLedger, rng) -> tuple[list[Section], list[Section]]:
    """(编制说明 before the tables, 其他相关情况说明 after them)."""
    w, g, y = _Writer(bl, rng.random() < 0.6), bl.get, bl.year
    P = Paragraph
    who = "单位" if bl.kind == "单位" else "部门"
    s = Section(f"{y}年{who}预算编制说明")
    fiscal = g("预算01", "财政拨款收入", "收入")
    s.paragraphs.append(P([
        f"{y}年，{bl.department}收入预算", w.cell("预算01", "收入总计", "收入", "收入预算"), "万元，其中：财政拨款收入",
        w.cell("预算01", "财政拨款收入", "收入", "财政拨款收入"), "万元，", *w.claim(fiscal, "财政拨款收入", rng),
        "；事业收入", w.cell("预算01", "事业收入", "收入", "事业收入"), "万元；事业单位经营收入",
        w.cell("预算01", "事业单位经营收入", "收入", "事业单位经营收入"), "万元；其他收入",
        w.cell("预算01", "其他收入", "收入", "其他收入"), "万元。"]))
    s.paragraphs.append(P([
        "支出预算", w.cell("预算01", "支出总计", "支出", "支出预算"), "万元，其中：财政拨款支出预算",
        w.cell("预算04", "支出总计", "合计", "财政拨款支出预算"), "万元，", *w.claim(fiscal, "财政拨款支出预算", rng),
        "。财政拨款支出预算中，一般公共预算拨款支出预算", w.cell("预算04", "支出总计", "一般公共预算", "一般公共预算拨款支出预算"),
        "万元；政府性基金拨款支出预算", w.cell("预算04", "支出总计", "政府性基金预算", "政府性基金拨款支出预算"),
        "万元；国有资本经营预算拨款支出预算", w.cell("预算04", "支出总计", "国有资本经营预算", "国有资本经营预算拨款支出预算"), "万元。"]))
    s.paragraphs.append(P(["财政拨款支出主要内容如下："]))
    items = [c for c in bl.rows.get("预算05", []) if len(c) == 7]
    for i, code in enumerate(items):
        names = f"{bl.name(code[:3])}（{code[:3]}类）{bl.name(code[:5])}（{code[3:5]}款）{bl.name(code)}（{code[5:]}项）"
        s.paragraphs.append(P([f"{i + 1}、{names}", w.cell("预算05", code, "合计", f"{bl.name(code)}（{code}）"),
                               f"万元，主要用于：{bl.name(code)}方面的支出。"]))
    before = [s]

    s = Section("其他相关情况说明")
    s.paragraphs.append(P([f"一、{y}年“三公”经费预算情况说明"], "subheading"))
    r = "预算数"
    s.paragraphs.append(P([
        f"{y}年“三公”经费预算数为", w.cell("预算09", r, "合计", "“三公”经费预算数"), "万元。其中：因公出国（境）费",
        w.cell("预算09", r, "因公出国（境）费", "因公出国（境）费"), "万元；公务用车购置及运行费",
        w.cell("预算09", r, "公务用车购置及运行维护费", "公务用车购置及运行费"), "万元，其中：公务用车购置费",
        w.cell("预算09", r, "公务用车购置费", "公务用车购置费"), "万元，公务用车运行费",
        w.cell("预算09", r, "公务用车运行维护费", "公务用车运行费"), "万元；公务接待费",
        w.cell("预算09", r, "公务接待费", "公务接待费"), "万元。"]))
    s.paragraphs.append(P(["二、机关运行经费预算"], "subheading"))
    s.paragraphs.append(P([f"{y}年{bl.department}财政拨款的机关运行经费预算为",
                           w.cell("预算09", r, "机关运行经费", "机关运行经费预算"), "万元。"]))
    s.paragraphs += _procurement_claim(bl, w, y, "三")
    after = [s]
    return before, after


def _procurement_claim(bl: BudgetLedger, w: _Writer, y: int, number: str) -> list[Paragraph]:
    """政府采购预算 by 大类: Jiangsu restates 预算13, the others print it in the narrative only."""
    proc = bl.extra.get("procurement", {})
    jiangsu = bl.template == "jiangsu"

    def fig(big: str, label: str) -> Fig:
        if jiangsu:
            return w.cell("预算13", big, "合计", label)
        value = w.wan(proc.get(big, 0) if big != "合计" else sum(proc.values()))
        return Fig(w.text(value), value, "万元", label)

    return [Paragraph([f"{number}、政府采购预算情况"], "subheading"),
            Paragraph([f"{y}年度本{'部门' if bl.kind == '部门' else '单位'}政府采购预算", fig("合计", "政府采购预算"),
                       "万元，其中：政府采购货物预算", fig("货物", "政府采购货物预算"), "万元、政府采购工程预算",
                       fig("工程", "政府采购工程预算"), "万元、政府采购服务预算", fig("服务", "政府采购服务预算"), "万元。"])]


def _provincial_narrative(bl: BudgetLedger, rng) -> list[Section]:
    """Jiangsu's and the Ministry template's 情况说明: 万元 figures equal to the 万元 tables."""
    w, g, y = _Writer(bl, rng.random() < 0.5), bl.get, bl.year
    P = Paragraph
    jiangsu = bl.template == "jiangsu"
    s = Section("一、收支预算总体情况说明")
    s.paragraphs.append(P([
        f"{bl.department}{y}年度收入、支出预算总计", w.cell("预算01", "收入总计", "收入", "收支预算总计"), "万元，与上年相比，",
        *w.claim(g("预算01", "收入总计", "收入"), "收支预算总计", rng), "。其中：本年收入合计",
        w.cell("预算01", "本年收入合计", "收入", "本年收入合计"), "万元，上年结转资金",
        w.cell("预算01", "上年结转资金", "收入", "上年结转资金"), "万元。"]))
    sections = [s]
    s = Section("二、支出预算情况说明")
    if jiangsu:
        s.paragraphs.append(P([
            f"{y}年度支出预算", w.cell("预算01", "本年支出合计", "支出", "支出预算"), "万元，其中：基本支出",
            w.cell("预算01", "基本支出", "支出", "基本支出"), "万元，项目支出", w.cell("预算01", "项目支出", "支出", "项目支出"),
            "万元，单位预留机动经费", w.cell("预算01", "单位预留机动经费", "支出", "单位预留机动经费"), "万元。"]))
    else:
        s.paragraphs.append(P([
            f"{y}年度支出预算", w.cell("预算03", "合计", "合计", "支出预算"), "万元，其中：基本支出",
            w.cell("预算03", "合计", "基本支出", "基本支出"), "万元，项目支出", w.cell("预算03", "合计", "项目支出", "项目支出"), "万元。"]))
    sections.append(s)
    s = Section("三、一般公共预算当年拨款支出情况说明")
    s.paragraphs.append(P([f"{y}年一般公共预算当年拨款", w.cell("预算05", "合计", "合计", "一般公共预算当年拨款"), "万元，",
                           *w.claim(g("预算05", "合计", "合计"), "一般公共预算当年拨款", rng), "。其中："]))
    items = [c for c in bl.rows.get("预算05", []) if len(c) == 7]
    for i, code in enumerate(items):
        end = "。" if i == len(items) - 1 else "；"
        s.paragraphs.append(P([f"{bl.name(code[:3])}（类）{bl.name(code[:5])}（款）{bl.name(code)}（项）",
                               w.cell("预算05", code, "合计", f"{bl.name(code)}（{code}）"), f"万元{end}"]))
    sections.append(s)
    s = Section("四、“三公”经费预算情况说明")
    r = "预算数"
    parts = [f"{y}年度“三公”经费预算数", w.cell("预算09", r, "合计", "“三公”经费预算数"), "万元，其中：因公出国（境）费",
             w.cell("预算09", r, "因公出国（境）费", "因公出国（境）费"), "万元，公务用车购置及运行维护费",
             w.cell("预算09", r, "公务用车购置及运行维护费", "公务用车购置及运行维护费"), "万元，公务接待费",
             w.cell("预算09", r, "公务接待费", "公务接待费"), "万元。"]
    if jiangsu:
        parts += ["会议费预算", w.cell("预算09", r, "会议费", "会议费"), "万元，培训费预算", w.cell("预算09", r, "培训费", "培训费"), "万元。"]
    s.paragraphs.append(P(parts))
    sections.append(s)
    s = Section("五、其他重要事项的情况说明")
    if jiangsu:
        s.paragraphs.append(P(["（一）机关运行经费", f"{y}年度一般公共预算机关运行经费支出预算",
                               w.cell("预算12", "合计", "合计", "机关运行经费"), "万元。"]))
    s.paragraphs += _procurement_claim(bl, w, y, "（二）" if jiangsu else "（一）")[1:]
    sections.append(s)
    return sections


# ---------------------------------------------------------------- the document


def build_budget_document(bl: BudgetLedger, style: BudgetStyle | None = None, printed: BudgetLedger | None = None,
                          sections: tuple | None = None, absent: set[str] | None = None,
                          table_units: dict[str, str] | None = None) -> Document:
    """Lay out the whole budget disclosure; `printed` is the ledger whose figures are printed (a
    seeded error's copy), `sections` a narrative to print instead of the one built from it."""
    style = style or BudgetStyle.for_template(bl.template, bl.kind)
    printed = printed or bl
    absent = set(absent or ())
    rng = random.Random(f"budget-narrative/{bl.department}/{bl.year}/{bl.template}/{bl.kind}")
    t, y, dept = bl.template, bl.year, bl.department
    who = "单位" if bl.kind == "单位" else "部门"
    codes = [c for c in TEMPLATE_TABLES[t] if c not in absent]
    if sections is None:
        sections = (_shanghai_narrative(printed, rng) if t == "shanghai" else ([], _provincial_narrative(printed, rng)))
    before, after = sections
    tables = []
    for i, code in enumerate(TEMPLATE_TABLES[t]):
        if code in absent:
            continue
        meta = [f"编制{who}：{dept}"] if t == "shanghai" else [f"部门名称：{dept}"]
        tables.append(build_table(code, printed, style, title_for(bl, style, code), label_for(style, i), meta,
                                  (table_units or {}).get(code)))
    cover = (f"{bl.region}{y}年{'区级' if t == 'shanghai' else ''}{who}预算" if t == "shanghai"
             else f"{dept}{y}年度部门预算")
    blocks: list = [Cover(dept, cover, f"{y}年2月"), PageBreak(), Heading("目 录", 0)]
    f = bl.actual.facts
    if t == "shanghai":
        toc = [(f"一、{who}主要职能", 1), (f"二、{who}机构设置", 1), ("三、名词解释", 1), (f"四、{who}预算编制说明", 1),
               (f"五、{who}预算表", 1)]
        toc += [(f"{i + 1}. {tb.title}", 2) for i, tb in enumerate(tables)] + [("六、其他相关情况说明", 1)]
        blocks += [Toc(toc), PageBreak(), Heading(f"{dept}主要职能", 1), Para(f.duties_intro)]
        blocks += [Para(f"（{cat.CHINESE_NUMERALS[i]}）{d}") for i, d in enumerate(f.duties)]
        blocks += [PageBreak(), Heading(f"{dept}机构设置", 1), Para(f.institutions), PageBreak(), Heading("名词解释", 1)]
        blocks += [Para(p) for p in GLOSSARY]
        blocks.append(PageBreak())
        blocks += _section_blocks(before)
    else:
        toc = [("第一部分 部门概况", 1), ("一、主要职能", 2), ("二、部门预算单位构成", 2), (f"第二部分 {y}年度部门预算表", 1)]
        toc += [(f"{cat.CHINESE_NUMERALS[i]}、{tb.title}", 2) for i, tb in enumerate(tables)]
        toc += [(f"第三部分 {y}年度部门预算情况说明", 1), ("第四部分 名词解释", 1)]
        blocks += [Toc(toc), PageBreak(), Heading("第一部分 部门概况", 1), Heading("一、主要职能", 2), Para(f.duties_intro)]
        blocks += [Para(f"（{cat.CHINESE_NUMERALS[i]}）{d}") for i, d in enumerate(f.duties)]
        blocks += [Heading("二、部门预算单位构成", 2), Para(f.institutions)]
    for i, tb in enumerate(tables):
        if not (style.two_per_page and tb.code in SHARED_PAGE and i):
            blocks.append(PageBreak(landscape=tb.landscape))
        if i == 0 and t != "shanghai":
            blocks.append(Heading(f"第二部分 {y}年度部门预算表", 1))
        blocks.append(tb)
    end = "其他相关情况说明" if t == "shanghai" else f"第三部分 {y}年度部门预算情况说明"
    blocks += [PageBreak(), Heading(end, 1, mark="narrative")]
    if t == "shanghai":
        blocks += _section_blocks(after, headings=False)
    else:
        blocks += _section_blocks(after)
        blocks += [PageBreak(), Heading("第四部分 名词解释", 1)] + [Para(p) for p in GLOSSARY]
    doc = Document(bl, style, blocks, [*before, *after], absent=absent)
    doc.report_kind, doc.codes, doc.tables_end = "budget", list(TEMPLATE_TABLES[t]), end
    doc.printed_ledger = printed  # what the tables print (a seeded error's copy)
    doc.extra_truth = {"template": t, "budget_kind": bl.kind, "execution": execution(bl)}
    return doc


def _section_blocks(sections: list[Section], headings: bool = True) -> list:
    out = []
    for sec in sections:
        if headings:
            out.append(Heading(sec.heading, 2))
        for p in sec.paragraphs:
            out.append(Heading(p.text, 3) if p.style == "subheading" else Para(p.text, p.figures))
    return out


GLOSSARY = [
    "（一）财政拨款收入：指本级财政当年拨付的资金，包括一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款。",
    "（二）事业收入：指事业单位开展专业业务活动及其辅助活动取得的收入。",
    "（三）基本支出预算：指为保障机构正常运转、完成日常工作任务而编制的年度基本支出计划，包括人员经费和公用经费两部分。",
    "（四）项目支出预算：指在基本支出之外为完成行政工作任务、事业发展目标或政府发展战略、特定目标编制的年度支出计划。",
    "（五）“三公”经费：指使用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。",
    "（六）机关运行经费：指行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。",
]


def budget_name(bl: BudgetLedger) -> str:
    return f"{bl.department}{bl.year}年{'单位' if bl.kind == '单位' else '部门'}预算"


__all__ = ["BUDGET_LAYOUTS", "CODES", "TEMPLATE_LAYOUTS", "TITLES", "BudgetStyle", "apply_layout",
           "build_budget_document", "budget_name", "fmt_fen"]
