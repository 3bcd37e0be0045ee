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
from disclosures.validate.identities import _BINDERS, declared_terms

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
        for t, row, col, sign in declared_terms(table.code, ident.lhs, binding) + declared_terms(table.code, ident.rhs, binding):
            assert t in BY_CODE, f"{ident.rule}: term in undeclared table {t}"
            assert row and col and sign in (1, -1)


@pytest.mark.parametrize("table", [t for t in TABLES if t.report_kind == "budget"], ids=lambda t: t.code)
def test_budget_declaration_names_its_templates_and_readers(table):
    from disclosures.tables import BUDGET_TEMPLATES

    assert table.templates and set(table.templates) <= set(BUDGET_TEMPLATES)
    assert all(r in READERS for r in table.alt_readers)
    for ident in table.identities:
        for cond, what in ident.guards:
            assert cond in ("usable", "cells", "printed", "unprinted"), ident.rule
            if cond in ("printed", "unprinted"):
                t, _, cell = what.rpartition(":")
                assert (t or table.code) in BY_CODE and "." in cell, ident.rule


@pytest.mark.parametrize("title, code", [
    # BUDGETS.md: 支出预算总表 swallows neither 财务收支预算总表 nor 财政拨款收支预算总表 …
    ("2026年预算单位支出预算总表", "预算03"),
    ("2026年预算单位财务收支预算总表", "预算01"),
    ("2026年预算单位财政拨款收支预算总表", "预算04"),
    ("收支预算总表", "预算01"),
    # … and 财政拨款支出预算表 (预算10) is not 一般公共预算支出预算表 (预算05)
    ("财政拨款支出预算表（功能科目）", "预算10"),
    ("一般公共预算支出预算表（功能科目）", "预算05"),
    ("财政拨款政府性基金支出预算表", "预算07"),
    ("财政拨款基本支出预算表", "预算11"),
    ("一般公共预算基本支出预算表", "预算06"),
    ("2026年单位“三公”经费和机关运行经费预算表", "预算09"),
    ("“三公”经费、会议费、培训费支出预算表 公开表九", "预算09"),
    ("2019年政府采购预算表", "预算13"),
    # a final account's titles stay its own
    ("一般公共预算财政拨款支出决算表", "公开05"),
    ("收入支出决算总表", "公开01"),
])
def test_budget_titles_are_told_apart(title, code):
    assert match_title(title) == code


@pytest.mark.parametrize("printed, key", [
    ("一、一般公共服务支出", "一般公共服务支出"),  # the numeral goes, the name's own 一 stays
    ("一般公共服务支出", "一般公共服务支出"),
    ("九卫生健康支出", "卫生健康支出"),  # OCR lost the 、
    ("八其他收入", "其他收入"),
    ("十一般公共服务支出", "一般公共服务支出"),  # 十、一般… not 十一、般…
    ("二十一交通运输支出", "交通运输支出"),
    ("、事业收入", "事业收入"),  # OCR lost the numeral
    ("（−）行政单位", "行政单位"),  # （一） read （−）
    ("三公经费", "三公经费"),  # unknown: kept as printed, never guessed
    ("九其他某某支出", "九其他某某支出"),
])
def test_a_label_is_keyed_by_its_line_whatever_is_left_of_its_enumeration(printed, key):
    from disclosures.normalize import label_key, without_lost_enumeration
    from disclosures.tables import known_labels

    assert without_lost_enumeration(label_key(printed), known_labels()) == key
