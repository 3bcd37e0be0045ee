"""预算02 收入预算总表 (部门收入总表): income by function subject, or by source (BUDGETS.md).

Shanghai and the Ministry template key rows by function code and columns by
source; Jiangsu prints one amount column of label lines, grouped by source
with a 小计 line per group (the group's key).
"""

from disclosures.tables import Column, Table
from disclosures.tables.rules import cross, hierarchy, row_sum, total

T = "预算02"
SOURCES = ("财政拨款收入", "事业收入", "事业单位经营收入", "其他收入", "上级补助收入", "附属单位上缴收入")
# Jiangsu's groups and the lines under each (BUDGETS.md); 其中：动用上年结转和结余资金 is a part, not a line
GROUPS = {
    "一般公共预算资金": ("公共财政拨款（补助）资金", "专项收入"),
    "政府性基金": (),
    "财政专户管理资金": ("专户管理教育收费", "其他非税收入"),
    "其他资金": ("事业收入", "经营收入", "其他收入", "债务资金（银行贷款）"),
    "上年结转和结余资金": (),
}

TABLE = Table(
    code=T,
    report_kind="budget",
    title="收入预算总表",
    titles=("收入预算总表", "部门收入总表"),
    reader="function_codes",
    alt_readers=("grouped_lines",),
    rows="function_code",
    templates=("shanghai", "jiangsu", "ministry"),
    units=("元", "万元"),
    # Jiangsu prints one amount column (合计) of label lines
    optional_columns=SOURCES,
    columns=(
        Column("合计", ("合计", "金额", "总计")),
        Column("财政拨款收入", ("财政拨款收入", "财政拨款")),
        Column("事业单位经营收入", ("事业单位经营收入", "经营收入")),
        Column("事业收入"),
        Column("其他收入"),
        Column("上级补助收入"),
        Column("附属单位上缴收入"),
    ),
    total_rows=("收入总计",) + tuple(GROUPS) + tuple(line for lines in GROUPS.values() for line in lines)
    + ("动用上年结转和结余资金",),
    layout={"groups": tuple(GROUPS), "group_total": "小计", "total": "收入总计"},
    shares_subject_names=True,
    identities=(row_sum(T, "合计", SOURCES, only_with_parts=True),) + hierarchy(T) + (
        cross(T, ("合计.合计",), ("预算01:收入总计.收入",), name="预算02合计=预算01收入总计",
              guards=(("printed", "合计.合计"), ("unprinted", "预算01:本年收入合计.收入"))),
        # the Ministry template: this year's income, without what is carried over
        cross(T, ("合计.合计",), ("预算01:本年收入合计.收入",), name="预算02合计=预算01本年收入合计",
              guards=(("printed", "合计.合计"), ("printed", "预算01:本年收入合计.收入"))),
        # Jiangsu
        total(T, "收入总计=Σ小计", "收入总计.合计", tuple(f"{g}.合计" for g in GROUPS)),
        total(T, "小计=Σ行", "{group}.合计", ("for r in lines: {r}.合计",), inst="{group}",
              each=(("over", {"pair": tuple((g, lines) for g, lines in GROUPS.items() if lines)}),
                    ("unpack", {"names": ("group", "lines")})),
              guards=(("printed", "收入总计.合计"),)),
        cross(T, ("收入总计.合计",), ("预算01:收入总计.收入",), name="预算02收入总计=预算01收入总计",
              guards=(("printed", "收入总计.合计"),)),
    ),
)
