"""公开08 国有资本经营预算财政拨款支出决算表: the state capital budget by function subject."""

from disclosures.tables import Column, Table
from disclosures.tables.rules import fund_total, hierarchy, row_sum

T = "公开08"

TABLE = Table(
    code=T,
    report_kind="final",
    title="国有资本经营预算财政拨款支出决算表",
    titles=("国有资本经营预算财政拨款支出决算表", "国有资本经营预算财政拨款收入支出决算表"),
    reader="function_codes",
    rows="function_code",
    # some provinces print it with 公开07's columns (TABLES.md: Shanghai)
    columns=(
        Column("年初结转和结余"),
        Column("年末结转和结余"),
        Column("本年收入"),
        Column("基本支出", ("本年支出基本支出", "基本支出")),
        Column("项目支出", ("本年支出项目支出", "项目支出")),
        Column("合计", ("本年支出合计", "本年支出小计", "本年支出", "合计", "小计")),
    ),
    required_rows=("合计",),
    optional_columns=("年初结转和结余", "年末结转和结余", "本年收入"),  # 公开07's, where printed so
    missing_severity="warn",
    identities=(row_sum(T, "合计", ("基本支出", "项目支出")),)
    + hierarchy(T, spec=False)
    + fund_total(T, "合计", "国有资本经营预算财政拨款", "国有资本经营", spec=False),
)
