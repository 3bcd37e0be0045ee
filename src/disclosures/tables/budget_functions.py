"""What the budget's function-subject tables share (预算05, 07, 08, 10; BUDGETS.md).

Rows by function code and 合计; Shanghai and the Ministry template print
合计 | 基本支出 | 项目支出, Jiangsu one amount column (金额), keyed 合计.
"""

from __future__ import annotations

from disclosures.tables import Column, Identity, Table
from disclosures.tables.rules import cross, hierarchy, row_sum

COLUMNS = (Column("基本支出"), Column("项目支出"), Column("合计", ("合计", "金额", "小计", "总计")))


def function_table(code: str, title: str, titles: tuple[str, ...], fund: str | None, templates: tuple[str, ...],
                   spec: bool = True, extra: tuple[Identity, ...] = ()) -> Table:
    """A function-subject table of one fund (None: all appropriations, 预算10), checked against 预算04."""
    identities = (row_sum(code, "合计", ("基本支出", "项目支出"), only_with_parts=True),) + hierarchy(code, spec)
    if fund:
        # Shanghai restates 预算04's expenditure column of its fund, Jiangsu its income line
        identities += (
            cross(code, ("合计.合计",), (f"预算04:{fund}.收入",), spec=spec, name=f"{code}合计=预算04{fund}收入",
                  guards=(("unprinted", "预算04:本年收入合计.收入"),)),
            Identity(
                rule=f"cross_table.{code}类=预算04支出类别", family="cross_table", spec=spec,
                guards=((("usable", code), ("usable", "预算04"), ("cells", code),
                         ("printed", f"预算04:支出总计.{fund}"))),
                each=(("class_lines", {"summary": "预算04", "column": fund}),), inst="{code}",
                row_key="{code}", column_key="合计",
                lhs=("{code}.合计",), rhs=(f"预算04:{{line}}.{fund}",),
                description=f"{code} {{code}}.合计 = 预算04 {{line}}.{fund}",
                lhs_desc=f"{code} {{code}}.合计", rhs_desc=f"预算04 {{line}}.{fund}",
            ),
        )
    return Table(
        code=code, report_kind="budget", title=title, titles=titles, reader="function_codes",
        rows="function_code", templates=templates, units=("元", "万元"), columns=COLUMNS,
        optional_columns=("基本支出", "项目支出"),  # Jiangsu: one amount column
        shares_subject_names=True, identities=identities + extra,
    )
