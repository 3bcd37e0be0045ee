"""Does a generated PDF print what its truth file says? (generator self-check)

For every table the truth places on some pages, the printed cell texts must
appear among the cells camelot's lattice parser reads on those pages, and in
pdfium's text layer of those pages. A shortfall means the PDF, not the
truth, is wrong (a wrapped, clipped or mis-encoded figure).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", str(text))


def verify_pdf(pdf_path, truth: dict | None = None, camelot_check: bool = True) -> dict:
    """{'cells': n, 'missing_camelot': [...], 'missing_text': [...], 'wrong_page': [...]} for one PDF."""
    import pypdfium2 as pdfium

    pdf_path = Path(pdf_path)
    if truth is None:
        truth = json.loads(pdf_path.with_suffix(".truth.json").read_text("utf-8"))
    by_table: dict[str, list[dict]] = {}
    for cell in truth["cells"]:
        by_table.setdefault(cell["table_code"], []).append(cell)
    pdf = pdfium.PdfDocument(str(pdf_path))
    texts = [_norm(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
    pdf.close()
    tables_by_page: dict[int, list] = {}
    if camelot_check:
        import camelot

        for t in camelot.read_pdf(str(pdf_path), pages="all", flavor="lattice", engine="vector",
                                    split_text=True):
            tables_by_page.setdefault(int(t.page), []).append(t)
    report = {"file": pdf_path.name, "cells": len(truth["cells"]), "missing_camelot": [], "missing_text": [],
              "wrong_page": []}
    for code, cells in by_table.items():
        pages = truth["tables"][code].get("pages") or []
        text = "".join(texts[p - 1] for p in pages)
        for c in cells:
            if _norm(c["printed"]) not in text:
                report["missing_text"].append((code, c["row_key"], c["column_key"], c["printed"]))
            if "page" in c and _norm(c["printed"]) not in texts[c["page"] - 1]:
                report["wrong_page"].append((code, c["row_key"], c["column_key"], c["page"]))
        if not camelot_check:
            continue
        seen = Counter()
        for p in pages:
            for t in tables_by_page.get(p, []):
                seen.update(_norm(v) for v in t.df.values.ravel() if _norm(v))
        want = Counter(_norm(c["printed"]) for c in cells)
        for value, n in (want - seen).items():
            report["missing_camelot"].append((code, value, n))
    return report
