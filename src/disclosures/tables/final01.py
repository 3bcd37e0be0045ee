"""公开01 收入支出决算总表: income lines beside expenditure lines (TABLES.md)."""

from disclosures.tables import Column, Identity, Table

# The eight income lines 本年收入合计 sums (a line printed beyond them is summed too).
INCOME_LINES = (
    "一般公共预算财政拨款收入",
    "政府性基金预算财政拨款收入",
    "国有资本经营预算财政拨款收入",
    "上级补助收入",
    "事业收入",
    "经营收入",
    "附属单位上缴收入",
    "其他收入",
)
FUNDS = ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")
T = "公开01"

TABLE = Table(
    code=T,
    report_kind="final",
    title="收入支出决算总表",
    titles=("收入支出决算总表",),
    reader="summary",
    rows="label",
    columns=(Column("收入"), Column("支出")),
    layout={"side_keys": ("收入", "支出")},
    required_rows=("本年收入合计", "本年支出合计", "总计"),
    row_synonyms={"使用非财政拨款结余": "使用非财政拨款结余（含专用结余）"},
    # the line as the document prints it, when it prints another wording of the key
    row_aliases={"use_bal": ("使用非财政拨款结余", "使用非财政拨款结余（含专用结余）")},
    identities=(
        Identity(
            rule="公开01.本年收入合计=Σ收入", family="total", guards=(("usable", T),),
            each=(("lines", {"column": "收入", "fixed": INCOME_LINES,
                             "exclude": ("本年收入合计", "总计", "年初结转和结余", "{use_bal}")}),),
            row_key="本年收入合计", column_key="收入",
            lhs=("本年收入合计.收入",), rhs=("for r in lines: {r}.收入",),
            description="公开01 本年收入合计 = sum of the {n} income lines",
            lhs_desc="本年收入合计", rhs_desc="sum of {n} income lines",
        ),
        Identity(
            rule="公开01.总计(收)=本年收入合计+使用非财政拨款结余+年初结转和结余", family="total",
            guards=(("usable", T),), row_key="总计", column_key="收入",
            lhs=("总计.收入",), rhs=("本年收入合计.收入", "{use_bal}.收入", "年初结转和结余.收入"),
            description="公开01 总计(收入) = 本年收入合计 + 使用非财政拨款结余（含专用结余） + 年初结转和结余",
            lhs_desc="总计(收入)", rhs_desc="本年收入合计 + 使用非财政拨款结余 + 年初结转和结余",
        ),
        Identity(
            rule="公开01.本年支出合计=Σ支出类别", family="total", guards=(("usable", T),),
            each=(("lines", {"column": "支出", "exclude": ("本年支出合计", "结余分配", "年末结转和结余", "总计")}),),
            row_key="本年支出合计", column_key="支出",
            lhs=("本年支出合计.支出",), rhs=("for r in lines: {r}.支出",),
            description="公开01 本年支出合计 = sum of the category lines ({n} printed)",
            lhs_desc="本年支出合计", rhs_desc="sum of {n} category lines",
        ),
        Identity(
            rule="公开01.总计(支)=本年支出合计+结余分配+年末结转和结余", family="total",
            guards=(("usable", T),), row_key="总计", column_key="支出",
            lhs=("总计.支出",), rhs=("本年支出合计.支出", "结余分配.支出", "年末结转和结余.支出"),
            description="公开01 总计(支出) = 本年支出合计 + 结余分配 + 年末结转和结余",
            lhs_desc="总计(支出)", rhs_desc="本年支出合计 + 结余分配 + 年末结转和结余",
        ),
        Identity(
            rule="公开01.总计(收)=总计(支)", family="total", guards=(("usable", T),), row_key="总计",
            lhs=("总计.收入",), rhs=("总计.支出",),
            description="公开01 总计(收入) = 总计(支出)", lhs_desc="总计(收入)", rhs_desc="总计(支出)",
        ),
    ) + tuple(
        # the appropriation income lines = 公开04's income side (the general budget's is stated)
        Identity(
            rule=f"cross_table.公开01{fund}收入=公开04收入", family="cross_table", spec=spec, row_key=fund,
            lhs=(f"{fund}收入.收入",), rhs=(f"公开04:{fund}.收入",),
            description=f"公开01 {fund}收入 = 公开04 收入 {fund}",
            lhs_desc=f"公开01 {fund}收入", rhs_desc=f"公开04 {fund}",
        )
        for fund, spec in zip(FUNDS, (True, False, False))
    ),
)
