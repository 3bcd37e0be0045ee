"""The identities of TABLES.md, checked on a ledger (the generator's self-test).

`check(ledger)` demands exact equality (random ledgers are built to satisfy
it); `check(ledger, tolerant=True)` allows TABLES.md's 尾数误差: 0.01 in the
printed unit per summed term, at most 0.05 (the reference needs it).
"""

from __future__ import annotations

from . import catalogue as cat
from .ledger import Ledger


class _Checker:
    def __init__(self, led: Ledger, tolerant: bool):
        self.led, self.tolerant, self.failures = led, tolerant, []

    def eq(self, name: str, lhs: int, terms: list[int], sign: list[int] | None = None) -> None:
        sign = sign or [1] * len(terms)
        rhs = sum(s * t for s, t in zip(sign, terms))
        tol = min(len(terms), 5) if self.tolerant else 0
        if abs(lhs - rhs) > tol:
            self.failures.append(f"{name}: {lhs / 100:.2f} != {rhs / 100:.2f}")

    def rows_sum(self, table: str, total_col: str, parts: list[str], rows: list[str]) -> None:
        g = self.led.get
        for r in rows:
            self.eq(f"{table} {r} {total_col}=sum", g(table, r, total_col), [g(table, r, c) for c in parts])

    def hierarchy(self, table: str, columns: list[str]) -> None:
        g, rows = self.led.get, self.led.rows.get(table, [])
        for parent in rows:
            kids = [r for r in rows if len(r) == len(parent) + 2 and r.startswith(parent)]
            if not kids:
                continue
            for c in columns:
                self.eq(f"{table} {parent}.{c}=sum of children", g(table, parent, c), [g(table, k, c) for k in kids])
        classes = [r for r in rows if len(r) == 3]
        if classes:
            for c in columns:
                self.eq(f"{table} 合计.{c}=sum of 类", g(table, "合计", c), [g(table, k, c) for k in classes])


def check(led: Ledger, tolerant: bool = False) -> list[str]:
    """Every identity that fails, as a readable line; [] for a consistent ledger."""
    k = _Checker(led, tolerant)
    g, eq = led.get, k.eq
    names = [n for _, n in cat.CATEGORIES]
    fn_rows = lambda t: ["合计", *led.rows.get(t, [])]

    # 公开01
    t = "公开01"
    eq(f"{t} 本年收入合计", g(t, "本年收入合计", "收入"), [g(t, n, "收入") for n, _ in cat.INCOME_LINES])
    eq(f"{t} 总计(收)", g(t, "总计", "收入"),
       [g(t, r, "收入") for r in ("本年收入合计", "使用非财政拨款结余（含专用结余）", "年初结转和结余")])
    eq(f"{t} 本年支出合计", g(t, "本年支出合计", "支出"), [g(t, n, "支出") for n in names])
    eq(f"{t} 总计(支)", g(t, "总计", "支出"), [g(t, r, "支出") for r in ("本年支出合计", "结余分配", "年末结转和结余")])
    eq(f"{t} 总计(收)=总计(支)", g(t, "总计", "收入"), [g(t, "总计", "支出")])

    # 公开02 / 公开03
    k.rows_sum("公开02", "本年收入合计", cat.INCOME_COLUMNS[1:], fn_rows("公开02"))
    k.hierarchy("公开02", cat.INCOME_COLUMNS)
    eq("公开02 合计=公开01 本年收入合计", g("公开02", "合计", "本年收入合计"), [g(t, "本年收入合计", "收入")])
    k.rows_sum("公开03", "本年支出合计", cat.SPEND_COLUMNS[1:], fn_rows("公开03"))
    k.hierarchy("公开03", cat.SPEND_COLUMNS)
    eq("公开03 合计=公开01 本年支出合计", g("公开03", "合计", "本年支出合计"), [g(t, "本年支出合计", "支出")])
    for code, name in cat.CATEGORIES:
        eq(f"公开03 {code}=公开01 {name}", g("公开03", code, "本年支出合计"), [g(t, name, "支出")])

    # 公开04
    t = "公开04"
    cols = ["合计", *cat.FUNDS]
    for r in [*names, "本年支出合计", "年末财政拨款结转和结余", "总计"]:
        eq(f"{t} {r} 合计=sum of funds", g(t, r, "合计"), [g(t, r, f) for f in cat.FUNDS])
    for c in cols:
        eq(f"{t} 本年支出合计.{c}", g(t, "本年支出合计", c), [g(t, n, c) for n in names])
        eq(f"{t} 总计.{c}", g(t, "总计", c), [g(t, "本年支出合计", c), g(t, "年末财政拨款结转和结余", c)])
    eq(f"{t} 本年收入合计", g(t, "本年收入合计", "收入"), [g(t, f, "收入") for f in cat.FUNDS])
    eq(f"{t} 年初财政拨款结转和结余", g(t, "年初财政拨款结转和结余", "收入"),
       [g(t, f"年初财政拨款结转和结余/{f}", "收入") for f in cat.FUNDS])
    eq(f"{t} 总计(收)", g(t, "总计", "收入"), [g(t, "本年收入合计", "收入"), g(t, "年初财政拨款结转和结余", "收入")])
    eq(f"{t} 总计(收)=总计(支)", g(t, "总计", "收入"), [g(t, "总计", "合计")])
    eq(f"{t} 一般公共预算=公开01", g(t, "一般公共预算财政拨款", "收入"), [g("公开01", "一般公共预算财政拨款收入", "收入")])
    eq(f"{t} 本年收入合计=公开02 财政拨款收入", g(t, "本年收入合计", "收入"), [g("公开02", "合计", "财政拨款收入")])
    for code, name in cat.CATEGORIES:
        eq(f"{t} {name} gpb=公开05 {code}", g(t, name, "一般公共预算财政拨款"), [g("公开05", code, "小计")])

    # 公开05
    k.rows_sum("公开05", "小计", ["基本支出", "项目支出"], fn_rows("公开05"))
    k.hierarchy("公开05", ["小计", "基本支出", "项目支出"])
    eq("公开05 合计=公开04 本年支出合计.gpb", g("公开05", "合计", "小计"), [g(t, "本年支出合计", "一般公共预算财政拨款")])

    # 公开06
    t = "公开06"
    for head in cat.PERSONNEL_HEADS + cat.PUBLIC_HEADS:
        lines = [c for c in cat.ECON_CODES if len(c) == 5 and c.startswith(head)]
        eq(f"{t} {head}=sum", g(t, head, "决算数"), [g(t, c, "决算数") for c in lines])
    eq(f"{t} 人员经费合计", g(t, "人员经费合计", "决算数"), [g(t, h, "决算数") for h in cat.PERSONNEL_HEADS])
    eq(f"{t} 公用经费合计", g(t, "公用经费合计", "决算数"), [g(t, h, "决算数") for h in cat.PUBLIC_HEADS])
    eq(f"{t} 人员+公用=公开05 基本支出", g("公开05", "合计", "基本支出"),
       [g(t, "人员经费合计", "决算数"), g(t, "公用经费合计", "决算数")])

    # 公开07 / 公开08
    t = "公开07"
    k.rows_sum(t, "本年支出小计", ["本年支出基本支出", "本年支出项目支出"], fn_rows(t))
    for r in fn_rows(t):
        eq(f"{t} {r} 年末", g(t, r, "年末结转和结余"),
           [g(t, r, "年初结转和结余"), g(t, r, "本年收入"), g(t, r, "本年支出小计")], [1, 1, -1])
    k.hierarchy(t, cat.GF_COLUMNS)
    eq(f"{t} 合计=公开04 gf", g(t, "合计", "本年支出小计"), [g("公开04", "本年支出合计", "政府性基金预算财政拨款")])
    k.rows_sum("公开08", "合计", ["基本支出", "项目支出"], fn_rows("公开08"))
    k.hierarchy("公开08", ["合计", "基本支出", "项目支出"])

    # 公开09 / 公开10
    t = "公开09"
    for r in ("预算数", "决算数"):
        eq(f"{t} {r} 合计", g(t, r, "合计"), [g(t, r, c) for c in ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")])
        eq(f"{t} {r} 公务用车", g(t, r, "公务用车购置及运行维护费"), [g(t, r, "公务用车购置费"), g(t, r, "公务用车运行维护费")])
    t = "公开10"
    eq(f"{t} 政府采购", g(t, "政府采购/合计", "统计数"), [g(t, f"政府采购/{c}", "统计数") for c in ("货物", "工程", "服务")])
    eq(f"{t} 车辆数", g(t, "车辆数合计", "统计数"), [g(t, v, "统计数") for v in cat.VEHICLE_LINES])
    return k.failures


def check_narrative(sections, led: Ledger) -> list[str]:
    """Narrative figures that restate a table cell but print another value."""
    bad = []
    for sec in sections:
        for p in sec.paragraphs:
            for f in p.figures:
                if f.ref and f.unit != "%" and f.value != led.get(*f.ref):
                    bad.append(f"{sec.heading} {f.label}: {f.text} vs {f.ref}={led.get(*f.ref)}")
    return bad
