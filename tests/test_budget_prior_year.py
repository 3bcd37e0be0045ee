"""mart_budget_prior_year: a budget's claims about last year held to last year's budget in the warehouse.

Inside one document `与上年相比增加2248.37万元` can only be "cannot check". With the
department's budget of the year before loaded too, the mart compares. Two ways:
the real 江苏省人大常委会办公厅 budgets of 2017 and 2018 through the CLI (its 2018
narrative states how 20 figures changed from 2017), and budgets published by the
writer with claims true, false and uncheckable, their verdicts computed here.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from conftest import REAL
from disclosures.cli import main
from disclosures.frames import CELL_COLUMNS, CHECK_COLUMNS, CHECK_KEY_COLUMNS, TABLE_STATUS_COLUMNS
from disclosures.warehouse.writer import connect, publish_document, refresh_marts

RENDA = [REAL / f"江苏省人大常委会办公厅{y}年度部门预算.pdf" for y in (2017, 2018)]


@pytest.fixture(scope="module")
def renda(tmp_path_factory):
    root = tmp_path_factory.mktemp("renda")
    assert main(["ingest", *map(str, RENDA), "--warehouse", str(root / "w.duckdb"), "--data", str(root / "data")]) == 0
    with duckdb.connect(str(root / "w.duckdb"), read_only=True) as con:
        yield con


def test_a_real_budgets_changes_agree_with_last_years_budget(renda):
    rows = renda.execute(
        "SELECT fiscal_year, table_code, row_key, column_key, stated, this_year_wan, last_year_wan, verdict "
        "FROM mart_budget_prior_year ORDER BY fiscal_year, table_code, row_key, column_key").fetchall()
    by_year = {y: [r for r in rows if r[0] == y] for y in (2017, 2018)}
    # 2017 compares with 2016, which the warehouse does not hold
    assert by_year[2017] and {r[-1] for r in by_year[2017]} == {"no budget of the year before"}
    assert len(by_year[2018]) == 20 and {r[-1] for r in by_year[2018]} == {"agrees"}
    figures = {(t, r, c): (stated, now, before) for _, t, r, c, stated, now, before, _ in by_year[2018]}
    # as the two documents print them: 收、支预算总计 15,897.44 (2018) and 13,649.07 (2017) 万元
    assert figures["预算01", "收入总计", "收入"] == (2248.37, 15897.44, 13649.07)
    # 机关运行经费 与上年相比减少4039.93万元: 1,579.38 against 5,619.31
    assert figures["预算12", "合计", "合计"] == (-4039.93, 1579.38, 5619.31)
    # 与上年度持平
    assert figures["预算09", "预算数", "公务接待费"] == (0.0, 427.5, 427.5)


def _publish(con, doc_id: str, year: int, scope: str, cells: list, tables: list[str], claims: list) -> None:
    frame = pd.DataFrame(cells, columns=["table_code", "row_key", "column_key", "amount"]).assign(
        document_id=doc_id, unit="元", page=5).reindex(columns=CELL_COLUMNS)
    status = pd.DataFrame([(doc_id, t, "present", None, "5", "元", "") for t in tables], columns=TABLE_STATUS_COLUMNS)
    checks = pd.DataFrame(
        [{"document_id": doc_id, "table_code": t, "check_name": f"narrative.prior_year[{i}]", "passed": True,
          "severity": "warn", "details": "cannot check", "lhs": stated, "page": 3, "family": "narrative",
          "row_key": r, "column_key": c, "unit": unit} for i, (t, r, c, stated, unit) in enumerate(claims)],
        columns=[*CHECK_COLUMNS, *CHECK_KEY_COLUMNS])
    doc = {"document_id": doc_id, "department": "甲局", "region": "甲市", "fiscal_year": year, "report_kind": "budget",
           "budget_scope": scope, "source_url": "test", "page_count": 20, "status": "loaded", "unit": "元",
           "file_name": f"{doc_id}.pdf"}
    publish_document(con, doc, frame, status, checks, [], "test", "test")


# (table, row, column, stated, unit) → the verdict, worked out by hand from the cells below
CLAIMS = [
    (("预算01", "支出总计", "支出", 200.0, "万元"), "agrees"),  # 1,200 − 1,000 万元
    (("预算01", "支出总计", "支出", 20.0, "%"), "agrees"),  # 200 / 1,000
    (("预算01", "本年收入合计", "收入", 150.0, "万元"), "differs"),  # 900 − 800 = 100
    (("预算09", "预算数", "公务接待费", -2.5, "万元"), "agrees"),  # 7.5 − 10 (a blank cell of a printed table is 0: not here)
    (("预算09", "预算数", "公务用车购置费", 0.0, "万元"), "agrees"),  # blank both years: 持平
    (("预算12", "合计", "合计", 5.0, "万元"), "figure not printed"),  # last year's budget prints no 预算12
]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    con = connect(tmp_path_factory.mktemp("prior") / "w.duckdb")
    _publish(con, "b2023", 2023, "department", [
        ("预算01", "支出总计", "支出", 10_000_000.0), ("预算01", "本年收入合计", "收入", 8_000_000.0),
        ("预算09", "预算数", "公务接待费", 100_000.0)], ["预算01", "预算09"], [])
    _publish(con, "b2024", 2024, "department", [
        ("预算01", "支出总计", "支出", 12_000_000.0), ("预算01", "本年收入合计", "收入", 9_000_000.0),
        ("预算09", "预算数", "公务接待费", 75_000.0), ("预算12", "合计", "合计", 50_000.0)],
        ["预算01", "预算09", "预算12"], [claim for claim, _ in CLAIMS])
    # the same department's 单位预算 of 2024: compared with no 部门预算, and none with it
    _publish(con, "u2024", 2024, "unit", [("预算01", "支出总计", "支出", 3_000_000.0)], ["预算01"],
             [("预算01", "支出总计", "支出", 100.0, "万元")])
    refresh_marts(con)
    yield con
    con.close()


def test_each_claim_gets_its_verdict(published):
    got = published.execute(
        "SELECT table_code, row_key, column_key, stated, unit, verdict, prior_document_id FROM mart_budget_prior_year "
        "WHERE document_id = 'b2024'").fetchall()
    assert sorted((t, r, c, s, u, v) for t, r, c, s, u, v, _ in got) == sorted((*claim, v) for claim, v in CLAIMS)
    assert {p for *_, p in got} == {"b2023"}


def test_a_unit_budget_is_not_compared_with_the_department_budget(published):
    assert published.execute(
        "SELECT verdict FROM mart_budget_prior_year WHERE document_id = 'u2024'").fetchall() == [("no budget of the year before",)]
