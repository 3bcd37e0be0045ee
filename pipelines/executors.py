"""Where an ingest run's steps execute: configuration, not a second pipeline.

With nothing set, `dagster dev` runs each step in a subprocess (Dagster's
default executor) and the CLI runs the whole job in its own process, one
parse step for the batch on a pool of processes. Two settings, read when the
definitions are built, spread a batch over a Dask cluster:

- `DISCLOSURES_DASK_SCHEDULER=tcp://host:8786`: the ingest job's steps run on
  that scheduler's workers (dagster-dask's executor);
- `DISCLOSURES_SHARDS=N`: a batch is parsed and validated in N steps
  (disclosures.shards), so N workers can take it at once (default: 3 when a
  scheduler is set, else 1).

Every process that builds the definitions (the webserver, the daemon, the
run's process, each Dask worker) must see the same settings: the steps of a
run are named by them.
"""

from __future__ import annotations

import os

from dagster import ExecutorDefinition

SCHEDULER = "DISCLOSURES_DASK_SCHEDULER"
SHARDS = "DISCLOSURES_SHARDS"


def configured() -> tuple[int, str]:
    """(shards, scheduler address or '') from the environment."""
    scheduler = os.environ.get(SCHEDULER, "").strip()
    shards = int(os.environ.get(SHARDS) or (3 if scheduler else 1))
    if shards < 1:
        raise ValueError(f"{SHARDS} must be 1 or more, not {shards}")
    return shards, scheduler


def ingest_executor(scheduler: str) -> ExecutorDefinition | None:
    """The Dask executor on an existing scheduler; None (Dagster's default) without one."""
    if not scheduler:
        return None
    from disclosures.pipelines.dask_executor import dask_cluster_executor

    return dask_cluster_executor.configured({"address": scheduler}, name="dask")
