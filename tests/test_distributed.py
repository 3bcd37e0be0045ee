"""The same ingest job on a Dask cluster of 3 worker processes and a Dagster instance on PostgreSQL.

Both started here on 127.0.0.1 (tests/cluster.py). The warehouse a batch
leaves must be the one the in-process CLI leaves: documents, cells, tables,
problems and checks, row for row. A worker killed in the middle of its parse
step costs nothing (Dask runs the step again on another worker, which reads
back what the dead one had staged); a publisher killed in the middle of its
load leaves whole documents only, and the next ingest of the same files
completes the batch from the staged store without parsing anything again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import duckdb
import psutil
import pytest
from dagster import AssetKey, DagsterEventType, DagsterInstance

from cluster import create_database, dask_cluster, postgres
from processes import kill_cli, open_when_free
from conftest import SAMPLES, copy_to

# Four documents whose sha256 deal them to all three shards.
CORPUS = sorted(SAMPLES.glob("*.pdf"))[:4]


def _content(warehouse) -> dict:
    """Every row a batch writes, less what names the run, the time or where the raw store is."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {
            table: con.execute(f"SELECT {cols} FROM {table} ORDER BY ALL").fetchall()
            for table, cols in {
                "documents": "* EXCLUDE (run_id, loaded_at, raw_path)",
                "fact_amounts": "* EXCLUDE (run_id)",
                "checks": "* EXCLUDE (run_id)",
                "document_tables": "*",
                "document_problems": "*",
            }.items()
        }
    finally:
        con.close()


def _ingest(folder, warehouse, data, env, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "disclosures.cli", "ingest", str(folder), "--warehouse", str(warehouse), "--data", str(data),
         "--workers", "1"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return copy_to(CORPUS, tmp_path_factory.mktemp("corpus") / "in")


@pytest.fixture(scope="module")
def in_process(corpus, tmp_path_factory):
    """The reference: the CLI's run in its own process, on a SQLite Dagster home."""
    tmp = tmp_path_factory.mktemp("in_process")
    env = {**os.environ, "DAGSTER_HOME": str(tmp / "home")}
    env.pop("DISCLOSURES_DASK_SCHEDULER", None)
    env.pop("DAGSTER_POSTGRES_URL", None)
    run = _ingest(corpus, tmp / "w.duckdb", tmp / "data", env, cwd=tmp)
    out, err = run.communicate(timeout=900)
    assert run.returncode == 0, err[-2000:]
    assert "4 loaded" in out, out
    return _content(tmp / "w.duckdb")


@pytest.fixture(scope="module")
def cluster():
    """PostgreSQL and 3 Dask workers; the workers see the instance's database as every process must."""
    with postgres() as server:
        urls = {name: create_database(server, name) for name in ("distributed", "killed_worker")}
        with pytest.MonkeyPatch.context() as mp:
            # dagster.postgres.yaml reads the URL from the environment, in the CLI and in every worker
            mp.setenv("DAGSTER_POSTGRES_URL", urls["distributed"])
            with dask_cluster(3) as client:
                yield client, urls


def _env(client, home, database) -> dict:
    return {**os.environ, "DAGSTER_HOME": str(home), "DAGSTER_POSTGRES_URL": database,
            "DISCLOSURES_DASK_SCHEDULER": client.scheduler.address, "DISCLOSURES_SHARDS": "3"}


def _step_pids(home, database, step_prefix: str) -> dict[str, set[int]]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAGSTER_POSTGRES_URL", database)
        with DagsterInstance.from_config(str(home)) as instance:
            run = instance.get_runs(limit=1)[0]
            records = instance.all_logs(run.run_id, of_type=DagsterEventType.STEP_SUCCESS)
            assert type(instance.run_storage).__name__ == "PostgresRunStorage"
    pids: dict[str, set[int]] = {}
    for r in records:
        if r.step_key.startswith(step_prefix):
            pids.setdefault(r.step_key, set()).add(r.dagster_event.pid)
    return pids


def test_a_batch_on_three_dask_workers_lands_as_in_process(in_process, cluster, corpus, tmp_path):
    client, urls = cluster
    home = tmp_path / "home"
    run = _ingest(corpus, tmp_path / "w.duckdb", tmp_path / "data", _env(client, home, urls["distributed"]), cwd=tmp_path)
    out, err = run.communicate(timeout=900)
    assert run.returncode == 0, err[-3000:]
    assert "4 loaded" in out, out
    assert _content(tmp_path / "w.duckdb") == in_process

    # The shards' steps ran in the workers, not in the CLI, and on more than one of them.
    workers = set(client.run(os.getpid).values())
    pids = _step_pids(home, urls["distributed"], "parsed_documents.parse_shard_")
    assert sorted(pids) == [f"parsed_documents.parse_shard_{i}" for i in range(3)]
    ran_on = set().union(*pids.values())
    assert ran_on <= workers and run.pid not in ran_on
    # Each shard's documents were staged as Parquet, keyed by code version and sha256.
    staged = list((tmp_path / "data" / "staged").glob("*/*/*/checks.parquet"))
    assert sorted(p.parent.name for p in staged) == sorted(d[0] for d in in_process["documents"])


def test_a_worker_killed_mid_batch_costs_nothing(in_process, cluster, corpus, tmp_path):
    client, urls = cluster
    # This home names its database in its settings: the workers' environment names the other test's.
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "dagster.yaml").write_text(
        f"telemetry:\n  enabled: false\nstorage:\n  postgres:\n    postgres_url: {urls['killed_worker']}\n")
    run = _ingest(corpus, tmp_path / "w.duckdb", tmp_path / "data", _env(client, tmp_path / "home", urls["killed_worker"]),
                  cwd=tmp_path)
    # Wait for a worker to be parsing (a parse step runs its pool of parser processes) for a couple of seconds.
    workers = client.run(os.getpid)
    deadline, pid, since = time.monotonic() + 600, None, {}
    while pid is None and time.monotonic() < deadline and run.poll() is None:
        for worker in workers.values():
            if psutil.Process(worker).children():
                since.setdefault(worker, time.monotonic())
                if time.monotonic() - since[worker] > 2:
                    pid = worker
        time.sleep(0.2)
    assert pid is not None, "no parse step was seen running"
    os.kill(pid, signal.SIGKILL)
    out, err = run.communicate(timeout=900)
    assert run.returncode == 0, err[-3000:]
    # Nothing lost, nothing twice: the same rows as the in-process run.
    assert _content(tmp_path / "w.duckdb") == in_process
    ran_on = set().union(*_step_pids(tmp_path / "home", urls["killed_worker"], "parsed_documents.").values())
    assert pid not in ran_on  # the killed worker's step was run again elsewhere


def test_a_publisher_killed_mid_load_is_completed_by_the_next_ingest(in_process, corpus, tmp_path):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "home")}
    env.pop("DISCLOSURES_DASK_SCHEDULER", None)
    env.pop("DAGSTER_POSTGRES_URL", None)
    warehouse = tmp_path / "w.duckdb"
    run = _ingest(corpus, warehouse, tmp_path / "data", env, cwd=tmp_path)
    for line in run.stderr:  # the CLI logs a line per document published when not on a terminal
        if line.startswith("published 2/"):
            kill_cli(run)
            break
    run.wait(timeout=60)
    assert run.returncode == -signal.SIGKILL
    con = open_when_free(warehouse)
    try:
        landed = con.execute("SELECT document_id, cells FROM documents").fetchall()
        for doc_id, cells in landed:  # each document whole or absent
            assert con.execute("SELECT count(*) FROM fact_amounts WHERE document_id = ?", [doc_id]).fetchone()[0] == cells
    finally:
        con.close()
    assert 2 <= len(landed) < len(CORPUS)

    again = _ingest(corpus, warehouse, tmp_path / "data", env, cwd=tmp_path)
    out, err = again.communicate(timeout=900)
    assert again.returncode == 0, err[-3000:]
    assert _content(warehouse) == in_process
    # The rest came from the staged store: nothing was parsed again.
    with DagsterInstance.from_config(str(tmp_path / "home")) as instance:
        meta = instance.get_latest_materialization_event(AssetKey("parsed_documents")).asset_materialization.metadata
    assert meta["documents"].value == meta["reused_from_stage"].value == len(CORPUS) - len(landed)
