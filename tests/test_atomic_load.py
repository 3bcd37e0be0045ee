"""Killing an ingest mid-load loses nothing and leaves no half document."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from conftest import SAMPLES
from processes import kill_cli, open_when_free


def _ingest(tmp_path, warehouse, kill_after: int | None = None) -> int:
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    (tmp_path / "dagster_home").mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "disclosures.cli", "ingest", str(SAMPLES), "--warehouse", str(warehouse), "--data", str(tmp_path / "data")]
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    for line in proc.stderr:
        if kill_after is not None and line.startswith(f"published {kill_after}/"):
            kill_cli(proc)
            break
    proc.wait(timeout=600)
    return proc.returncode


def _content(warehouse):
    con = open_when_free(warehouse)
    try:
        docs = con.execute("SELECT document_id, status, cells, errors FROM documents ORDER BY 1").fetchall()
        facts = con.execute("SELECT document_id, table_code, row_key, column_key, amount, page FROM fact_amounts ORDER BY ALL").fetchall()
        checks = con.execute("SELECT document_id, check_name, passed FROM check_results ORDER BY ALL").fetchall()
        per_doc = con.execute(
            "SELECT d.document_id, d.cells, count(f.document_id) FROM documents d LEFT JOIN fact_amounts f USING (document_id) GROUP BY ALL ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    return docs, facts, checks, per_doc


def test_kill_mid_load_then_rerun_equals_a_clean_run(tmp_path):
    clean = tmp_path / "clean.duckdb"
    assert _ingest(tmp_path / "a", clean) == 0
    killed = tmp_path / "killed.duckdb"
    assert _ingest(tmp_path / "b", killed, kill_after=3) == -signal.SIGKILL

    docs, facts, _, per_doc = _content(killed)
    n_samples = len(list(SAMPLES.glob("*.pdf")))
    assert 3 <= len(docs) < n_samples  # killed in the middle of loading
    for doc_id, cells, landed in per_doc:  # every document that is there is there whole
        assert cells == landed, doc_id
    assert len(facts) == len(set(facts))  # no duplicate rows

    assert _ingest(tmp_path / "b", killed) == 0
    assert _content(killed) == _content(clean)
