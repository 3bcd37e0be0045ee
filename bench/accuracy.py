"""Cell accuracy against ground truth, per producer.

    python bench/accuracy.py samples/pdfs tests/data/generated
    python bench/accuracy.py tests/data/budgets   # budgets (and their departments' final accounts)

Every PDF with a `.truth.json` beside it is parsed; a cell counts as exact when
its (table, row, column) key and its amount in 元 equal the truth's.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from disclosures.parse.document import parse_document


def score(pdf: Path) -> tuple[dict, int, int, int, int]:
    truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    expected = {(c["table_code"], c["row_key"], c["column_key"]): Decimal(c["amount"]) for c in truth["cells"]}
    cells = parse_document(pdf).cells
    got = {
        (t, r, c): Decimal(str(a)).quantize(Decimal("0.01"))
        for t, r, c, a in cells[["table_code", "row_key", "column_key", "amount"]].itertuples(index=False)
    }
    exact = sum(1 for k, v in expected.items() if got.get(k) == v)
    extra = sum(1 for k in got if k not in expected)
    return truth, len(expected), exact, len(expected) - exact, extra


def _summary(totals: dict) -> dict:
    return {
        k: {"documents": d, "cells": n, "exact": e, "missing_or_wrong": b, "extra": x,
            "accuracy_pct": round(100 * e / n, 3) if n else None}
        for k, (d, n, e, b, x) in sorted(totals.items())
    }


def main(folders: list[str]) -> dict:
    """Totals per producer, per layout variant (`layout` of the truth; the samples are `random`) and per
    report kind (final, or budget/<template>)."""
    by_producer: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    by_layout: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for folder in folders:
        for pdf in sorted(Path(folder).glob("*.pdf")):
            if not pdf.with_suffix(".truth.json").exists():
                continue
            truth, n, exact, bad, extra = score(pdf)
            kind = "/".join(filter(None, (truth.get("report_kind", "final"), truth.get("template"))))
            for t in (by_producer[truth["producer"]], by_layout[truth.get("layout") or "random"], by_kind[kind]):
                for i, v in enumerate((1, n, exact, bad, extra)):
                    t[i] += v
    return {"by_producer": _summary(by_producer), "by_layout": _summary(by_layout), "by_kind": _summary(by_kind)}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:] or ["samples/pdfs", "tests/data/generated"]), indent=2, ensure_ascii=False))
