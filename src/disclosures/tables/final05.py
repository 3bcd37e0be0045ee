"""公开05 一般公共预算财政拨款支出决算表: the general budget's expenditure by function subject."""

from disclosures.tables import Column, Identity, Table
from disclosures.tables.rules import fund_total, hierarchy, row_sum

T = "公开05"
# 公开05 is the general budget's share of 公开03 (all funds), column by column
WITHIN_03 = (("小计", "本年支出合计"), ("基本支出", "基本支出"), ("项目支出", "项目支出"))

TABLE = Table(
    code=T,
    report_kind="final",
    title="一般公共预算财政拨款支出决算表",
    titles=("一般公共预算财政拨款支出决算表",),
    reader="function_codes",
    rows="function_code",
    required_rows=("合计",),
    columns=(
        Column("小计", ("小计", "合计", "本年支出小计", "本年支出合计")),
        Column("基本支出"),
        Column("项目支出"),
    ),
    shares_subject_names=True,
    identities=(row_sum(T, "小计", ("基本支出", "项目支出")),)
    + hierarchy(T)
    + fund_total(T, "小计", "一般公共预算财政拨款", "一般公共预算", spec=True)
    + (
        Identity(
            rule="domain.公开05≤公开03", family="domain", kind="le", spec=False,
            guards=(("usable", T), ("usable", "公开03"), ("cells", T), ("cells", "公开03")),
            each=(("rows", {"pairs": WITHIN_03, "printed": "{row}.{a}"}),), inst="{row}/{b}",
            row_key="{row}", column_key="{b}",
            lhs=("{row}.{a}",), rhs=("公开03:{row}.{b}",),
            description="公开05 {row}.{a} (general budget only) ≤ 公开03 {row}.{b} (all funds)",
            lhs_desc="公开05 {row}.{a}", rhs_desc="公开03 {row}.{b}",
        ),
    ),
)
