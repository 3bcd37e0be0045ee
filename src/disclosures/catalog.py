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


# 公开01 / 公开04 expenditure categories (类), as printed since 2021, code → name.
FUNCTION_CATEGORIES = {
    "201": "一般公共服务支出",
    "202": "外交支出",
    "203": "国防支出",
    "204": "公共安全支出",
    "205": "教育支出",
    "206": "科学技术支出",
    "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出",
    "210": "卫生健康支出",
    "211": "节能环保支出",
    "212": "城乡社区支出",
    "213": "农林水支出",
    "214": "交通运输支出",
    "215": "资源勘探工业信息等支出",
    "216": "商业服务业等支出",
    "217": "金融支出",
    "219": "援助其他地区支出",
    "220": "自然资源海洋气象等支出",
    "221": "住房保障支出",
    "222": "粮油物资储备支出",
    "223": "国有资本经营预算支出",
    "224": "灾害防治及应急管理支出",
    "227": "预备费",
    "229": "其他支出",
    "231": "债务还本支出",
    "232": "债务付息支出",
    "233": "债务发行费用支出",
    "234": "抗疫特别国债安排的支出",
}
