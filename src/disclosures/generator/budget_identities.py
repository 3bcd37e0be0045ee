"""The identities of BUDGETS.md, checked on a budget ledger (the generator's self-test).

Each failure is `"<family> <rule>: lhs != rhs"`, the family being the
validator's name for the kind of identity (total, row_sum, hierarchy,
cross_table, sangong, procurement), so a seeded error can be held to break
exactly its own family. Amounts are 分; random ledgers satisfy every
identity exactly. "Usually" identities of BUDGETS.md are not rules and are
not checked here.
"""

from __future__ import annotations

from . import catalogue as cat
from .budget_ledger import FUNDS, JIANGSU_INCOME_GROUPS, MINISTRY_INCOME, SHANGHAI_INCOME, BudgetLedger


class _Checker:
    def __init__(self, bl: BudgetLedger):
        self.bl, self.failures = bl, []

    def eq(self, family: str, rule: str, lhs: int, terms: list[int]) -> None:
        rhs = sum(terms)
        if lhs != rhs:
            self.failures.append(f"{family} {rule}: {lhs / 100:.2f} != {rhs / 100:.2f}")

    def row_sums(self, table: str, total: str, parts: list[str]) -> None:
        g = self.bl.get
        for r in ["合计", *self.bl.rows.get(table, [])]:
            self.eq("row_sum", f"{table} {r} {total}=Σ", g(table, r, total), [g(table, r, c) for c in parts])

    def hierarchy(self, table: str, columns: list[str]) -> None:
        g, rows = self.bl.get, self.bl.rows.get(table, [])
        for parent in rows:
            kids = [r for r in rows if len(r) == len(parent) + 2 and r.startswith(parent)]
            if kids:
                for c in columns:
                    self.eq("hierarchy", f"{table} {parent}.{c}=Σ", g(table, parent, c), [g(table, k, c) for k in kids])
        tops = [r for r in rows if len(r) == 3]
        for c in columns:
            self.eq("hierarchy", f"{table} 合计.{c}=Σ类", g(table, "合计", c), [g(table, k, c) for k in tops])


def check(bl: BudgetLedger) -> list[str]:
    """Every identity that fails, as a readable line; [] for a consistent budget."""
    k = _Checker(bl)
    g, eq, t = bl.get, k.eq, bl.template
    cats = [name for _, name in cat.CATEGORIES]
    class_rows = lambda table: [r for r in bl.rows.get(table, []) if len(r) == 3]  # noqa: E731
    fn_cols = ["合计"] if t == "jiangsu" else ["合计", "基本支出", "项目支出"]

    # 预算01
    eq("total", "预算01 支出 categories", g("预算01", "本年支出合计" if t != "shanghai" else "支出总计", "支出"),
       [g("预算01", n, "支出") for n in cats])
    eq("total", "预算01 收入总计=支出总计", g("预算01", "收入总计", "收入"), [g("预算01", "支出总计", "支出")])
    if t != "ministry":
        eq("total", "预算01 财政拨款收入=Σfunds", g("预算01", "财政拨款收入", "收入"),
           [g("预算01", f"财政拨款收入/{f}", "收入") for f in FUNDS])
    if t == "shanghai":
        eq("total", "预算01 收入总计=Σlines", g("预算01", "收入总计", "收入"),
           [g("预算01", r, "收入") for r in SHANGHAI_INCOME])
        if bl.kind == "单位":
            for r in [*cats, "支出总计"]:
                eq("row_sum", f"预算01 {r} 支出=人员+公用+项目", g("预算01", r, "支出"),
                   [g("预算01", r, c) for c in ("人员经费", "公用经费", "项目支出")])
    else:
        lines = (["财政拨款收入", "财政专户管理资金", "其他资金"] if t == "jiangsu"
                 else [*(f"财政拨款收入/{f}" for f in FUNDS), *MINISTRY_INCOME[1:]])
        eq("total", "预算01 本年收入合计=Σlines", g("预算01", "本年收入合计", "收入"), [g("预算01", r, "收入") for r in lines])
        eq("total", "预算01 收入总计", g("预算01", "收入总计", "收入"),
           [g("预算01", "本年收入合计", "收入"), g("预算01", "上年结转资金", "收入")])
        eq("total", "预算01 支出总计", g("预算01", "支出总计", "支出"),
           [g("预算01", "本年支出合计", "支出"), g("预算01", "结转下年资金", "支出")])
    if t == "jiangsu":
        eq("total", "预算01 本年支出合计=基本+项目+预留", g("预算01", "本年支出合计", "支出"),
           [g("预算01", r, "支出") for r in ("基本支出", "项目支出", "单位预留机动经费")])

    # 预算02
    if t == "jiangsu":
        eq("total", "预算02 收入总计=Σ小计", g("预算02", "收入总计", "合计"),
           [g("预算02", grp, "合计") for grp in JIANGSU_INCOME_GROUPS])
        for grp, members in JIANGSU_INCOME_GROUPS.items():
            if members:
                eq("total", f"预算02 {grp}=Σlines", g("预算02", grp, "合计"), [g("预算02", m, "合计") for m in members])
        eq("cross_table", "预算02 收入总计=预算01 收入总计", g("预算02", "收入总计", "合计"), [g("预算01", "收入总计", "收入")])
    else:
        sources = SHANGHAI_INCOME if t == "shanghai" else MINISTRY_INCOME
        k.row_sums("预算02", "合计", sources)
        k.hierarchy("预算02", ["合计", *sources])
        target = "收入总计" if t == "shanghai" else "本年收入合计"
        eq("cross_table", f"预算02 合计=预算01 {target}", g("预算02", "合计", "合计"), [g("预算01", target, "收入")])

    # 预算03
    if t == "jiangsu":
        eq("row_sum", "预算03 合计=Σ", g("预算03", "合计", "合计"),
           [g("预算03", "合计", c) for c in ("基本支出", "项目支出", "单位预留机动经费", "结转下年资金")])
        for col, line in (("基本支出", "基本支出"), ("项目支出", "项目支出"), ("单位预留机动经费", "单位预留机动经费")):
            eq("cross_table", f"预算03 {col}=预算01", g("预算03", "合计", col), [g("预算01", line, "支出")])
    else:
        k.row_sums("预算03", "合计", ["基本支出", "项目支出"])
        k.hierarchy("预算03", ["合计", "基本支出", "项目支出"])
        target = "支出总计" if t == "shanghai" else "本年支出合计"
        eq("cross_table", f"预算03 合计=预算01 {target}", g("预算03", "合计", "合计"), [g("预算01", target, "支出")])
        for code in class_rows("预算03"):
            eq("cross_table", f"预算03 {code}=预算01 category", g("预算03", code, "合计"),
               [g("预算01", cat.CATEGORY_NAME[code], "支出")])
        if t == "shanghai":
            for code in bl.rows.get("预算03", []):
                eq("cross_table", f"预算03 {code}=预算02", g("预算03", code, "合计"), [g("预算02", code, "合计")])

    # 预算04
    if t == "jiangsu":
        eq("total", "预算04 收入总计=Σ", g("预算04", "收入总计", "收入"), [g("预算04", f, "收入") for f in FUNDS[:2]])
        eq("total", "预算04 收入总计=支出总计", g("预算04", "收入总计", "收入"), [g("预算04", "支出总计", "合计")])
        eq("total", "预算04 支出总计=基本+项目+预留", g("预算04", "支出总计", "合计"),
           [g("预算04", r, "合计") for r in ("基本支出", "项目支出", "单位预留机动经费")])
    else:
        spend_total = "支出总计" if t == "shanghai" else "本年支出合计"
        for r in [*cats, spend_total]:
            eq("row_sum", f"预算04 {r} 合计=Σfunds", g("预算04", r, "合计"), [g("预算04", r, f) for f in FUNDS])
        for c in ["合计", *FUNDS]:
            eq("total", f"预算04 {spend_total}.{c}=Σcategories", g("预算04", spend_total, c),
               [g("预算04", n, c) for n in cats])
        if t == "shanghai":
            eq("total", "预算04 收入总计=Σ", g("预算04", "收入总计", "收入"), [g("预算04", f, "收入") for f in FUNDS])
            eq("total", "预算04 收入.一般公共预算=支出总计.一般公共预算", g("预算04", "一般公共预算", "收入"),
               [g("预算04", "支出总计", "一般公共预算")])
        else:
            eq("total", "预算04 本年收入合计=Σ", g("预算04", "本年收入合计", "收入"), [g("预算04", f, "收入") for f in FUNDS])
            eq("total", "预算04 收入总计", g("预算04", "收入总计", "收入"),
               [g("预算04", "本年收入合计", "收入"), g("预算04", "上年结转资金", "收入")])
            for c in ["合计", *FUNDS]:
                eq("total", f"预算04 支出总计.{c}", g("预算04", "支出总计", c),
                   [g("预算04", "本年支出合计", c), g("预算04", "结转下年资金", c)])
        eq("total", "预算04 收入总计=支出总计", g("预算04", "收入总计", "收入"), [g("预算04", "支出总计", "合计")])
    eq("cross_table", "预算04 一般公共预算=预算01", g("预算04", "一般公共预算", "收入"),
       [g("预算01", "财政拨款收入/一般公共预算", "收入")])
    if t != "ministry":
        eq("cross_table", "预算04 收入总计=预算01 财政拨款收入", g("预算04", "收入总计", "收入"),
           [g("预算01", "财政拨款收入", "收入")])

    # 预算05 / 07 / 08 / 10
    fund_col = {"预算05": "一般公共预算", "预算07": "政府性基金预算", "预算08": "国有资本经营预算"}
    for table in ("预算05", "预算07", "预算08", "预算10"):
        if table not in bl.tables:
            continue
        if t != "jiangsu":
            k.row_sums(table, "合计", ["基本支出", "项目支出"])
        k.hierarchy(table, fn_cols if table != "预算10" else ["合计"])
        if t == "jiangsu":
            target = {"预算05": ("预算04", "一般公共预算", "收入"), "预算07": ("预算04", "政府性基金预算", "收入"),
                      "预算10": ("预算04", "支出总计", "合计")}[table]
            eq("cross_table", f"{table} 合计={'/'.join(target)}", g(table, "合计", "合计"), [g(*target)])
        else:
            total_row = "支出总计" if t == "shanghai" else "本年支出合计"
            eq("cross_table", f"{table} 合计=预算04 {fund_col[table]}", g(table, "合计", "合计"),
               [g("预算04", total_row, fund_col[table])])
            for code in class_rows(table):
                eq("cross_table", f"{table} {code}=预算04 category", g(table, code, "合计"),
                   [g("预算04", cat.CATEGORY_NAME[code], fund_col[table])])

    # 预算06 / 11 / 12
    for table in ("预算06", "预算11", "预算12"):
        if table not in bl.tables:
            continue
        rows = bl.rows.get(table, [])
        heads = [r for r in rows if len(r) == 3]
        cols = ["合计"] if t == "jiangsu" else ["合计", "人员经费", "公用经费"]
        for h in heads:
            for c in cols:
                eq("hierarchy", f"{table} {h}.{c}=Σ", g(table, h, c),
                   [g(table, r, c) for r in rows if len(r) == 5 and r.startswith(h)])
        for c in cols:
            eq("hierarchy", f"{table} 合计.{c}=Σ类", g(table, "合计", c), [g(table, h, c) for h in heads])
        if t != "jiangsu" and table == "预算06":
            k.row_sums(table, "合计", ["人员经费", "公用经费"])
            eq("cross_table", "预算06 合计=预算05 基本支出", g(table, "合计", "合计"), [g("预算05", "合计", "基本支出")])
            if t == "shanghai":
                eq("cross_table", "预算06 人员经费=301+303", g(table, "合计", "人员经费"),
                   [g(table, "301", "合计"), g(table, "303", "合计")])
    if t == "jiangsu":
        eq("cross_table", "预算11 合计=预算04 基本支出", g("预算11", "合计", "合计"), [g("预算04", "基本支出", "合计")])

    # 预算09
    r = "预算数"
    eq("sangong", "预算09 合计", g("预算09", r, "合计"),
       [g("预算09", r, c) for c in ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")])
    eq("sangong", "预算09 公务用车", g("预算09", r, "公务用车购置及运行维护费"),
       [g("预算09", r, "公务用车购置费"), g("预算09", r, "公务用车运行维护费")])
    if t == "jiangsu":
        eq("sangong", "预算09 总计", g("预算09", r, "总计"), [g("预算09", r, c) for c in ("合计", "会议费", "培训费")])

    # 预算13
    if "预算13" in bl.tables:
        keys = [key for key, _ in bl.procurement]
        bigs = ("货物", "工程", "服务")
        eq("procurement", "预算13 合计=Σ大类", g("预算13", "合计", "合计"), [g("预算13", b, "合计") for b in bigs])
        subs = [key for key in keys if key.count("/") == 2]
        for b in bigs:
            eq("procurement", f"预算13 {b}=Σ专项", g("预算13", b, "合计"),
               [g("预算13", s, "合计") for s in subs if s.startswith(b + "/")])
        for s in subs:
            eq("procurement", f"预算13 {s}=Σitems", g("预算13", s, "合计"),
               [g("预算13", key, "合计") for key in keys if key.startswith(s + "/")])
    return k.failures


def check_narrative(doc) -> list[str]:
    """Checkable narrative figures that do not restate their cell (rounded to 0.01 万元 from 分)."""
    led = doc.printed_ledger
    bad = []
    for sec in doc.sections:
        for p in sec.paragraphs:
            for f in p.figures:
                if f.ref and getattr(f, "checkable", True):
                    cell = (led.get(*f.ref) + 5_000) // 10_000
                    if f.value != cell:
                        bad.append(f"{sec.heading} {f.label}: {f.text} vs {'/'.join(f.ref)}={cell / 100:.2f}")
    return bad
