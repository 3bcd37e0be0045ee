"""预算12 一般公共预算机关运行经费支出预算表: office running costs by economic subject (Jiangsu; BUDGETS.md)."""

from disclosures.tables import Column, Table
from disclosures.tables.rules import cross, hierarchy

T = "预算12"

TABLE = Table(
    code=T,
    report_kind="budget",
    title="一般公共预算机关运行经费支出预算表",
    titles=("一般公共预算机关运行经费支出预算表", "机关运行经费支出预算表"),
    reader="function_codes",
    rows="economic_code",
    templates=("jiangsu",),
    units=("万元", "元"),
    columns=(Column("合计", ("合计", "金额", "机关运行经费支出", "机关运行经费", "小计")),),
    total_rows=("合计",),
    # economic codes have no 项 level: of hierarchy's three, 类 = Σ款 and 合计 = Σ类
    identities=hierarchy(T)[::2] + (
        # usually (BUDGETS.md): every file read holds it, it is not a rule of the template
        cross(T, ("合计.合计",), ("预算06:302.合计",), spec=False, name="预算12合计=预算06商品和服务支出"),
    ),
)
