"""Budget documents with one deliberate error of one identity family.

As `variants` does for final accounts: each kind changes printed figures so
that exactly one family of BUDGETS.md's identities breaks (the ledger's own
check, `budget_identities.check`, is held to that in the tests), records the
changed cells in `Document.seeded_errors` ({kind, family, identity,
table_code, row_key, column_key, printed, correct}; the first record is the
cell a check should flag) and builds the narrative from the printed figures,
so only the seeded error disagrees.
"""

from __future__ import annotations

import random

from .budget_document import BudgetStyle, _provincial_narrative, _shanghai_narrative, build_budget_document
from .budget_ledger import WAN_CENT, BudgetLedger
from .budget_tables import Figures
from .document import Document

KINDS = ("total", "row_sum", "hierarchy", "cross_table", "sangong", "procurement", "narrative", "missing_table")


# The checks (check_results.check_name, validate/identities.py) that must flag each kind, failing at
# error severity: every name listed, formatted with the first seeded record's fields and `class`
# (its row's 类 code) and `subtotal` (a procurement item's 专项 × 经济科目 line). Keyed by kind, then
# template ("*": every template). A check name is the validator's vocabulary, written here as data;
# nothing of the validator is imported.
FLAGGED_BY: dict[str, dict[str, tuple[str, ...]]] = {
    "total": {"shanghai": ("预算01.收入总计=Σ收入",),
              "jiangsu": ("预算01.收入总计=本年收入合计+上年结转资金",),
              "ministry": ("预算01.收入总计=本年收入合计+上年结转资金",)},
    "row_sum": {"*": ("{table_code}.row_sum[{row_key}]",)},
    "hierarchy": {"*": ("{table_code}.款=Σ项[{row_key}/{column_key}]", "{table_code}.类=Σ款[{class}/{column_key}]")},
    "cross_table": {"shanghai": ("cross_table.预算05合计=预算04一般公共预算收入", "cross_table.预算05合计=预算04支出总计一般公共预算"),
                    "jiangsu": ("cross_table.预算05合计=预算04一般公共预算收入",),
                    "ministry": ("cross_table.预算05合计=预算04支出总计一般公共预算",)},
    "sangong": {"*": ("预算09.合计=出国+公务用车+接待",)},
    "procurement": {"jiangsu": ("预算13.专项=Σ品目[{subtotal}]",)},
    "narrative": {"*": ("narrative.amount[{table_code}/{row_key}/{column_key}]",)},
    "missing_table": {"*": ("table_present.{table_code}",)},
}


def flagged_by(record: dict, template: str) -> tuple[str, ...]:
    """The check names that must flag a seeded error (`record`: its first seeded_errors entry)."""
    by_template = FLAGGED_BY[record["kind"]]
    names = by_template.get(template, by_template.get("*"))
    if names is None:
        raise ValueError(f"no check named for a {record['kind']} error in the {template} template")
    row = record["row_key"] or ""
    return tuple(n.format(**record, **{"class": row[:3], "subtotal": "/".join(row.split("/")[:3])}) for n in names)


def kinds_for(template: str) -> tuple[str, ...]:
    """The kinds a template can carry (only Jiangsu prints the procurement table)."""
    return tuple(k for k in KINDS if k != "procurement" or template == "jiangsu")


def _delta(rng: random.Random, value: int, grain: int) -> int:
    """Far beyond the tolerance, a plausible size, a whole number of the printed unit's 0.01."""
    d = max(grain * 100, int(abs(value) * rng.uniform(0.03, 0.15)))
    return (d // grain) * grain


class _Editor:
    def __init__(self, bl: BudgetLedger, style: BudgetStyle, kind: str, family: str, identity: str):
        self.correct, self.printed, self.style = bl, bl.copy(), style
        self.kind, self.family, self.identity = kind, family, identity
        self.records: list[dict] = []

    def text(self, led, table: str, row: str, col: str) -> str:
        unit = self.style.table_units.get(table, self.style.unit)
        return Figures(led, table, self.style, unit)(row, col).text

    def add(self, table: str, row: str, col: str, delta: int) -> None:
        self.printed.put(table, row, col, self.printed.get(table, row, col) + delta)
        self.records.append({"kind": self.kind, "family": self.family, "identity": self.identity,
                             "table_code": table, "row_key": row, "column_key": col,
                             "printed": self.text(self.printed, table, row, col),
                             "correct": self.text(self.correct, table, row, col)})


def seeded_budget_document(bl: BudgetLedger, kind: str, style: BudgetStyle | None = None, seed: int = 0) -> Document:
    """A Document of `bl` carrying one error of `kind` (one of `kinds_for(bl.template)`)."""
    if kind not in kinds_for(bl.template):
        raise ValueError(f"unknown budget error kind {kind!r} for {bl.template}; known: {kinds_for(bl.template)}")
    rng = random.Random(f"budget-variant/{seed}/{kind}")
    style = style or BudgetStyle.for_template(bl.template, bl.kind)
    t, g = bl.template, bl.get
    grain = 100 if style.unit == "元" else WAN_CENT
    one = t == "jiangsu"
    absent: set[str] = set()

    if kind == "total":
        row = "事业单位经营收入" if t == "shanghai" else "上年结转资金"
        rule = "预算01 收入总计 = Σ income lines" if t == "shanghai" else "预算01 收入总计 = 本年收入合计 + 上年结转资金"
        ed = _Editor(bl, style, kind, "total", rule)
        ed.add("预算01", row, "收入", _delta(rng, g("预算01", "收入总计", "收入"), grain))
    elif kind == "row_sum":
        if one:
            ed = _Editor(bl, style, kind, "row_sum", "预算03 合计 = 基本 + 项目 + 单位预留机动经费 + 结转下年资金")
            ed.add("预算03", "合计", "合计", _delta(rng, g("预算03", "合计", "合计"), grain))
        else:
            ed = _Editor(bl, style, kind, "row_sum", "预算03 per row 合计 = 基本支出 + 项目支出")
            code = rng.choice([c for c in bl.rows["预算03"] if len(c) == 7 and g("预算03", c, "基本支出")])
            d = _delta(rng, g("预算03", code, "基本支出"), grain)
            for row in (code, code[:5], code[:3], "合计"):  # the column stays summed: only the rows break
                ed.add("预算03", row, "基本支出", d)
    elif kind == "hierarchy":
        ed = _Editor(bl, style, kind, "hierarchy", "预算05 类 = Σ款, 款 = Σ项")
        code = rng.choice([c for c in bl.rows["预算05"] if len(c) == 5])
        col = "合计" if one else ("项目支出" if g("预算05", code, "项目支出") else "基本支出")
        d = _delta(rng, g("预算05", code, "合计"), grain)
        ed.add("预算05", code, col, d)
        if not one:
            ed.add("预算05", code, "合计", d)  # the row still adds up
    elif kind == "cross_table":
        ed = _Editor(bl, style, kind, "cross_table", "预算05 合计 = 预算04 (一般公共预算)")
        col = "合计" if one else ("项目支出" if g("预算05", "合计", "项目支出") else "基本支出")
        items = [c for c in bl.rows["预算05"] if len(c) == 7]
        code = max(items, key=lambda c: g("预算05", c, col))
        d = _delta(rng, g("预算05", "合计", "合计"), grain)
        for row in ("合计", code[:3], code[:5], code):  # consistent inside 预算05, off against 预算04
            ed.add("预算05", row, col, d)
            if not one:
                ed.add("预算05", row, "合计", d)
    elif kind == "sangong":
        ed = _Editor(bl, style, kind, "sangong", "预算09 合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费")
        ed.add("预算09", "预算数", "公务接待费", WAN_CENT * rng.randint(20, 300))
    elif kind == "procurement":
        ed = _Editor(bl, style, kind, "procurement", "预算13 专项 subtotal = Σ its items")
        items = [key for key, _ in bl.procurement if key.count("/") == 4]
        key = rng.choice(items)
        ed.add("预算13", key, "合计", _delta(rng, g("预算13", key, "合计"), grain))
    else:
        ed = _Editor(bl, style, kind, kind, "")
    narrative_rng = random.Random(f"budget-narrative/{bl.department}/{bl.year}/{bl.template}/{bl.kind}")
    sections = (_shanghai_narrative(ed.printed, narrative_rng) if t == "shanghai"
                else ([], _provincial_narrative(ed.printed, narrative_rng)))
    if kind == "narrative":
        figs = [(s, f) for part in sections for s in part for p in s.paragraphs for f in p.figures
                if f.ref and f.value and f.value > 100]
        sec, fig = rng.choice(figs)
        wrong = fig.value + max(100, int(fig.value * rng.uniform(0.03, 0.15)))
        whole = f"{wrong // 100:,}" if "," in fig.text else str(wrong // 100)  # the paragraph's own separators
        text = f"{whole}.{wrong % 100:02d}"
        ed.records.append({"kind": kind, "family": "narrative",
                           "identity": "narrative 万元 figure = the table it restates",
                           "table_code": fig.ref[0], "row_key": fig.ref[1], "column_key": fig.ref[2],
                           "printed": text, "correct": fig.text, "section": sec.heading, "label": fig.label})
        fig.text, fig.value = text, wrong
    elif kind == "missing_table":
        code = rng.choice(["预算01", "预算02", "预算03", "预算04", "预算05", "预算06"])
        absent.add(code)
        ed.records.append({"kind": kind, "family": "domain", "identity": f"table_present.{code}", "table_code": code,
                           "row_key": None, "column_key": None, "printed": None, "correct": None,
                           "note": "required table left out"})
    doc = build_budget_document(bl, style, printed=ed.printed, sections=sections, absent=absent)
    doc.seeded_errors = ed.records
    return doc
