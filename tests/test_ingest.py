"""`disclosures ingest` end to end: real Dagster run, real DuckDB file, real PDFs."""

from __future__ import annotations

import duckdb
import pytest

from conftest import GUIHUA, SHEHUI
from disclosures.cli import main


@pytest.fixture()
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    return tmp_path


def _rows(warehouse, sql, *params):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_bad_input_is_rejected_with_a_reason_and_the_run_goes_on(env, bad_inputs, owner_locked, capsys):
    warehouse = env / "w.duckdb"
    code = main(["ingest", str(GUIHUA), "--warehouse", str(warehouse), "--data", str(env / "data")])
    assert code == 0
    before = _rows(warehouse, "SELECT table_code, row_key, column_key, amount FROM fact_amounts ORDER BY ALL")
    assert len(before) > 300

    files = [SHEHUI, owner_locked, *bad_inputs.values()]
    code = main(["ingest", *map(str, files), "--warehouse", str(warehouse), "--data", str(env / "data")])
    assert code == 0
    out = capsys.readouterr().out
    assert "rejected" in out and "cells landed" in out

    status = dict(_rows(warehouse, "SELECT file_name, status FROM documents"))
    reasons = dict(_rows(warehouse, "SELECT file_name, reason FROM documents"))
    assert status[SHEHUI.name] == "loaded"
    assert status[owner_locked.name] == "loaded"  # owner password only: opens without one
    assert status[GUIHUA.name] == "loaded"
    expected_words = {"zero": "empty", "html": "HTML", "truncated": "truncated", "password": "password"}
    for kind, path in bad_inputs.items():
        assert status[path.name] == "rejected", kind
        assert expected_words[kind] in reasons[path.name], (kind, reasons[path.name])
        assert _rows(warehouse, "SELECT count(*) FROM fact_amounts f JOIN documents d USING (document_id) WHERE d.file_name = ?", path.name)[0][0] == 0

    # The owner-locked copy lands exactly the figures of the unlocked original.
    def figures(name):
        return _rows(
            warehouse,
            "SELECT table_code, row_key, column_key, amount FROM fact_amounts JOIN documents USING (document_id) WHERE file_name = ? ORDER BY ALL",
            name,
        )

    assert figures(owner_locked.name) == figures(SHEHUI.name)
    # Nothing already landed was touched.
    assert figures(GUIHUA.name) == before


def test_reingesting_is_idempotent(env):
    warehouse = env / "w.duckdb"
    args = ["ingest", str(SHEHUI), "--warehouse", str(warehouse), "--data", str(env / "data")]
    assert main(args) == 0
    first = _rows(warehouse, "SELECT count(*) FROM fact_amounts"), _rows(warehouse, "SELECT count(*) FROM check_results")
    assert main(args) == 0
    second = _rows(warehouse, "SELECT count(*) FROM fact_amounts"), _rows(warehouse, "SELECT count(*) FROM check_results")
    assert first == second
    assert _rows(warehouse, "SELECT count(*) FROM documents") == [(1,)]


def test_missing_path_is_a_rejected_document_not_a_crash(env, capsys):
    warehouse = env / "w.duckdb"
    assert main(["ingest", str(env / "nowhere.pdf"), "--warehouse", str(warehouse), "--data", str(env / "data")]) == 0
    assert _rows(warehouse, "SELECT status FROM documents") == [("rejected",)]
