"""Analysts' read connections: the live warehouse, or its snapshot while an ingest writes it.

DuckDB lets no other process open a file, even read-only, while one process
holds it for writing, and an ingest holds the live file for as long as it
publishes. The pipeline copies the warehouse to `<name>.snapshot.duckdb` at
the end of every run (writer.publish_snapshot), so a reader that finds the
live file locked reads that copy and says so, instead of failing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from disclosures.warehouse.writer import holder, is_locked, snapshot_path


class WarehouseBusy(Exception):
    """The live warehouse is locked by a writer and there is nothing else to read; the message is one line."""


def open_for_reading(path: str | Path) -> tuple[duckdb.DuckDBPyConnection, str]:
    """A read-only connection and a note: '' for the live file, one line when it reads the snapshot.

    Raises FileNotFoundError when there is no warehouse, WarehouseBusy when the
    live file is locked and no snapshot has been published yet."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}")
    try:
        return duckdb.connect(str(path), read_only=True), ""
    except duckdb.Error as exc:
        if not is_locked(exc):
            raise
        busy = f"the warehouse is being written{holder(exc)}"
    snapshot = snapshot_path(path)
    if not snapshot.exists():
        raise WarehouseBusy(f"{busy}; it has no snapshot to read instead yet: try again when the ingest ends")
    published = datetime.fromtimestamp(snapshot.stat().st_mtime).isoformat(sep=" ", timespec="seconds")
    return duckdb.connect(str(snapshot), read_only=True), f"{busy}; reading the snapshot published {published}: {snapshot}"
