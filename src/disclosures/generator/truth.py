"""Ground truth read off a laid-out Document: what the PDF prints, in canonical keys."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from decimal import Decimal

from .document import Document, TableBlock, build_document
from .ledger import Ledger
from .money import yuan_string

SCHEMA = "disclosures.generator.truth/1"
_ENUM = re.compile(r"^(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d+[.、．])")


def normalise_label(text: str) -> str:
    """TABLES.md label rule: strip enumeration and whitespace, full-width parentheses."""
    text = re.sub(r"\s+", "", text)
    text = _ENUM.sub("", text)
    return text.replace("(", "（").replace(")", "）")


def cell_amount(printed: str, unit: str, table_unit: str) -> str:
    """The amount a reader lands from a printed cell: money in 元 per the table's unit line."""
    value = Decimal(printed.replace(",", "").strip())
    if unit != "元":
        return str(int(value))
    if table_unit == "万元":
        value *= 10000
    return f"{value:.2f}"


def _row_label(row: list, upto: int) -> str:
    """The printed row name nearest left of column `upto` (function/economic name or label)."""
    for cell in reversed(row[:upto]):
        if cell is None or cell.key or not cell.text or cell.text.isdigit() and len(cell.text) <= 2:
            continue
        return cell.text
    return ""


def table_cells(table: TableBlock, row_pages: list[int] | None = None) -> list[dict]:
    """The table's figures; `row_pages` (page of each body row) adds a 'page' to each."""
    out = []
    for n, row in enumerate(table.body):
        for i, cell in enumerate(row):
            if cell is None or cell.key is None or not cell.text.strip():
                continue
            row_key, column_key = cell.key
            out.append({
                "table_code": table.code,
                "row_key": row_key,
                "column_key": column_key,
                "amount": cell_amount(cell.text, cell.unit, table.unit),
                "unit": cell.unit,
                "printed": cell.text,
                "row_label": _row_label(row, i),
            })
            if row_pages and n < len(row_pages):
                out[-1]["page"] = row_pages[n]
    return out


def truth(source: Ledger | Document, row_pages: dict[str, list[int]] | None = None) -> list[dict]:
    """One dict per non-blank numeric cell the document prints (keys as TABLES.md)."""
    doc = source if isinstance(source, Document) else build_document(source)
    row_pages = row_pages or {}
    return [c for t in doc.tables for c in table_cells(t, row_pages.get(t.code))]


def narrative_figures(doc: Document) -> list[dict]:
    out = []
    for sec in doc.sections:
        for p in sec.paragraphs:
            for f in p.figures:
                money = f.unit == "万元"
                out.append({
                    "section": sec.heading,
                    "label": f.label,
                    "printed": f.text,
                    "amount": yuan_string(f.value) if money else str(f.value),  # money in 元, like cells
                    "unit": "元" if money else f.unit,
                    "ref": dict(zip(("table_code", "row_key", "column_key"), f.ref)) if f.ref else None,
                })
                if doc.report_kind == "budget":
                    # a 万元 figure restating a 元 table equals the cell rounded to 0.01 万元; a comparison
                    # with last year's budget cannot be checked (that budget is not in the document)
                    out[-1]["checkable"] = bool(f.ref) and getattr(f, "checkable", True)
                    if f.ref:
                        out[-1]["compare"] = "rounded_wan" if doc.style.table_units.get(f.ref[0], doc.style.unit) == "元" else "exact"
    return out


def truth_document(doc: Document, producer: str = "", file: str = "", pages: dict | None = None,
                   page_count: int | None = None, seed=None, row_pages: dict | None = None) -> dict:
    """The whole `<name>.truth.json` payload."""
    led = doc.ledger
    tables = {}
    by_code = {t.code: t for t in doc.tables}
    for code in doc.codes:
        t = by_code.get(code)
        if t is None:
            tables[code] = {"status": "absent"}
            continue
        tables[code] = {
            "status": "empty" if t.empty else "present",
            "title": t.title,
            "label": t.label,
            "printed_unit": t.unit,
            "pages": (pages or {}).get(code, []),
            "layout": t.layout,
        }
    return {
        "schema": SCHEMA,
        "file": file,
        "producer": producer,
        "seed": seed,
        "department": led.department,
        "region": led.region,
        "fiscal_year": led.year,
        "report_kind": doc.report_kind,
        "printed_unit": doc.style.unit,
        "page_count": page_count,
        "tables_present": [c for c, t in tables.items() if t["status"] == "present"],
        "tables_empty": [c for c, t in tables.items() if t["status"] == "empty"],
        "tables_absent": [c for c, t in tables.items() if t["status"] == "absent"],
        "tables": tables,
        "cells": truth(doc, row_pages),
        "narrative": narrative_figures(doc),
        "seeded_errors": list(doc.seeded_errors),
        "style": {k: v for k, v in asdict(doc.style).items() if k != "titles"},
        **doc.extra_truth,
    }


def dumps(payload: dict) -> str:
    """JSON with one line per cell / figure / error: diffable and compact."""
    lines = []
    for key, value in payload.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            items = ",\n".join("  " + json.dumps(v, ensure_ascii=False) for v in value)
            lines.append(f" {json.dumps(key)}: [\n{items}\n ]")
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"
