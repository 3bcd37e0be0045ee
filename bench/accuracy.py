"""Cell accuracy against ground truth, per producer.

    python bench/accuracy.py samples/pdfs tests/data/generated

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


def score(pdf: Path) -> tuple[str, int, int, int, int]:
    truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    expected = {(c["table_code"], c["row_key"], c["column_key"]): Decimal(c["amount"]) for c in truth["cells"]}
    cells = parse_document(pdf).cells
    got = {
        (t, r, c): Decimal(str(a)).quantize(Decimal("0.01"))
        for t, r, c, a in cells[["table_code", "row_key", "column_key", "amount"]].itertuples(index=False)
    }
    exact = sum(1 for k, v in expected.items() if got.get(k) == v)
    missing = sum(1 for k in expected if k not in got)
    wrong = sum(1 for k, v in expected.items() if k in got and got[k] != v)
    extra = sum(1 for k in got if k not in expected)
    producer = truth.get("producer", "?") + (f"/{truth['style']['layout']}" if isinstance(truth.get("style"), dict) and truth["style"].get("layout") else "")
    return producer, len(expected), exact, missing + wrong, extra


def main(folders: list[str]) -> dict:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for folder in folders:
        for pdf in sorted(Path(folder).glob("*.pdf")):
            if not pdf.with_suffix(".truth.json").exists():
                continue
            producer, n, exact, bad, extra = score(pdf)
            t = totals[producer]
            t[0] += 1
            t[1] += n
            t[2] += exact
            t[3] += bad
            t[4] += extra
    return {
        p: {"documents": d, "cells": n, "exact": e, "missing_or_wrong": b, "extra": x, "accuracy_pct": round(100 * e / n, 3) if n else None}
        for p, (d, n, e, b, x) in sorted(totals.items())
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:] or ["samples/pdfs"]), indent=2, ensure_ascii=False))
