"""The standard tables, one declaration each: what every other module loops over.

A disclosure's tables are fixed by a template (TABLES.md, BUDGETS.md), so what
the program knows about a table — its titles, its row and column keys and the
header words that print them, which layout its reader must expect, the
identities that hold in a correct document, the units it may be printed in —
is declared once, in the table's own module (`final01` … `final10`,
`budget01` … `budget13`), and nothing else names its keys. Locating (catalog.py) matches the titles, the
readers of parse/tables.py map headers to the declared columns, the identity
builder of validate/identities.py instantiates the declared identities, the
cell suite's value sets and the marts' table lists are read from here. Adding
an identity or a synonym touches one file; a budget table or another
province's template is another declaration, not another branch.

The generator (disclosures.generator) does not read these declarations: it is
the tests' independent ground truth and must not share the parser's knowledge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class Column:
    """A column key and the header texts (normalised) that print it.

    A header equal to a synonym wins over one that merely contains it, and
    columns are tried in declaration order, so a specific name comes first.
    """

    key: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Identity:
    """An accounting identity as data; validate/identities.py instantiates it.

    Terms are ``"row.column"`` (the declaring table), ``"公开04:row.column"``
    (another table), with a leading ``-`` to subtract; ``"for x in xs: term"``
    repeats a term over a list the instance binds. ``each`` says what the
    instances are: None (one), a tuple of row keys (one per row, bound as
    ``row``), or a binder named in validate/identities.py with its options,
    e.g. ``("rows", {"with_columns": ("支出",)})``. Every text is a template
    over the instance's bindings (``{row}``, ``{col}``, ``{n}`` …). ``rule`` is
    the user-visible check name before its ``[instance]`` bracket: keep it.
    """

    rule: str
    family: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    description: str
    lhs_desc: str | None = None
    rhs_desc: str | None = None
    each: Any = None
    inst: str | None = None
    row_key: str | None = None
    column_key: str | None = None
    spec: bool = True  # stated by TABLES.md / BUDGETS.md: error; implied by the template: warn
    kind: str = "eq"  # eq | le (lhs ≤ rhs)
    # (condition, what) that must hold before any instance is made: ("usable", table), ("cells", table),
    # or ("printed", cell) / ("unprinted", cell) with a cell as in the terms ("本年收入合计.收入",
    # "预算04:支出总计.一般公共预算"): one template's identity is guarded by a line only it prints
    guards: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Table:
    """One standard table of a template."""

    code: str  # the canonical table_code (公开01, 预算05)
    report_kind: str  # final | budget
    title: str
    titles: tuple[str, ...]  # every spelling (normalised) that names it; the longest match wins
    # The layout its reader must expect (parse/tables.py READERS): summary, function_codes,
    # economic_groups, blocks, statistics.
    reader: str
    # What a row key is: function_code (类/款/项, and 合计), economic_code (301, 30101, totals),
    # label (the normalised label), block (a column group read as a row: 预算数 | 决算数).
    rows: str
    # another template's layout of the same table, tried in order when `reader` reads nothing
    # (Jiangsu's 收入预算总表 is label lines in one amount column, Shanghai's is by function code)
    alt_readers: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    required: bool = True  # every document of its kind prints it (possibly empty)
    missing_severity: str = "error"  # table_present.<code> when listed but not found
    units: tuple[str, ...] = ("万元", "元")  # the units it may be printed in
    row_synonyms: dict[str, str] = field(default_factory=dict)  # printed label → row key
    sub_lines: dict[str, tuple[str, ...]] = field(default_factory=dict)  # parent row → lines keyed parent/line
    total_rows: tuple[str, ...] = ()  # label rows of a code table (人员经费合计)
    known_rows: tuple[str, ...] = ()  # a fixed list of rows: any other is misread (domain suite)
    # reader options that are the template's, not the code's (side keys, sections, count units)
    layout: dict[str, Any] = field(default_factory=dict)
    # the one name per function code check compares this table's labels with the others'
    shares_subject_names: bool = False
    identities: tuple[Identity, ...] = ()
    row_aliases: dict[str, tuple[str, str]] = field(default_factory=dict)  # binding → (printed prefix, default key)
    # Rows every printed (non-empty) table has, and declared columns a printing may leave out: a
    # required row or column the reader did not find was not read (the table is partial, checks
    # needing it cannot check), which is not a blank, i.e. zero, one.
    required_rows: tuple[str, ...] = ()
    optional_columns: tuple[str, ...] = ()
    # the budget templates (BUDGETS.md) that print it; a document lists only its template's tables
    templates: tuple[str, ...] = ()

    @property
    def column_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        """The columns every printed table has: the declared ones (and a summary's side keys)."""
        keys = [k for k in (*self.layout.get("side_keys", ()), *self.column_keys) if k not in self.optional_columns]
        return tuple(dict.fromkeys(keys))

    def column_synonyms(self) -> list[tuple[str, tuple[str, ...]]]:
        return [(c.key, c.synonyms or (c.key,)) for c in self.columns]


_MODULES = tuple(f"final{i:02d}" for i in range(1, 11)) + tuple(f"budget{i:02d}" for i in range(1, 14))

TABLES: tuple[Table, ...] = tuple(import_module(f"{__name__}.{m}").TABLE for m in _MODULES)
BY_CODE: dict[str, Table] = {t.code: t for t in TABLES}
FINAL_TABLES: tuple[Table, ...] = tuple(t for t in TABLES if t.report_kind == "final")


BUDGET_TABLES: tuple[Table, ...] = tuple(t for t in TABLES if t.report_kind == "budget")
# Budget templates (BUDGETS.md "Templates seen"), in the order a tie between them is settled.
BUDGET_TEMPLATES = ("shanghai", "jiangsu", "ministry")


@cache
def known_labels() -> frozenset[str]:
    """Every line name the declarations and the subject classifications print (normalised keys,
    a section's lines also without their section): what a label read by OCR is recognised by."""
    from disclosures.tables.subjects import ECONOMIC_CLASSES, FUNCTION_CLASS_BY_NAME
    from disclosures.validate.identities import declared_terms  # here, not above: identities imports this module

    names: set[str] = set(FUNCTION_CLASS_BY_NAME) | set(ECONOMIC_CLASSES.values())
    for t in TABLES:
        names.update(t.required_rows, t.known_rows, t.total_rows, t.row_synonyms, t.row_synonyms.values())
        names.update(t.sub_lines)
        names.update(line for lines in t.sub_lines.values() for line in lines)
        for i in t.identities:
            plain = tuple(term for term in i.lhs + i.rhs if "{" not in term and not term.startswith("for "))
            names.update(row for _, row, _, _ in declared_terms(t.code, plain, {}))
            for item in i.each or ():  # row keys, or (binder, options) naming lines
                options = item[1] if isinstance(item, tuple) else {"rows": (item,)}
                names.update(v for vs in options.values() if isinstance(vs, tuple) for v in vs if isinstance(v, str))
    names.update(n.rpartition("/")[2] for n in list(names))
    return frozenset(n for n in names if n and "{" not in n and not n.isdigit())


def tables_of(report_kind: str) -> tuple[Table, ...]:
    return tuple(t for t in TABLES if t.report_kind == report_kind)


def template_tables(template: str) -> tuple[Table, ...]:
    return tuple(t for t in BUDGET_TABLES if template in t.templates)


def codes_where(**attrs) -> tuple[str, ...]:
    """Codes of the tables whose attributes equal the given ones (rows="function_code")."""
    return tuple(t.code for t in TABLES if all(getattr(t, k) == v for k, v in attrs.items()))
