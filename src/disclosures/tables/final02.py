"""公开02 收入决算表: income by function subject (TABLES.md)."""

from disclosures.tables import Column, Identity, Table
from disclosures.tables.rules import hierarchy, row_sum

SOURCES = ("财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")

TABLE = Table(
    code="公开02",
    report_kind="final",
    title="收入决算表",
    titles=("收入决算表",),
    reader="function_codes",
    rows="function_code",
    required_rows=("合计",),
    columns=(
        Column("本年收入合计", ("本年收入合计", "收入合计", "合计")),
        Column("财政拨款收入", ("财政拨款收入", "财政拨款")),
        Column("上级补助收入"),
        Column("事业收入"),
        Column("经营收入"),
        Column("附属单位上缴收入"),
        Column("其他收入"),
    ),
    shares_subject_names=True,
    identities=(row_sum("公开02", "本年收入合计", SOURCES),) + hierarchy("公开02") + (
        Identity(
            rule="cross_table.公开02合计=公开01本年收入合计", family="cross_table",
            lhs=("合计.本年收入合计",), rhs=("公开01:本年收入合计.收入",),
            description="公开02 合计.本年收入合计 = 公开01 本年收入合计",
            lhs_desc="公开02 合计.本年收入合计", rhs_desc="公开01 本年收入合计",
        ),
        # implied: each source's 合计 = its 公开01 income line(s)
        Identity(
            rule="cross_table.公开02合计=公开01收入行", family="cross_table", spec=False, inst="财政拨款收入",
            column_key="财政拨款收入", lhs=("合计.财政拨款收入",),
            rhs=tuple(f"公开01:{f}收入.收入" for f in ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")),
            description="公开02 合计.财政拨款收入 = 公开01 三项财政拨款收入之和",
            lhs_desc="公开02 合计.财政拨款收入", rhs_desc="公开01 一般公共预算 + 政府性基金 + 国有资本经营 财政拨款收入",
        ),
        Identity(
            rule="cross_table.公开02合计=公开01收入行", family="cross_table", spec=False, inst="{col}",
            each=(("over", {"col": SOURCES[1:]}),), column_key="{col}",
            lhs=("合计.{col}",), rhs=("公开01:{col}.收入",),
            description="公开02 合计.{col} = 公开01 {col}", lhs_desc="公开02 合计.{col}", rhs_desc="公开01 {col}",
        ),
    ),
)
