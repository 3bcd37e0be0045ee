"""`disclosures ingest` end to end: real Dagster run, real DuckDB file, real PDFs."""

from __future__ import annotations

import shutil

import pytest

from conftest import GUIHUA, SHEHUI, rows
from disclosures.cli import main


@pytest.fixture()
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    return tmp_path


def test_bad_input_is_rejected_with_a_reason_and_the_run_goes_on(env, bad_inputs, owner_locked, capsys):
    warehouse = env / "w.duckdb"
    code = main(["ingest", str(GUIHUA), "--warehouse", str(warehouse), "--data", str(env / "data")])
    assert code == 0
    before = rows(warehouse, "SELECT table_code, row_key, column_key, amount FROM fact_amounts ORDER BY ALL")
    assert len(before) > 300

    files = [SHEHUI, owner_locked, *bad_inputs.values()]
    code = main(["ingest", *map(str, files), "--warehouse", str(warehouse), "--data", str(env / "data")])
    assert code == 0
    out = capsys.readouterr().out
    assert "rejected" in out and "cells landed" in out

    status = dict(rows(warehouse, "SELECT file_name, status FROM documents"))
    reasons = dict(rows(warehouse, "SELECT file_name, reason FROM documents"))
    assert status[SHEHUI.name] == "loaded"
    assert status[owner_locked.name] == "loaded"  # owner password only: opens without one
    assert status[GUIHUA.name] == "loaded"
    expected_words = {"zero": "empty", "html": "HTML", "truncated": "truncated", "password": "password"}
    for kind, path in bad_inputs.items():
        assert status[path.name] == "rejected", kind
        assert expected_words[kind] in reasons[path.name], (kind, reasons[path.name])
        assert rows(warehouse, "SELECT count(*) FROM fact_amounts f JOIN documents d USING (document_id) WHERE d.file_name = ?", path.name)[0][0] == 0

    # The owner-locked copy lands exactly the figures of the unlocked original.
    def figures(name):
        return rows(
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
    first = rows(warehouse, "SELECT count(*) FROM fact_amounts"), rows(warehouse, "SELECT count(*) FROM check_results")
    assert main(args) == 0
    second = rows(warehouse, "SELECT count(*) FROM fact_amounts"), rows(warehouse, "SELECT count(*) FROM check_results")
    assert first == second
    assert rows(warehouse, "SELECT count(*) FROM documents") == [(1,)]


def test_a_missing_path_alone_is_a_usage_error_and_touches_nothing(env, capsys):
    warehouse = env / "w.duckdb"
    assert main(["ingest", str(env / "nowhere.pdf"), "--warehouse", str(warehouse), "--data", str(env / "data")]) == 2
    assert capsys.readouterr().err.strip() == f"disclosures ingest: no such file or directory: {env / 'nowhere.pdf'}"
    assert not warehouse.exists()


def test_ingesting_a_folder_leaves_out_the_raw_store_inside_it(env, bad_inputs, monkeypatch, capsys):
    """`ingest .` from a folder holding the data folder: the store's copies, named by hash, are not documents."""
    monkeypatch.chdir(env)
    shutil.copy(bad_inputs["html"], env / "notice.pdf")
    args = ["ingest", ".", "--warehouse", "w.duckdb", "--data", "data"]
    assert main(args) == 0
    kept = list((env / "data" / "raw").rglob("*.pdf"))
    assert len(kept) == 1 and kept[0].stem != "notice"  # the store's copy, named by its sha256
    capsys.readouterr()
    assert main(args) == 0
    assert "ingesting 1 files" in capsys.readouterr().err
    assert rows("w.duckdb", "SELECT file_name FROM documents") == [("notice.pdf",)]
    # Asked for by name, the store is walked all the same.
    assert main(["ingest", "data", "--warehouse", "w.duckdb", "--data", "data"]) == 0
    assert rows("w.duckdb", "SELECT file_name FROM documents") == [(kept[0].name,)]
