"""A batch split into shards that parse and validate apart, on one machine or many; one publisher.

A batch's documents are dealt to a fixed number of shards by their sha256, so
every shard gets a fair share of a random corpus and a retried shard takes
the same documents again. Each shard is a step of its own (pipelines: one
step per shard), which an executor may run anywhere: in the run's process,
in subprocesses, on Dask workers. A shard's step reads the raw store, writes
the staged store (disclosures.staging) and returns a summary; only the
publish step opens the warehouse.

The number of shards is fixed when the definitions are built, not per batch:
Dagster's Dask executor schedules a run's steps from its plan as built, and
the steps a dynamic fan-out would map at run time are not in it.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field

import pandas as pd

from disclosures.batch import ParsedBatch, add_document, parse_stream, to_parse, validate_batch
from disclosures.frames import CELL_COLUMNS, TABLE_STATUS_COLUMNS
from disclosures.staging import CHECKED, Stage
from disclosures.workers import Limits

log = logging.getLogger("disclosures.progress")


def shard_of(document_id: str | None, raw_path: str, shards: int) -> int:
    """Which shard parses a document: by its sha256 (a missing file, which has none, by its path)."""
    if shards <= 1:
        return 0
    key = document_id or hashlib.sha256(raw_path.encode()).hexdigest()
    return int(key[:8], 16) % shards


@dataclass
class ShardParse:
    """What a parse shard tells the rest of the run: enough for the step's metadata, never the cells."""

    documents: list[dict] = field(default_factory=list)
    tables: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TABLE_STATUS_COLUMNS))
    problems: dict[str, list[str]] = field(default_factory=dict)
    cells: int = 0
    cells_by_method: dict[str, int] = field(default_factory=dict)
    sample: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CELL_COLUMNS))  # lineage, a few cells
    pages: int = 0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    reused: int = 0  # documents found staged by this code version (a retried or resumed batch)
    started: float = 0.0  # epoch seconds: a batch's wall time spans its shards, wherever they ran
    ended: float = 0.0

    def add(self, parsed, reused: bool) -> None:
        doc = parsed.document
        self.documents.append(doc)
        self.problems[doc["document_id"]] = list(parsed.problems)
        self.pages += doc.get("page_count") or 0
        self.cells += len(parsed.cells)
        for method, n in parsed.cells["method"].value_counts().items():
            self.cells_by_method[str(method)] = self.cells_by_method.get(str(method), 0) + int(n)
        if not parsed.tables.empty:
            self.tables = pd.concat([self.tables, parsed.tables], ignore_index=True) if len(self.tables) else parsed.tables
        if len(self.sample) < 10 and not parsed.cells.empty:
            more = parsed.cells.head(10 - len(self.sample))
            self.sample = pd.concat([self.sample, more], ignore_index=True) if len(self.sample) else more
        if reused:
            self.reused += 1
        else:
            for stage, sec in parsed.seconds.items():
                self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + sec


def merge(parts: list[ShardParse]) -> ShardParse:
    """A batch's summary from its shards' (documents in shard order)."""
    whole = ShardParse(started=min((p.started for p in parts), default=0.0), ended=max((p.ended for p in parts), default=0.0))
    for p in parts:
        whole.documents += p.documents
        whole.problems.update(p.problems)
        whole.pages += p.pages
        whole.cells += p.cells
        whole.reused += p.reused
        for d, mine in ((whole.cells_by_method, p.cells_by_method), (whole.stage_seconds, p.stage_seconds)):
            for k, v in mine.items():
                d[k] = d.get(k, 0) + v
    tables = [p.tables for p in parts if not p.tables.empty]
    if tables:
        whole.tables = pd.concat(tables, ignore_index=True)
    samples = [p.sample for p in parts if not p.sample.empty]
    if samples:
        whole.sample = pd.concat(samples, ignore_index=True).head(10)
    return whole


def parse_shard(raw: pd.DataFrame, index: int, shards: int, limits: Limits, stage: Stage) -> ShardParse:
    """Parse this shard's documents of a raw manifest into the staged store.

    A document already staged by this code version is read back, not parsed again
    (a shard retried after its worker died, a batch re-run after its publisher
    died), unless it was rejected: a rejection may come from the limits, and a
    re-run is how a user tries other limits."""
    summary = ShardParse(started=time.time())
    todo = to_parse(raw)
    skipped = len(raw) - len(todo)
    # A Series, not a list: an empty list would select no columns instead of no rows.
    mine = todo[pd.Series([shard_of(r.document_id, r.raw_path, shards) == index for r in todo.itertuples(index=False)],
                          index=todo.index, dtype=bool)]
    reused = set()
    for row in mine.itertuples(index=False):
        if row.document_id and stage.has(row.document_id):
            staged = stage.get_parse(row.document_id)
            if staged.document["status"] != "rejected":
                # The name and path are this batch's: the same bytes may have come under another name.
                staged.document.update(raw_path=row.raw_path, file_name=row.file_name)
                summary.add(staged, reused=True)
                reused.add(row.document_id)
    rest = mine[~mine["document_id"].isin(reused)]
    if reused:
        log.info("read back %d documents staged by an earlier run of this code version", len(reused))
    for parsed in parse_stream(rest, limits, skipped=skipped + len(mine) - len(rest)):
        stage.put_parse(parsed)
        summary.add(parsed, reused=False)
    summary.ended = time.time()
    return summary


def validate_shard(documents: list[dict], index: int, shards: int, stage: Stage) -> dict:
    """Validate this shard's documents from the staged store and stage each one's checks; their counts.

    A document whose checks are already staged is not validated again: the checks
    follow from its staged parse, and a new parse of it removes them."""
    started = time.perf_counter()
    mine = [d for d in documents if shard_of(d["document_id"], d.get("raw_path") or "", shards) == index]
    batch = ParsedBatch(documents=[], cells=pd.DataFrame(columns=CELL_COLUMNS), tables=pd.DataFrame(columns=TABLE_STATUS_COLUMNS))
    frames, cells, tables = [], [], []
    for doc in mine:
        if stage.has(doc["document_id"], CHECKED):
            frames.append(stage.get_checks(doc["document_id"]))
            continue
        staged = stage.get_parse(doc["document_id"])
        add_document(batch, staged)
        cells.append(staged.cells)
        tables.append(staged.tables)
    if batch.documents:
        batch.cells = pd.concat([c for c in cells if not c.empty] or [batch.cells], ignore_index=True)
        batch.tables = pd.concat([t for t in tables if not t.empty] or [batch.tables], ignore_index=True)
        checks = validate_batch(batch)
        by_doc = dict(tuple(checks.groupby("document_id"))) if not checks.empty else {}
        for doc in batch.documents:
            stage.put_checks(doc["document_id"], by_doc.get(doc["document_id"], checks.iloc[0:0]))
        frames.append(checks)
    counts = {"checks": 0, "failed_error": 0, "failed_warn": 0, "documents_failing": set(), "seconds": 0.0}
    for checks in frames:
        failed = checks[~checks["passed"].astype(bool)]
        counts["checks"] += len(checks)
        counts["failed_error"] += int((failed["severity"] == "error").sum())
        counts["failed_warn"] += int((failed["severity"] == "warn").sum())
        counts["documents_failing"] |= set(failed.loc[failed["severity"] == "error", "document_id"])
    counts["seconds"] = time.perf_counter() - started
    return counts
