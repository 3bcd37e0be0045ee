"""Parsing a batch of documents in one process: the unit of work of one run.

Thousands of documents a city: a run takes them all, pays the imports and
the Great Expectations context once, and reports progress as it goes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from disclosures.frames import CELL_COLUMNS, TABLE_STATUS_COLUMNS
from disclosures.parse.document import ParsedDocument, parse_document

log = logging.getLogger("disclosures.progress")


@dataclass
class ParsedBatch:
    documents: list[dict]  # one row each, WAREHOUSE.md documents + reason, raw_path
    cells: pd.DataFrame  # CELL_COLUMNS, all documents
    tables: pd.DataFrame  # TABLE_STATUS_COLUMNS, all documents
    narratives: dict[str, str] = field(default_factory=dict)  # document_id → narrative text
    problems: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0
    pages: int = 0


def parse_batch(raw: pd.DataFrame, progress: Callable[[int, int, ParsedDocument], None] | None = None) -> ParsedBatch:
    """Parse every document of a raw manifest (columns raw_path, source_url, hints)."""
    started = time.perf_counter()
    docs, cells, tables = [], [], []
    narratives, problems = {}, {}
    seen: set[str] = set()
    total = len(raw)
    pages = 0
    for i, item in enumerate(raw.itertuples(index=False), start=1):
        parsed = parse_document(item.raw_path, source_url=item.source_url, hints=dict(item.hints or {}))
        doc = parsed.document
        doc["raw_path"] = item.raw_path
        doc["file_name"] = item.file_name
        if doc["document_id"] in seen:
            continue  # the same bytes twice in one batch: one document
        seen.add(doc["document_id"])
        docs.append(doc)
        pages += doc.get("page_count") or 0
        if not parsed.cells.empty:
            cells.append(parsed.cells)
        if not parsed.tables.empty:
            tables.append(parsed.tables)
        narratives[doc["document_id"]] = parsed.narrative
        problems[doc["document_id"]] = parsed.problems
        if progress:
            progress(i, total, parsed)
        log.info(
            "[%d/%d] %s: %s%s, %d cells",
            i, total, item.file_name, doc["status"], f" ({doc['reason']})" if doc.get("reason") else "", len(parsed.cells),
        )
    return ParsedBatch(
        documents=docs,
        cells=pd.concat(cells, ignore_index=True) if cells else pd.DataFrame(columns=CELL_COLUMNS),
        tables=pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=TABLE_STATUS_COLUMNS),
        narratives=narratives,
        problems=problems,
        seconds=time.perf_counter() - started,
        pages=pages,
    )
