"""While another process writes the warehouse, analysts' commands read the snapshot and say so in one line.

DuckDB refuses even a read-only open of a file another process holds for
writing. A second Python process takes the write lock here, as an ingest's
publish step does, and changes the live file, so what the commands print shows
which file they read.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
import threading
import time

import duckdb
import pytest

from conftest import SHEHUI, rows
from disclosures.cli import main
from disclosures.warehouse.writer import writing

# Holds each file named on its command line for writing, as a run's publish step does (and
# empties fact_amounts in the first), says "ready", and lets go when its stdin closes.
WRITER = textwrap.dedent(
    """
    import sys
    from contextlib import ExitStack
    from disclosures.warehouse.writer import writing
    with ExitStack() as held:
        cons = [held.enter_context(writing(p)) for p in sys.argv[1:]]
        cons[0].execute("DELETE FROM fact_amounts")
        print("ready", flush=True)
        sys.stdin.read()
    """
)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("lock")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAGSTER_HOME", str(root / "dh"))
        (root / "dh").mkdir()
        assert main(["ingest", str(SHEHUI), "--warehouse", str(root / "w.duckdb"), "--data", str(root / "data")]) == 0
    assert (root / "w.snapshot.duckdb").exists()
    return root / "w.duckdb"


@pytest.fixture(scope="module")
def unpublished(tmp_path_factory):
    """A warehouse no run has published a snapshot of yet."""
    path = tmp_path_factory.mktemp("fresh") / "fresh.duckdb"
    duckdb.connect(str(path)).close()
    return path


@pytest.fixture()
def writer(warehouse, unpublished):
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(warehouse), str(unpublished)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "ready"
    yield proc
    if not proc.stdin.closed:
        proc.stdin.close()
    proc.wait()


def _one_line(err: str, pid: int) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"the warehouse is being written (by process {pid}); "), lines[0]
    return lines[0]


def test_query_reads_the_snapshot(warehouse, writer, capsys):
    assert main(["query", "SELECT count(*) AS facts FROM fact_amounts", "--warehouse", str(warehouse), "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == ["facts", "205"]  # the snapshot's; the live file now holds none
    assert "reading the snapshot published" in _one_line(err, writer.pid)
    assert str(warehouse.with_name("w.snapshot.duckdb")) in err


def test_report_and_triage_list_read_the_snapshot(warehouse, writer, tmp_path, capsys):
    assert main(["report", "--warehouse", str(warehouse), "--out", str(tmp_path / "r.html")]) == 0
    _one_line(capsys.readouterr().err, writer.pid)
    assert "中共上海市普陀区委社会工作部" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert main(["triage", "list", "--warehouse", str(warehouse)]) == 0
    out, err = capsys.readouterr()
    _one_line(err, writer.pid)
    assert out.strip() == "no open failures"
    assert main(["export", "--warehouse", str(warehouse), "--out", str(tmp_path / "x")]) == 0
    _one_line(capsys.readouterr().err, writer.pid)
    assert rows(warehouse.with_name("w.snapshot.duckdb"), "SELECT count(*) FROM read_parquet(?)", str(tmp_path / "x" / "fact_amounts.parquet")) == [(205,)]


def test_a_verdict_is_refused_in_one_line(warehouse, writer, capsys):
    code = main(["triage", "mark", SHEHUI.name, "公开01.总计(收)=总计(支)", "--as", "bureau-error", "--note", "x", "--warehouse", str(warehouse)])
    assert code == 1
    err = capsys.readouterr().err.strip()
    assert err == "not recorded: the warehouse is being written; mark again when the ingest ends"


def test_without_a_snapshot_the_command_stops_in_one_line(unpublished, writer):
    with pytest.raises(SystemExit) as stop:
        main(["query", "SELECT 1", "--warehouse", str(unpublished)])
    message = str(stop.value.code)
    assert message == f"the warehouse is being written (by process {writer.pid}); it has no snapshot to read instead yet: try again when the ingest ends"


def test_once_the_writer_is_gone_the_live_file_is_read(warehouse, writer, capsys):
    writer.stdin.close()
    writer.wait()
    assert main(["query", "SELECT count(*) AS facts FROM fact_amounts", "--warehouse", str(warehouse), "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == ["facts", "0"] and err == ""


# Holds the file read-only, as an analyst's `duckdb -readonly` session or another ingest's
# summary does, says "ready", lets go when its stdin closes and says when it did (the
# process itself may still be exiting when the writer gets in, so its exit proves nothing).
READER = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print("ready", flush=True)
    sys.stdin.read()
    con.close()
    print(time.time(), flush=True)
    """
)


def test_a_writer_waits_for_a_reader_to_close_the_file(tmp_path, caplog):
    path = tmp_path / "w.duckdb"
    with writing(path):
        pass
    reader = subprocess.Popen([sys.executable, "-c", READER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "ready"
    threading.Timer(1.0, reader.stdin.close).start()
    with caplog.at_level(logging.INFO, logger="disclosures.progress"), writing(path) as con:
        opened = time.time()
        con.execute("INSERT INTO check_dispositions VALUES ('d', 'c', 'bureau_error', '', 'r', now())")
    assert float(reader.stdout.readline()) <= opened  # it could only open once the reader let go
    reader.wait()
    assert f"waiting for a reader to close {path} (by process {reader.pid})" in caplog.text
    assert duckdb.connect(str(path), read_only=True).execute("SELECT count(*) FROM check_dispositions").fetchone() == (1,)
