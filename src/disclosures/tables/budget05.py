"""预算05 一般公共预算支出功能分类预算表 (Jiangsu 一般公共预算支出预算表; BUDGETS.md)."""

from disclosures.tables.budget_functions import function_table
from disclosures.tables.rules import cross

T = "预算05"

TABLE = function_table(
    T, "一般公共预算支出功能分类预算表",
    ("一般公共预算支出功能分类预算表", "一般公共预算支出预算表", "一般公共预算支出预算表（功能科目）",
     "一般公共预算支出表"),
    fund="一般公共预算", templates=("shanghai", "jiangsu", "ministry"),
    extra=(cross(T, ("合计.合计",), ("预算04:支出总计.一般公共预算",), name="预算05合计=预算04支出总计一般公共预算",
                 guards=(("printed", "预算04:支出总计.一般公共预算"),)),),
)
