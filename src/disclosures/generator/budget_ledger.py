"""One department-year's budget (部门预算 / 单位预算), in the three templates of BUDGETS.md.

A budget is drawn from the same department-year's final-accounts ledger
(`random_ledger` with the same seed, profile, region and year), so every
department that has a budget of a year also has a final account of it and
the budget-vs-actual figures are known: each 项 is budgeted at 90–110 % of
what was spent, the 三公 budget is the final account's 公开09 预算数.

Cells are integers of 分 (0.01 元): Shanghai prints its tables in 元 with
分 (`86,959,408.34`), Jiangsu and the Ministry template in 万元, so their
figures are whole 0.01 万元 (10,000 分) and every identity holds exactly in
the printed unit. Keys are BUDGETS.md's, encoded here on their own (the
generator is the parser's independent ground truth).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from . import catalogue as cat
from .ledger import Ledger, random_ledger
from .money import allocate

WAN_CENT = 10_000  # 0.01 万元 in 分
TEMPLATES = ("shanghai", "jiangsu", "ministry")
FUNDS = ("一般公共预算", "政府性基金预算", "国有资本经营预算")  # 预算04's funds
# the template's tables in printed order (Jiangsu 公开01…12, Ministry 表1…9)
TEMPLATE_TABLES = {
    "shanghai": ["预算01", "预算02", "预算03", "预算04", "预算05", "预算07", "预算08", "预算06", "预算09"],
    "jiangsu": ["预算01", "预算02", "预算03", "预算04", "预算10", "预算11", "预算05", "预算06", "预算09", "预算07",
                "预算12", "预算13"],
    "ministry": ["预算01", "预算02", "预算03", "预算04", "预算05", "预算06", "预算09", "预算07", "预算08"],
}
JIANGSU_INCOME_GROUPS = {  # 预算02: group 小计 row -> its detail lines
    "一般公共预算资金": ["公共财政拨款（补助）资金", "专项收入"],
    "政府性基金": [],
    "财政专户管理资金": ["专户管理教育收费", "其他非税收入"],
    "其他资金": ["事业收入", "经营收入", "其他收入", "债务资金（银行贷款）"],
    "上年结转和结余资金": ["动用上年结转和结余资金"],
}
SHANGHAI_INCOME = ["财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"]
MINISTRY_INCOME = [*SHANGHAI_INCOME, "上级补助收入", "附属单位上缴收入"]
SANGONG = ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]
PERSONNEL_HEADS, PUBLIC_HEADS = ("301", "303"), ("302", "310")


@dataclass
class BudgetItem:
    """One 项's budget by fund, in 分."""

    gpb_basic: int = 0
    gpb_project: int = 0
    gf_project: int = 0
    sc_project: int = 0
    nf_project: int = 0  # non-fiscal money (事业收入 …, Jiangsu 财政专户管理资金/其他资金)
    reserve: int = 0  # Jiangsu 单位预留机动经费 (general budget money not yet assigned)
    carry: int = 0  # part of the spending paid from last year's carry-over (not this year's income)
    nf_line: int = 0  # which non-fiscal income line pays nf_project: 0 事业收入 (Jiangsu 其他资金), 1 其他收入 (财政专户)
    personnel: int = 0  # of gpb_basic: 人员经费 (the rest is 公用经费)

    @property
    def gpb(self) -> int:
        return self.gpb_basic + self.gpb_project + self.reserve

    @property
    def total(self) -> int:
        return self.gpb + self.gf_project + self.sc_project + self.nf_project

    @property
    def basic(self) -> int:
        return self.gpb_basic

    @property
    def project(self) -> int:
        return self.gpb_project + self.gf_project + self.sc_project + self.nf_project


@dataclass
class BudgetLedger(Ledger):
    template: str = "shanghai"
    kind: str = "部门"  # 部门预算 | 单位预算 (Shanghai prints both for one department)
    actual: Ledger | None = None  # the same department-year's final accounts
    budget_items: dict[str, BudgetItem] = field(default_factory=dict)
    procurement: list[tuple[str, list[str]]] = field(default_factory=list)  # 预算13 rows: key, printed cells
    extra: dict = field(default_factory=dict)  # narrative-only facts (last year's budget, procurement, projects)

    @property
    def tables(self) -> list[str]:
        return TEMPLATE_TABLES[self.template]


def _round(value: float, grain: int) -> int:
    return int(round(value / grain)) * grain


def budget_ledger(seed: int, department: str | None = None, region: str = "晋城市", year: int = 2024,
                  template: str = "shanghai", kind: str = "部门", fen: bool = True) -> BudgetLedger:
    """The budget of the department-year `random_ledger(seed, department, region, year)` accounts for.

    `fen=False` keeps every Shanghai figure in whole 元 (the documents that print no 分)."""
    if template not in TEMPLATES:
        raise ValueError(f"unknown budget template {template!r}; known: {TEMPLATES}")
    act = random_ledger(seed, department, region, year)
    rng = random.Random(f"budget/{seed}/{act.department}/{year}/{template}/{kind}")
    grain = 100 if template == "shanghai" else WAN_CENT
    bl = BudgetLedger(department=act.department, region=act.region, year=year, slug=act.slug,
                      template=template, kind=kind, actual=act, names=dict(act.names))
    items = _items(rng, act, template, grain, fen)
    bl.budget_items = items
    econ = _economic(rng, items, grain, act, fen and template == "shanghai")
    _fill(bl, rng, items, econ, grain)
    bl.cells = {k: v for k, v in bl.cells.items() if v}
    return bl


def _items(rng, act: Ledger, template: str, grain: int, fen: bool) -> dict[str, BudgetItem]:
    items: dict[str, BudgetItem] = {}
    for code, it in sorted(act.items.items()):
        f = rng.uniform(0.9, 1.1)
        g = lambda v: _round(v * WAN_CENT * f, grain) if v else 0  # noqa: E731 (act is in 0.01 万元)
        b = BudgetItem(gpb_basic=g(it.gpb_basic), gpb_project=g(it.gpb_project),
                       gf_project=g(it.gf_basic + it.gf_project), sc_project=g(it.sc_basic + it.sc_project),
                       nf_project=g(it.nf_basic + it.nf_project))
        if template == "jiangsu":  # Jiangsu budgets have no state-capital fund: 国有资本 money comes as general budget
            b.gpb_project += b.sc_project
            b.sc_project = 0
        b.nf_line = int(rng.random() < 0.3)
        if b.total:
            items[code] = b
    running = max(items, key=lambda c: items[c].gpb_basic)
    if template == "shanghai" and fen:  # Shanghai's 行政运行 carries 分 (14,348,853.34)
        items[running].gpb_basic += rng.randint(1, 99)
    if template == "jiangsu" and rng.random() < 0.5:
        items[running].reserve = _round(items[running].gpb_basic * rng.uniform(0.05, 0.2), grain)
    if template in ("jiangsu", "ministry") and rng.random() < 0.4:
        # last year's carry-over pays part of one programme: spent this year, not income of it
        top = max(items, key=lambda c: items[c].gpb_project + items[c].nf_project)
        t = items[top]
        if template == "jiangsu":
            t.carry = _round(t.gpb_project * rng.uniform(0.05, 0.2), grain)
            t.nf_project += t.carry
        else:
            t.carry = _round(t.gpb_project * rng.uniform(0.05, 0.2), grain)
    return items


def _economic(rng, items: dict[str, BudgetItem], grain: int, act: Ledger, fen: bool) -> dict[str, int]:
    """Split the general-budget 基本支出 over economic codes; each item's 人员经费 follows."""
    basic = {c: it.gpb_basic for c, it in items.items()}
    fixed = {
        "30108": basic.get("2080505", 0), "30109": basic.get("2080506", 0),
        "30110": basic.get("2101101", 0) + basic.get("2101102", 0), "30111": basic.get("2101103", 0),
        "30113": basic.get("2210201", 0), "30302": basic.get("2080501", 0) + basic.get("2080502", 0),
        "30231": act.get("公开09", "预算数", "公务用车运行维护费") * WAN_CENT,
        "30217": act.get("公开09", "预算数", "公务接待费") * WAN_CENT,
        "30212": act.get("公开09", "预算数", "因公出国（境）费") * WAN_CENT,
    }
    running = [c for c in basic if c not in cat.COMMON_ITEMS]
    rest = sum(basic[c] for c in running) - fixed["30231"] - fixed["30217"] - fixed["30212"]
    assert rest > 0, "running costs must exceed the 三公 lines"
    public_share = rng.uniform(0.12, 0.25)
    pers_w = {"30101": 30, "30102": 15, "30103": rng.choice([0, 8]), "30107": 25, "30112": 2, "30199": 5}
    pub_w = {"30201": rng.uniform(5, 15), "30202": rng.choice([0, 2]), "30207": rng.uniform(1, 4),
             "30211": rng.uniform(2, 8), "30213": rng.choice([0, 3]), "30226": rng.choice([0, 2]),
             "30227": rng.choice([0, 4]), "30228": rng.uniform(3, 6), "30229": rng.uniform(3, 8),
             "30239": rng.uniform(5, 12), "30299": rng.uniform(2, 8), "31002": rng.choice([0, 1.5])}
    public_rest = _round(rest * public_share, grain)
    pub = [p * grain for p in allocate(public_rest // grain, list(pub_w.values()))]
    pers_total = rest - public_rest
    pers = [p * grain for p in allocate(pers_total // grain, list(pers_w.values()))]
    out = dict(fixed)
    for code, value in [*zip(pers_w, pers), *zip(pub_w, pub)]:
        out[code] = out.get(code, 0) + value
    out["30101"] += pers_total - sum(pers)  # the 分 of 行政运行 land on 基本工资
    if fen and rng.random() < 0.6:  # … or some on 工会经费 (227,810.34)
        move = out["30101"] % 100 or 0
        out["30101"] -= move
        out["30228"] = out.get("30228", 0) + move
    out = {k: v for k, v in out.items() if v}
    for head in (*PERSONNEL_HEADS, *PUBLIC_HEADS):
        out[head] = sum(v for k, v in out.items() if len(k) == 5 and k.startswith(head))
    public = sum(out.get(h, 0) for h in PUBLIC_HEADS)
    for c, it in items.items():
        it.personnel = it.gpb_basic
    # 公用经费 is the running items' (行政运行, 事业运行 …), in proportion to their 基本支出
    for c, share in zip(running, allocate(public, [basic[c] for c in running])):
        items[c].personnel -= share
    return {k: v for k, v in out.items() if v}


def _put_function(bl: BudgetLedger, table: str, per_item: dict[str, dict[str, int]], first_total: bool = False) -> None:
    """Rows by code (项 and their 款/类) and 合计, summed exactly; rows without money left out."""
    from .ledger import hierarchy_rows

    live = {c: v for c, v in per_item.items() if any(v.values())}
    bl.rows[table] = hierarchy_rows(live)
    for code, vals in live.items():
        for target in [code, *cat.ancestors(code), "合计"]:
            for col, value in vals.items():
                bl.put(table, target, col, bl.get(table, target, col) + value)


def _fill(bl: BudgetLedger, rng, items: dict[str, BudgetItem], econ: dict[str, int], grain: int) -> None:
    t, put, g = bl.template, bl.put, bl.get
    gpb = sum(it.gpb for it in items.values())
    gf = sum(it.gf_project for it in items.values())
    sc = sum(it.sc_project for it in items.values())
    nf = sum(it.nf_project for it in items.values())
    carry = sum(it.carry for it in items.values())
    basic = sum(it.basic for it in items.values())
    project = sum(it.project for it in items.values())
    reserve = sum(it.reserve for it in items.values())
    spend = gpb + gf + sc + nf
    fiscal_in = gpb + gf + sc - (carry if t == "ministry" else 0)
    nf_in = nf - (carry if t == "jiangsu" else 0)
    income = fiscal_in + nf_in
    by_class: dict[str, int] = {}
    for code, it in items.items():
        by_class[code[:3]] = by_class.get(code[:3], 0) + it.total
    classes = [(code, name) for code, name in cat.CATEGORIES if by_class.get(code)]
    bl.extra["classes"] = [c for c, _ in classes]

    # 预算01 收支总表
    fund_in = {"一般公共预算": gpb - (carry if t == "ministry" else 0), "政府性基金预算": gf, "国有资本经营预算": sc}
    own_carry = lambda it: it.carry if t == "jiangsu" else 0  # noqa: E731 (Jiangsu's carry pays non-fiscal spending)
    nf_split = [sum(it.nf_project - own_carry(it) for it in items.values() if it.nf_line == k) for k in (0, 1)]
    if t == "shanghai" or t == "ministry":
        if t == "shanghai":
            put("预算01", "财政拨款收入", "收入", fiscal_in)
            for f in FUNDS:
                put("预算01", f"财政拨款收入/{f}", "收入", fund_in[f])
        else:
            for f in FUNDS:
                put("预算01", f"财政拨款收入/{f}", "收入", fund_in[f])
        put("预算01", "事业收入", "收入", nf_split[0])
        put("预算01", "其他收入", "收入", nf_split[1])
        for code, name in classes:
            put("预算01", name, "支出", by_class[code])
        if t == "shanghai":
            put("预算01", "收入总计", "收入", income)
            put("预算01", "支出总计", "支出", spend)
            if bl.kind == "单位":
                per_class = {}
                for code, it in items.items():
                    k = per_class.setdefault(code[:3], [0, 0, 0])
                    k[0] += it.personnel
                    k[1] += it.gpb_basic - it.personnel
                    k[2] += it.project
                for code, name in classes:
                    for col, v in zip(("人员经费", "公用经费", "项目支出"), per_class[code]):
                        put("预算01", name, col, v)
                for i, col in enumerate(("人员经费", "公用经费", "项目支出")):
                    put("预算01", "支出总计", col, sum(v[i] for v in per_class.values()))
        else:
            put("预算01", "本年收入合计", "收入", income)
            put("预算01", "上年结转资金", "收入", carry)
            put("预算01", "收入总计", "收入", income + carry)
            put("预算01", "本年支出合计", "支出", spend)
            put("预算01", "支出总计", "支出", spend)
    else:  # Jiangsu
        put("预算01", "财政拨款收入", "收入", gpb + gf)
        put("预算01", "财政拨款收入/一般公共预算", "收入", gpb)
        put("预算01", "财政拨款收入/政府性基金预算", "收入", gf)
        special = nf_split[1]
        put("预算01", "财政专户管理资金", "收入", special)
        put("预算01", "其他资金", "收入", nf_split[0])
        put("预算01", "本年收入合计", "收入", income)
        put("预算01", "上年结转资金", "收入", carry)
        put("预算01", "收入总计", "收入", income + carry)
        for code, name in classes:
            put("预算01", name, "支出", by_class[code])
        put("预算01", "基本支出", "支出", basic)
        put("预算01", "项目支出", "支出", project)
        put("预算01", "单位预留机动经费", "支出", reserve)
        put("预算01", "本年支出合计", "支出", spend)
        put("预算01", "支出总计", "支出", spend)

    # 预算02 收入预算总表
    if t == "jiangsu":
        pub = _round(gpb * rng.uniform(0.0, 0.08), grain) if rng.random() < 0.4 else 0
        lines = {"公共财政拨款（补助）资金": gpb - pub, "专项收入": pub,
                 "专户管理教育收费": 0, "其他非税收入": special,
                 "事业收入": nf_split[0], "经营收入": 0, "其他收入": 0, "债务资金（银行贷款）": 0,
                 "动用上年结转和结余资金": carry}
        for group, members in JIANGSU_INCOME_GROUPS.items():
            for line in members:
                put("预算02", line, "合计", lines[line])
            put("预算02", group, "合计", sum(lines[m] for m in members) if members else gf)
        put("预算02", "收入总计", "合计", income + carry)
    else:
        per = {}
        for code, it in items.items():
            fiscal = it.gpb + it.gf_project + it.sc_project - (it.carry if t == "ministry" else 0)
            row = {"财政拨款收入": fiscal, ("事业收入", "其他收入")[it.nf_line]: it.nf_project}
            per[code] = row
        for row in per.values():
            row["合计"] = sum(row.values())
        _put_function(bl, "预算02", per)

    # 预算03 支出预算总表
    if t == "jiangsu":
        for col, v in (("合计", spend), ("基本支出", basic), ("项目支出", project), ("单位预留机动经费", reserve)):
            put("预算03", "合计", col, v)
    else:
        _put_function(bl, "预算03", {c: {"合计": it.total, "基本支出": it.basic, "项目支出": it.project}
                                     for c, it in items.items()})

    # 预算04 财政拨款收支预算总表
    if t == "jiangsu":
        put("预算04", "一般公共预算", "收入", gpb)
        put("预算04", "政府性基金预算", "收入", gf)
        put("预算04", "收入总计", "收入", gpb + gf)
        f_basic = basic
        put("预算04", "基本支出", "合计", f_basic)
        put("预算04", "项目支出", "合计", gpb + gf - f_basic - reserve)
        put("预算04", "单位预留机动经费", "合计", reserve)
        put("预算04", "支出总计", "合计", gpb + gf)
    else:
        for f in FUNDS:
            put("预算04", f, "收入", fund_in[f])
        fund_of = {"一般公共预算": lambda it: it.gpb, "政府性基金预算": lambda it: it.gf_project,
                   "国有资本经营预算": lambda it: it.sc_project}
        for code, name in classes:
            for f in FUNDS:
                put("预算04", name, f, sum(fund_of[f](it) for c, it in items.items() if c[:3] == code))
            put("预算04", name, "合计", sum(g("预算04", name, f) for f in FUNDS))
        totals = {f: sum(fund_of[f](it) for it in items.values()) for f in FUNDS}
        totals["合计"] = sum(totals.values())
        if t == "shanghai":
            put("预算04", "收入总计", "收入", fiscal_in)
            for col, v in totals.items():
                put("预算04", "支出总计", col, v)
        else:
            put("预算04", "本年收入合计", "收入", fiscal_in)
            put("预算04", "上年结转资金", "收入", carry)
            put("预算04", "收入总计", "收入", fiscal_in + carry)
            for col, v in totals.items():
                put("预算04", "本年支出合计", col, v)
                put("预算04", "支出总计", col, v)

    # function-subject tables by fund
    one = t == "jiangsu"  # Jiangsu prints one amount column, 合计
    def cols(b, p):
        return {"合计": b + p} if one else {"合计": b + p, "基本支出": b, "项目支出": p}
    _put_function(bl, "预算05", {c: cols(it.gpb_basic, it.gpb_project + it.reserve) for c, it in items.items()})
    _put_function(bl, "预算07", {c: cols(0, it.gf_project) for c, it in items.items()})
    if t != "jiangsu":
        _put_function(bl, "预算08", {c: cols(0, it.sc_project) for c, it in items.items()})
    else:
        _put_function(bl, "预算10", {c: {"合计": it.gpb + it.gf_project} for c, it in items.items()})

    # economic-subject tables
    for code, v in econ.items():
        if one:
            put("预算06", code, "合计", v)
            put("预算11", code, "合计", v)
            if code.startswith("302"):
                put("预算12", code, "合计", v)
        else:
            put("预算06", code, "合计", v)
            put("预算06", code, "人员经费" if code[:3] in PERSONNEL_HEADS else "公用经费", v)
    personnel = sum(econ.get(h, 0) for h in PERSONNEL_HEADS)
    public = sum(econ.get(h, 0) for h in PUBLIC_HEADS)
    put("预算06", "合计", "合计", personnel + public)
    if one:
        put("预算11", "合计", "合计", personnel + public)
        put("预算12", "合计", "合计", econ.get("302", 0))
    else:
        put("预算06", "合计", "人员经费", personnel)
        put("预算06", "合计", "公用经费", public)
    order = [c for c in cat.ECON_CODES if c in econ]
    bl.rows["预算06"] = order
    if one:
        bl.rows["预算11"] = list(order)
        bl.rows["预算12"] = [c for c in order if c.startswith("302")]

    # 预算09 三公
    act = bl.actual
    for col in SANGONG:
        put("预算09", "预算数", col, act.get("公开09", "预算数", col) * WAN_CENT)
    if t == "shanghai":
        put("预算09", "预算数", "机关运行经费", _round(public, WAN_CENT))
    elif t == "jiangsu":
        meeting = _round(rng.uniform(5, 60) * 1_000_000, WAN_CENT)
        training = _round(rng.uniform(2, 30) * 1_000_000, WAN_CENT)
        put("预算09", "预算数", "会议费", meeting)
        put("预算09", "预算数", "培训费", training)
        put("预算09", "预算数", "总计", g("预算09", "预算数", "合计") + meeting + training)

    # 预算13 政府采购 (Jiangsu prints it; the others restate its totals in the narrative)
    _procurement(bl, rng, econ)


PROCUREMENT = [  # 大类, 专项名称, 经济科目 (code), [(采购物品名称, 采购组织形式)]
    ("货物", "办公设备购置费", "31002", [("台式计算机（20万以下）", "分散自行组织"), ("便携式计算机（20万以下）", "分散自行组织"),
                                      ("家具用具", "分散自行组织")]),
    ("货物", "信息化建设经费", "30299", [("其他计算机设备及软件", "分散自行组织")]),
    ("工程", "办公用房维修改造", "30213", [("房屋修缮", "政府集中采购")]),
    ("服务", "交通运行费", "30231", [("车辆维修和保养服务", "分散自行组织")]),
    ("服务", "综合管理费", "30209", [("物业管理服务", "分散自行组织"), ("空调、电梯维修和保养服务", "分散自行组织")]),
    ("服务", "专职人员活动费", "30202", [("印刷和出版服务", "分散自行组织")]),
]
CLASS_LETTER = {"货物": "A", "工程": "B", "服务": "C"}


def _procurement(bl: BudgetLedger, rng, econ: dict[str, int]) -> None:
    """Procurement lines: 大类 > 专项名称 × 经济科目 subtotal > items; sums exact in 0.01 万元."""
    t = "预算13"
    totals: dict[str, int] = {}
    for big, special, code, goods in PROCUREMENT:
        if rng.random() < 0.35:
            continue
        econ_name = cat.ECON_NAME.get(code, code)
        sub_key = f"{big}/{special}/{econ_name}"
        values = [_round(rng.uniform(1, 120) * 1_000_000, WAN_CENT) for _ in goods]
        bl.procurement.append((sub_key, [special, econ_name]))
        bl.put(t, sub_key, "合计", sum(values))
        for (name, how), v in zip(goods, values):
            key = f"{sub_key}/{name}/{how}"
            bl.procurement.append((key, [name, how]))
            bl.put(t, key, "合计", v)
        totals[big] = totals.get(big, 0) + sum(values)
    for big, v in totals.items():
        bl.put(t, big, "合计", v)
    bl.put(t, "合计", "合计", sum(totals.values()))
    bl.extra["procurement"] = {big: totals.get(big, 0) for big in ("货物", "工程", "服务")}
    if "预算13" not in bl.tables:  # the narrative states the totals; there is no table
        bl.cells = {k: v for k, v in bl.cells.items() if k[0] != t}
        bl.procurement = []


# ---------------------------------------------------------------- budget against actual


def execution(bl: BudgetLedger) -> list[dict]:
    """Budget against actual for the marts (issue 11): total expenditure, basic/project, each 类, 三公.

    Budget figures are read from the budget's own tables (cell given), actual ones from the
    final account of the same department-year (公开01/03/09 cells); amounts in 元."""
    act, t = bl.actual, bl.template
    fen = lambda v: f"{v / 100:.2f}"  # noqa: E731
    wan = lambda v: f"{v * 100:.2f}"  # noqa: E731  (final accounts: 0.01 万元)
    out = []

    def add(measure, b_cell, a_cell):
        out.append({"measure": measure, "budget": fen(bl.get(*b_cell)), "budget_cell": list(b_cell),
                    "actual": wan(act.get(*a_cell)), "actual_cell": list(a_cell)})

    if t == "jiangsu":
        add("total", ("预算01", "本年支出合计", "支出"), ("公开01", "本年支出合计", "支出"))
        add("basic", ("预算01", "基本支出", "支出"), ("公开03", "合计", "基本支出"))
        add("project", ("预算01", "项目支出", "支出"), ("公开03", "合计", "项目支出"))
    else:
        add("total", ("预算03", "合计", "合计"), ("公开01", "本年支出合计", "支出"))
        add("basic", ("预算03", "合计", "基本支出"), ("公开03", "合计", "基本支出"))
        add("project", ("预算03", "合计", "项目支出"), ("公开03", "合计", "项目支出"))
    classes = sorted(set(bl.extra["classes"]) | {r for r in act.rows.get("公开03", []) if len(r) == 3})
    for code in classes:
        b_cell = ("预算01", cat.CATEGORY_NAME[code], "支出") if t == "jiangsu" else ("预算03", code, "合计")
        add(f"class:{code}", b_cell, ("公开03", code, "本年支出合计"))
    add("sangong", ("预算09", "预算数", "合计"), ("公开09", "决算数", "合计"))
    return out
