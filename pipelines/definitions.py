"""The code location `dagster dev` loads (workspace.yaml) and the CLI runs in-process.

`defs` is lazy (`@definitions`): the source registry is read when Dagster, or
the CLI, builds the definitions, so importing this module does no work and
reads no setting.
"""

from __future__ import annotations

from dagster import AssetSelection, Definitions, define_asset_job, definitions

from disclosures.assets import ALL_ASSETS, ALL_CHECKS, INGEST_ASSETS
from disclosures.assets.raw import fed_by, raw_documents
from disclosures.assets.scrape import Registry, load_registry, scrape_assets
from disclosures.pipelines.automation import new_documents_sensor, scrape_jobs, scrape_schedules
from disclosures.pipelines.resources import default_resources
from disclosures.pipelines.triage import triage

ingest_job = define_asset_job(
    "ingest",
    selection=AssetSelection.assets(*INGEST_ASSETS),
    description="Parse, validate and publish a batch of disclosure PDFs (run config: ops.raw_documents.config.paths), "
    "then re-evaluate the checks on what the warehouse holds.",
)


def build_definitions(registry: Registry | None = None) -> Definitions:
    """Everything, with one scrape asset, job and schedule per loaded registry entry
    (default: the registry in `$DISCLOSURES_SOURCES`, else the packaged `sources/`)."""
    registry = registry or load_registry()
    scrape = scrape_assets(registry.sources)
    jobs = scrape_jobs(registry.sources, scrape)
    return Definitions(
        assets=[fed_by(list(scrape.values())), *(a for a in ALL_ASSETS if a is not raw_documents), *scrape.values()],
        asset_checks=ALL_CHECKS,
        jobs=[ingest_job, triage, *jobs.values()],
        schedules=scrape_schedules(registry.sources, jobs),
        sensors=[new_documents_sensor],
        resources=default_resources(),
    )


@definitions
def defs() -> Definitions:
    return build_definitions()
