"""Schedules (one per registry entry, its cron) and the sensor that batches new documents."""

from __future__ import annotations

from dagster import (
    AssetSelection,
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
from disclosures.assets.scrape import SCRAPE_ASSETS, SOURCES
from disclosures.pending import batch_key, batches, ingest_config, pending
from disclosures.pipelines.resources import RawStore

# A run costs seconds of overhead: a sensor tick batches up to this many documents per run.
BATCH_SIZE = 500

SCRAPE_JOBS = {
    name: define_asset_job(f"{a.key.path[-1]}_job", selection=AssetSelection.assets(a), description=f"Scrape {name}")
    for name, a in SCRAPE_ASSETS.items()
}
SCHEDULES = [
    ScheduleDefinition(name=f"{SCRAPE_ASSETS[s.name].key.path[-1]}_schedule", job=SCRAPE_JOBS[s.name], cron_schedule=s.schedule)
    for s in SOURCES
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
