"""Running one ingest batch from a process (the CLI, a test, the bench): in-process, or on the cluster.

Without a scheduler configured (pipelines/executors.py) the job runs in the
calling process, as it always has. With one, the calling process orchestrates
the run and the Dask workers execute its steps: the job is then rebuilt from
`ingest_job_for` with the caller's settings, so each worker names the steps as
the caller does.
"""

from __future__ import annotations

from dagster import DagsterInstance, build_reconstructable_job, execute_job

from disclosures.pipelines.executors import configured


def execute_ingest(run_config: dict, instance: DagsterInstance, partition_key: str, tags: dict) -> tuple[bool, str]:
    """Materialize the ingest job for one batch (a partition already registered); (success, run id)."""
    shards, scheduler = configured()
    if not scheduler:
        from disclosures.pipelines.definitions import defs

        result = defs().resolve_job_def("ingest").execute_in_process(
            run_config=run_config, instance=instance, partition_key=partition_key, raise_on_error=False, tags=tags
        )
        return result.success, result.run_id
    job = build_reconstructable_job(
        "disclosures.pipelines.definitions", "ingest_job_for", reconstructable_kwargs={"shards": shards, "scheduler": scheduler}
    )
    with execute_job(job, instance, run_config=absolute(run_config), tags={**tags, "dagster/partition": partition_key}) as result:
        return result.success, result.run_id


def absolute(run_config: dict) -> dict:
    """The run's paths made absolute: a step runs in a worker whose working directory is not the caller's."""
    import copy
    import os

    config = copy.deepcopy(run_config)
    raw = config.get("ops", {}).get("raw_documents", {}).get("config", {})
    raw["paths"] = [os.path.abspath(p) for p in raw.get("paths", [])]
    for resource, key in (("warehouse", "database"), ("raw_store", "root"), ("staging", "url")):
        settings = config.get("resources", {}).get(resource, {}).get("config", {})
        if settings.get(key) and "://" not in settings[key]:
            settings[key] = os.path.abspath(settings[key])
    return config
