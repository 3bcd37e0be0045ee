"""Quotes, semicolons and wildcards in every CLI argument that reaches SQL are data, never SQL.

The warehouse lives in a folder whose name holds `'`, `;`, `%` and `_`, the
document is ingested under a file name built to break a quoted literal, and
each command gets values crafted the same way. Each must do exactly what it
would do with a plain value: write only its own files, match only what is
spelled, record text verbatim.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import GUIHUA, rows
from disclosures.cli import main

HOSTILE_NAME = "x'; DROP TABLE documents; --%_.pdf"
# 情况说明 states 基本支出5377.64 where 公开05 prints 5364.75: a real failed check to triage.
FAILED_CHECK = "narrative.amount[公开05/合计/基本支出]"


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli") / "w'h; %_"
    root.mkdir()
    shutil.copy(GUIHUA, root / HOSTILE_NAME)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAGSTER_HOME", str(root / "dh"))
        (root / "dh").mkdir()
        assert main(["ingest", str(root / HOSTILE_NAME), "--warehouse", str(root / "w.duckdb"), "--data", str(root / "data")]) == 0
    return root


@pytest.fixture()
def warehouse(root):
    return root / "w.duckdb"


def _listing(folder):
    return {p.relative_to(folder) for p in folder.rglob("*")}


def test_the_document_keeps_its_name_and_the_tables_stand(warehouse):
    assert rows(warehouse, "SELECT file_name, status FROM documents") == [(HOSTILE_NAME, "loaded")]


@pytest.mark.parametrize("folder", ["a'b; c", "x' (FORMAT csv); COPY documents TO 'evil.csv"])
def test_export_writes_exactly_its_files_where_it_is_told(warehouse, root, folder, capsys):
    before = _listing(root)
    assert main(["export", "--warehouse", str(warehouse), "--out", str(root / folder)]) == 0
    added = _listing(root) - before
    names = ["dim_documents", "dim_departments", "dim_function_subjects", "dim_economic_subjects", "mart_department_totals",
             "mart_expenditure_by_function", "mart_function_share", "mart_sangong", "mart_procurement",
             "mart_budget_execution", "mart_budget_prior_year", "fact_amounts", "check_results", "documents"]
    expected = {root.joinpath(folder).relative_to(root)} | {
        root.joinpath(folder, f"{n}.{fmt}").relative_to(root) for n in names for fmt in ("parquet", "csv")
    } | {root.joinpath(folder, "DATA_DICTIONARY.csv").relative_to(root)}
    assert added == expected
    assert f"{len(names) * 2 + 1} files written" in capsys.readouterr().out
    facts = rows(warehouse, "SELECT count(*) FROM fact_amounts")[0][0]
    assert rows(warehouse, "SELECT count(*) FROM read_parquet(?)", str(root / folder / "fact_amounts.parquet")) == [(facts,)]
    assert rows(warehouse, "SELECT file_name FROM read_csv(?)", str(root / folder / "documents.csv")) == [(HOSTILE_NAME,)]


@pytest.mark.parametrize("document", ["%", "_" * 64, "%' OR '1'='1", "'; DELETE FROM check_dispositions; --"])
def test_triage_mark_matches_only_what_is_spelled(warehouse, document, capsys):
    recorded = rows(warehouse, "SELECT * FROM check_dispositions")
    code = main(["triage", "mark", document, FAILED_CHECK, "--as", "bureau-error", "--note", "x", "--warehouse", str(warehouse)])
    assert code == 2
    assert "matches 0 documents" in capsys.readouterr().err
    assert rows(warehouse, "SELECT * FROM check_dispositions") == recorded


def test_triage_mark_records_hostile_text_verbatim(warehouse, capsys):
    check = "x' OR '1'='1"
    assert main(["triage", "mark", HOSTILE_NAME, check, "--as", "bureau-error", "--note", "n", "--warehouse", str(warehouse)]) == 2
    assert f"no check {check!r}" in capsys.readouterr().err

    note, reviewer = "p22 says 5377.64'; DROP TABLE checks; --", "o'brien%_"
    args = ["triage", "mark", HOSTILE_NAME, FAILED_CHECK, "--as", "bureau-error", "--note", note, "--reviewer", reviewer]
    assert main([*args, "--warehouse", str(warehouse)]) == 0
    # the check named gets the note verbatim; the item's consequence gets it too, saying where from
    assert rows(warehouse, "SELECT note, reviewer FROM check_dispositions WHERE check_name = ?", FAILED_CHECK) == [(note, reviewer)]
    assert rows(warehouse, "SELECT count(*) > 0 FROM checks") == [(True,)]
    assert main(["triage", "list", "--all", "--warehouse", str(warehouse)]) == 0
    assert "bureau_error" in capsys.readouterr().out


def test_report_scope_is_a_value_not_sql(warehouse, root, capsys):
    region = rows(warehouse, "SELECT region FROM dim_documents")[0][0]
    out = root / "report.html"
    injected = f"{region}' OR '1'='1"
    assert main(["report", "--warehouse", str(warehouse), "--region", injected, "--year", "2024", "--out", str(out)]) == 2
    assert f"no documents of region {injected} in the warehouse" in capsys.readouterr().err  # a value, named as given
    assert not out.exists()
    assert main(["report", "--warehouse", str(warehouse), "--region", region, "--year", "2024", "--out", str(out)]) == 0
    department = rows(warehouse, "SELECT department FROM dim_documents")[0][0]
    assert department in out.read_text(encoding="utf-8")
    assert rows(warehouse, "SELECT count(*) FROM documents") == [(1,)]


def test_query_is_read_only(warehouse, capsys):
    assert main(["query", "DROP TABLE documents", "--warehouse", str(warehouse)]) == 1
    assert "read-only" in capsys.readouterr().err
    assert rows(warehouse, "SELECT count(*) FROM documents") == [(1,)]
