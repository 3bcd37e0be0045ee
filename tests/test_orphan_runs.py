"""A CLI killed mid-run leaves its run STARTED; the next CLI start marks it failed, and no live run is touched."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from dagster import DagsterInstance, DagsterRunStatus

from conftest import SAMPLES
from disclosures.cli import main
from disclosures.orphan_runs import HOST, PID, STARTED, owner_alive, owner_tags


def test_a_killed_ingest_is_failed_at_the_next_start(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dh"))
    (tmp_path / "dh").mkdir()
    # The home's storage made before the CLI starts: this test's watcher opening it while the CLI
    # creates it would race on the schema's migrations (a Dagster matter, not the one under test).
    DagsterInstance.get()
    cli = subprocess.Popen(
        # ten documents: the run stays STARTED long enough to be seen on a busy machine
        [sys.executable, "-m", "disclosures.cli", "ingest", str(SAMPLES), "--warehouse", str(tmp_path / "w.duckdb"), "--data", str(tmp_path / "data")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        # Wait (not a timing assertion: the bound only keeps a broken run from hanging the suite)
        # until the run is under way, then kill the CLI where it stands.
        deadline = time.monotonic() + 300
        started = []
        while not started and cli.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
            # A run's event log exists once the run storage is set up: opening it earlier would race its creation.
            if list((tmp_path / "dh" / "history" / "runs").glob("*.db")):
                started = DagsterInstance.get().get_runs()
            started = [r for r in started if r.status == DagsterRunStatus.STARTED]
        assert started, "the ingest run never started"
        # The batch runs in a process the CLI forked (disclosures.forked), which the tags name.
        owner = int(started[0].tags[PID])
        assert Path(f"/proc/{owner}/stat").read_text().rsplit(")", 1)[1].split()[1] == str(cli.pid)
    finally:
        cli.send_signal(signal.SIGKILL)
        cli.wait()
    (killed,) = started
    # The batch's process dies with the CLI (no ingest goes on unseen once the command is killed).
    deadline = time.monotonic() + 60
    while owner_alive(killed.tags) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert owner_alive(killed.tags) is False
    assert DagsterInstance.get().get_run_by_id(killed.run_id).status == DagsterRunStatus.STARTED  # as the kill left it

    # The next start: an ingest of a file that is no PDF (a run that rejects it in a moment).
    notice = tmp_path / "notice.pdf"
    notice.write_text("<html><body>页面不存在</body></html>", encoding="utf-8")
    assert main(["ingest", str(notice), "--warehouse", str(tmp_path / "w.duckdb"), "--data", str(tmp_path / "data")]) == 0
    assert f"run {killed.run_id} was left unfinished by a process that is gone: marked failed" in capsys.readouterr().err
    instance = DagsterInstance.get()
    assert instance.get_run_by_id(killed.run_id).status == DagsterRunStatus.FAILURE
    assert [r.status for r in instance.get_runs()].count(DagsterRunStatus.SUCCESS) == 1  # this start's own run

    # Said once: the next start finds nothing left to fail.
    assert main(["ingest", str(notice), "--warehouse", str(tmp_path / "w.duckdb"), "--data", str(tmp_path / "data")]) == 0
    assert "marked failed" not in capsys.readouterr().err


def test_whose_process_is_alive():
    mine = owner_tags()
    assert mine[PID] == str(os.getpid()) and mine[STARTED].isdigit()
    assert owner_alive(mine) is True
    # A process that has exited.
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert owner_alive({**mine, PID: str(child.pid)}) is False
    # This pid, but a process started at another time: the pid was reused.
    assert owner_alive({**mine, STARTED: str(int(mine[STARTED]) - 1)}) is False
    # Another machine's process cannot be seen from here; a run without the tags is not the CLI's.
    assert owner_alive({**mine, HOST: socket.gethostname() + "-elsewhere"}) is None
    assert owner_alive({}) is None
