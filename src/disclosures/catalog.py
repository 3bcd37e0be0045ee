"""What the standard final-accounts tables are called and which columns they have.

The knowledge of ../shared/spec/TABLES.md, as data. A table is recognised by
its title, after normalisation; the most specific (longest) title wins, so
支出决算表 never swallows 一般公共预算财政拨款支出决算表.
"""

from __future__ import annotations

from dataclasses import dataclass

from disclosures.normalize import norm_text


@dataclass(frozen=True)
class TableSpec:
    code: str
    title: str
    titles: tuple[str, ...]  # every normalised spelling that names this table
    # Every final-accounts document prints it (possibly empty); 公开10 is not printed in every province.
    required: bool = True


FINAL_TABLES: tuple[TableSpec, ...] = (
    TableSpec("公开01", "收入支出决算总表", ("收入支出决算总表",)),
    TableSpec("公开02", "收入决算表", ("收入决算表",)),
    TableSpec("公开03", "支出决算表", ("支出决算表",)),
    TableSpec("公开04", "财政拨款收入支出决算总表", ("财政拨款收入支出决算总表",)),
    TableSpec("公开05", "一般公共预算财政拨款支出决算表", ("一般公共预算财政拨款支出决算表",)),
    TableSpec(
        "公开06",
        "一般公共预算财政拨款基本支出决算明细表",
        ("一般公共预算财政拨款基本支出决算明细表", "一般公共预算财政拨款基本支出决算表"),
    ),
    TableSpec(
        "公开07",
        "政府性基金预算财政拨款收入支出决算表",
        ("政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款支出决算表"),
    ),
    TableSpec(
        "公开08",
        "国有资本经营预算财政拨款支出决算表",
        ("国有资本经营预算财政拨款支出决算表", "国有资本经营预算财政拨款收入支出决算表"),
    ),
    TableSpec("公开09", "财政拨款三公经费支出决算表", ("财政拨款三公经费支出决算表", "三公经费财政拨款支出决算表")),
    TableSpec("公开10", "部门决算公开相关信息统计表", ("部门决算公开相关信息统计表",), required=False),
)

BY_CODE = {t.code: t for t in FINAL_TABLES}

# (normalised title, code), longest first: the first suffix match is the most specific.
_TITLES = sorted(((norm_text(t), spec.code) for spec in FINAL_TABLES for t in spec.titles), key=lambda p: -len(p[0]))


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
    import re

    return re.sub(r"(?:附表\d*|公开\d{1,2}表?|表\d{1,2})$", "", s)

