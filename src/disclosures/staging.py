"""The staged store: what the parse and validation steps hand to the one publisher, as Parquet.

Steps that may run on other machines (a Dask worker, a Kubernetes pod) never
open the warehouse: DuckDB has one writing process per file, and a worker that
held it would block every other worker and the analysts' snapshot. Each
document's parse and checks are written here instead, keyed by its sha256 and
the code version that produced them, and the publish step loads them.

Layout, under a directory or any fsspec URL (`s3://bucket/staged`, `gs://…`):

    <code version>/<sha256[:2]>/<sha256>/cells.parquet      the landed cells
                                         tables.parquet     which tables it prints, and their status
                                         pages.parquet      its 情况说明 pages' text (validation reads them)
                                         document.parquet   its documents row and problems; written last
                                         checks.parquet     the validation step's results

A file is written under a temporary name and moved into place, so a reader
(or a retried step) sees a whole file or none: `document.parquet` marks a
parse complete, `checks.parquet` a validation. A step killed mid-document
leaves at most a temporary file, which the retry ignores and overwrites.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

import fsspec
import pandas as pd

from disclosures.frames import CELL_COLUMNS, CHECK_COLUMNS, CHECK_KEY_COLUMNS, TABLE_STATUS_COLUMNS

PARSED, CHECKED = "document.parquet", "checks.parquet"


@dataclass
class StagedParse:
    """One document's parse, as the publisher and validation read it back."""

    document: dict
    cells: pd.DataFrame
    tables: pd.DataFrame
    narrative_by_page: dict[int, str]
    problems: list[str]
    seconds: dict[str, float]


class Stage:
    """The staged files of one code version, in a directory or an fsspec URL."""

    def __init__(self, url: str, code_version: str) -> None:
        self.fs, root = fsspec.core.url_to_fs(url)
        self.root = f"{root.rstrip('/')}/{code_version}"
        self.url = url

    def _dir(self, document_id: str) -> str:
        return f"{self.root}/{document_id[:2]}/{document_id}"

    def _put(self, document_id: str, name: str, frame: pd.DataFrame) -> None:
        folder = self._dir(document_id)
        self.fs.makedirs(folder, exist_ok=True)
        tmp = f"{folder}/.{name}.{uuid.uuid4().hex}.tmp"
        with self.fs.open(tmp, "wb") as f:
            frame.to_parquet(f, index=False)
        self.fs.mv(tmp, f"{folder}/{name}")  # a rename on a disk; one PUT, whole or absent, on an object store

    def _get(self, document_id: str, name: str, columns: list[str]) -> pd.DataFrame:
        with self.fs.open(f"{self._dir(document_id)}/{name}", "rb") as f:
            frame = pd.read_parquet(f).reindex(columns=columns)
        for c in frame.columns:  # text comes back as it went: str or None
            if frame[c].dtype == object or str(frame[c].dtype) == "string":
                frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
        return frame

    def has(self, document_id: str, name: str = PARSED) -> bool:
        return self.fs.exists(f"{self._dir(document_id)}/{name}")

    def put_parse(self, parsed) -> None:
        """One document's parse (a ParsedDocument with its `document` row complete); the row goes last."""
        doc = parsed.document
        doc_id = doc["document_id"]
        for name in (PARSED, CHECKED):  # a new parse (a rejection retried) voids what the old one staged
            if self.has(doc_id, name):
                self.fs.rm(f"{self._dir(doc_id)}/{name}")
        self._put(doc_id, "cells.parquet", parsed.cells.reindex(columns=CELL_COLUMNS))
        self._put(doc_id, "tables.parquet", parsed.tables.reindex(columns=TABLE_STATUS_COLUMNS))
        pages = parsed.narrative_by_page
        self._put(doc_id, "pages.parquet", pd.DataFrame({"page": list(pages), "text": list(pages.values())}, dtype=object))
        # Values of every type in one row: kept as JSON, so a hint's int or a missing year round-trips as it was.
        self._put(doc_id, PARSED, pd.DataFrame([{
            "document_id": doc_id,
            "document": json.dumps(doc, ensure_ascii=False, default=str),
            "problems": json.dumps(list(parsed.problems), ensure_ascii=False),
            "seconds": json.dumps(parsed.seconds),
        }]))

    def get_parse(self, document_id: str) -> StagedParse:
        row = self._get(document_id, PARSED, ["document", "problems", "seconds"]).iloc[0]
        pages = self._get(document_id, "pages.parquet", ["page", "text"])
        return StagedParse(
            document=json.loads(row["document"]),
            cells=self._get(document_id, "cells.parquet", CELL_COLUMNS),
            tables=self._get(document_id, "tables.parquet", TABLE_STATUS_COLUMNS),
            narrative_by_page={int(p): t for p, t in zip(pages["page"], pages["text"])},
            problems=json.loads(row["problems"]),
            seconds=json.loads(row["seconds"]),
        )

    def put_checks(self, document_id: str, checks: pd.DataFrame) -> None:
        self._put(document_id, CHECKED, checks.reindex(columns=[*CHECK_COLUMNS, *CHECK_KEY_COLUMNS]))

    def get_checks(self, document_id: str) -> pd.DataFrame:
        return self._get(document_id, CHECKED, [*CHECK_COLUMNS, *CHECK_KEY_COLUMNS])
