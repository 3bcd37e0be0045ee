"""Real published PDFs (tests/data/real/): every table found, keyed, and the figures as printed.

Expected figures were read off the rendered pages by a person (page numbers
in the comments), not from the pipeline.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import BUDGET, GUIHUA, SHEHUI, TEMPLATE
from disclosures.parse.document import parse_document


@pytest.fixture(scope="module")
def guihua():
    return parse_document(GUIHUA)


@pytest.fixture(scope="module")
def shehui():
    return parse_document(SHEHUI)


def amount(parsed, table, row, col):
    c = parsed.cells
    hit = c[(c.table_code == table) & (c.row_key == row) & (c.column_key == col)]
    assert len(hit) == 1, (table, row, col, len(hit))
    return float(hit.amount.iloc[0])


def wan(printed: str) -> float:
    """A figure printed in 万元, in 元."""
    return float(Decimal(printed) * 10000)


def statuses(parsed):
    return dict(zip(parsed.tables.table_code, parsed.tables.status))


def test_word_export_every_table_found(guihua):
    assert guihua.document["status"] == "loaded"
    assert guihua.document["department"] == "上海市普陀区规划和自然资源局"
    assert guihua.document["fiscal_year"] == 2024 and guihua.document["report_kind"] == "final"
    assert statuses(guihua) == {
        "公开01": "present", "公开02": "present", "公开03": "present", "公开04": "present",
        "公开05": "present", "公开06": "present", "公开07": "empty", "公开08": "empty",
        "公开09": "present", "公开10": "absent",  # Shanghai prints no 公开10
    }


def test_word_export_figures(guihua):
    # p7 收入支出决算总表
    assert amount(guihua, "公开01", "总计", "收入") == wan("9859.38")
    assert amount(guihua, "公开01", "年初结转和结余", "收入") == wan("112.88")
    assert amount(guihua, "公开01", "自然资源海洋气象等支出", "支出") == wan("4461.67")
    # p8-9 收入决算表, a table continued on the next page without its header
    assert amount(guihua, "公开02", "2200150", "财政拨款收入") == wan("4416.67")
    # p10 支出决算表: 基本支出 includes money that is not a fiscal appropriation
    assert amount(guihua, "公开03", "合计", "基本支出") == wan("5377.64")
    # p15 一般公共预算财政拨款支出决算表, 合计 printed last, split over two cells
    assert amount(guihua, "公开05", "合计", "基本支出") == wan("5364.75")
    # p16 基本支出决算表, two side-by-side groups
    assert amount(guihua, "公开06", "人员经费合计", "决算数") == wan("4884.09")
    assert amount(guihua, "公开06", "30107", "决算数") == wan("1594.02")
    # p17 三公: 预算数/决算数 pairs under each item, three header rows
    assert amount(guihua, "公开09", "预算数", "公务接待费") == wan("2.85")
    assert amount(guihua, "公开09", "决算数", "合计") == wan("0.39")
    assert amount(guihua, "公开09", "决算数", "公务用车运行维护费") == 0.0


def test_wps_export(shehui):
    assert shehui.document["department"] == "中共上海市普陀区委社会工作部"
    assert statuses(shehui)["公开09"] == "empty"
    assert amount(shehui, "公开01", "一般公共预算财政拨款收入", "收入") == wan("307.82")
    assert amount(shehui, "公开05", "201", "项目支出") == wan("202.24")
    assert amount(shehui, "公开06", "公用经费合计", "决算数") == wan("10.23")


def test_lineage_points_at_the_printed_cell(guihua):
    c = guihua.cells
    row = c[(c.table_code == "公开06") & (c.row_key == "人员经费合计")].iloc[0]
    assert row.page == 16 and row.printed == "4884.09"
    assert 0 < row.x0 < row.x1 < 842 and 0 < row.y0 < row.y1 < 842
    assert row.method.startswith("camelot-2.0.0-lattice-vector")


def test_template_lands_no_figures():
    parsed = parse_document(TEMPLATE)
    assert parsed.document["status"] == "template"
    assert "XX" in parsed.document["reason"]
    assert parsed.cells.empty


def test_budget_is_told_apart_and_not_mixed():
    parsed = parse_document(BUDGET)
    assert parsed.document["report_kind"] == "budget"
    # its figures land under the budget's codes (BUDGETS.md), never under a final account's
    assert not parsed.cells.empty and set(parsed.cells.table_code) <= {f"预算{i:02d}" for i in range(1, 14)}
    assert amount(parsed, "预算01", "收入总计", "收入") == 31214205.80  # p9, printed in 元
