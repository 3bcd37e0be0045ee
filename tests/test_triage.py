"""A real bureau error is flagged, settled by a reviewer, and the verdict survives re-runs."""

from __future__ import annotations

import pytest
from dagster import DagsterInstance

from conftest import GUIHUA, SHEHUI, rows
from disclosures.cli import main
from disclosures.pipelines.definitions import defs

# 情况说明 of 上海市普陀区规划和自然资源局 states 基本支出5377.64 and 人员经费4896.98 万元,
# where its own 公开05 and 公开06 print 5364.75 and 4884.09.
NARRATIVE_ERRORS = {"narrative.amount[公开05/合计/基本支出]", "narrative.amount[公开06/人员经费合计/决算数]"}


@pytest.fixture()
def warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dh"))
    (tmp_path / "dh").mkdir()
    path = tmp_path / "w.duckdb"
    assert main(["ingest", str(GUIHUA), str(SHEHUI), "--warehouse", str(path), "--data", str(tmp_path / "data")]) == 0
    return path


def test_bureau_error_flagged_then_accepted_and_kept_across_reruns(warehouse, tmp_path):
    failing = rows(warehouse, "SELECT d.file_name, c.check_name FROM check_results c JOIN documents d USING (document_id) WHERE NOT passed AND severity = 'error'")
    assert set(failing) == {(GUIHUA.name, name) for name in NARRATIVE_ERRORS}  # 社会工作部 is clean
    details = dict(rows(warehouse, "SELECT check_name, details FROM check_results WHERE NOT passed AND severity = 'error'"))
    assert "5377.64" in details["narrative.amount[公开05/合计/基本支出]"] and "5364.75" in details["narrative.amount[公开05/合计/基本支出]"]
    assert rows(warehouse, "SELECT flagged FROM dim_documents WHERE file_name = ?", GUIHUA.name) == [(True,)]

    # One verdict from the CLI settles both: they differ from the tables by the same 12.89 万元,
    # one worklist item. The Dagster triage job (the UI's Launchpad runs the same job) records
    # a second verdict, named by the consequence.
    first, second = sorted(NARRATIVE_ERRORS)
    assert main(["triage", "mark", GUIHUA.name, first, "--as", "bureau-error", "--note", "p22 states 5377.64; 公开05 prints 5364.75", "--warehouse", str(warehouse)]) == 0
    assert rows(warehouse, "SELECT flagged, bureau_errors FROM dim_documents WHERE file_name = ?", GUIHUA.name) == [(False, 2)]
    result = defs().resolve_job_def("triage").execute_in_process(
        run_config={
            "ops": {"check_dispositions": {"config": {"document": GUIHUA.name, "check": second, "verdict": "bureau_error", "note": "公开06 prints 4884.09", "reviewer": "test"}}},
            "resources": {"warehouse": {"config": {"database": str(warehouse)}}},
        },
        instance=DagsterInstance.get(),
    )
    assert result.success
    assert rows(warehouse, "SELECT flagged, bureau_errors FROM dim_documents WHERE file_name = ?", GUIHUA.name) == [(False, 2)]

    # Re-ingesting replaces the document's checks; the verdicts stay in force.
    assert main(["ingest", str(GUIHUA), "--warehouse", str(warehouse), "--data", str(tmp_path / "data")]) == 0
    settled = rows(warehouse, "SELECT check_name, disposition FROM check_results WHERE NOT passed AND severity = 'error'")
    assert set(settled) == {(n, "bureau_error") for n in NARRATIVE_ERRORS}
    # The figures are still what the document prints.
    printed = rows(
        warehouse,
        "SELECT amount FROM fact_amounts JOIN documents USING (document_id) WHERE file_name = ? AND table_code = '公开05' AND row_key = '合计' AND column_key = '基本支出'",
        GUIHUA.name,
    )
    assert printed == [(53647500,)]

    # A later verdict supersedes, the earlier ones are kept.
    assert main(["triage", "mark", GUIHUA.name, first, "--as", "parser-error", "--note", "re-read", "--warehouse", str(warehouse)]) == 0
    assert rows(warehouse, "SELECT count(*) FROM check_dispositions WHERE check_name = ?", first) == [(3,)]
    assert rows(warehouse, "SELECT disposition FROM check_results WHERE check_name = ? AND NOT passed", first) == [("parser_error",)]
    assert rows(warehouse, "SELECT flagged FROM dim_documents WHERE file_name = ?", GUIHUA.name) == [(True,)]


def test_marking_a_passing_check_is_refused(warehouse, capsys):
    code = main(["triage", "mark", SHEHUI.name, "公开01.总计(收)=总计(支)", "--as", "bureau-error", "--note", "x", "--warehouse", str(warehouse)])
    assert code == 2
    assert "nothing to triage" in capsys.readouterr().err
