"""Resources: where the raw files and the warehouse live. Config, not globals."""

from __future__ import annotations

import os

from dagster import ConfigurableResource, EnvVar
from dagster_duckdb import DuckDBResource

from disclosures.staging import Stage
from disclosures.version import code_version
from disclosures.workers import Limits


class RawStore(ConfigurableResource):
    """The content-addressed store of every file ever ingested or scraped."""

    root: str = "data"


class Staging(ConfigurableResource):
    """Where the parse and validation steps leave each document for the publisher (disclosures.staging):
    a directory every worker can reach, or an fsspec URL (s3://bucket/staged). Empty: `<raw store>/staged`."""

    url: str = ""

    def stage(self, raw_store: RawStore) -> Stage:
        return Stage(self.url or os.path.join(raw_store.root, "staged"), code_version())


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
        "staging": Staging(url=os.environ.get("DISCLOSURES_STAGING", "")),
        "warehouse": DuckDBResource(database=os.environ.get("DISCLOSURES_WAREHOUSE", "data/warehouse.duckdb")),
    }


__all__ = ["RawStore", "Staging", "Parser", "DuckDBResource", "EnvVar", "default_resources"]
