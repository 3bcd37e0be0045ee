"""公开04 财政拨款收入支出决算总表: appropriations by fund, income beside expenditure (TABLES.md)."""

from disclosures.tables import Column, Identity, Table

FUNDS = ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")
COLUMNS = ("合计",) + FUNDS
OPENING = "年初财政拨款结转和结余"
CLOSING = "年末财政拨款结转和结余"
T = "公开04"
_USABLE = (("usable", T),)

TABLE = Table(
    code=T,
    report_kind="final",
    title="财政拨款收入支出决算总表",
    titles=("财政拨款收入支出决算总表",),
    reader="summary",
    rows="label",
    # the expenditure side's columns; its income side is one column keyed 收入
    columns=(
        Column("一般公共预算财政拨款", ("一般公共预算财政拨款", "一般公共预算")),
        Column("政府性基金预算财政拨款", ("政府性基金预算财政拨款", "政府性基金")),
        Column("国有资本经营预算财政拨款", ("国有资本经营预算财政拨款", "国有资本经营")),
        Column("合计", ("合计", "小计", "金额", "决算数")),
    ),
    layout={"side_keys": ("收入", "合计"), "mapped_side": 1},
    required_rows=("本年收入合计", "本年支出合计", "总计"),
    sub_lines={OPENING: FUNDS, CLOSING: FUNDS},
    identities=(
        Identity(
            rule="公开04.本年收入合计=Σ收入", family="total", guards=_USABLE, row_key="本年收入合计", column_key="收入",
            lhs=("本年收入合计.收入",), rhs=tuple(f"{f}.收入" for f in FUNDS),
            description="公开04 本年收入合计 = 一般公共预算财政拨款 + 政府性基金预算财政拨款 + 国有资本经营预算财政拨款",
            lhs_desc="本年收入合计", rhs_desc="sum of the 3 appropriation lines",
        ),
        Identity(
            rule="公开04.年初结转和结余=Σ分项", family="total", guards=_USABLE,
            each=(("lines", {"column": "收入", "prefix": OPENING + "/", "nonempty": True}),),
            row_key=OPENING, column_key="收入",
            lhs=(f"{OPENING}.收入",), rhs=("for r in lines: {r}.收入",),
            description="公开04 年初财政拨款结转和结余 = sum of its sub-lines",
            lhs_desc=OPENING, rhs_desc="{lines_plus}",
        ),
        Identity(
            rule="公开04.总计(收)=本年收入合计+年初结转和结余", family="total", guards=_USABLE,
            row_key="总计", column_key="收入",
            lhs=("总计.收入",), rhs=("本年收入合计.收入", f"{OPENING}.收入"),
            description="公开04 总计(收入) = 本年收入合计 + 年初财政拨款结转和结余",
            lhs_desc="总计(收入)", rhs_desc="本年收入合计 + 年初财政拨款结转和结余",
        ),
        Identity(
            rule="公开04.row_sum", family="row_sum", guards=_USABLE,
            each=(("rows", {"with_columns": COLUMNS, "no_sub_lines": True}),), inst="{row}",
            row_key="{row}", column_key="合计",
            lhs=("{row}.合计",), rhs=tuple(f"{{row}}.{f}" for f in FUNDS),
            description="公开04 row {row}: 合计 = 一般公共预算财政拨款 + 政府性基金预算财政拨款 + 国有资本经营预算财政拨款",
            lhs_desc="合计", rhs_desc="sum of the 3 appropriation columns",
        ),
        Identity(
            rule="公开04.本年支出合计=Σ支出类别", family="total", guards=_USABLE,
            each=(("over", {"col": COLUMNS}),
                  ("lines", {"with_columns": COLUMNS, "exclude": ("本年支出合计", CLOSING, "总计")})),
            inst="{col}", row_key="本年支出合计", column_key="{col}",
            lhs=("本年支出合计.{col}",), rhs=("for r in lines: {r}.{col}",),
            description="公开04 {col}: 本年支出合计 = sum of the category lines ({n} printed)",
            lhs_desc="本年支出合计", rhs_desc="sum of {n} category lines",
        ),
        Identity(
            rule="公开04.总计(支)=本年支出合计+年末结转和结余", family="total", guards=_USABLE,
            each=(("over", {"col": COLUMNS}),), inst="{col}", row_key="总计", column_key="{col}",
            lhs=("总计.{col}",), rhs=("本年支出合计.{col}", f"{CLOSING}.{{col}}"),
            description="公开04 {col}: 总计 = 本年支出合计 + 年末财政拨款结转和结余",
            lhs_desc="总计", rhs_desc="本年支出合计 + 年末财政拨款结转和结余",
        ),
        Identity(
            rule="公开04.总计(收)=总计(支)", family="total", guards=_USABLE, row_key="总计",
            lhs=("总计.收入",), rhs=("总计.合计",),
            description="公开04 总计(收入) = 总计(支出).合计", lhs_desc="总计(收入)", rhs_desc="总计(支出).合计",
        ),
    ),
)
