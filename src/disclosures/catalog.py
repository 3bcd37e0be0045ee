"""Locating: which declared table a title line names.

A table is recognised by its title, after normalisation (disclosures.tables
declares every spelling); the most specific (longest) title wins, so
支出决算表 never swallows 一般公共预算财政拨款支出决算表.
"""

from __future__ import annotations

import re

from disclosures.normalize import norm_text
from disclosures.tables import TABLES

# (normalised title, code), longest first: the first suffix match is the most specific.
_TITLES = sorted(((norm_text(t), spec.code) for spec in TABLES for t in spec.titles), key=lambda p: -len(p[0]))


def match_title(line: str) -> str | None:
    """The table code a title line names, or None.

    The title may carry a department name or year before it, and a
    `公开0N表` label after it; it must end the line otherwise, so that a
    narrative heading (…决算情况说明) or a contents entry (…表……5) is not a title.
    """
    s = norm_text(line)
    s = _strip_label(s)
    for title, code in _TITLES:
        if s.endswith(title):
            head = s[: -len(title)]
            # 收入决算表 inside 财政拨款收入支出决算总表 is excluded by the longest-first
            # order; a head ending in another title's word would be a different table.
            if head.endswith(("财政拨款", "一般公共预算", "支出", "收入")):
                continue
            return code
    return None


def _strip_label(s: str) -> str:
    # 公开09表, 表9, and Jiangsu 2019's 公开表九
    return re.sub(r"(?:附表\d*|公开\d{1,2}表?|公开表[一二三四五六七八九十]{1,3}|表\d{1,2})$", "", s)
