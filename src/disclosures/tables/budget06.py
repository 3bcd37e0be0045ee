"""预算06 一般公共预算基本支出部门预算经济分类预算表: basic expenditure by economic subject (BUDGETS.md).

Shanghai prints one list (code split 类 | 款) under 合计 | 人员经费 | 公用经费;
Jiangsu one amount column (金额), keyed 合计.
"""

from disclosures.tables import Column, Table
from disclosures.tables.rules import cross, hierarchy, row_sum, total
from disclosures.tables.subjects import PERSONNEL_CLASSES

T = "预算06"

TABLE = Table(
    code=T,
    report_kind="budget",
    title="一般公共预算基本支出部门预算经济分类预算表",
    titles=("一般公共预算基本支出部门预算经济分类预算表", "一般公共预算基本支出经济分类预算表",
            "一般公共预算基本支出预算表", "一般公共预算基本支出预算表（经济科目）", "一般公共预算基本支出表"),
    reader="function_codes",
    rows="economic_code",
    templates=("shanghai", "jiangsu", "ministry"),
    units=("元", "万元"),
    optional_columns=("人员经费", "公用经费"),  # Jiangsu: one amount column
    columns=(Column("人员经费"), Column("公用经费"), Column("合计", ("合计", "金额", "基本支出", "小计"))),
    total_rows=("合计",),
    # economic codes have no 项 level: of hierarchy's three, 类 = Σ款 and 合计 = Σ类
    identities=(row_sum(T, "合计", ("人员经费", "公用经费"), only_with_parts=True),) + hierarchy(T)[::2] + (
        total(T, "人员经费=301+303", "合计.人员经费", tuple(f"{c}.合计" for c in PERSONNEL_CLASSES),
              guards=(("printed", "合计.人员经费"),)),
        cross(T, ("合计.合计",), ("预算05:合计.基本支出",), name="预算06合计=预算05基本支出",
              guards=(("printed", "预算05:合计.基本支出"),)),
    ),
)
