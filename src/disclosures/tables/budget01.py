"""预算01 收支预算总表 (财务收支预算总表 / 部门收支总表): income lines beside expenditure lines (BUDGETS.md).

Shanghai prints 项目 | 预算数 on each side (单位预算: the expenditure side adds
人员经费 | 公用经费 | 项目支出 under 基本支出); Jiangsu prints three blocks, income,
expenditure by function (功能分类) and by use (支出用途), all keyed 收入 / 支出;
the Ministry template reads like Jiangsu's totals with Shanghai's income lines.
"""

from disclosures.tables import Column, Table
from disclosures.tables.rules import total

T = "预算01"
FUNDS = ("一般公共预算", "政府性基金预算", "国有资本经营预算")
APPROPRIATION = "财政拨款收入"
# lines that are not an income line or an expenditure category
INCOME_TOTALS = ("收入总计", "本年收入合计", "上年结转资金")
SPENDING_TOTALS = ("支出总计", "本年支出合计", "结转下年资金")
USES = ("基本支出", "项目支出", "单位预留机动经费")
UNIT_COLUMNS = ("人员经费", "公用经费", "项目支出")
HEADER_WORDS = ("本年收入", "本年支出", "财政拨款收入", "财政拨款支出", "预算数", "合计", "基本支出",
                "人员经费", "项目名称", "功能分类", "支出用途", "功能科目名称")
_JIANGSU = (("printed", "本年收入合计.收入"),)
_SHANGHAI = (("unprinted", "本年收入合计.收入"),)

TABLE = Table(
    code=T,
    report_kind="budget",
    title="收支预算总表",
    titles=("财务收支预算总表", "收支预算总表", "部门收支总表", "部门收支预算总表"),
    reader="summary",
    rows="label",
    templates=("shanghai", "jiangsu", "ministry"),
    units=("元", "万元"),
    # the income side prints one amount; a 单位预算's expenditure side is mapped by header
    # a 单位预算 prints these beside 支出; a 部门预算 and Jiangsu do not
    optional_columns=UNIT_COLUMNS,
    columns=(
        Column("人员经费"),
        Column("公用经费"),
        Column("项目支出"),
        Column("支出", ("合计", "预算数", "金额", "支出")),
    ),
    layout={
        "side_keys": ("收入", "支出"), "mapped_side": 1,
        # the header rows' words (a header row prints no amount) and the label columns' headers
        "header_words": HEADER_WORDS,
        "label_headers": ("项目", "项目名称", "功能科目名称"),
        # Jiangsu 2017 breaks the page inside a label (`当年收入` / `小计`)
        "labels_wrap_across_pages": True,
    },
    row_synonyms={
        "财政拨款": APPROPRIATION,
        "一般公共预算资金": "一般公共预算",
        "政府性基金": "政府性基金预算",
        # the Ministry template prints the fund lines without their 财政拨款收入 parent
        "一般公共预算拨款收入": f"{APPROPRIATION}/一般公共预算",
        "政府性基金预算拨款收入": f"{APPROPRIATION}/政府性基金预算",
        "国有资本经营预算拨款收入": f"{APPROPRIATION}/国有资本经营预算",
        "经营收入": "事业单位经营收入",
        "收入合计": "收入总计",
        "当年收入小计": "本年收入合计",
        "支出合计": "支出总计",
        "当年支出小计": "本年支出合计",
    },
    sub_lines={APPROPRIATION: FUNDS},
    identities=(
        total(T, "财政拨款收入=Σ三项", f"{APPROPRIATION}.收入", tuple(f"{APPROPRIATION}/{f}.收入" for f in FUNDS),
              guards=(("printed", f"{APPROPRIATION}.收入"),)),
        # Shanghai: no 本年 lines; the totals are the lines' sums
        total(T, "收入总计=Σ收入", "收入总计.收入",
              ("for r in lines: {r}.收入",), guards=_SHANGHAI,
              each=(("lines", {"column": "收入", "exclude": INCOME_TOTALS}),)),
        total(T, "支出总计=Σ支出类别", "支出总计.{col}", ("for r in lines: {r}.{col}",), guards=_SHANGHAI,
              each=(("over", {"col": ("支出",) + UNIT_COLUMNS}),
                    ("lines", {"with_columns": ("支出",), "exclude": SPENDING_TOTALS})), inst="{col}"),
        # Jiangsu and the Ministry template: 本年 totals and the carried-over lines
        total(T, "本年收入合计=Σ收入", "本年收入合计.收入", ("for r in lines: {r}.收入",),
              guards=_JIANGSU + (("printed", f"{APPROPRIATION}.收入"),),
              each=(("lines", {"column": "收入", "exclude": INCOME_TOTALS}),)),
        # (the Ministry template: the fund lines stand for 财政拨款收入)
        total(T, "本年收入合计=Σ收入", "本年收入合计.收入",
              ("for r in lines: {r}.收入",) + tuple(f"{APPROPRIATION}/{f}.收入" for f in FUNDS),
              guards=_JIANGSU + (("unprinted", f"{APPROPRIATION}.收入"),),
              each=(("lines", {"column": "收入", "exclude": INCOME_TOTALS}),)),
        total(T, "收入总计=本年收入合计+上年结转资金", "收入总计.收入", ("本年收入合计.收入", "上年结转资金.收入"),
              guards=_JIANGSU),
        total(T, "本年支出合计=Σ支出类别", "本年支出合计.支出", ("for r in lines: {r}.支出",),
              guards=(("printed", "本年支出合计.支出"),),
              each=(("lines", {"column": "支出", "exclude": SPENDING_TOTALS + USES}),)),
        total(T, "本年支出合计=基本+项目+单位预留机动经费", "本年支出合计.支出", tuple(f"{u}.支出" for u in USES),
              guards=(("printed", "本年支出合计.支出"), ("printed", "基本支出.支出"))),
        total(T, "支出总计=本年支出合计+结转下年资金", "支出总计.支出", ("本年支出合计.支出", "结转下年资金.支出"),
              guards=(("printed", "本年支出合计.支出"),)),
        total(T, "收入总计=支出总计", "收入总计.收入", ("支出总计.支出",)),
        # 单位预算: the 合计 column = 人员经费 + 公用经费 + 项目支出, per row
        total(T, "支出=人员经费+公用经费+项目支出", "{row}.支出", tuple(f"{{row}}.{c}" for c in UNIT_COLUMNS),
              each=(("rows", {"with_columns": UNIT_COLUMNS}),), inst="{row}", family="row_sum"),
    ),
)
