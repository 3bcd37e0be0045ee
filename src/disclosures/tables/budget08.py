"""预算08 国有资本经营预算支出功能分类预算表 (not printed by Jiangsu; BUDGETS.md)."""

from disclosures.tables.budget_functions import function_table

TABLE = function_table(
    "预算08", "国有资本经营预算支出功能分类预算表",
    ("国有资本经营预算支出功能分类预算表", "国有资本经营预算支出表"),
    fund="国有资本经营预算", templates=("shanghai", "ministry"),
)
