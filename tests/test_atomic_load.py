"""Killing an ingest mid-load loses nothing and leaves no half document."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from conftest import SAMPLES


def _ingest(tmp_path, warehouse, kill_after: int | None = None) -> int:
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    (tmp_path / "dagster_home").mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "disclosures.cli", "ingest", str(SAMPLES), "--warehouse", str(warehouse), "--data", str(tmp_path / "data")]
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    for line in proc.stderr:
        if kill_after is not None and line.startswith(f"published {kill_after}/"):
            batch = _children(proc.pid)  # the batch's process (disclosures.forked), which publishes
            proc.send_signal(signal.SIGKILL)
            _wait_gone(batch)  # it dies with the CLI (parent-death signal), a moment later
            break
    proc.wait(timeout=600)
    return proc.returncode


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _wait_gone(pids: list[int]) -> None:
    deadline = time.monotonic() + 60  # not a timing assertion: only keeps a stuck child from hanging the suite
    while any(Path(f"/proc/{p}").exists() and "Z" not in _state(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(Path(f"/proc/{p}").exists() and "Z" not in _state(p) for p in pids), "the batch outlived the CLI"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def _content(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
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
