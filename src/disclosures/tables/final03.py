"""公开03 支出决算表: expenditure by function subject (TABLES.md)."""

from disclosures.tables import Column, Identity, Table
from disclosures.tables.rules import hierarchy, row_sum

TABLE = Table(
    code="公开03",
    report_kind="final",
    title="支出决算表",
    titles=("支出决算表",),
    reader="function_codes",
    rows="function_code",
    required_rows=("合计",),
    columns=(
        Column("本年支出合计", ("本年支出合计", "支出合计", "合计")),
        Column("基本支出"),
        Column("项目支出"),
        Column("上缴上级支出"),
        Column("经营支出"),
        Column("对附属单位补助支出"),
    ),
    shares_subject_names=True,
    identities=(row_sum("公开03", "本年支出合计", ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")),)
    + hierarchy("公开03")
    + (
        Identity(
            rule="cross_table.公开03合计=公开01本年支出合计", family="cross_table",
            lhs=("合计.本年支出合计",), rhs=("公开01:本年支出合计.支出",),
            description="公开03 合计.本年支出合计 = 公开01 本年支出合计",
            lhs_desc="公开03 合计.本年支出合计", rhs_desc="公开01 本年支出合计",
        ),
        Identity(
            rule="cross_table.公开03类=公开01支出类别", family="cross_table",
            guards=(("usable", "公开03"), ("usable", "公开01")),
            each=(("class_lines", {"summary": "公开01", "column": "支出"}),), inst="{code}",
            row_key="{code}", column_key="本年支出合计",
            lhs=("{code}.本年支出合计",), rhs=("公开01:{line}.支出",),
            description="公开03 {code} {class_name}.本年支出合计 = 公开01 {line}",
            lhs_desc="公开03 {code}.本年支出合计", rhs_desc="公开01 {line}",
        ),
    ),
)
