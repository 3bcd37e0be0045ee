"""The demo path end to end: the bundled sample portal on 127.0.0.1 is scraped,
every document is ingested through the Dagster assets, and the warehouse is
compared with independent ground truth."""

from __future__ import annotations

import json
from decimal import Decimal

import duckdb
import pytest

from conftest import SAMPLES
from disclosures.cli import main
from reference_text import expected_figures


@pytest.fixture(scope="module")
def demo_warehouse(tmp_path_factory):
    home = tmp_path_factory.mktemp("demo")
    mp = pytest.MonkeyPatch()
    mp.setenv("DAGSTER_HOME", str(home / "dagster_home"))
    (home / "dagster_home").mkdir()
    warehouse = home / "demo.duckdb"
    code = main(["demo", "--samples", str(SAMPLES), "--data", str(home / "data"), "--warehouse", str(warehouse)])
    mp.undo()
    assert code == 0
    return warehouse


@pytest.fixture(scope="module")
def demo(demo_warehouse):
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    yield con
    con.close()


def _cells(con, file_name):
    rows = con.execute(
        """SELECT table_code, row_key, column_key, amount FROM fact_amounts JOIN documents USING (document_id)
           WHERE file_name = ?""",
        [file_name],
    ).fetchall()
    return {(t, r, c): Decimal(a) for t, r, c, a in rows}


def test_every_sample_was_scraped_and_loaded(demo):
    loaded = {r[0] for r in demo.execute("SELECT file_name FROM documents WHERE status = 'loaded'").fetchall()}
    assert loaded == {p.name for p in SAMPLES.glob("*.pdf")}
    sources = demo.execute("SELECT source_url FROM documents").fetchall()
    assert all(s[0].startswith("http://127.0.0.1:") for s in sources)


def test_reference_department_matches_the_reference_text(demo):
    expected = expected_figures()
    files = [p.name for p in SAMPLES.glob("jincheng-kejiju-2024-*.pdf")]
    assert len(files) >= 2  # rendered by at least two producers
    for name in files:
        assert _cells(demo, name) == expected, name


@pytest.mark.parametrize("pdf", sorted(p.name for p in SAMPLES.glob("*.pdf")))
def test_warehouse_equals_ground_truth_cell_for_cell(demo, pdf):
    truth = json.loads((SAMPLES / pdf).with_suffix(".truth.json").read_text(encoding="utf-8"))
    expected = {(c["table_code"], c["row_key"], c["column_key"]): Decimal(c["amount"]) for c in truth["cells"]}
    assert _cells(demo, pdf) == expected


def test_clean_samples_raise_no_error(demo):
    failing = demo.execute(
        """SELECT file_name, check_name, details FROM check_results JOIN documents USING (document_id)
           WHERE NOT passed AND severity = 'error'"""
    ).fetchall()
    assert failing == []


def test_marts_answer_the_readme_queries(demo):
    rows = demo.execute(
        "SELECT department, expenditure_wan FROM mart_department_totals WHERE fiscal_year = 2024 AND department = '晋城市科学技术局'"
    ).fetchall()
    # Rendered twice (two producers), counted once; 本年支出合计 as printed in 公开01.
    assert rows == [("晋城市科学技术局", 2195.66)]


def test_analyst_commands(demo, demo_warehouse, tmp_path, capsys):
    snapshot = demo_warehouse.with_name("demo.snapshot.duckdb")
    assert main(["query", "SELECT department, total_wan FROM mart_expenditure_by_function WHERE department = '晋城市科学技术局' AND function_code = '206'", "--warehouse", str(snapshot)]) == 0
    assert "1607.83" in capsys.readouterr().out  # 科学技术支出(类) as printed in 公开03

    assert main(["report", "--warehouse", str(snapshot), "--out", str(tmp_path / "r.html")]) == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "部门决算比较: 晋城市 · 2023–2024" in page and "<svg" in page and "<script" not in page
    assert "晋城市科学技术局" in page and "2,195.66" in page

    assert main(["export", "--warehouse", str(snapshot), "--out", str(tmp_path / "x")]) == 0
    totals = duckdb.execute("SELECT count(*) FROM read_parquet(?)", [str(tmp_path / "x" / "mart_department_totals.parquet")]).fetchone()[0]
    assert totals == demo.execute("SELECT count(*) FROM mart_department_totals").fetchone()[0] > 0
    assert (tmp_path / "x" / "fact_amounts.csv").stat().st_size > 0
