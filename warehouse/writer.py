"""The one writer: publishes each document's rows to DuckDB atomically.

DuckDB allows one writing process per file, and DuckDB 2.0 commits each
statement of a multi-statement `execute()` on its own, so every document is
replaced inside an explicit transaction: readers see all of it or none of it,
and a crash mid-load leaves the previous version in place.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib.resources import files
from pathlib import Path

import duckdb
import pandas as pd
from filelock import FileLock, Timeout

from disclosures.frames import CELL_COLUMNS, CHECK_COLUMNS, CHECK_KEY_COLUMNS, TABLE_STATUS_COLUMNS
from disclosures.interrupts import held
from disclosures.tables import codes_where

DOCUMENT_COLUMNS = [
    "document_id", "department", "region", "fiscal_year", "report_kind", "source_url", "page_count",
    "status", "reason", "unit", "file_name", "raw_path", "cells", "errors", "warnings",
    "code_version", "run_id", "loaded_at", "budget_scope",
]
FACT_COLUMNS = [
    "document_id", "table_code", "row_key", "column_key", "amount", "unit", "page", "printed", "row_label",
    "x0", "y0", "x1", "y1", "method", "confidence", "code_version", "run_id",
]
_DOC_TABLES = ("fact_amounts", "checks", "document_tables", "document_problems", "documents")
DISPOSITIONS = ("bureau_error", "parser_error")
log = logging.getLogger("disclosures.progress")


def sql(name: str) -> str:
    return files("disclosures.warehouse").joinpath(name).read_text(encoding="utf-8")


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if read_only:
        return duckdb.connect(str(path), read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute(sql("schema.sql"))
    # The marts are views: created with the tables, so that a warehouse whose first ingest was
    # interrupted before the marts step is still one `report`, `query` and `export` can read.
    # Only when absent (replacing them costs ~0.2 s); the marts step replaces them after every run.
    if not con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'dim_documents'").fetchone()[0]:
        refresh_marts(con)
    return con


@contextmanager
def writing(path: str | Path, wait_seconds: float = 6 * 3600) -> Iterator[duckdb.DuckDBPyConnection]:
    """A write connection held by one process at a time, for as long as the block runs.

    DuckDB refuses a second writing process outright; two ingest batches that end
    at once must instead take turns. An OS file lock beside the warehouse is the
    queue: the kernel releases it when its holder dies, even by SIGKILL, where a
    Dagster pool slot held by a killed in-process run would never be freed."""
    lock = FileLock(f"{Path(path)}.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if wait_seconds <= 0:  # the caller would rather say so than wait
            raise
        log.info("waiting for another process writing %s", path)
        lock.acquire(timeout=wait_seconds)
    try:
        con = _connect_when_free(path, wait_seconds)
        try:
            yield con
        finally:
            con.close()
    finally:
        lock.release()


def is_locked(exc: Exception) -> bool:
    """Whether a DuckDB error is another process's lock on the file."""
    return isinstance(exc, duckdb.IOException) and "Could not set lock on file" in str(exc)


def holder(exc: Exception) -> str:
    """' (by process N)' from DuckDB's lock error, '' if it names none."""
    pid = re.search(r"\(PID (\d+)\)", str(exc))
    return f" (by process {pid.group(1)})" if pid else ""


def _connect_when_free(path: str | Path, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    """connect(), once no reader holds the file open.

    The writers' lock queues writers only: an analyst's read-only session, or another ingest
    reading its summary, holds DuckDB's own lock, and a write open would fail outright."""
    deadline = time.monotonic() + wait_seconds
    told = False
    while True:
        try:
            return connect(path)
        except duckdb.IOException as exc:
            if not is_locked(exc) or time.monotonic() >= deadline:
                raise
            if not told:
                log.info("waiting for a reader to close %s%s", path, holder(exc))
                told = True
            time.sleep(0.1)


def publish_document(
    con: duckdb.DuckDBPyConnection,
    document: dict,
    cells: pd.DataFrame,
    tables: pd.DataFrame,
    checks: pd.DataFrame,
    problems: list[str],
    code_version: str,
    run_id: str,
) -> None:
    """Replace everything the warehouse holds for one document, in one transaction.

    Ctrl-C is held until the transaction ends (interrupts.held): DuckDB would turn it into a
    failed statement, and the document would be recorded as failing to publish."""
    doc_id = document["document_id"]
    doc = {c: document.get(c) for c in DOCUMENT_COLUMNS}
    doc.update(
        cells=len(cells),
        errors=int(((~checks["passed"].astype(bool)) & (checks["severity"] == "error")).sum()) if len(checks) else 0,
        warnings=int(((~checks["passed"].astype(bool)) & (checks["severity"] == "warn")).sum()) if len(checks) else 0,
        code_version=code_version,
        run_id=run_id,
        loaded_at=datetime.now(timezone.utc).replace(tzinfo=None),
    )
    facts = cells.reindex(columns=CELL_COLUMNS).copy()
    facts["code_version"] = code_version
    facts["run_id"] = run_id
    checks_out = checks.reindex(columns=[*CHECK_COLUMNS, *CHECK_KEY_COLUMNS]).copy()
    checks_out["run_id"] = run_id
    frames = {
        "documents": pd.DataFrame([doc], columns=DOCUMENT_COLUMNS),
        "fact_amounts": facts[FACT_COLUMNS],
        "document_tables": tables.reindex(columns=TABLE_STATUS_COLUMNS),
        "checks": checks_out,
        "document_problems": pd.DataFrame({"document_id": [doc_id] * len(problems), "problem": problems}),
    }
    with held():
        con.execute("BEGIN TRANSACTION")
        try:
            for table in _DOC_TABLES:
                con.execute(f"DELETE FROM {table} WHERE document_id = ?", [doc_id])
            for table, frame in frames.items():
                if frame.empty:
                    continue
                con.register("incoming", frame)
                cols = ", ".join(frame.columns)
                con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM incoming")
                con.unregister("incoming")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise


def marts_sql() -> str:
    """marts.sql with the table lists the declarations give: a table declared with rows keyed by
    function or economic code joins the subject dimensions without an edit here."""
    text = sql("marts.sql")
    for name, rows in (("function_tables", "function_code"), ("economic_tables", "economic_code")):
        text = text.replace("{" + name + "}", ", ".join(f"'{c}'" for c in codes_where(rows=rows)))
    return text


def refresh_marts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(marts_sql())


def snapshot_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(path.stem + ".snapshot.duckdb")


def publish_snapshot(con: duckdb.DuckDBPyConnection, path: str | Path) -> Path:
    """Copy the warehouse to `<name>.snapshot.duckdb`, atomically, for analysts to read.

    The pipeline holds the write lock on the warehouse during a run; analysts
    open the snapshot read-only, and it is replaced by a rename, never edited.
    """
    path = Path(path)
    con.execute("CHECKPOINT")
    snapshot = snapshot_path(path)
    tmp = snapshot.with_suffix(".tmp")
    shutil.copyfile(path, tmp)
    os.replace(tmp, snapshot)
    return snapshot


def record_disposition(
    con: duckdb.DuckDBPyConnection, document_id: str, check_name: str, disposition: str, note: str, reviewer: str
) -> None:
    """A reviewer's verdict on a failed check, appended (earlier verdicts are kept)."""
    if disposition not in DISPOSITIONS:
        raise ValueError(f"disposition must be one of {', '.join(DISPOSITIONS)}, not {disposition!r}")
    found = con.execute(
        "SELECT passed FROM checks WHERE document_id = ? AND check_name = ?", [document_id, check_name]
    ).fetchone()
    if found is None:
        raise ValueError(f"no check {check_name!r} for document {document_id}")
    if found[0]:
        raise ValueError(f"check {check_name!r} passed for document {document_id}: nothing to triage")
    con.execute(
        "INSERT INTO check_dispositions VALUES (?, ?, ?, ?, ?, ?)",
        [document_id, check_name, disposition, note, reviewer, datetime.now(timezone.utc).replace(tzinfo=None)],
    )


def published_versions(path: str | Path, document_ids: list[str]) -> dict[str, str]:
    """The code version each of these documents was last published by, for those the warehouse holds.

    A rejected document is left out: it is tried again (with other limits, or once the
    download is repaired), since rejecting costs little."""
    path = Path(path)
    if not path.exists() or not document_ids:
        return {}
    with reading(path) as con:
        if con is None:
            return {}
        try:
            return versions(con, document_ids)
        except duckdb.CatalogException:
            return {}


def versions(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> dict[str, str]:
    """published_versions on a connection the caller holds (the publisher's, under its lock)."""
    # A cursor of its own: the caller's connection goes on to its transactions, and DuckDB 2.0 refuses
    # those while a result of the same connection is still open.
    cur = con.cursor()
    try:
        cur.register("wanted", pd.DataFrame({"document_id": document_ids}, dtype=object))
        return dict(cur.execute(
            "SELECT document_id, code_version FROM documents JOIN wanted USING (document_id) WHERE status <> 'rejected'"
        ).fetchall())
    finally:
        cur.close()


def dispositions(path: str | Path) -> pd.DataFrame:
    """The verdicts in force, read between two writers (empty if there is no warehouse yet)."""
    path = Path(path)
    empty = pd.DataFrame(columns=["document_id", "check_name", "disposition", "note"])
    with reading(path) as con:
        if con is None:
            return empty
        try:
            return con.execute(
                """SELECT document_id, check_name, disposition, note FROM check_dispositions
                   QUALIFY row_number() OVER (PARTITION BY document_id, check_name ORDER BY recorded_at DESC) = 1"""
            ).df()
        except duckdb.Error:
            return empty


@contextmanager
def reading(path: str | Path) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A read-only connection taken between two writers; None if there is no warehouse yet.

    A publisher's open connection would refuse this one (and what was read would
    silently be nothing), so the reader queues on the writers' lock, briefly."""
    path = Path(path)
    if not path.exists():
        yield None
        return
    with FileLock(f"{path}.lock"):
        try:
            con = duckdb.connect(str(path), read_only=True)
        except duckdb.Error:
            con = None
        try:
            yield con
        finally:
            if con is not None:
                con.close()
