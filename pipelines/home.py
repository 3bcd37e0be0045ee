"""One Dagster home per warehouse.

The asset checks describe what a warehouse holds, and the UI plots a check's
history from every run its Dagster home recorded. Two warehouses in one home
would interleave in those plots and in the assets' materializations (the demo's
green beside another warehouse's red). So the first warehouse a home writes to
is recorded in the home's own key-value store, and a run against another one
is refused with a message saying what to do, before anything is written.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from dagster import DagsterInstance

KEY = "disclosures/warehouse"
POSTGRES_URL = "DAGSTER_POSTGRES_URL"


def instance_settings() -> str:
    """The dagster.yaml a new home gets: on PostgreSQL when `$DAGSTER_POSTGRES_URL` names a
    database (every process and machine then shares the runs), else on SQLite files in the home."""
    name = "dagster.postgres.yaml" if os.environ.get(POSTGRES_URL) else "dagster.yaml"
    return files("disclosures.pipelines").joinpath(name).read_text(encoding="utf-8")


class WrongHome(ValueError):
    """This Dagster home already records another warehouse."""


def claim_home(instance: DagsterInstance, warehouse: str | Path) -> None:
    """Record `warehouse` as this home's, or refuse it if the home already has another."""
    path = str(Path(warehouse).resolve())
    held = instance.run_storage.get_cursor_values({KEY}).get(KEY)
    if held is None:
        instance.run_storage.set_cursor_values({KEY: path})
    elif held != path:
        home = getattr(instance, "root_directory", None) or "this Dagster home"
        raise WrongHome(
            f"the Dagster home {home} records the warehouse {held}; {path} needs a home of its own "
            f"(set DAGSTER_HOME to another folder, e.g. {Path(path).with_suffix('')}.dagster_home)"
        )
