"""mart_budget_execution: a department's budget beside its final account, published by the pipeline's writer.

The final account is a generator ledger's truth; the two budgets (a 部门预算 and
a 单位预算 of the same department and year) are cells as the parser lands them.
The expected rows are computed here from those cells, not by the mart's SQL.
"""

from __future__ import annotations

import pandas as pd
import pytest

from disclosures.frames import CELL_COLUMNS, TABLE_STATUS_COLUMNS
from disclosures.generator.ledger import random_ledger
from disclosures.generator.truth import truth
from disclosures.warehouse.writer import connect, publish_document, refresh_marts

SANGONG = ("合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费")


def _publish(con, doc_id, kind, scope, department, cells):
    cells = pd.DataFrame(cells, columns=["table_code", "row_key", "column_key", "amount", "page"])
    cells["document_id"] = doc_id
    cells["unit"] = "元"
    cells = cells.reindex(columns=CELL_COLUMNS)
    tables = pd.DataFrame([(doc_id, t, "present", None, None, "元", "") for t in sorted(set(cells.table_code))],
                          columns=TABLE_STATUS_COLUMNS)
    doc = {"document_id": doc_id, "department": department, "region": "甲市", "fiscal_year": 2024,
           "report_kind": kind, "budget_scope": scope, "source_url": "test", "page_count": 20, "status": "loaded",
           "unit": "元", "file_name": f"{doc_id}.pdf"}
    publish_document(con, doc, cells, tables, pd.DataFrame(), [], "test", "test")
    return cells


def _budget(final: pd.DataFrame, share: float, page: int):
    """A budget of the final account's shape: its classes and totals at a share of what was spent."""
    rows = []
    f = final.set_index(["table_code", "row_key", "column_key"])["amount"]
    total = round(float(f[("公开01", "本年支出合计", "支出")]) * share, 2)
    rows.append(("预算01", "支出总计", "支出", total, page))
    for col in ("基本支出", "项目支出"):
        rows.append(("预算03", "合计", col, round(float(f.get(("公开03", "合计", col), 0)) * share, 2), page + 1))
    classes = final[(final.table_code == "公开03") & (final.row_key.str.len() == 3) & (final.column_key == "本年支出合计")]
    for code, amount in zip(classes.row_key, classes.amount):
        rows.append(("预算03", code, "合计", round(float(amount) * share, 2), page + 1))
    rows.append(("预算03", "999", "合计", 1000.0, page + 1))  # budgeted, nothing spent
    for item in SANGONG:
        rows.append(("预算09", "预算数", item, round(float(f.get(("公开09", "决算数", item), 0)) * share + 100, 2), page + 5))
    return rows


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    con = connect(tmp_path_factory.mktemp("mart") / "w.duckdb")
    led = random_ledger(seed=7, department="caizhengju", region="甲市", year=2024)
    final = pd.DataFrame(truth(led))
    final["amount"] = final["amount"].astype(float)
    final["page"] = [6 + int(t[-2:]) for t in final.table_code]  # 公开01 on p7 … 公开09 on p15
    final = _publish(con, "final", "final", None, led.department,
                     final[["table_code", "row_key", "column_key", "amount", "page"]].values.tolist())
    budgets = {
        "dept": _publish(con, "dept", "budget", "department", led.department, _budget(final, 1.25, 9)),
        "unit": _publish(con, "unit", "budget", "unit", led.department, _budget(final, 0.4, 8)),
    }
    # another department's budget, with no final account: no rows
    _publish(con, "alone", "budget", "department", "乙局", _budget(final, 2.0, 9))
    refresh_marts(con)
    yield con, final, budgets
    con.close()


def expected(final: pd.DataFrame, budget: pd.DataFrame) -> dict:
    """(measure, item) → (budget, actual, budget page, final page), from the cells."""
    def cell(df, t, r, c):
        hit = df[(df.table_code == t) & (df.row_key == r) & (df.column_key == c)]
        return (float(hit.amount.iloc[0]), int(hit.page.iloc[0])) if len(hit) else (None, None)

    out = {}
    def put(key, b, a):
        out[key] = (b[0], a[0], b[1], a[1])
    put(("total_expenditure", ""), cell(budget, "预算01", "支出总计", "支出"), cell(final, "公开01", "本年支出合计", "支出"))
    for measure, col in (("basic", "基本支出"), ("project", "项目支出")):
        put((measure, ""), cell(budget, "预算03", "合计", col), cell(final, "公开03", "合计", col))
    codes = {r for r in budget[budget.table_code == "预算03"].row_key if len(r) == 3}
    codes |= {r for r in final[(final.table_code == "公开03") & (final.column_key == "本年支出合计")].row_key if len(r) == 3}
    for code in codes:
        put(("function_class", code), cell(budget, "预算03", code, "合计"), cell(final, "公开03", code, "本年支出合计"))
    for item in SANGONG:
        put(("sangong", item), cell(budget, "预算09", "预算数", item), cell(final, "公开09", "决算数", item))
    return out


@pytest.mark.parametrize("scope", ["dept", "unit"])
def test_each_budget_against_the_final_account(warehouse, scope):
    con, final, budgets = warehouse
    rows = con.execute(
        "SELECT measure, item, budget_yuan, actual_yuan, execution_rate_pct, budget_page, final_page, final_document_id "
        "FROM mart_budget_execution WHERE budget_document_id = ?", [scope]).fetchall()
    want = expected(final, budgets[scope])
    got = {(m, i): (None if b is None else float(b), None if a is None else float(a), bp, fp)
           for m, i, b, a, _, bp, fp, _ in rows}
    assert got == want
    assert {r[7] for r in rows} == {"final"}
    for m, i, b, a, rate, *_ in rows:
        if b and a is not None:
            assert float(rate) == pytest.approx(100 * float(a) / float(b), abs=0.005)
    assert got[("function_class", "999")][1] is None  # budgeted and not spent: kept, with no actual


def test_department_and_unit_budgets_are_never_added(warehouse):
    con, final, budgets = warehouse
    rows = con.execute(
        "SELECT budget_scope, budget_yuan FROM mart_budget_execution WHERE measure = 'total_expenditure'").fetchall()
    dept = expected(final, budgets["dept"])[("total_expenditure", "")][0]
    unit = expected(final, budgets["unit"])[("total_expenditure", "")][0]
    assert sorted((s, float(b)) for s, b in rows) == sorted([("department", dept), ("unit", unit)])
    # both budgets stay in dim_documents: one department-year, two scopes
    scopes = con.execute("SELECT budget_scope FROM dim_documents WHERE report_kind = 'budget' AND department <> '乙局'").fetchall()
    assert sorted(s for (s,) in scopes) == ["department", "unit"]


def test_a_budget_without_its_final_account_has_no_rows(warehouse):
    con, *_ = warehouse
    assert con.execute("SELECT count(*) FROM mart_budget_execution WHERE budget_document_id = 'alone'").fetchone()[0] == 0


def test_the_report_shows_budget_against_actual(warehouse):
    from disclosures.report import render_report

    con, final, budgets = warehouse
    page = render_report(con, ["甲市"], [2024])
    section = page.split("Budget against actual")[1].split("<h2>")[0]
    dept = expected(final, budgets["dept"])[("total_expenditure", "")]
    unit = expected(final, budgets["unit"])[("total_expenditure", "")]
    # each budget on a row of its own, in 万元, beside the same actual
    assert "部门预算" in section and "单位预算" in section
    for b in (dept, unit):
        assert f"{b[0] / 10000:,.2f}" in section or f"{round(b[0] / 10000, 2)}" in section
    assert f"{round(dept[1] / 10000, 2)}" in section or f"{dept[1] / 10000:,.2f}" in section
