"""The code location `dagster dev` loads (workspace.yaml) and the CLI runs in-process.

`defs` is lazy (`@definitions`): the source registry and the executor settings
are read when Dagster, or the CLI, builds the definitions, so importing this
module does no work and reads no setting.
"""

from __future__ import annotations

from dagster import AssetSelection, Definitions, define_asset_job, definitions

from disclosures.assets import ALL_CHECKS, ingest_assets
from disclosures.assets.raw import fed_by, raw_documents
from disclosures.assets.scrape import Registry, load_registry, scrape_assets
from disclosures.assets.triage import check_dispositions
from disclosures.pipelines.automation import new_documents_sensor, scrape_jobs, scrape_schedules
from disclosures.pipelines.executors import configured, ingest_executor
from disclosures.pipelines.resources import default_resources
from disclosures.pipelines.triage import triage


def build_definitions(registry: Registry | None = None, shards: int | None = None, scheduler: str | None = None) -> Definitions:
    """Everything, with one scrape asset, job and schedule per loaded registry entry
    (default: the registry in `$DISCLOSURES_SOURCES`, else the packaged `sources/`), and the
    ingest job's shards and executor (default: from the environment, pipelines/executors.py)."""
    registry = registry or load_registry()
    env_shards, env_scheduler = configured()
    shards = shards or env_shards
    scheduler = env_scheduler if scheduler is None else scheduler
    scrape = scrape_assets(registry.sources)
    jobs = scrape_jobs(registry.sources, scrape)
    ingest = ingest_assets(shards)
    ingest_job = define_asset_job(
        "ingest",
        selection=AssetSelection.assets(*ingest),
        description="Parse, validate and publish a batch of disclosure PDFs (run config: ops.raw_documents.config.paths), "
        "then re-evaluate the checks on what the warehouse holds.",
        executor_def=ingest_executor(scheduler),
    )
    return Definitions(
        assets=[fed_by(list(scrape.values())), *(a for a in ingest if a is not raw_documents), check_dispositions,
                *scrape.values()],
        asset_checks=ALL_CHECKS,
        jobs=[ingest_job, triage, *jobs.values()],
        schedules=scrape_schedules(registry.sources, jobs),
        sensors=[new_documents_sensor],
        resources=default_resources(),
    )


def ingest_job_for(shards: int, scheduler: str):
    """The ingest job with these settings: what a run launched on a cluster is rebuilt from, in its
    own process and on every worker (pipelines/launch.py), whatever their environment says."""
    return build_definitions(shards=shards, scheduler=scheduler).resolve_job_def("ingest")


@definitions
def defs() -> Definitions:
    return build_definitions()
