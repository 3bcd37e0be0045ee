"""预算03 支出预算总表 (部门支出总表): expenditure by function subject and by use (BUDGETS.md).

Shanghai and the Ministry template key rows by function code; Jiangsu prints
one row of totals under 合计 | 基本支出 | 项目支出 | 单位预留机动经费 | 结转下年资金,
keyed 合计.
"""

from disclosures.tables import Column, Identity, Table
from disclosures.tables.rules import cross, hierarchy, row_sum

T = "预算03"
PARTS = ("基本支出", "项目支出", "单位预留机动经费", "结转下年资金")

TABLE = Table(
    code=T,
    report_kind="budget",
    title="支出预算总表",
    titles=("支出预算总表", "部门支出总表"),
    reader="function_codes",
    alt_readers=("one_row",),
    rows="function_code",
    templates=("shanghai", "jiangsu", "ministry"),
    units=("元", "万元"),
    # Shanghai prints 基本支出 | 项目支出, Jiangsu adds 单位预留机动经费 | 结转下年资金
    optional_columns=PARTS,
    columns=(
        Column("基本支出"),
        Column("项目支出"),
        Column("单位预留机动经费"),
        Column("结转下年资金"),
        Column("合计", ("合计", "金额", "小计", "总计")),
    ),
    layout={"row_key": "合计"},
    shares_subject_names=True,
    identities=(row_sum(T, "合计", PARTS),) + hierarchy(T) + (
        cross(T, ("合计.合计",), ("预算01:支出总计.支出",), name="预算03合计=预算01支出总计",
              guards=(("unprinted", "预算01:本年支出合计.支出"),)),
        cross(T, ("合计.合计",), ("预算01:本年支出合计.支出",), name="预算03合计=预算01本年支出合计",
              guards=(("printed", "预算01:本年支出合计.支出"),)),
        Identity(
            rule="cross_table.预算03类=预算01支出类别", family="cross_table",
            guards=(("usable", T), ("usable", "预算01"), ("cells", T)),
            each=(("class_lines", {"summary": "预算01", "column": "支出", "coded_only": True}),), inst="{code}",
            row_key="{code}", column_key="合计",
            lhs=("{code}.合计",), rhs=("预算01:{line}.支出",),
            description="预算03 {code}.合计 = 预算01 {line}", lhs_desc="预算03 {code}.合计", rhs_desc="预算01 {line}",
        ),
        # Jiangsu: each use = the 预算01 line
        Identity(
            rule="cross_table.预算03用途=预算01用途", family="cross_table", inst="{col}",
            guards=(("printed", "预算01:基本支出.支出"),),
            each=(("over", {"col": ("基本支出", "项目支出", "单位预留机动经费")}),), column_key="{col}",
            lhs=("合计.{col}",), rhs=("预算01:{col}.支出",),
            description="预算03 合计.{col} = 预算01 {col}", lhs_desc="预算03 合计.{col}", rhs_desc="预算01 {col}",
        ),
        # Shanghai: each row's 合计 = the same code's income (nothing is carried over)
        Identity(
            rule="cross_table.预算03行=预算02行", family="cross_table", inst="{row}",
            guards=(("usable", T), ("usable", "预算02"), ("cells", T), ("unprinted", "预算01:本年收入合计.收入")),
            each=(("rows", {"with_columns": ("合计",)}),), row_key="{row}", column_key="合计",
            lhs=("{row}.合计",), rhs=("预算02:{row}.合计",),
            description="预算03 {row}.合计 = 预算02 {row}.合计", lhs_desc="预算03 {row}.合计", rhs_desc="预算02 {row}.合计",
        ),
    ),
)
