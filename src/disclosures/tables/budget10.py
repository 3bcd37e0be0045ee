"""预算10 财政拨款支出预算表（功能科目）: all appropriations by function subject (Jiangsu; BUDGETS.md)."""

from disclosures.tables.budget_functions import function_table
from disclosures.tables.rules import cross

T = "预算10"

TABLE = function_table(
    T, "财政拨款支出预算表（功能科目）", ("财政拨款支出预算表（功能科目）", "财政拨款支出预算表"),
    fund=None, templates=("jiangsu",),
    extra=(cross(T, ("合计.合计",), ("预算04:支出总计.合计",), name="预算10合计=预算04支出总计"),),
)
