"""Schedules (one per registry entry, its cron) and the sensor that batches new documents.

Jobs and schedules are made from the registry that definitions.py loads, never at import."""

from __future__ import annotations

from dagster import (
    AssetSelection,
    AssetsDefinition,
    DefaultSensorStatus,
    RunRequest,
    ScheduleDefinition,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    define_asset_job,
    sensor,
)

from disclosures.assets.partitions import INGEST_BATCHES
from disclosures.assets.scrape import asset_name
from disclosures.pending import batch_key, batches, ingest_config, pending
from disclosures.pipelines.resources import RawStore
from disclosures.scrape import Source

# A run costs seconds of overhead: a sensor tick batches up to this many documents per run.
BATCH_SIZE = 250


def scrape_job_name(source: Source) -> str:
    return f"{asset_name(source)}_job"


def scrape_jobs(sources: list[Source], assets: dict[str, AssetsDefinition]) -> dict:
    """One job per registry entry (by source name), so each scrape runs and fails on its own."""
    return {
        s.name: define_asset_job(scrape_job_name(s), selection=AssetSelection.assets(assets[s.name]), description=f"Scrape {s.name}")
        for s in sources
    }


def scrape_schedules(sources: list[Source], jobs: dict) -> list[ScheduleDefinition]:
    """Each enabled entry's cron, on its own job."""
    return [
        ScheduleDefinition(name=f"{asset_name(s)}_schedule", job=jobs[s.name], cron_schedule=s.schedule)
        for s in sources
        if s.enabled
    ]


@sensor(job_name="ingest", minimum_interval_seconds=60, default_status=DefaultSensorStatus.STOPPED)
def new_documents_sensor(context: SensorEvaluationContext, raw_store: RawStore):
    """Requests one ingest run per batch of newly scraped documents (cursor: first_seen).

    Each batch is registered as a partition of its own, so runs that overlap never
    share stored values."""
    rows = pending(raw_store.root, since=context.cursor or "")
    if rows.empty:
        return SkipReason("no new documents in the catalog")
    requests = []
    for batch in batches(rows, BATCH_SIZE):
        key = batch_key("scrape", list(batch["sha256"]))
        requests.append(
            RunRequest(
                run_key=f"ingest-{key}",
                partition_key=key,
                run_config={"ops": {"raw_documents": {"config": ingest_config(raw_store.root, batch)}}},
            )
        )
    return SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[INGEST_BATCHES.build_add_request([r.partition_key for r in requests])],
        cursor=str(rows["first_seen"].max()),
    )
