"""Ingest runs that overlap keep their batches apart and lose no document.

Two ways runs overlap in practice, both reproduced with real processes on one
Dagster home and one warehouse: two `disclosures ingest` started together, and
the sensor's batches launched as the daemon launches them (`dagster job
execute` with the partition tag, the multiprocess executor).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import duckdb
import yaml
from dagster import DagsterInstance, RunRequest, build_sensor_context

from conftest import SAMPLES
from disclosures.assets.partitions import INGEST_BATCHES
from disclosures.cli import main
from disclosures.pdfdoc import sha256_file
from disclosures.pipelines import automation
from disclosures.pipelines.resources import RawStore
from disclosures.scrape import build_sample_portal, serve_portal


def _documents(warehouse) -> dict[str, str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return dict(con.execute("SELECT document_id, status FROM documents").fetchall())
    finally:
        con.close()


def test_two_cli_ingests_at_once_both_land(tmp_path):
    pdfs = sorted(SAMPLES.glob("*.pdf"))
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, part in ((first, pdfs[:5]), (second, pdfs[5:])):
        folder.mkdir()
        for p in part:
            (folder / p.name).write_bytes(p.read_bytes())
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    (tmp_path / "dagster_home").mkdir()
    warehouse = tmp_path / "w.duckdb"
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "disclosures.cli", "ingest", str(folder), "--warehouse", str(warehouse),
             "--data", str(tmp_path / "data"), "--workers", "1"],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for folder in (first, second)
    ]
    outputs = [r.communicate(timeout=900) for r in runs]
    for r, (out, err) in zip(runs, outputs):
        assert r.returncode == 0, err[-2000:]
        assert "5 loaded" in out, out
    assert _documents(warehouse) == {sha256_file(p): "loaded" for p in pdfs}

    instance = DagsterInstance.from_config(str(tmp_path / "dagster_home"))
    assert len(instance.get_dynamic_partitions(INGEST_BATCHES.name)) == 2  # one batch each


def test_sensor_batches_launched_side_by_side_all_land(tmp_path, monkeypatch):
    home = tmp_path / "dagster_home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    data, warehouse = tmp_path / "data", tmp_path / "w.duckdb"
    pdfs = sorted(SAMPLES.glob("*.pdf"))[:6]
    build_sample_portal(pdfs, tmp_path / "site")
    with serve_portal(tmp_path / "site") as portal:
        assert main(["scrape", "--source", "sample-portal", "--base-url", portal.url, "--data", str(data)]) == 0

    monkeypatch.setattr(automation, "BATCH_SIZE", 3)
    instance = DagsterInstance.get()
    context = build_sensor_context(instance=instance, resources={"raw_store": RawStore(root=str(data))})
    result = automation.new_documents_sensor(context)
    requests = result.run_requests
    assert len(requests) == 2 and all(isinstance(r, RunRequest) for r in requests)
    for added in result.dynamic_partitions_requests:  # as the daemon applies them
        instance.add_dynamic_partitions(added.partitions_def_name, list(added.partition_keys))

    launched = []
    for i, request in enumerate(requests):
        config = dict(request.run_config)
        config["resources"] = {"warehouse": {"config": {"database": str(warehouse)}},
                               "raw_store": {"config": {"root": str(data)}}}
        path = tmp_path / f"run{i}.yaml"
        path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        tags = json.dumps({"dagster/partition": request.partition_key})
        launched.append(subprocess.Popen(
            [sys.executable, "-m", "dagster", "job", "execute", "-m", "disclosures.pipelines.definitions",
             "-a", "defs", "-j", "ingest", "-c", str(path), "--tags", tags],
            cwd=tmp_path, env={**os.environ, "DAGSTER_HOME": str(home)},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        ))
    for proc in launched:
        out, _ = proc.communicate(timeout=900)
        assert proc.returncode == 0, out[-3000:]
    assert _documents(warehouse) == {sha256_file(p): "loaded" for p in pdfs}
