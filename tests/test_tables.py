"""The table declarations (disclosures.tables) are consistent: what every consumer loops over.

A typo in a declaration (a term naming a table that is not declared, a binder
that does not exist, a title another table also claims) would silently drop
an identity or misfile a table; these tests catch it where it is made.
"""

from __future__ import annotations

import re

import pytest

from disclosures.catalog import match_title
from disclosures.normalize import norm_text
from disclosures.parse.tables import READERS
from disclosures.tables import BY_CODE, TABLES
from disclosures.validate.identities import _BINDERS, _terms

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_codes_and_titles_are_unique():
    assert len(BY_CODE) == len(TABLES)
    titles = [norm_text(t) for table in TABLES for t in table.titles]
    assert len(titles) == len(set(titles))


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.code)
def test_each_title_locates_its_table(table):
    for title in table.titles:
        assert match_title(title) == table.code
        assert match_title(f"某某局2024年度{title}") == table.code


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.code)
def test_declaration_is_complete(table):
    assert table.reader in READERS
    assert table.rows in ("function_code", "economic_code", "label", "block")
    assert table.missing_severity in ("error", "warn")
    assert table.columns, "a table without columns has nothing to key its cells by"
    for ident in table.identities:
        for binder, _options in ident.each or ():
            assert binder in _BINDERS, f"{ident.rule}: no binder {binder}"
        assert ident.family in ("row_sum", "hierarchy", "total", "cross_table", "sangong", "procurement", "domain")
        # every term names a declared table; placeholders are filled with a dummy binding
        names = {n for text in ident.lhs + ident.rhs for n in _PLACEHOLDER.findall(text)}
        binding = {n: "x" for n in names} | {"children": ["x"], "classes": ["x"], "lines": ["x"]}
        for t, row, col, sign in _terms(table.code, ident.lhs, binding) + _terms(table.code, ident.rhs, binding):
            assert t in BY_CODE, f"{ident.rule}: term in undeclared table {t}"
            assert row and col and sign in (1, -1)
