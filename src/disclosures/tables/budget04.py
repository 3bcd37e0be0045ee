"""预算04 财政拨款收支预算总表 (财政拨款收支总表): appropriations by fund (BUDGETS.md).

Income lines by fund (one amount, keyed 收入) beside the expenditure: Shanghai
by category under 合计 | 一般公共预算 | 政府性基金预算 | 国有资本经营预算; Jiangsu
by use (基本支出, 项目支出, 单位预留机动经费) in one amount column, keyed 合计.
"""

from disclosures.tables import Column, Table
from disclosures.tables.budget01 import HEADER_WORDS
from disclosures.tables.rules import cross, total

T = "预算04"
FUNDS = ("一般公共预算", "政府性基金预算", "国有资本经营预算")
COLUMNS = ("合计",) + FUNDS
INCOME_TOTALS = ("收入总计", "本年收入合计", "上年结转资金")
SPENDING_TOTALS = ("支出总计", "本年支出合计", "结转下年资金")
_SHANGHAI = (("unprinted", "本年收入合计.收入"),)

TABLE = Table(
    code=T,
    report_kind="budget",
    title="财政拨款收支预算总表",
    titles=("财政拨款收支预算总表", "财政拨款收支总表"),
    reader="summary",
    rows="label",
    templates=("shanghai", "jiangsu", "ministry"),
    units=("元", "万元"),
    # Jiangsu prints its expenditure in one amount column (合计)
    optional_columns=FUNDS,
    columns=(
        Column("一般公共预算", ("一般公共预算", "一般公共预算拨款")),
        Column("政府性基金预算", ("政府性基金预算", "政府性基金")),
        Column("国有资本经营预算", ("国有资本经营预算", "国有资本经营")),
        Column("合计", ("合计", "小计", "金额", "预算数")),
    ),
    layout={
        "side_keys": ("收入", "合计"), "mapped_side": 1,
        # the header rows' words (a header row prints no amount) and the label columns' headers
        "header_words": HEADER_WORDS,
        "label_headers": ("项目", "项目名称"),
    },
    row_synonyms={
        "一般公共预算资金": "一般公共预算",
        "一般公共预算拨款收入": "一般公共预算",
        "一般公共预算拨款": "一般公共预算",
        "政府性基金预算拨款": "政府性基金预算",
        "国有资本经营预算拨款": "国有资本经营预算",
        "政府性基金": "政府性基金预算",
        "政府性基金预算拨款收入": "政府性基金预算",
        "国有资本经营预算拨款收入": "国有资本经营预算",
        "收入合计": "收入总计",
        "支出合计": "支出总计",
    },
    identities=(
        total(T, "收入总计=Σ收入", "收入总计.收入", tuple(f"{f}.收入" for f in FUNDS), guards=_SHANGHAI),
        total(T, "本年收入合计=Σ收入", "本年收入合计.收入", tuple(f"{f}.收入" for f in FUNDS),
              guards=(("printed", "本年收入合计.收入"),)),
        total(T, "收入总计=本年收入合计+上年结转资金", "收入总计.收入", ("本年收入合计.收入", "上年结转资金.收入"),
              guards=(("printed", "本年收入合计.收入"),)),
        total(T, "收入总计=支出总计", "收入总计.收入", ("支出总计.合计",)),
        total(T, "row_sum", "{row}.合计", tuple(f"{{row}}.{f}" for f in FUNDS), family="row_sum", inst="{row}",
              each=(("rows", {"with_columns": FUNDS}),)),
        # the expenditure lines (Shanghai's categories, Jiangsu's uses) sum to 支出总计, column by column
        total(T, "支出总计=Σ支出", "支出总计.{col}", ("for r in lines: {r}.{col}",), inst="{col}",
              guards=(("unprinted", "本年支出合计.合计"),),
              each=(("over", {"col": COLUMNS}),
                    ("lines", {"with_columns": COLUMNS, "exclude": SPENDING_TOTALS + INCOME_TOTALS + FUNDS}))),
        total(T, "收入一般公共预算=支出总计一般公共预算", "一般公共预算.收入", ("支出总计.一般公共预算",),
              guards=(("printed", "支出总计.一般公共预算"),) + _SHANGHAI),
        cross(T, ("一般公共预算.收入",), ("预算01:财政拨款收入/一般公共预算.收入",),
              name="预算04一般公共预算=预算01财政拨款收入一般公共预算"),
        cross(T, ("收入总计.收入",), ("预算01:财政拨款收入.收入",), name="预算04收入总计=预算01财政拨款收入",
              guards=_SHANGHAI),
        # (the Ministry template prints the fund lines, not 财政拨款收入)
        cross(T, ("本年收入合计.收入",), tuple(f"预算01:财政拨款收入/{f}.收入" for f in FUNDS),
              name="预算04本年收入合计=预算01财政拨款收入", guards=(("printed", "本年收入合计.收入"),)),
    ),
)
