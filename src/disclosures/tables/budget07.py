"""预算07 政府性基金预算支出功能分类预算表 (Jiangsu 政府性基金预算财政拨款支出预算表; BUDGETS.md)."""

from disclosures.tables.budget_functions import function_table

TABLE = function_table(
    "预算07", "政府性基金预算支出功能分类预算表",
    ("政府性基金预算支出功能分类预算表", "政府性基金预算财政拨款支出预算表", "财政拨款政府性基金支出预算表",
     "政府性基金预算支出表"),
    fund="政府性基金预算", templates=("shanghai", "jiangsu", "ministry"),
)
