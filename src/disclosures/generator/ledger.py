"""One department-year's figures for all ten final-accounts tables.

A Ledger is a flat map of canonical cells (table_code, row_key, column_key)
-> integer 0.01 万元 (or a count in 公开10), plus the row order of the
function-subject tables and the narrative-only facts (prior-year figures,
年初预算, reasons). Random ledgers are built bottom-up from per-项 figures so
every identity of TABLES.md holds exactly; the reference ledger is typed in
from the published document and keeps that document's rounding differences.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field

from . import catalogue as cat
from .departments import PROFILES, Profile
from .money import allocate

Key = tuple[str, str, str]
FUNCTION_TABLES = ("公开02", "公开03", "公开05", "公开07", "公开08")


@dataclass
class Item:
    """One 项's figures, split by fund, before aggregation."""

    gpb_basic: int = 0
    gpb_project: int = 0
    gpb_income: int = 0  # differs from gpb spending where carry-over was used or left
    gf_carry: int = 0
    gf_income: int = 0
    gf_basic: int = 0
    gf_project: int = 0
    sc_basic: int = 0
    sc_project: int = 0
    nf_basic: int = 0  # spending from non-fiscal money (事业收入 …)
    nf_project: int = 0
    upper: int = 0  # 上缴上级支出
    business: int = 0  # 经营支出
    subsidiary: int = 0  # 对附属单位补助支出
    nf_income: dict[str, int] = field(default_factory=dict)  # 公开02 column -> amount

    @property
    def gf_end(self) -> int:
        return self.gf_carry + self.gf_income - self.gf_basic - self.gf_project


@dataclass
class Facts:
    """Figures and wording that only the narrative (情况说明) prints."""

    prior: dict[str, int] = field(default_factory=dict)
    budget_initial: dict[str, int] = field(default_factory=dict)  # 类 code -> 年初预算
    budget_initial_total: int = 0
    reasons: dict[str, str] = field(default_factory=dict)
    purposes: dict[str, str] = field(default_factory=dict)  # 类 code -> 用于…
    sme: int = 0  # 政府采购授予中小企业合同金额
    micro: int = 0  # 其中授予小微企业
    performance: dict = field(default_factory=dict)
    sangong: dict = field(default_factory=dict)  # counts of trips, vehicles, receptions
    duties: list[str] = field(default_factory=list)
    duties_intro: str = ""
    institutions: str = ""
    staff: int = 0


@dataclass
class Ledger:
    department: str
    region: str
    year: int
    slug: str
    cells: dict[Key, int] = field(default_factory=dict)
    rows: dict[str, list[str]] = field(default_factory=dict)  # function-subject rows per table
    absent: set[str] = field(default_factory=set)  # tables the document leaves out
    facts: Facts = field(default_factory=Facts)
    items: dict[str, Item] | None = None  # None for a typed-in ledger
    names: dict[str, str] = field(default_factory=dict)  # function code -> printed name

    def get(self, table: str, row: str, column: str) -> int:
        return self.cells.get((table, row, column), 0)

    def put(self, table: str, row: str, column: str, value: int) -> None:
        self.cells[(table, row, column)] = value

    def name(self, code: str) -> str:
        return self.names.get(code) or cat.function_name(code)

    def table_cells(self, table: str) -> dict[tuple[str, str], int]:
        return {(r, c): v for (t, r, c), v in self.cells.items() if t == table}

    def is_empty(self, table: str) -> bool:
        return not any(self.table_cells(table).values())

    def copy(self) -> Ledger:
        return copy.deepcopy(self)


def reference_ledger() -> Ledger:
    """晋城市科学技术局 2024, every figure of the published document."""
    from .reference import build

    return build()


# ---------------------------------------------------------------- aggregation


def hierarchy_rows(codes) -> list[str]:
    """项 codes plus their 款 and 类, in printed order (lexicographic = hierarchical)."""
    out = set()
    for code in codes:
        out.add(code)
        out.update(cat.ancestors(code))
    return sorted(out)


def _sum_up(ledger: Ledger, table: str, per_item: dict[str, dict[str, int]], columns: list[str]) -> None:
    """Write 项 rows, then 款/类/合计 as exact sums, keeping only rows with money."""
    live = {code: vals for code, vals in per_item.items() if any(vals.values())}
    rows = hierarchy_rows(live)
    ledger.rows[table] = rows
    totals: dict[str, dict[str, int]] = {r: dict.fromkeys(columns, 0) for r in rows + ["合计"]}
    for code, vals in live.items():
        for target in [code, *cat.ancestors(code), "合计"]:
            for col in columns:
                totals[target][col] += vals.get(col, 0)
    for row, vals in totals.items():
        for col, value in vals.items():
            if value:
                ledger.put(table, row, col, value)


def assemble(ledger: Ledger, items: dict[str, Item], carry_gpb: int, nf_carry: int, nf_use: int, surplus: int) -> None:
    """Fill 公开01–05, 07, 08 from per-项 figures."""
    ledger.items = items
    inc, spd, gpb, gf, sc = {}, {}, {}, {}, {}
    for code, it in items.items():
        fiscal = it.gpb_income + it.gf_income + it.sc_basic + it.sc_project
        row = {"财政拨款收入": fiscal, **it.nf_income}
        row["本年收入合计"] = sum(row.values())
        inc[code] = row
        basic = it.gpb_basic + it.gf_basic + it.sc_basic + it.nf_basic
        project = it.gpb_project + it.gf_project + it.sc_project + it.nf_project
        row = {"基本支出": basic, "项目支出": project, "上缴上级支出": it.upper,
               "经营支出": it.business, "对附属单位补助支出": it.subsidiary}
        row["本年支出合计"] = sum(row.values())
        spd[code] = row
        gpb[code] = {"小计": it.gpb_basic + it.gpb_project, "基本支出": it.gpb_basic, "项目支出": it.gpb_project}
        gf[code] = {"年初结转和结余": it.gf_carry, "本年收入": it.gf_income,
                    "本年支出小计": it.gf_basic + it.gf_project, "本年支出基本支出": it.gf_basic,
                    "本年支出项目支出": it.gf_project, "年末结转和结余": it.gf_end}
        sc[code] = {"合计": it.sc_basic + it.sc_project, "基本支出": it.sc_basic, "项目支出": it.sc_project}
    _sum_up(ledger, "公开02", inc, cat.INCOME_COLUMNS)
    _sum_up(ledger, "公开03", spd, cat.SPEND_COLUMNS)
    _sum_up(ledger, "公开05", gpb, ["小计", "基本支出", "项目支出"])
    _sum_up(ledger, "公开07", gf, cat.GF_COLUMNS)
    _sum_up(ledger, "公开08", sc, ["合计", "基本支出", "项目支出"])

    g = ledger.get
    fund_income = {
        "一般公共预算财政拨款": sum(it.gpb_income for it in items.values()),
        "政府性基金预算财政拨款": g("公开07", "合计", "本年收入"),
        "国有资本经营预算财政拨款": g("公开08", "合计", "合计"),
    }
    fund_carry = {"一般公共预算财政拨款": carry_gpb,
                  "政府性基金预算财政拨款": g("公开07", "合计", "年初结转和结余"),
                  "国有资本经营预算财政拨款": 0}
    fund_spend = {"一般公共预算财政拨款": g("公开05", "合计", "小计"),
                  "政府性基金预算财政拨款": g("公开07", "合计", "本年支出小计"),
                  "国有资本经营预算财政拨款": g("公开08", "合计", "合计")}
    source = {"一般公共预算财政拨款": "公开05", "政府性基金预算财政拨款": "公开07", "国有资本经营预算财政拨款": "公开08"}
    source_col = {"公开05": "小计", "公开07": "本年支出小计", "公开08": "合计"}

    # 公开04 财政拨款收入支出决算总表
    t = "公开04"
    for fund in cat.FUNDS:
        ledger.put(t, fund, "收入", fund_income[fund])
        ledger.put(t, f"年初财政拨款结转和结余/{fund}", "收入", fund_carry[fund])
    ledger.put(t, "本年收入合计", "收入", sum(fund_income.values()))
    ledger.put(t, "年初财政拨款结转和结余", "收入", sum(fund_carry.values()))
    ledger.put(t, "总计", "收入", sum(fund_income.values()) + sum(fund_carry.values()))
    for code, name in cat.CATEGORIES:
        by_fund = {f: g(source[f], code, source_col[source[f]]) for f in cat.FUNDS}
        for fund, value in by_fund.items():
            ledger.put(t, name, fund, value)
        ledger.put(t, name, "合计", sum(by_fund.values()))
    for col, fund_values in [("合计", None)] + [(f, f) for f in cat.FUNDS]:
        funds = cat.FUNDS if fund_values is None else [fund_values]
        spend = sum(fund_spend[f] for f in funds)
        end = sum(fund_carry[f] + fund_income[f] - fund_spend[f] for f in funds)
        ledger.put(t, "本年支出合计", col, spend)
        ledger.put(t, "年末财政拨款结转和结余", col, end)
        ledger.put(t, "总计", col, spend + end)

    # 公开01 收入支出决算总表
    t = "公开01"
    income = {
        "一般公共预算财政拨款收入": fund_income["一般公共预算财政拨款"],
        "政府性基金预算财政拨款收入": fund_income["政府性基金预算财政拨款"],
        "国有资本经营预算财政拨款收入": fund_income["国有资本经营预算财政拨款"],
    }
    for line, column in cat.INCOME_LINES[3:]:
        income[line] = g("公开02", "合计", column)
    for line, value in income.items():
        ledger.put(t, line, "收入", value)
    year_income = sum(income.values())
    carry_total = sum(fund_carry.values()) + nf_carry
    ledger.put(t, "本年收入合计", "收入", year_income)
    ledger.put(t, "使用非财政拨款结余（含专用结余）", "收入", nf_use)
    ledger.put(t, "年初结转和结余", "收入", carry_total)
    total = year_income + nf_use + carry_total
    ledger.put(t, "总计", "收入", total)
    for code, name in cat.CATEGORIES:
        ledger.put(t, name, "支出", g("公开03", code, "本年支出合计"))
    spend = g("公开03", "合计", "本年支出合计")
    ledger.put(t, "本年支出合计", "支出", spend)
    ledger.put(t, "结余分配", "支出", surplus)
    ledger.put(t, "年末结转和结余", "支出", total - spend - surplus)
    ledger.put(t, "总计", "支出", total)
    ledger.cells = {k: v for k, v in ledger.cells.items() if v}


# ---------------------------------------------------------------- random ledgers


def _wan(rng: random.Random, lo: float, hi: float) -> int:
    """A random amount between lo and hi 万元, in cents."""
    return int(rng.uniform(lo, hi) * 100)


def _profile(department: str | None, rng: random.Random) -> Profile:
    if department is None:
        return PROFILES[rng.choice(sorted(PROFILES))]
    if department in PROFILES:
        return PROFILES[department]
    for profile in PROFILES.values():
        if department.endswith(profile.suffix):
            return profile
    raise KeyError(f"no department profile for {department!r}; known: {sorted(PROFILES)}")


def _fresh_items(rng: random.Random, profile: Profile, staff: int) -> dict[str, Item]:
    items: dict[str, Item] = {}
    running = _wan(rng, 10, 16) * staff  # 行政运行 ≈ staff × 10–16 万元
    for i, code in enumerate(profile.basic):
        basic = running if i == 0 else int(running * rng.uniform(0.2, 1.5))
        project = int(basic * rng.uniform(0.02, 0.2)) if rng.random() < 0.3 else 0
        items[code] = Item(gpb_basic=basic, gpb_project=project)
    for code in profile.project:
        if rng.random() < 0.25 and len(items) > 2:
            continue
        project = int(10 ** rng.uniform(1.3, 3.3)) * 100
        basic = int(project * rng.uniform(0.02, 0.1)) if rng.random() < 0.2 else 0
        items[code] = Item(gpb_basic=basic, gpb_project=project)
    retirees = rng.randint(3, max(4, staff // 2))
    common = {
        "2080501": _wan(rng, 3, 5) * retirees // 2,
        "2080502": _wan(rng, 3, 5) * retirees // 2 if profile.institutions else 0,
        "2080505": _wan(rng, 1.4, 2.0) * staff,
        "2080506": _wan(rng, 0.4, 0.8) * staff if rng.random() < 0.6 else 0,
        "2101101": _wan(rng, 0.25, 0.45) * staff,
        "2101102": _wan(rng, 0.1, 0.3) * staff if profile.institutions else 0,
        "2101103": _wan(rng, 0.1, 0.3) * staff if rng.random() < 0.7 else 0,
        "2210201": _wan(rng, 1.0, 1.6) * staff,
    }
    for code, value in common.items():
        if value:
            items[code] = Item(gpb_basic=value)
    for code in profile.gov_fund:
        if rng.random() < 0.6:
            income = _wan(rng, 20, 600)
            carry = _wan(rng, 5, 200) if rng.random() < 0.4 else 0
            items[code] = Item(gf_carry=carry, gf_income=income,
                               gf_project=int((carry + income) * rng.uniform(0.6, 1.0)))
    for code in profile.state_capital:
        if rng.random() < 0.5:
            items[code] = Item(sc_project=_wan(rng, 30, 400))
    if profile.institutions and rng.random() < 0.5:
        # Institutions earn 事业收入 / 其他收入 and spend part of it on running costs.
        for code in profile.basic[1:] or profile.basic:
            it = items[code]
            it.nf_basic = int(it.gpb_basic * rng.uniform(0.05, 0.3))
            it.nf_project = int(it.gpb_project * rng.uniform(0, 0.2))
        if rng.random() < 0.15:
            items[profile.basic[0]].upper = _wan(rng, 1, 30)
    return items


def _scaled_items(rng: random.Random, prior: dict[str, Item]) -> dict[str, Item]:
    """Next year's items: the same subjects, flows grown or shrunk, carry-overs chained."""
    items = {}
    for code, old in prior.items():
        factor = rng.uniform(0.88, 1.25)

        def grow(v: int, factor: float = factor) -> int:
            return int(v * factor)

        items[code] = Item(
            gpb_basic=grow(old.gpb_basic), gpb_project=grow(old.gpb_project),
            gf_carry=old.gf_end, gf_income=grow(old.gf_income), sc_basic=grow(old.sc_basic),
            sc_project=grow(old.sc_project), nf_basic=grow(old.nf_basic), nf_project=grow(old.nf_project),
            upper=grow(old.upper), business=grow(old.business), subsidiary=grow(old.subsidiary),
        )
        it = items[code]
        if old.gf_basic or old.gf_project or old.gf_income:
            it.gf_project = int((it.gf_carry + it.gf_income) * rng.uniform(0.6, 1.0))
    return items


def _fund_items(rng: random.Random, items: dict[str, Item], carry_gpb: int, nf_carry: int) -> None:
    """Set gpb and non-fiscal income per 项 so that no end balance goes negative.

    The carry-ins are given (last year's end balances), so shortfalls are made
    up by income, never by changing the carry-in: that keeps years chained.
    """
    delta_total = 0
    for it in items.values():
        spend = it.gpb_basic + it.gpb_project
        delta = int(spend * rng.uniform(-0.1, 0.12)) if it.gpb_project and rng.random() < 0.3 else 0
        it.gpb_income = spend + delta
        delta_total += delta
    if carry_gpb + delta_total < 0:
        top = max(items.values(), key=lambda it: it.gpb_project)
        top.gpb_income -= carry_gpb + delta_total
    for it in items.values():
        nf = it.nf_basic + it.nf_project + it.upper + it.business + it.subsidiary
        if nf:
            split = allocate(nf, [0.7, 0.3]) if rng.random() < 0.5 else [nf, 0]
            it.nf_income = {k: v for k, v in zip(["事业收入", "其他收入"], split) if v}
    nf_in = sum(sum(it.nf_income.values()) for it in items.values())
    nf_out = sum(it.nf_basic + it.nf_project + it.upper + it.business + it.subsidiary for it in items.values())
    shortfall = nf_out - nf_in - nf_carry
    if shortfall > 0:
        first = next(it for it in items.values() if it.nf_income)
        first.nf_income["其他收入"] = first.nf_income.get("其他收入", 0) + shortfall


def _economic(rng: random.Random, items: dict[str, Item], sangong_final: dict[str, int]) -> dict[str, int]:
    """Split the gpb 基本支出 over economic codes so 301+303+public = 公开05 合计.基本支出."""
    basic = {code: it.gpb_basic for code, it in items.items()}
    fixed = {
        "30108": basic.get("2080505", 0),
        "30109": basic.get("2080506", 0),
        "30110": basic.get("2101101", 0) + basic.get("2101102", 0),
        "30111": basic.get("2101103", 0),
        "30113": basic.get("2210201", 0),
        "30302": basic.get("2080501", 0) + basic.get("2080502", 0),
        "30212": sangong_final.get("因公出国（境）费", 0),
        "30217": sangong_final.get("公务接待费", 0),
        "30231": sangong_final.get("公务用车运行维护费", 0),
        "31013": sangong_final.get("公务用车购置费", 0),
    }
    rest = sum(basic.values()) - sum(fixed.values())
    assert rest > 0, "running costs must exceed the fixed economic lines"
    personnel_share = rng.uniform(0.7, 0.85)
    pers_w = {"30101": 30, "30102": 15, "30103": 8, "30106": rng.choice([0, 1]), "30107": 25,
              "30112": 2, "30114": rng.choice([0, 0, 1]), "30199": 5,
              "30304": rng.choice([0, 2]), "30305": rng.choice([0, 0.3]), "30309": rng.choice([0, 1])}
    pub_w = {c: rng.choice([0, rng.uniform(0.5, 6)]) for c in
             ["30202", "30203", "30205", "30208", "30209", "30213", "30214", "30215", "30216",
              "30218", "30226", "30227", "30239", "30299", "31002", "31007"]}
    pub_w.update({"30201": rng.uniform(8, 20), "30206": rng.uniform(0.5, 3), "30207": rng.uniform(0.3, 2),
                  "30211": rng.uniform(2, 8), "30228": rng.uniform(3, 6), "30229": rng.uniform(3, 8)})
    pers = allocate(int(rest * personnel_share), list(pers_w.values()))
    pub = allocate(rest - sum(pers), list(pub_w.values()))
    out = dict(fixed)
    for code, value in [*zip(pers_w, pers), *zip(pub_w, pub)]:
        out[code] = out.get(code, 0) + value
    heads = {}
    for code, value in out.items():
        heads[code[:3]] = heads.get(code[:3], 0) + value
    out.update(heads)
    return {k: v for k, v in out.items() if v}


def _sangong(rng: random.Random, staff: int) -> tuple[dict[str, int], dict[str, int]]:
    """(预算数, 决算数) of the 三公 table; about a third of bureaus spend nothing."""
    if rng.random() < 0.3:
        return {}, {}
    final = {
        "因公出国（境）费": _wan(rng, 1, 8) if rng.random() < 0.1 else 0,
        "公务用车购置费": _wan(rng, 10, 30) if rng.random() < 0.1 else 0,
        "公务用车运行维护费": _wan(rng, 0.5, 0.12 * staff + 1) if rng.random() < 0.8 else 0,
        "公务接待费": _wan(rng, 0.1, 0.05 * staff + 0.5) if rng.random() < 0.7 else 0,
    }
    budget = {k: int(v * rng.uniform(1.0, 1.4)) for k, v in final.items()}

    def complete(d):
        d["公务用车购置及运行维护费"] = d["公务用车购置费"] + d["公务用车运行维护费"]
        d["合计"] = d["因公出国（境）费"] + d["公务用车购置及运行维护费"] + d["公务接待费"]
        return d

    return complete(budget), complete(final)


def random_ledger(seed: int, department: str | None = None, region: str = "晋城市", year: int = 2024,
                  prior: Ledger | None = None, omit_empty_07: bool | None = None) -> Ledger:
    """A plausible department-year; pass last year's ledger as `prior` to chain the years."""
    rng = random.Random(f"{seed}/{department}/{region}/{year}")
    profile = _profile(department, rng)
    name = region + profile.suffix
    led = Ledger(department=name, region=region, year=year, slug=profile.slug)
    if prior is not None and prior.items:
        staff = max(5, prior.facts.staff + rng.randint(-3, 4))
        items = _scaled_items(rng, prior.items)
        carry_gpb = prior.get("公开04", "年末财政拨款结转和结余", "一般公共预算财政拨款")
        nf_carry = prior.get("公开01", "年末结转和结余", "支出") - prior.get("公开04", "年末财政拨款结转和结余", "合计")
    else:
        staff = rng.randint(15, 160)
        items = _fresh_items(rng, profile, staff)
        carry_gpb = _wan(rng, 1, 80) if rng.random() < 0.4 else 0
        nf_carry = _wan(rng, 1, 60) if rng.random() < 0.4 else 0
    _fund_items(rng, items, carry_gpb, nf_carry)
    nf_use = min(nf_carry, _wan(rng, 0, 5)) if prior is None and nf_carry and rng.random() < 0.2 else 0
    assemble(led, items, carry_gpb, nf_carry - nf_use, nf_use, 0)

    budget, final = _sangong(rng, staff)
    for row, values in (("预算数", budget), ("决算数", final)):
        for col, value in values.items():
            if value:
                led.put("公开09", row, col, value)
    for code, value in _economic(rng, items, final).items():
        led.put("公开06", code, "决算数", value)
    personnel = sum(led.get("公开06", h, "决算数") for h in cat.PERSONNEL_HEADS)
    public = sum(led.get("公开06", h, "决算数") for h in cat.PUBLIC_HEADS)
    led.put("公开06", "人员经费合计", "决算数", personnel)
    led.put("公开06", "公用经费合计", "决算数", public)

    _statistics(rng, led, profile, staff, public, final)
    led.cells = {k: v for k, v in led.cells.items() if v}
    led.facts = _facts(rng, led, profile, staff, prior)
    if omit_empty_07 is None:
        omit_empty_07 = rng.random() < 0.3
    if omit_empty_07 and led.is_empty("公开07"):
        led.absent.add("公开07")
    return led


def _statistics(rng, led: Ledger, profile: Profile, staff: int, public: int, sangong_final) -> None:
    """公开10: procurement, 机关运行经费, vehicles and equipment."""
    t = "公开10"
    spend = led.get("公开03", "合计", "本年支出合计")
    goods = int(spend * rng.uniform(0.001, 0.02)) if rng.random() < 0.85 else 0
    works = int(spend * rng.uniform(0.01, 0.1)) if rng.random() < 0.2 else 0
    services = int(spend * rng.uniform(0.01, 0.12)) if rng.random() < 0.8 else 0
    for key, value in (("货物", goods), ("工程", works), ("服务", services)):
        led.put(t, f"政府采购/{key}", "统计数", value)
    led.put(t, "政府采购/合计", "统计数", goods + works + services)
    running = int(public * rng.uniform(0.35, 0.7))
    key = "机关运行经费/行政单位" if profile.administrative else "机关运行经费/参照公务员法管理事业单位"
    led.put(t, key, "统计数", running)
    vehicles = {line: 0 for line in cat.VEHICLE_LINES}
    if sangong_final.get("公务用车运行维护费"):
        vehicles["主要负责人用车"] = rng.choice([0, 1])
        vehicles["应急保障用车"] = rng.randint(0, 2)
        vehicles["执法执勤用车"] = rng.randint(0, max(0, staff // 30))
        vehicles["其他用车"] = rng.randint(1, 3)
    for line, n in vehicles.items():
        led.put(t, line, "统计数", n)
    led.put(t, "车辆数合计", "统计数", sum(vehicles.values()))
    led.put(t, cat.EQUIPMENT_KEY, "统计数", rng.choice([0, 0, 0, 1, 2]))


def _facts(rng, led: Ledger, profile: Profile, staff: int, prior: Ledger | None) -> Facts:
    from .narrative import prior_figures  # the narrative module owns what "上年" means

    f = Facts(staff=staff)
    f.prior = prior_figures(prior) if prior is not None else _invented_prior(rng, led)
    for code in led.rows.get("公开05", []):
        if len(code) == 3:
            f.budget_initial[code] = int(led.get("公开05", code, "小计") * rng.uniform(0.85, 1.15))
    f.budget_initial_total = sum(f.budget_initial.values())
    proc = led.get("公开10", "政府采购/合计", "统计数")
    f.sme = int(proc * rng.uniform(0.6, 1.0)) if proc else 0
    f.micro = int(f.sme * rng.uniform(0.5, 1.0))
    n = len([c for c in led.rows.get("公开05", []) if len(c) == 7 and led.get("公开05", c, "项目支出")])
    n = n + rng.randint(0, 3) if n else 0
    good = rng.randint(0, n)
    f.performance = {"projects": n, "grades": [good, n - good, 0, 0]}
    f.sangong = {"groups": 0, "trips": 0, "bought": 0, "receptions": rng.randint(2, 30),
                 "guests": rng.randint(10, 200)}
    if led.get("公开09", "决算数", "因公出国（境）费"):
        f.sangong.update(groups=1, trips=rng.randint(2, 5))
    if led.get("公开09", "决算数", "公务用车购置费"):
        f.sangong["bought"] = 1
    f.duties = list(profile.duties)
    f.duties_intro = f"{led.department}贯彻落实党中央、省委、市委关于{profile.suffix.rstrip('局委员会办公室')}工作的方针政策和决策部署。主要职责是："
    units = [led.department] + [led.region + u for u in profile.institutions]
    f.institutions = (f"{led.department}部门由{'、'.join(units)}等{len(units)}个预算单位组成；"
                      f"{led.department}设{rng.randint(4, 12)}个内设科室。")
    return f


def _invented_prior(rng, led: Ledger) -> dict[str, int]:
    """Last year's figures for a ledger generated without a predecessor."""
    from .narrative import prior_keys

    out = {}
    for key, current in prior_keys(led).items():
        out[key] = int(current / rng.uniform(0.85, 1.2)) if current else 0
    return out
