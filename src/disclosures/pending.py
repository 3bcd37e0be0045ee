"""Which scraped documents still need ingesting, as batched ingest run configs.

Shared by the Dagster sensor and the CLI, so both batch the same way.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from disclosures.scrape import read_catalog


def pending(store: str | Path, since: str = "", source: str | None = None) -> pd.DataFrame:
    """Catalog rows first seen after `since` (ISO time), one per sha256, oldest first."""
    catalog = read_catalog(store)
    if catalog.empty:
        return catalog
    if source:
        catalog = catalog[catalog["source"] == source]
    catalog = catalog[catalog["first_seen"] > since] if since else catalog
    return catalog.sort_values("first_seen").drop_duplicates("sha256", keep="first")


def ingest_config(store: str | Path, rows: pd.DataFrame) -> dict:
    """`raw_documents` config for a batch of catalog rows: paths, where they came from, hints."""
    hints = []
    for r in rows.itertuples(index=False):
        year = r.fiscal_year_hint
        hints.append(
            {
                k: v
                for k, v in {
                    "department": r.department_hint,
                    "region": r.region,
                    "fiscal_year": int(year) if pd.notna(year) else None,
                }.items()
                if v is not None and not (isinstance(v, float) and pd.isna(v))
            }
        )
    return {
        "paths": [str(Path(store) / p) for p in rows["path"]],
        "source_urls": list(rows["url"]),
        "hints": hints,
    }


def batch_key(origin: str, members: list[str]) -> str:
    """The partition key of one ingest batch: where it came from and a digest of what it holds.

    The sensor's batches are keyed by their documents' sha256, so a batch requested
    twice is the same partition; the CLI adds the time (`origin`), since the same
    paths may hold other bytes tomorrow."""
    digest = hashlib.sha256("\n".join(members).encode()).hexdigest()[:16]
    return f"{origin}-{digest}"


def batches(rows: pd.DataFrame, size: int) -> list[pd.DataFrame]:
    return [rows.iloc[i : i + size] for i in range(0, len(rows), size)]
