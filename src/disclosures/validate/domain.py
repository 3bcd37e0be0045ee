"""Frames the cell and document suites (expectations/cells.json, documents.json) run on.

The columns added here only *prepare* values (a code's 类, whether its
parent row is printed, how many names a code carries); the expectations in
the suite files judge them. A derived column is null where its rule does not
apply, and GX column-map expectations ignore nulls.
"""

from __future__ import annotations

import re

import pandas as pd

from disclosures.normalize import label_key
from disclosures.tables import TABLES
from disclosures.tables.subjects import ECONOMIC_CLASSES, FUNCTION_CLASSES

_FUNCTION_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_ECONOMIC_CODE = re.compile(r"^\d{3}(?:\d{2})?$")
# Which tables' rows are function codes, economic codes (and their label rows), a fixed list.
_FUNCTION_TABLES = {t.code for t in TABLES if t.rows == "function_code"}
_ECONOMIC_TOTALS = {t.code: t.total_rows for t in TABLES if t.rows == "economic_code"}
_SHARED_NAMES = {t.code for t in TABLES if t.shares_subject_names}
_FIXED_ROWS = {t.code for t in TABLES if t.known_rows}
# label rows of a code table (a template printing it by label: Jiangsu's 收入预算总表)
_LABEL_ROWS = {t.code: set(t.total_rows) for t in TABLES if t.rows == "function_code" and t.total_rows}

CELL_CHECK_COLUMNS = [
    "document_id", "table_code", "row_key", "column_key", "amount", "unit", "page",
    "function_code", "function_class", "economic_code", "economic_class",
    "parent_present", "label_variants", "key_count", "nonneg_amount", "statistics_row",
]
DOCUMENT_CHECK_COLUMNS = ["document_id", "fiscal_year", "unit"]


def cell_check_frame(cells: pd.DataFrame) -> pd.DataFrame:
    """The cells plus the derived columns cells.json expects things of."""
    n = len(cells)
    get = lambda c: cells[c].tolist() if c in cells.columns else [None] * n  # noqa: E731
    doc, table, row, col = get("document_id"), get("table_code"), get("row_key"), get("column_key")
    amount, unit, page, label = get("amount"), get("unit"), get("page"), get("row_label")
    row = [None if r is None or (isinstance(r, float) and r != r) else str(r) for r in row]

    rows_by_table: dict[tuple, set] = {}
    key_counts: dict[tuple, int] = {}
    names: dict[tuple, set] = {}
    for d, t, r, c, lab in zip(doc, table, row, col, label):
        rows_by_table.setdefault((d, t), set()).add(r)
        key_counts[(d, t, r, c)] = key_counts.get((d, t, r, c), 0) + 1
        if t in _SHARED_NAMES and r and r.isdigit():
            lab_n = label_key(lab)
            if lab_n:
                names.setdefault((d, r), set()).add(lab_n)

    f_code, f_class, e_code, e_class, parent, variants, kcount, nonneg = ([] for _ in range(8))
    for d, t, r, c, a, u in zip(doc, table, row, col, amount, unit):
        fc = r if (t in _FUNCTION_TABLES and r and r != "合计" and r not in _LABEL_ROWS.get(t, ())) else None
        f_code.append(fc)
        f_class.append(fc[:3] if fc and _FUNCTION_CODE.match(fc) else None)
        ec = r if (t in _ECONOMIC_TOTALS and r and r not in _ECONOMIC_TOTALS[t]) else None
        e_code.append(ec)
        e_class.append(ec[:3] if ec and _ECONOMIC_CODE.match(ec) else None)
        p = None
        code = fc if (fc and _FUNCTION_CODE.match(fc)) else (ec if ec and _ECONOMIC_CODE.match(ec) else None)
        if code and len(code) > 3:
            p = code[:-2] in rows_by_table.get((d, t), set())
        parent.append(p)
        nv = names.get((d, r)) if (t in _SHARED_NAMES and r and r.isdigit()) else None
        variants.append(len(nv) if nv else None)
        kcount.append(key_counts[(d, t, r, c)])
        money = u in (None, "", "元") or (isinstance(u, float) and u != u)
        keys = f"{r or ''}{c or ''}"
        nonneg.append(a if (money and "结余" not in keys and "结转" not in keys) else None)

    out = pd.DataFrame({
        "document_id": doc, "table_code": table, "row_key": row, "column_key": col,
        "amount": pd.to_numeric(pd.Series(amount, dtype=object), errors="coerce"),
        "unit": unit, "page": page,
        "function_code": f_code, "function_class": f_class,
        "economic_code": e_code, "economic_class": e_class,
        "parent_present": pd.Series(parent, dtype=object),
        "label_variants": pd.Series(variants, dtype="float64"),
        "key_count": pd.Series(kcount, dtype="int64"),
        "nonneg_amount": pd.to_numeric(pd.Series(nonneg, dtype=object), errors="coerce"),
        # a table of a fixed list of lines (公开10): a label outside it is a damaged or misread one
        "statistics_row": [r if t in _FIXED_ROWS else None for t, r in zip(table, row)],
    }, columns=CELL_CHECK_COLUMNS)
    return out.reset_index(drop=True)


def document_check_frame(docs: list[dict]) -> pd.DataFrame:
    rows = []
    for d in docs:
        fy = d.get("fiscal_year")
        try:
            fy = None if fy is None else int(fy)
        except (TypeError, ValueError):
            fy = None
        rows.append({"document_id": d.get("document_id"), "fiscal_year": fy, "unit": d.get("unit")})
    out = pd.DataFrame(rows, columns=DOCUMENT_CHECK_COLUMNS)
    out["fiscal_year"] = pd.to_numeric(out["fiscal_year"], errors="coerce")
    return out


def suite_parameters() -> dict:
    """The cell suite's value sets ($PARAMETER in expectations/cells.json), from the declarations."""
    return {
        "table_codes": [t.code for t in TABLES],
        "function_classes": list(FUNCTION_CLASSES),
        "economic_classes": list(ECONOMIC_CLASSES),
        "fixed_rows": list(dict.fromkeys(r for t in TABLES for r in t.known_rows)),
    }
