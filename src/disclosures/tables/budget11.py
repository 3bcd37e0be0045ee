"""预算11 财政拨款基本支出预算表（经济科目）: all appropriations' basic expenditure (Jiangsu; BUDGETS.md)."""

from disclosures.tables import Column, Table
from disclosures.tables.rules import cross, hierarchy

T = "预算11"

TABLE = Table(
    code=T,
    report_kind="budget",
    title="财政拨款基本支出预算表（经济科目）",
    titles=("财政拨款基本支出预算表（经济科目）", "财政拨款基本支出预算表"),
    reader="function_codes",
    rows="economic_code",
    templates=("jiangsu",),
    units=("万元", "元"),
    columns=(Column("合计", ("合计", "金额", "基本支出", "小计")),),
    total_rows=("合计",),
    # economic codes have no 项 level: of hierarchy's three, 类 = Σ款 and 合计 = Σ类
    identities=hierarchy(T)[::2] + (
        cross(T, ("合计.合计",), ("预算04:基本支出.合计",), name="预算11合计=预算04基本支出"),
    ),
)
