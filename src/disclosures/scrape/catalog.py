"""The catalog of what was fetched, the scrape events, and the page cache:
JSON lines under the store, one file per source.

One file per source, rather than one DuckDB file, lets Dagster crawl several
sources at once without fighting over a database lock; DuckDB reads them all
in one go: SELECT * FROM read_json_auto('<store>/catalog/*.jsonl').

    <store>/catalog/<source>.jsonl  one row per (sha256, url): CATALOG_FIELDS
                                    (during a crawl, or after one was killed, a
                                    key may repeat: the last row is current)
    <store>/events/<source>.jsonl   one row per problem: EVENT_FIELDS (append-only)
    <store>/runs/<source>.jsonl     one row per crawl: RUN_FIELDS (append-only)
    <store>/state/<source>.jsonl    per URL: validators and links of each HTML
                                    page, so a 304 page needs no re-download, and
                                    validators of refused files (too large, not a
                                    PDF), so they are not downloaded again either

Rows are appended the moment they are known, so a crawl killed by SIGKILL or
`timeout` keeps everything it fetched and the next run goes on from there;
each file is rewritten without the superseded rows when a crawl ends.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

CATALOG_FIELDS = [
    "sha256",  # of the file's bytes: the document's id
    "url",  # where these bytes were served
    "source",  # registry entry name
    "path",  # relative to the store: raw/ab/ab….pdf
    "size",  # bytes
    "first_seen",  # ISO 8601 UTC: first time this url served these bytes
    "last_seen",  # last time this url was confirmed to serve them (200 or 304)
    "title",  # the announcement's title (list link text, else page heading)
    "link_text",  # the attachment link's own text
    "page_url",  # the page that linked the file
    "department_hint",
    "region",
    "report_kind_hint",  # final | budget | unknown
    "fiscal_year_hint",  # int or null
    "etag",
    "last_modified",
    "http_status",  # of the last fetch: 200, or 304 when unchanged
]
EVENT_FIELDS = ["run_id", "source", "at", "url", "kind", "message", "page_url", "http_status"]
RUN_FIELDS = [
    "run_id", "source", "started", "finished", "requests", "bytes", "pdf_bytes",
    "pages", "documents", "new_documents", "problems",
    "stopped_by",  # null for a crawl that ran out of links; crawl-deadline or request-cap
    "not_fetched",  # links left unfetched when it stopped
]


class CrawlBusy(RuntimeError):
    """Another crawl of the same source is writing to this store."""


class Catalog:
    """One source's catalog rows, held in memory during a crawl; each new or
    changed row is appended to the file at once, and the file is compacted
    (rewritten atomically, one row per key) by save()."""

    def __init__(self, root: str | Path, source: str) -> None:
        self.root = Path(root)
        self.source = source
        self.path = self.root / "catalog" / f"{source}.jsonl"
        self.rows: dict[tuple[str, str], dict] = {}
        self._by_url: dict[str, set[str]] = {}
        for row in _read_lines(self.path):
            self._index(row)

    def _index(self, row: dict) -> None:
        self.rows[(row["sha256"], row["url"])] = row
        self._by_url.setdefault(row["url"], set()).add(row["sha256"])

    def latest_for(self, url: str) -> dict | None:
        """The version this URL served most recently."""
        rows = [self.rows[(sha, url)] for sha in self._by_url.get(url, ())]
        return max(rows, key=lambda row: row["last_seen"], default=None)

    def upsert(self, row: dict) -> dict:
        key = (row["sha256"], row["url"])
        old = self.rows.get(key)
        if old is not None:
            row = {**old, **{k: v for k, v in row.items() if k != "first_seen"}}
        self._index({field: row.get(field) for field in CATALOG_FIELDS})
        _append_lines(self.path, [self.rows[key]], CATALOG_FIELDS)
        return self.rows[key]

    def save(self) -> None:
        ordered = sorted(self.rows.values(), key=lambda row: (row["first_seen"], row["url"]))
        _write_lines(self.path, ordered)


class UrlState:
    """What the next run needs to know about a URL that is not a catalogued
    PDF: rows with state "page" (an HTML page) or a refusal kind. Appended
    as they come, like the catalog; a dropped URL is a row with state null."""

    def __init__(self, root: str | Path, source: str) -> None:
        self.path = Path(root) / "state" / f"{source}.jsonl"
        self.rows: dict[str, dict] = {}
        for row in _read_lines(self.path):
            if row.get("state") is None:
                self.rows.pop(row["url"], None)
            else:
                self.rows[row["url"]] = row

    def get(self, url: str, state: str | None = None) -> dict | None:
        row = self.rows.get(url)
        if row is None or (state is not None and row.get("state") != state):
            return None
        return row

    def put(self, row: dict) -> None:
        self.rows[row["url"]] = row
        _append_lines(self.path, [row])

    def drop(self, url: str) -> None:
        if self.rows.pop(url, None) is not None:
            _append_lines(self.path, [{"url": url, "state": None}])

    def save(self) -> None:
        _write_lines(self.path, sorted(self.rows.values(), key=lambda row: row["url"]))


def append_events(root: str | Path, source: str, events: Iterable[dict]) -> None:
    _append_lines(Path(root) / "events" / f"{source}.jsonl", events, EVENT_FIELDS)


def append_run(root: str | Path, source: str, run: dict) -> None:
    _append_lines(Path(root) / "runs" / f"{source}.jsonl", [run], RUN_FIELDS)


@contextlib.contextmanager
def source_lock(root: str | Path, source: str) -> Iterator[None]:
    """Held for a whole crawl: a second crawl of the same source into the same
    store (a sensor firing during a scheduled run) fails fast instead of the
    two overwriting each other's catalog."""
    path = Path(root) / "catalog" / f"{source}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CrawlBusy(f"another crawl of {source!r} is running on {root}") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# -- reading, for the pipeline ------------------------------------------------


def read_catalog(root: str | Path) -> pd.DataFrame:
    """Every source's catalog rows: one row per (sha256, url), the latest."""
    catalog = _read_dir(Path(root) / "catalog", CATALOG_FIELDS)
    return catalog.drop_duplicates(["sha256", "url"], keep="last").reset_index(drop=True)


def read_events(root: str | Path) -> pd.DataFrame:
    return _read_dir(Path(root) / "events", EVENT_FIELDS)


def read_runs(root: str | Path) -> pd.DataFrame:
    return _read_dir(Path(root) / "runs", RUN_FIELDS)


def _read_dir(directory: Path, fields: list[str]) -> pd.DataFrame:
    rows = [row for path in sorted(directory.glob("*.jsonl")) for row in _read_lines(path)]
    return pd.DataFrame.from_records(rows, columns=fields)


# -- JSON lines ---------------------------------------------------------------


def _read_lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line:
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    continue  # a line cut short by a crash while appending
    return rows


def _write_lines(path: Path, rows: Iterable[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".jsonl.tmp")
    with open(temp, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def _append_lines(path: Path, rows: Iterable[dict], fields: list[str] | None = None) -> None:
    """Append and flush: once written, a row survives the process being
    killed (the kernel has it; fsync would guard against power loss too, at
    a disk sync per PDF, and compaction fsyncs at the end of each crawl)."""
    text = "".join(
        json.dumps(row if fields is None else {f: row.get(f) for f in fields}, ensure_ascii=False) + "\n"
        for row in rows
    )
    if not text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        # A line cut short by an earlier kill is skipped on reading; start a
        # new line so this row is not glued onto it and lost as well.
        if handle.seek(0, os.SEEK_END) > 0:
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":
                text = "\n" + text
        handle.write(text.encode("utf-8"))
