"""Identities every table of one shape states, declared once for the tables that share it.

A function-code table (公开02/03/05/07/08, and the budget's 预算03/05/07/08/10)
sums its columns per row and its codes up the 类/款/项 hierarchy; only the
columns and whether the template states it (error) or implies it (warn) differ.
"""

from __future__ import annotations

from disclosures.tables import Identity


def _READ(code: str) -> tuple[tuple[str, str], ...]:
    """The table is usable and has figures: a printed-empty table has no rows to sum."""
    return (("usable", code), ("cells", code))


def row_sum(code: str, total: str, addends: tuple[str, ...], only_with_parts: bool = False) -> Identity:
    """Per row: the total column = the sum of its parts.

    `only_with_parts`: only rows printing a part (a template printing the table
    with one amount column has no parts to sum)."""
    rows = {"with_columns": addends} if only_with_parts else {}
    return Identity(
        rule=f"{code}.row_sum", family="row_sum", guards=_READ(code), each=(("rows", rows),), inst="{row}",
        row_key="{row}", column_key=total,
        lhs=(f"{{row}}.{total}",), rhs=tuple(f"{{row}}.{c}" for c in addends),
        description=f"{code} row {{row_desc}}: {total} = {' + '.join(addends)}",
        lhs_desc=total, rhs_desc=" + ".join(addends),
    )


def hierarchy(code: str, spec: bool = True) -> tuple[Identity, ...]:
    """类 = Σ款, 款 = Σ项 and 合计 = Σ类, column by column."""
    levels = tuple(
        Identity(
            rule=f"{code}.{rule}", family="hierarchy", spec=spec, guards=_READ(code),
            each=(("hierarchy", {"parent": parent, "child": child}),), inst="{parent}/{col}",
            row_key="{parent}", column_key="{col}",
            lhs=("{parent}.{col}",), rhs=("for c in children: {c}.{col}",),
            description=f"{code} {{col}}: {{parent_desc}} = sum of its {{n}} {level} ({{children_comma}})",
            lhs_desc="{parent}", rhs_desc="{children_plus}",
        )
        for parent, child, rule, level in ((3, 5, "类=Σ款", "款"), (5, 7, "款=Σ项", "项"))
    )
    total = Identity(
        rule=f"{code}.合计=Σ类", family="hierarchy", spec=spec, guards=_READ(code), each=(("classes", {}),), inst="{col}",
        row_key="合计", column_key="{col}",
        lhs=("合计.{col}",), rhs=("for c in classes: {c}.{col}",),
        description=f"{code} {{col}}: 合计 = sum of the {{n}} 类 rows ({{classes_comma}})",
        lhs_desc="合计", rhs_desc="{classes_plus}",
    )
    return levels + (total,)


def fund_total(code: str, column: str, fund: str, short: str, spec: bool) -> tuple[Identity, ...]:
    """A fund's function table against 公开04: its 合计 and (implied) each 类 row by category line."""
    total = Identity(
        rule=f"cross_table.{code}合计=公开04{short}", family="cross_table", spec=spec,
        lhs=(f"合计.{column}",), rhs=(f"公开04:本年支出合计.{fund}",),
        description=f"{code} 合计.{column} = 公开04 本年支出合计.{fund}",
        lhs_desc=f"{code} 合计.{column}", rhs_desc=f"公开04 本年支出合计.{fund}",
    )
    classes = Identity(
        rule=f"cross_table.{code}类=公开04支出类别{short}", family="cross_table", spec=False,
        guards=(("usable", code), ("usable", "公开04"), ("cells", code)),
        each=(("class_lines", {"summary": "公开04", "column": fund}),), inst="{code}",
        row_key="{code}", column_key=column,
        lhs=(f"{{code}}.{column}",), rhs=(f"公开04:{{line}}.{fund}",),
        description=f"{code} {{code}}.{column} = 公开04 {{line}}.{fund}",
        lhs_desc=f"{code} {{code}}.{column}", rhs_desc=f"公开04 {{line}}.{fund}",
    )
    return total, classes


def cross(code: str, lhs: tuple[str, ...], rhs: tuple[str, ...], spec: bool = True,
          guards: tuple[tuple[str, str], ...] = (), name: str | None = None) -> Identity:
    """A one-instance identity between tables (terms as Identity's), named from its terms."""
    def show(terms):
        return " + ".join(t.replace(":", " ").replace(".", " ").lstrip("-") for t in terms)

    other = lambda t: t if ":" in t else f"{code} {t}"  # noqa: E731
    lhs_desc = " + ".join(other(t).replace(":", " ") for t in lhs)
    rhs_desc = " + ".join(other(t).replace(":", " ") for t in rhs)
    return Identity(
        rule=f"cross_table.{name or (show(lhs) + '=' + show(rhs)).replace(' ', '')}", family="cross_table",
        spec=spec, guards=guards, lhs=lhs, rhs=rhs,
        description=f"{lhs_desc} = {rhs_desc}", lhs_desc=lhs_desc, rhs_desc=rhs_desc,
    )


def total(code: str, rule: str, lhs: str, rhs: tuple[str, ...], spec: bool = True,
          guards: tuple[tuple[str, str], ...] = (), each=None, inst: str | None = None,
          family: str = "total") -> Identity:
    """A total line of one table = the sum of its terms (`for r in lines: …` allowed)."""
    row, _, col = lhs.rpartition(".")
    shown = " + ".join("Σ" + t.split(":", 1)[0].split(" in ")[1] if t.startswith("for ") else t for t in rhs)
    return Identity(
        rule=f"{code}.{rule}", family=family, spec=spec, guards=_READ(code) + guards, each=each, inst=inst,
        row_key=row, column_key=col, lhs=(lhs,), rhs=rhs,
        description=f"{code} {lhs} = {shown}" + (" ({n} lines)" if any(t.startswith("for ") for t in rhs) else ""),
        lhs_desc=lhs, rhs_desc=shown,
    )
