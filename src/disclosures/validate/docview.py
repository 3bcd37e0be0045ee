"""One document's cells, indexed for the identity builders.

`doc` is a plain dict describing the document (all keys optional):

- ``document_id``: sha256; taken from the cells when missing.
- ``unit``: the document's printed unit, ``万元`` or ``元``.
- ``fiscal_year``: int.
- ``tables``: which tables the document should contain and what became of
  them. Either a ``{table_code: status}`` dict, a ``{table_code: {"status":
  ..., "printed_unit": ...}}`` dict, or records / a DataFrame with the
  ``TABLE_STATUS_COLUMNS`` of frames.py. Status is ``present``, ``partial``
  (read, but a row or column its template requires was not found, or it may
  continue on a page with no usable text layer), ``empty``
  (printed with 本表无数据), ``absent`` or ``unreadable``. A table not listed
  is one the document need not contain (Shanghai prints no 公开10).
- ``narrative``: the raw text of the 情况说明 pages (pypdfium2 text layer).
- ``narrative_page`` / ``narrative_pages``: 1-based page(s) of that text.

Table status, as the rules use it:

- *usable*: status present, partial or empty, or the table has cells. Missing
  cells of a usable table are zeros (blank cells have no row), except in a
  partial table: there they may be what was not read, so
  identities that need them become warn-level "cannot check" instances.
- *missing*: listed in ``tables`` with status absent or unreadable and no
  cells: the document should have it and does not. Identities that need it
  become warn-level "cannot check" instances (only when the other side has
  a non-zero figure), and ``table_present.公开0N`` fails.
- otherwise (not listed, no cells): nothing is known; identities that need
  it are not instantiated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable

import pandas as pd

from disclosures.normalize import label_key
from disclosures.tables.subjects import function_class_of_name

# what a figure in 元 is divided by to be read in a printed unit
UNIT_DIVISOR = {"万元": 10000.0, "元": 1.0}


def _is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT


def table_info(doc: dict) -> dict[str, dict]:
    """Normalise doc['tables'] to {table_code: {'status':..., 'printed_unit':..., 'pages':...}}."""
    raw = doc.get("tables")
    out: dict[str, dict] = {}
    if raw is None:
        return out
    if isinstance(raw, pd.DataFrame):
        frame = raw
        if "document_id" in frame.columns and doc.get("document_id"):
            frame = frame[frame["document_id"] == doc["document_id"]]
        records: Iterable = frame.to_dict("records")
    elif isinstance(raw, dict):
        records = []
        for code, v in raw.items():
            if isinstance(v, dict):
                records.append({"table_code": code, **v})
            else:
                records.append({"table_code": code, "status": v})
    else:
        records = list(raw)
    for rec in records:
        code = rec.get("table_code")
        if not code:
            continue
        status = rec.get("status")
        unit = rec.get("printed_unit")
        out[str(code)] = {
            "status": None if _is_missing(status) else str(status),
            "printed_unit": None if _is_missing(unit) else str(unit),
            "pages": rec.get("pages"),
        }
    return out


@dataclass
class DocView:
    document_id: str | None
    unit: str
    fiscal_year: int | None
    tables: dict[str, dict]
    amounts: dict[tuple[str, str, str], float] = field(default_factory=dict)
    pages: dict[tuple[str, str, str], int | None] = field(default_factory=dict)
    labels: dict[tuple[str, str], str] = field(default_factory=dict)
    rows: dict[str, list[str]] = field(default_factory=dict)
    row_cols: dict[tuple[str, str], set] = field(default_factory=dict)
    table_pages: dict[str, int | None] = field(default_factory=dict)
    ocr_confidence: dict[tuple[str, str, str], float] = field(default_factory=dict)  # cells read by OCR
    with_decimals: set = field(default_factory=set)  # tables printing a figure with decimals

    # ----------------------------------------------------------------- build
    @classmethod
    def build(cls, cells: pd.DataFrame, doc: dict) -> "DocView":
        doc_id = doc.get("document_id")
        if doc_id is None and len(cells) and "document_id" in cells.columns:
            ids = cells["document_id"].dropna().unique()
            doc_id = ids[0] if len(ids) == 1 else None
        if doc_id is not None and "document_id" in cells.columns and cells["document_id"].notna().any():
            cells = cells[cells["document_id"] == doc_id]
        unit = doc.get("unit") or "万元"
        fy = doc.get("fiscal_year")
        view = cls(
            document_id=doc_id,
            unit=str(unit),
            fiscal_year=None if _is_missing(fy) else int(fy),
            tables=table_info({**doc, "document_id": doc_id}),
        )
        if len(cells):
            cols = {c: cells[c].tolist() if c in cells.columns else [None] * len(cells)
                    for c in ("table_code", "row_key", "column_key", "amount", "page", "row_label", "method",
                              "confidence", "printed")}
            for t, r, c, a, p, lab, how, conf, printed in zip(
                    cols["table_code"], cols["row_key"], cols["column_key"], cols["amount"], cols["page"],
                    cols["row_label"], cols["method"], cols["confidence"], cols["printed"]):
                if _is_missing(t) or _is_missing(r) or _is_missing(c):
                    continue
                t, r, c = str(t), str(r), str(c)
                key = (t, r, c)
                if key in view.amounts:  # duplicates are reported by the cell suite
                    continue
                try:
                    amount = float(a)
                except (TypeError, ValueError):
                    continue
                if math.isnan(amount):
                    continue
                view.amounts[key] = amount
                if _is_missing(printed) or "." in str(printed):
                    view.with_decimals.add(t)
                page = None if _is_missing(p) else int(p)
                view.pages[key] = page
                if isinstance(how, str) and how.startswith("ocr-"):
                    view.ocr_confidence[key] = None if _is_missing(conf) else float(conf)
                view.table_pages.setdefault(t, page)
                if (t, r) not in view.row_cols:
                    view.rows.setdefault(t, []).append(r)
                    view.row_cols[(t, r)] = set()
                view.row_cols[(t, r)].add(c)
                if not _is_missing(lab) and (t, r) not in view.labels and str(lab).strip():
                    view.labels[(t, r)] = label_key(lab)
        return view

    # ---------------------------------------------------------------- status
    def has_cells(self, table: str) -> bool:
        return table in self.rows

    def status(self, table: str) -> str:
        info = self.tables.get(table)
        if info and info.get("status"):
            return info["status"]
        return "present" if self.has_cells(table) else "unknown"

    def usable(self, table: str) -> bool:
        return self.has_cells(table) or self.status(table) in ("present", "partial", "empty")

    def unread(self, table: str, row: str, col: str) -> bool:
        """A cell of a partial table that has no figure: it may be in what was not read."""
        return self.status(table) == "partial" and self.get(table, row, col) is None

    def missing(self, table: str) -> bool:
        """The document says it should contain the table, and it does not."""
        return (not self.has_cells(table) and table in self.tables
                and self.status(table) in ("absent", "unreadable", "missing"))

    def printed_unit(self, table: str | None) -> str:
        if table:
            info = self.tables.get(table) or {}
            u = info.get("printed_unit")
            if u in UNIT_DIVISOR:
                return u
        return self.unit if self.unit in UNIT_DIVISOR else "万元"

    def unit_for(self, tables: Iterable[str]) -> str:
        units = {self.printed_unit(t) for t in tables} or {self.printed_unit(None)}
        return "万元" if "万元" in units else "元"

    def step(self, tables: Iterable[str]) -> float:
        """The rounding step of the printed figures, in the printed unit: what one term may be off by.

        0.01 (TABLES.md). A budget printed in whole 元 (BUDGETS.md: 上海市财政局's Excel
        tables) rounds every figure to 1 元, so its sums may be off by 1 元 a term; a table
        printing any figure with decimals is held to 0.01."""
        from disclosures.tables import BY_CODE

        tables = set(tables)
        whole = all(t in BY_CODE and BY_CODE[t].report_kind == "budget" and self.has_cells(t)
                    and t not in self.with_decimals for t in tables)
        return 1.0 if tables and whole and self.unit_for(tables) == "元" else 0.01

    # ---------------------------------------------------------------- values
    def get(self, table: str, row: str, col: str) -> float | None:
        return self.amounts.get((table, row, col))

    def page(self, table: str, row: str, col: str) -> int | None:
        return self.pages.get((table, row, col))

    def table_rows(self, table: str) -> list[str]:
        return self.rows.get(table, [])

    def cols_of(self, table: str, row: str) -> set:
        return self.row_cols.get((table, row), set())

    def label(self, table: str, row: str) -> str:
        return self.labels.get((table, row), "")

    def ocr_note(self, terms) -> str:
        """The terms of an identity that were read by OCR, with the engine's confidence: a failure
        involving them may be a misread rather than the bureau's error (nothing is corrected)."""
        read = [(t[:3], self.ocr_confidence[t[:3]]) for t in terms if t[:3] in self.ocr_confidence]
        if not read:
            return ""
        cells = ", ".join(f"{t} {r}/{c} (page {self.page(t, r, c)}, confidence "
                          f"{'?' if conf is None else f'{conf:.2f}'})" for (t, r, c), conf in read)
        return f"read by OCR: {cells}"

    # ------------------------------------------------------- subject lookup
    def code_label(self, code: str, prefer: tuple[str, ...] = ("公开05", "公开03", "公开02", "公开07", "公开08")) -> str:
        for t in prefer:
            lab = self.labels.get((t, code))
            if lab:
                return lab
        return ""

    def function_codes(self, tables: tuple[str, ...] = ("公开05", "公开03", "公开02", "公开07", "公开08")) -> dict[str, str]:
        """Every function code printed in the given tables → its label."""
        out: dict[str, str] = {}
        for t in tables:
            for r in self.rows.get(t, []):
                if r.isdigit() and len(r) in (3, 5, 7) and r not in out:
                    out[r] = self.labels.get((t, r), "")
        for r, lab in list(out.items()):
            if not lab:
                out[r] = self.code_label(r)
        return out

    def resolve_subject(self, lei: str | None, kuan: str | None, xiang: str | None,
                        tables: tuple[str, ...] = ("公开05", "公开03", "公开02")) -> str | None:
        """Function code for a narrative subject 「X（类）Y（款）Z（项）」, or None."""
        codes = self.function_codes(tables)
        lei_n = label_key(lei).replace("（类）", "") if lei else ""
        kuan_n = label_key(kuan) if kuan else ""
        xiang_n = label_key(xiang) if xiang else ""
        lei_code = None
        if lei_n:
            lei_code = function_class_of_name(lei_n)
            if lei_code is None:
                hits = [c for c, lab in codes.items() if len(c) == 3 and lab == lei_n]
                lei_code = hits[0] if len(hits) == 1 else None
            if lei_code is None:
                return None
        def under(c: str) -> bool:
            return lei_code is None or c.startswith(lei_code)
        if xiang_n:
            cands = [c for c, lab in codes.items() if len(c) == 7 and lab == xiang_n and under(c)]
            if len(cands) > 1 and kuan_n:
                narrowed = [c for c in cands if codes.get(c[:5], "") == kuan_n]
                cands = narrowed or cands
            return cands[0] if len(cands) == 1 else None
        if kuan_n:
            cands = [c for c, lab in codes.items() if len(c) == 5 and lab == kuan_n and under(c)]
            return cands[0] if len(cands) == 1 else None
        return lei_code

    def divisor(self, unit: str) -> float:
        return UNIT_DIVISOR.get(unit, 10000.0)
