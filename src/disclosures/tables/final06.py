"""公开06 一般公共预算财政拨款基本支出决算明细表: basic expenditure by economic subject.

Printed as side-by-side groups of 科目代码 | 科目名称 | 决算数, read as one list.
"""

from disclosures.tables import Column, Identity, Table
from disclosures.tables.subjects import PERSONNEL_CLASSES, PUBLIC_CLASSES

T = "公开06"
_READ = (("usable", T), ("cells", T))

TABLE = Table(
    code=T,
    report_kind="final",
    title="一般公共预算财政拨款基本支出决算明细表",
    titles=("一般公共预算财政拨款基本支出决算明细表", "一般公共预算财政拨款基本支出决算表"),
    reader="economic_groups",
    rows="economic_code",
    columns=(Column("决算数", ("决算数", "金额", "合计", "小计")),),
    total_rows=("人员经费合计", "公用经费合计"),
    required_rows=("人员经费合计", "公用经费合计"),
    identities=(
        Identity(
            rule="公开06.类=Σ款", family="hierarchy", guards=_READ,
            each=(("hierarchy", {"parent": 3, "child": 5, "columns": ("决算数",)}),), inst="{parent}",
            row_key="{parent}", column_key="决算数",
            lhs=("{parent}.决算数",), rhs=("for c in children: {c}.决算数",),
            description="公开06 {parent} {parent_name} = sum of its {n} 款",
            lhs_desc="{parent}", rhs_desc="sum of {n} 款",
        ),
        Identity(
            rule="公开06.人员经费合计=301+303", family="total", guards=_READ,
            row_key="人员经费合计", column_key="决算数",
            lhs=("人员经费合计.决算数",), rhs=tuple(f"{c}.决算数" for c in PERSONNEL_CLASSES),
            description="公开06 人员经费合计 = 301 工资福利支出 + 303 对个人和家庭的补助",
            lhs_desc="人员经费合计", rhs_desc="301 + 303",
        ),
        Identity(
            rule="公开06.公用经费合计=302+307+309+310+311+312+313+399", family="total", guards=_READ,
            row_key="公用经费合计", column_key="决算数",
            lhs=("公用经费合计.决算数",), rhs=tuple(f"{c}.决算数" for c in PUBLIC_CLASSES),
            description="公开06 公用经费合计 = 302 + 307 + 309 + 310 + 311 + 312 + 313 + 399",
            lhs_desc="公用经费合计", rhs_desc="302 + 307 + 309 + 310 + 311 + 312 + 313 + 399",
        ),
        Identity(
            rule="cross_table.公开06人员经费+公用经费=公开05基本支出", family="cross_table",
            lhs=("人员经费合计.决算数", "公用经费合计.决算数"), rhs=("公开05:合计.基本支出",),
            description="公开06 人员经费合计 + 公用经费合计 = 公开05 合计.基本支出",
            lhs_desc="公开06 人员经费合计 + 公用经费合计", rhs_desc="公开05 合计.基本支出",
        ),
    ),
)
