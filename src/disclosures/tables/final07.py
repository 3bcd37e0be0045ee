"""公开07 政府性基金预算财政拨款收入支出决算表: the government fund by function subject."""

from disclosures.tables import Column, Identity, Table
from disclosures.tables.rules import fund_total, hierarchy, row_sum

T = "公开07"

TABLE = Table(
    code=T,
    report_kind="final",
    title="政府性基金预算财政拨款收入支出决算表",
    titles=("政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款支出决算表"),
    reader="function_codes",
    rows="function_code",
    required_rows=("合计",),
    # 本年支出 is printed over 小计 | 基本支出 | 项目支出: the joined header names the column
    columns=(
        Column("年初结转和结余"),
        Column("年末结转和结余"),
        Column("本年收入"),
        Column("本年支出基本支出", ("本年支出基本支出", "基本支出")),
        Column("本年支出项目支出", ("本年支出项目支出", "项目支出")),
        Column("本年支出小计", ("本年支出小计", "本年支出合计", "本年支出", "小计", "合计")),
    ),
    missing_severity="warn",
    identities=(row_sum(T, "本年支出小计", ("本年支出基本支出", "本年支出项目支出")),
                Identity(
                    rule="公开07.年末=年初+本年收入-本年支出小计", family="row_sum", guards=(("usable", T), ("cells", T)),
                    each=(("rows", {}),), inst="{row}", row_key="{row}", column_key="年末结转和结余",
                    lhs=("{row}.年末结转和结余",), rhs=("{row}.年初结转和结余", "{row}.本年收入", "-{row}.本年支出小计"),
                    description="公开07 row {row_desc}: 年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出小计",
                    lhs_desc="年末结转和结余", rhs_desc="年初结转和结余 + 本年收入 − 本年支出小计",
                ))
    + hierarchy(T, spec=False)
    + fund_total(T, "本年支出小计", "政府性基金预算财政拨款", "政府性基金", spec=True),
)
