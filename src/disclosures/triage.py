"""Triage: a reviewer settles a failed check as the bureau's own error or as a parser error.

The verdict is appended to `check_dispositions` in the warehouse (history kept,
latest in force), shows in `check_results`, survives re-runs, and decides
whether a document is `flagged` in the marts. It never changes a figure.

A verdict names the document and the check the way the worklist prints them
(worklist.py), and settles the whole worklist item: the discrepancy and the
failures that follow from it. Anything it cannot match exactly is refused with
one line saying what was expected, and nothing is written.
"""

from __future__ import annotations

import difflib

import duckdb
import pandas as pd
from filelock import Timeout

from disclosures.warehouse.reader import WarehouseBusy, is_locked
from disclosures.warehouse.writer import DISPOSITIONS, publish_snapshot, record_disposition, writing
from disclosures.worklist import failed_checks, group, item_of, unread_tables


class Refused(ValueError):
    """A verdict that names no document, no failed check, or no known disposition; one line."""


def resolve_document(con: duckdb.DuckDBPyConnection, ref: str) -> str:
    """A document by its file name, or its id (the 12 characters the worklist prints, or more).

    A prefix is compared as text (`starts_with`), not as a LIKE pattern: `%` and
    `_` in what a reviewer types are characters of a name, not wildcards."""
    ref = ref.strip().strip("`").strip()
    if not ref:
        raise Refused("no document given: use the file name or the id the worklist prints")
    rows = con.execute(
        "SELECT document_id, file_name FROM documents WHERE file_name = ? OR (length(?) >= 6 AND starts_with(document_id, lower(?)))",
        [ref, ref, ref],
    ).fetchall()
    if len(rows) == 1:
        return rows[0][0]
    if len(rows) > 1:
        ids = ", ".join(r[0][:12] for r in rows)
        raise Refused(f"{ref!r} names {len(rows)} documents ({ids}): give the id the worklist prints")
    names = [r[0] for r in con.execute("SELECT file_name FROM documents WHERE file_name IS NOT NULL").fetchall()]
    close = difflib.get_close_matches(ref, names, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else "; use the file name or the id the worklist prints"
    raise Refused(f"{ref!r} matches 0 documents in the warehouse{hint}")


def settle(
    con: duckdb.DuckDBPyConnection, document: str, check: str, verdict: str, note: str, reviewer: str
) -> tuple[str, list[str]]:
    """Record `verdict` on the worklist item holding `check`: the check and its consequences,
    in one transaction. Returns the document id and the checks settled."""
    verdict = verdict.strip().replace("-", "_")
    if verdict not in DISPOSITIONS:
        raise Refused(f"the verdict must be one of {', '.join(DISPOSITIONS)}, not {verdict!r}")
    if not note.strip():
        raise Refused("a verdict needs a note: what the page shows")
    doc_id = resolve_document(con, document)
    check = check.strip().strip("`").strip()
    failed = failed_checks(con, doc_id)
    name = failed["file_name"].iloc[0] if not failed.empty else doc_id[:12]
    if check not in set(failed["check_name"]):
        ran = con.execute("SELECT passed FROM checks WHERE document_id = ? AND check_name = ?", [doc_id, check]).fetchone()
        if ran is not None:
            raise Refused(f"check {check!r} passed for {name}: nothing to triage")
        close = difflib.get_close_matches(check, list(failed["check_name"]), n=2, cutoff=0.6)
        hint = (f"; did you mean {' or '.join(repr(c) for c in close)}?" if close
                else f"; it has {len(failed)} failed checks, listed in the worklist" if len(failed) else "; it has none")
        raise Refused(f"{name} has no check {check!r} that failed{hint}")
    unread = unread_tables(con)
    item = item_of(group(failed, unread[unread["document_id"] == doc_id]), doc_id, check)
    names = [check] + [n for n in item.members["check_name"] if n != check]
    con.execute("BEGIN TRANSACTION")
    try:
        for n in names:
            record_disposition(con, doc_id, n, verdict, note if n == check else f"{note} (follows from {check})", reviewer)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return doc_id, names


def mark(warehouse: str, document: str, check: str, verdict: str, note: str, reviewer: str) -> tuple[str, list[str]]:
    """`settle` in the live warehouse, then refresh the analysts' snapshot.

    A verdict belongs in the live file, not in the snapshot the next run
    replaces, so while another process writes it the reviewer is told at once
    (WarehouseBusy) rather than kept waiting behind a whole ingest."""
    busy = WarehouseBusy("the warehouse is being written; mark again when the ingest ends")
    try:
        with writing(warehouse, wait_seconds=0) as con:
            settled = settle(con, document, check, verdict, note, reviewer)
            publish_snapshot(con, warehouse)
    except Timeout:
        raise busy from None
    except duckdb.Error as exc:  # a writer outside the queue (another tool) holds DuckDB's own lock
        if not is_locked(exc):
            raise
        raise busy from None
    return settled


def failures(con: duckdb.DuckDBPyConnection, include_settled: bool = False) -> pd.DataFrame:
    """Failed error-severity checks, the untriaged (and parser errors) first."""
    where = "" if include_settled else "AND (c.disposition IS NULL OR c.disposition = 'parser_error')"
    return con.execute(
        f"""SELECT left(c.document_id, 12) AS document, d.file_name, d.department, d.fiscal_year, c.check_name, c.page,
                   c.lhs, c.rhs, c.difference, c.unit, coalesce(c.disposition, 'open') AS disposition, c.disposition_note
            FROM check_results c JOIN documents d USING (document_id)
            WHERE NOT c.passed AND c.severity = 'error' {where}
            ORDER BY c.disposition NULLS FIRST, d.department, c.check_name"""
    ).df()
