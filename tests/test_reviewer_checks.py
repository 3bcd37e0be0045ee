"""The checks a reviewer watches describe the warehouse, not the last batch; triage from the UI's job.

One Dagster home and one warehouse, driven as a reviewer would: `disclosures
ingest` of a document with a real bureau error (上海市普陀区规划和自然资源局: its
情况说明 restates 基本支出 and 人员经费 12.89 万元 higher than its tables print),
then of a clean one; the checks are read back from the Dagster instance, the
verdict is entered through the `triage` job the Launchpad runs.
"""

from __future__ import annotations

import base64

import duckdb
import pytest
from dagster import AssetCheckKey, AssetKey, DagsterEventType, DagsterInstance

from conftest import GUIHUA, SHEHUI
from disclosures.cli import main
from disclosures.pipelines.definitions import defs

HEAD = "narrative.amount[公开05/合计/基本支出]"
CONSEQUENCE = "narrative.amount[公开06/人员经费合计/决算数]"


@pytest.fixture(scope="module")
def reviewer_env(tmp_path_factory):
    root = tmp_path_factory.mktemp("reviewer")
    mp = pytest.MonkeyPatch()
    mp.setenv("DAGSTER_HOME", str(root / "dh"))
    (root / "dh").mkdir()
    warehouse = root / "w.duckdb"
    assert main(["ingest", str(GUIHUA), "--warehouse", str(warehouse), "--data", str(root / "data"), "--workers", "1"]) == 0
    yield root, warehouse
    mp.undo()


def latest(name: str):
    """The latest evaluation of a check on check_results, as the UI shows it."""
    key = AssetCheckKey(AssetKey("check_results"), name)
    record = DagsterInstance.get().event_log_storage.get_latest_asset_check_execution_by_key([key])[key]
    return record.event.dagster_event.event_specific_data


def verdicts(warehouse) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM check_dispositions").fetchone()[0]
    finally:
        con.close()


def triage_job(warehouse, document: str, check: str):
    return defs().resolve_job_def("triage").execute_in_process(
        run_config={
            "ops": {"check_dispositions": {"config": {"document": document, "check": check, "verdict": "bureau_error",
                                                      "note": "p.24 states 5377.64; 公开05 prints 5364.75", "reviewer": "test"}}},
            "resources": {"warehouse": {"config": {"database": str(warehouse)}}},
        },
        instance=DagsterInstance.get(),
        raise_on_error=False,
    )


def test_checks_stay_red_after_a_clean_ingest_until_a_verdict_settles_the_cascade(reviewer_env):
    root, warehouse = reviewer_env
    first = latest("open_failures")
    assert not first.passed and first.metadata["open_errors"].value == 2

    # A later batch holds only a clean document: the warehouse still holds the two open errors.
    assert main(["ingest", str(SHEHUI), "--warehouse", str(warehouse), "--data", str(root / "data"), "--workers", "1"]) == 0
    for name in ("open_failures", "narrative"):
        evaluation = latest(name)
        assert not evaluation.passed, name
        assert evaluation.metadata["open_errors"].value == 2
        assert evaluation.metadata["documents_with_open_errors"].value == 1
    assert latest("total").passed and latest("row_sum").passed

    # The worklist: one item (the same difference), the consequence under it, both sides,
    # the quoted sentence, the document as a reviewer tells it apart, the printed figure.
    worklist = latest("open_failures").metadata["worklist"].value
    # (and two narrative figures no table row carries: warnings, left to read)
    assert "Likely bureau errors: 3 open items, 1 with errors" in worklist
    assert "上海市普陀区规划和自然资源局 · 2024 · final" in worklist and GUIHUA.name in worklist
    assert "consequences (1)" in worklist and CONSEQUENCE in worklist
    assert "lhs 5,377.64 · rhs 5,364.75 · difference **12.89** 万元" in worklist
    assert "«一般公共预算财政拨款基本支出5377.64万元»" in worklist
    png = base64.b64decode(worklist.split("data:image/png;base64,")[1].split(")")[0])
    assert png.startswith(b"\x89PNG")

    # One verdict, naming the item's head as the worklist prints it, settles both; the checks
    # re-run in the same job and turn green at once.
    result = triage_job(warehouse, GUIHUA.name, HEAD)
    assert result.success
    settled = result.asset_materializations_for_node("check_dispositions")[0].metadata["settled"].value
    assert HEAD in settled and CONSEQUENCE in settled
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert evaluations["open_failures"].passed and evaluations["narrative"].passed
    assert evaluations["open_failures"].metadata["settled_as_bureau_errors"].value == 2
    assert latest("open_failures").passed


@pytest.mark.parametrize(
    "document, check, expected",
    [
        ("nowhere.pdf", HEAD, "'nowhere.pdf' matches 0 documents in the warehouse"),
        (GUIHUA.name[:-1], HEAD, f"did you mean {GUIHUA.name!r}"),
        (GUIHUA.name, HEAD[:-1], f"has no check {HEAD[:-1]!r} that failed; did you mean {HEAD!r}"),
        (SHEHUI.name, "公开01.总计(收)=总计(支)", "passed for"),
    ],
)
def test_a_mistyped_verdict_is_refused_in_one_line_and_writes_nothing(reviewer_env, capsys, document, check, expected):
    root, warehouse = reviewer_env
    before = verdicts(warehouse)
    result = triage_job(warehouse, document, check)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type == DagsterEventType.STEP_FAILURE)
    description = failure.step_failure_data.user_failure_data.description
    assert "\n" not in description and expected in description, description

    capsys.readouterr()  # the job's own log above
    code = main(["triage", "mark", document, check, "--as", "bureau-error", "--note", "x", "--warehouse", str(warehouse)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err and expected in err, err
    assert verdicts(warehouse) == before


def test_a_second_warehouse_is_refused_by_this_home(reviewer_env, capsys):
    root, _ = reviewer_env
    other = root / "other.duckdb"
    code = main(["ingest", str(SHEHUI), "--warehouse", str(other), "--data", str(root / "data")])
    err = capsys.readouterr().err
    assert code == 2
    assert "needs a home of its own" in err and "Traceback" not in err
    assert not other.exists()


def test_the_graph_runs_from_each_portal_to_the_checks():
    graph = defs().resolve_asset_graph()
    scrapes = {k for k in graph.get_all_asset_keys() if k.path[-1].startswith("scrape_")}
    assert scrapes and scrapes <= graph.get(AssetKey("raw_documents")).parent_keys
    assert AssetKey("published_documents") in graph.get(AssetKey("check_results")).parent_keys
    ingest = defs().resolve_job_def("ingest")
    # a local-file ingest runs no scrape
    assert not any(k.path[-1].startswith("scrape_") for k in ingest.asset_layer.selected_asset_keys)
