"""Triage: a reviewer settles a failed check as the bureau's own error or as a parser error.

The verdict is appended to `check_dispositions` in the warehouse (history kept,
latest in force), shows in `check_results`, survives re-runs, and decides
whether a document is `flagged` in the marts. It never changes a figure.
"""

from __future__ import annotations

import duckdb
import pandas as pd
from filelock import Timeout

from disclosures.warehouse.reader import WarehouseBusy, is_locked
from disclosures.warehouse.writer import publish_snapshot, record_disposition, writing


def resolve_document(con: duckdb.DuckDBPyConnection, ref: str) -> str:
    """A document by its sha256, a unique prefix of it, or its file name.

    A prefix is compared as text (`starts_with`), not as a LIKE pattern: `%` and
    `_` in what a reviewer types are characters of a name, not wildcards."""
    rows = con.execute(
        "SELECT document_id FROM documents WHERE (? <> '' AND starts_with(document_id, ?)) OR file_name = ?", [ref, ref, ref]
    ).fetchall()
    if len(rows) != 1:
        raise ValueError(f"{ref!r} matches {len(rows)} documents; give more of the sha256 or the exact file name")
    return rows[0][0]


def mark(warehouse: str, document: str, check_name: str, disposition: str, note: str, reviewer: str) -> str:
    """Record a verdict and refresh the analysts' snapshot; returns the document id.

    A verdict belongs in the live file, not in the snapshot the next run
    replaces, so while another process writes it the reviewer is told at once
    rather than kept waiting behind a whole ingest."""
    busy = WarehouseBusy("the warehouse is being written; mark again when the ingest ends")
    try:
        with writing(warehouse, wait_seconds=0) as con:
            doc_id = resolve_document(con, document)
            record_disposition(con, doc_id, check_name, disposition.replace("-", "_"), note, reviewer)
            publish_snapshot(con, warehouse)
    except Timeout:
        raise busy from None
    except duckdb.Error as exc:  # a writer outside the queue (another tool) holds DuckDB's own lock
        if not is_locked(exc):
            raise
        raise busy from None
    return doc_id


def failures(con: duckdb.DuckDBPyConnection, include_settled: bool = False) -> pd.DataFrame:
    """Failed error-severity checks, the untriaged (and parser errors) first."""
    where = "" if include_settled else "AND (c.disposition IS NULL OR c.disposition = 'parser_error')"
    return con.execute(
        f"""SELECT left(c.document_id, 12) AS document, d.department, c.check_name, c.page,
                   c.lhs, c.rhs, c.difference, coalesce(c.disposition, 'open') AS disposition, c.disposition_note
            FROM check_results c JOIN documents d USING (document_id)
            WHERE NOT c.passed AND c.severity = 'error' {where}
            ORDER BY c.disposition NULLS FIRST, d.department, c.check_name"""
    ).df()
