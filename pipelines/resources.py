"""Resources: where the raw files and the warehouse live. Config, not globals."""

from __future__ import annotations

import os

from dagster import ConfigurableResource, EnvVar
from dagster_duckdb import DuckDBResource

from disclosures.workers import Limits


class RawStore(ConfigurableResource):
    """The content-addressed store of every file ever ingested or scraped."""

    root: str = "data"


class Parser(ConfigurableResource):
    """What parsing one document may cost, and how many worker processes parse at once."""

    workers: int = 0  # 0: one per core
    memory_mb: int = Limits.memory_mb
    seconds_per_document: float = Limits.seconds

    def limits(self) -> Limits:
        return Limits(workers=self.workers, memory_mb=self.memory_mb, seconds=self.seconds_per_document)


def default_resources() -> dict:
    return {
        "raw_store": RawStore(root=os.environ.get("DISCLOSURES_DATA", "data")),
        "parser": Parser(),
        "warehouse": DuckDBResource(database=os.environ.get("DISCLOSURES_WAREHOUSE", "data/warehouse.duckdb")),
    }


__all__ = ["RawStore", "Parser", "DuckDBResource", "EnvVar", "default_resources"]
