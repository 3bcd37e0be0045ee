"""Documents with one deliberate error, for validation tests.

Each variant prints figures that differ from the correct ledger in one
controlled way and records what it changed in `Document.seeded_errors`
({kind, table_code, row_key, column_key, printed, correct}; printed and
correct are cell texts in the table's printed unit). The first record of a
variant names the cell a check should flag; further records list the other
cells changed so that the error stays of its kind (e.g. a 款 raised in two
columns keeps its row sum right and breaks only the hierarchy). The narrative
is built from the printed figures, so only the seeded error disagrees.
"""

from __future__ import annotations

import dataclasses
import random

from . import narrative as narr
from .document import Document, Style, build_document
from .ledger import Ledger
from .money import fmt, fmt_yuan

KINDS = ("row_sum", "hierarchy", "cross_table", "narrative", "unit", "missing_table")


def _printed(value: int, style: Style) -> str:
    return fmt_yuan(value, style.thousands) if style.unit == "元" else fmt(value, style.thousands)


def _delta(rng: random.Random, value: int) -> int:
    """A change far beyond the 尾数误差 tolerance but small enough to look plausible."""
    return max(100, int(abs(value) * rng.uniform(0.02, 0.15))) * rng.choice([1, -1] if value > 5000 else [1])


class _Editor:
    def __init__(self, led: Ledger, style: Style, kind: str):
        self.correct, self.printed, self.style, self.kind = led, led.copy(), style, kind
        self.records: list[dict] = []

    def add(self, table: str, row: str, col: str, delta: int) -> None:
        old = self.printed.get(table, row, col)
        self.printed.put(table, row, col, old + delta)
        self.records.append({"kind": self.kind, "table_code": table, "row_key": row, "column_key": col,
                             "printed": _printed(old + delta, self.style),
                             "correct": _printed(self.correct.get(table, row, col), self.style)})


def seeded_document(led: Ledger, kind: str, style: Style | None = None, seed: int = 0) -> Document:
    """A Document of `led` carrying one error of `kind` (one of KINDS)."""
    if kind not in KINDS:
        raise ValueError(f"unknown error kind {kind!r}; known: {KINDS}")
    rng = random.Random(f"variant/{seed}/{kind}")
    style = style or Style()
    ed = _Editor(led, style, kind)
    items = [c for c in led.rows.get("公开05", []) if len(c) == 7]

    if kind == "row_sum":
        code = rng.choice([c for c in led.rows["公开03"] if len(c) == 7])
        ed.add("公开03", code, "本年支出合计", _delta(rng, led.get("公开03", code, "本年支出合计")))
        ed.records[0]["note"] = "本年支出合计 != sum of its columns (its 款 sum breaks too)"
    elif kind == "hierarchy":
        parents = [c for c in led.rows["公开05"] if len(c) == 5]
        code = rng.choice(parents)
        col = "基本支出" if led.get("公开05", code, "基本支出") else "项目支出"
        d = _delta(rng, led.get("公开05", code, col))
        ed.add("公开05", code, col, d)
        ed.add("公开05", code, "小计", d)  # the row still adds up; only 类 != sum of 款 (and 款 != sum of 项)
    elif kind == "cross_table":
        # prefer 项目支出: raising 基本支出 would also break 公开06's tie to 公开05
        col = "项目支出" if any(led.get("公开05", c, "项目支出") for c in items) else "基本支出"
        code = max(items, key=lambda c: led.get("公开05", c, col))
        d = _delta(rng, led.get("公开05", "合计", col))
        for row in ["合计", code[:3], code[:5], code]:  # consistent inside 公开05, off against 公开04
            for c in (col, "小计"):
                ed.add("公开05", row, c, d)
        first = next(r for r in ed.records if r["row_key"] == "合计" and r["column_key"] == "小计")
        ed.records.remove(first)
        ed.records.insert(0, first)
    absent = set(led.absent)
    table_units = {}
    sections = narr.build(ed.printed)
    if kind == "narrative":
        figs = [(s, f) for s in sections for p in s.paragraphs for f in p.figures
                if f.ref and f.unit == "万元" and isinstance(f.value, int) and f.value > 100]
        sec, fig = rng.choice(figs)
        wrong = fig.value + _delta(rng, fig.value)
        ed.records.append({"kind": kind, "table_code": fig.ref[0], "row_key": fig.ref[1], "column_key": fig.ref[2],
                           "printed": fmt(wrong, True), "correct": fig.text, "section": sec.heading,
                           "label": fig.label})
        fig.text, fig.value = fmt(wrong, True), wrong
    elif kind == "unit":
        style = dataclasses.replace(style, unit="万元")
        code = rng.choice(["公开02", "公开03", "公开05"])
        table_units[code] = "元"
        col = {"公开02": "本年收入合计", "公开03": "本年支出合计", "公开05": "小计"}[code]
        value = led.get(code, "合计", col)
        ed.records.append({"kind": kind, "table_code": code, "row_key": "合计", "column_key": col,
                           "printed": fmt_yuan(value, style.thousands), "correct": fmt(value, style.thousands),
                           "note": "figures printed in 元 under a 金额单位：万元 line"})
    elif kind == "missing_table":
        code = rng.choice(["公开01", "公开02", "公开03", "公开04", "公开05", "公开06"])
        absent.add(code)
        ed.records.append({"kind": kind, "table_code": code, "row_key": None, "column_key": None,
                           "printed": None, "correct": None, "note": "required table left out"})
    doc = build_document(led, style, printed=ed.printed, sections=sections, table_units=table_units, absent=absent)
    doc.seeded_errors = ed.records
    return doc

