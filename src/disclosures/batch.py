"""Parsing and validating a batch of documents: the work of one run's steps (or of one shard of it).

Thousands of documents a city: a step takes many at once, pays the imports and
the Great Expectations context once, and reports progress as it goes.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from disclosures.tables import TABLES
from disclosures.frames import CHECK_COLUMNS, CHECK_KEY_COLUMNS
from disclosures.normalize import norm_text
from disclosures.workers import Limits, Task, parse_all

if TYPE_CHECKING:
    from disclosures.parse.document import ParsedDocument

log = logging.getLogger("disclosures.progress")
VALIDATION_CHUNK = 100  # documents per Great Expectations run


@dataclass
class ParsedBatch:
    documents: list[dict]  # one row each, WAREHOUSE.md documents + reason, raw_path
    cells: pd.DataFrame  # CELL_COLUMNS, all documents
    tables: pd.DataFrame  # TABLE_STATUS_COLUMNS, all documents
    narratives: dict[str, dict[int, str]] = field(default_factory=dict)  # document_id → {page: 情况说明 text}
    problems: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0
    pages: int = 0
    stage_seconds: dict[str, float] = field(default_factory=dict)  # summed over documents, in the workers


def to_parse(raw: pd.DataFrame) -> pd.DataFrame:
    """The rows of a raw manifest that need parsing: not already published, each distinct file once."""
    if "already_published" in raw.columns:
        raw = raw[~raw["already_published"].astype(bool)]
    if "document_id" in raw.columns:  # the same bytes twice in one batch are parsed once
        raw = raw[raw["document_id"].isna() | ~raw.duplicated("document_id")]
    return raw


def parse_stream(raw: pd.DataFrame, limits: Limits = Limits(), skipped: int = 0) -> Iterator[ParsedDocument]:
    """Parse every row of a manifest already reduced by `to_parse`, yielding each document as it is done.

    Documents are parsed in worker processes (`disclosures.workers`): one that
    crashes, runs out of time or memory is that document's failure, recorded
    with its reason, and the batch goes on. `skipped`: the files of the batch
    left out before (progress counts them done)."""
    seen: set[str] = set()
    items = list(raw.itertuples(index=False))
    total = len(items)
    # Progress events carry their figures as record attributes (`stage`, `done`, `total`) for the
    # CLI's progress bar; the message is the same news as a plain line, for logs and CI.
    log.info("parsing %d of %d files (the rest already published, staged, or duplicates)", total, total + skipped,
             extra={"stage": "parse", "done": 0, "total": total, "skipped": skipped})
    tasks = [Task(item.raw_path, item.source_url, dict(item.hints or {})) for item in items]
    for i, (item, parsed) in enumerate(zip(items, parse_all(tasks, limits)), start=1):
        doc = parsed.document
        doc["raw_path"] = item.raw_path
        doc["file_name"] = item.file_name
        if doc["document_id"] in seen:
            continue  # a missing path given twice: one row (files with the same bytes were dropped above)
        seen.add(doc["document_id"])
        log.info(
            "[%d/%d] %s: %s%s, %d cells",
            i, total, item.file_name, doc["status"], f" ({doc['reason']})" if doc.get("reason") else "", len(parsed.cells),
            extra={"stage": "parse", "done": i, "total": total, "status": doc["status"]},
        )
        yield parsed


def add_document(batch: ParsedBatch, parsed) -> None:
    """A parsed (or staged) document's row, narrative, problems and worker seconds into `batch`; not its frames."""
    doc = parsed.document
    batch.documents.append(doc)
    batch.pages += doc.get("page_count") or 0
    batch.narratives[doc["document_id"]] = parsed.narrative_by_page
    batch.problems[doc["document_id"]] = parsed.problems
    for stage, sec in parsed.seconds.items():
        batch.stage_seconds[stage] = batch.stage_seconds.get(stage, 0.0) + sec


def validate_batch(batch: ParsedBatch) -> pd.DataFrame:
    """Every check of every document in one Great Expectations run (CHECK_COLUMNS + family).

    A document that could not be read gets one failed `document.readable`
    check carrying its reason, so check_results has a row for every document.
    """
    from disclosures.validate import validate

    loaded = [d for d in batch.documents if d["status"] == "loaded"]
    docs = []
    for d in loaded:
        by_page = batch.narratives.get(d["document_id"], {})
        tables = batch.tables[batch.tables["document_id"] == d["document_id"]]
        # A table some provinces never print is no fault when absent (Shanghai has no 公开10).
        optional = {t.code for t in TABLES if not t.required}
        tables = tables[~((tables["status"] == "absent") & tables["table_code"].isin(optional))]
        docs.append(
            {
                "document_id": d["document_id"],
                "unit": d.get("unit"),
                "fiscal_year": d.get("fiscal_year"),
                "report_kind": d.get("report_kind"),
                "tables": tables,
                "narrative": "\n".join(by_page.values()),
                "narrative_pages": list(by_page),
            }
        )
    frames = []
    if docs:
        # Great Expectations runs on chunks of documents: its frames (and their copies) stay the
        # size of a chunk however large the batch, at the same cost per document.
        log.info("validating %d documents", len(docs), extra={"stage": "validate", "done": 0, "total": len(docs)})
        parts = []
        for start in range(0, len(docs), VALIDATION_CHUNK):
            chunk = docs[start : start + VALIDATION_CHUNK]
            ids = {d["document_id"] for d in chunk}
            parts.append(_validate_isolated(validate, batch.cells[batch.cells["document_id"].isin(ids)], chunk))
            done = start + len(chunk)
            log.info("validated %d of %d documents", done, len(docs), extra={"stage": "validate", "done": done, "total": len(docs)})
        checks = pd.concat(parts, ignore_index=True)
        # One Dagster check per family; table presence is a family of its own.
        checks.loc[checks["check_name"].str.startswith("table_present."), "family"] = "table_present"
        _place_narrative_claims(checks, batch.narratives)
        frames.append(checks)
    not_loaded = [
        {
            "document_id": d["document_id"],
            "table_code": None,
            "check_name": "document.readable",
            "passed": False,
            "severity": "error" if d["status"] == "rejected" else "warn",
            "details": f"{d['status']}: {d.get('reason')}",
            "family": "document",
        }
        for d in batch.documents
        if d["status"] != "loaded"
    ]
    if not_loaded:
        frames.append(pd.DataFrame(not_loaded))
    columns = [*CHECK_COLUMNS, *CHECK_KEY_COLUMNS]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True).reindex(columns=columns)


def _validate_isolated(validate, cells: pd.DataFrame, docs: list[dict]) -> pd.DataFrame:
    """A chunk of documents in one GX run; should one document's data break it, each document alone.

    A document whose own validation raises keeps its figures and gets one failed
    `document.validated` check naming the error, and the others are validated as usual."""
    try:
        return validate(cells, docs, extra_columns=True)
    except Exception:  # noqa: BLE001 - found and named per document below
        log.warning("validating the batch failed; validating its %d documents one by one", len(docs))
    frames = []
    for d in docs:
        try:
            frames.append(validate(cells[cells["document_id"] == d["document_id"]], [d], extra_columns=True))
        except Exception as exc:  # noqa: BLE001
            frames.append(pd.DataFrame([{
                "document_id": d["document_id"], "table_code": None, "check_name": "document.validated",
                "passed": False, "severity": "error", "family": "document",
                "details": f"validation could not run on this document: {type(exc).__name__}: {str(exc)[:200]}",
            }]))
    return pd.concat(frames, ignore_index=True)


_QUOTE = re.compile(r"«…?(.+?)»")


def _place_narrative_claims(checks: pd.DataFrame, narratives: dict[str, dict[int, str]]) -> None:
    """Point each narrative check at the page that prints the sentence it quotes."""
    rows = checks.index[checks["family"].eq("narrative")]
    for i in rows:
        m = _QUOTE.search(str(checks.at[i, "details"]))
        if not m:
            continue
        quote = norm_text(m.group(1))
        pages = narratives.get(checks.at[i, "document_id"], {})
        hit = next((p for p, text in pages.items() if quote in norm_text(text)), None)
        if hit is not None:
            checks.at[i, "page"] = hit
