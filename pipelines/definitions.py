"""The code location `dagster dev` loads (workspace.yaml) and the CLI runs in-process."""

from __future__ import annotations

from dagster import AssetSelection, Definitions, define_asset_job

from disclosures.assets import ALL_ASSETS
from disclosures.assets.scrape import SCRAPE_ASSETS
from disclosures.pipelines.automation import SCHEDULES, SCRAPE_JOBS, new_documents_sensor
from disclosures.pipelines.resources import default_resources
from disclosures.pipelines.triage import triage

ingest_job = define_asset_job(
    "ingest",
    selection=AssetSelection.assets(*ALL_ASSETS),
    description="Parse, validate and publish a batch of disclosure PDFs (run config: ops.raw_documents.config.paths).",
)

defs = Definitions(
    assets=[*ALL_ASSETS, *SCRAPE_ASSETS.values()],
    jobs=[ingest_job, triage, *SCRAPE_JOBS.values()],
    schedules=SCHEDULES,
    sensors=[new_documents_sensor],
    resources=default_resources(),
)
