"""Resources: where the raw files and the warehouse live. Config, not globals."""

from __future__ import annotations

import os

from dagster import ConfigurableResource, EnvVar
from dagster_duckdb import DuckDBResource


class RawStore(ConfigurableResource):
    """The content-addressed store of every file ever ingested or scraped."""

    root: str = "data"


def default_resources() -> dict:
    return {
        "raw_store": RawStore(root=os.environ.get("DISCLOSURES_DATA", "data")),
        "warehouse": DuckDBResource(database=os.environ.get("DISCLOSURES_WAREHOUSE", "data/warehouse.duckdb")),
    }


__all__ = ["RawStore", "DuckDBResource", "EnvVar", "default_resources"]
