"""Text normalisation shared by table finding, key mapping and the narrative.

PDF text layers spell the same word many ways: full-width digits, Kangxi and
CJK-supplement radicals (⻔ for 门), traditional forms (決), spaces inserted by
justified layout. Keys are made from the normalised text; what was printed is
kept beside it.
"""

from __future__ import annotations

import re
import unicodedata

# CJK Radicals Supplement code points are not folded by NFKC; these are the
# ones seen in government PDFs, plus traditional forms that occur in titles.
_CHAR_MAP = str.maketrans(
    {
        "⻔": "门", "⻋": "车", "⻅": "见", "⻓": "长", "⻙": "韦", "⻚": "页",
        "⻛": "风", "⻜": "飞", "⻝": "食", "⻢": "马", "⻣": "骨", "⻥": "鱼",
        "⻦": "鸟", "⻨": "麦", "⻩": "黄", "⻬": "齐", "⻮": "齿", "⻰": "龙",
        "⻳": "龟", "⻆": "角", "⻈": "讠", "⻉": "贝", "⻊": "足",
        "決": "决", "錶": "表", "總": "总", "計": "计", "預": "预", "財": "财",
        "經": "经", "費": "费", "額": "额", "務": "务", "車": "车", "購": "购",
        "維": "维", "護": "护", "運": "运", "結": "结", "餘": "余", "轉": "转",
        "門": "门", "單": "单", "說": "说",
        "“": "", "”": "", '"': "", "＂": "", "‘": "", "’": "", "'": "",
        "(": "（", ")": "）",
    }
)

_WS = re.compile(r"\s+")
# 一、 （一） (一) 1. 1、 1．  — leading enumeration of a label; 其中： (BUDGETS.md: "of which" marks a part).
# Also what OCR leaves of one: （一） read （−）, and a 、 whose numeral was lost.
_ENUM = re.compile(r"^(?:[（(][一二三四五六七八九十百\d]+[)）]|[一二三四五六七八九十百]+[、.．]|\d+[、.．](?!\d)|其中[:：]"
                   r"|[（(][−\-—–][)）]|、)")
_NUMERALS = re.compile(r"^[一二三四五六七八九十百]+")


def norm_text(text: str) -> str:
    """Fold a text-layer string: NFKC, radicals, traditional forms, no whitespace."""
    text = unicodedata.normalize("NFKC", text or "")
    return _WS.sub("", text.translate(_CHAR_MAP))


def label_key(text: object) -> str:
    """The canonical form of a printed label (TABLES.md: strip enumeration,
    whitespace; full-width parentheses). The one label normaliser: parsing keys
    rows with it and validation compares labels with it; no label (None, NaN) is ""."""
    if not isinstance(text, str):
        return ""
    key = norm_text(text)
    while True:
        stripped = _ENUM.sub("", key, count=1)
        if stripped == key:
            return key
        key = stripped


def without_lost_enumeration(label: str, known) -> str:
    """A label whose enumeration lost its 、 (OCR reads 九、卫生健康支出 as 九卫生健康支出): the
    numeral is dropped when only the rest is a `known` line; a name that itself opens with a
    numeral (一般公共服务支出) is known whole and kept, and an unknown label is kept as read."""
    numerals = _NUMERALS.match(label)
    if label in known or not numerals:
        return label
    for i in range(1, numerals.end() + 1):
        if label[i:] in known:
            return label[i:]
    return label


def is_enumerated(text: str) -> bool:
    """The label opens with an enumeration (`二十、`, `（一）`, `1.`) or 其中：: it starts an
    item of its own, never the wrapped tail of the label above it."""
    return bool(_ENUM.match(norm_text(text)))


NOT_APPLICABLE = re.compile(r"^[-—–─━_－]+$")
_NUMBER = re.compile(r"^[-−]?\d+(?:\.\d+)?$")


def parse_amount(text: str) -> float | None:
    """The number a cell prints, or None for blank / not-applicable / non-numeric.

    Thousands separators and stray spaces are dropped; `—` means not applicable.
    """
    s = norm_text(text).replace(",", "").replace("，", "")
    if not s or NOT_APPLICABLE.match(s):
        return None
    s = s.replace("−", "-")
    if _NUMBER.match(s):
        return float(s)
    return None


def is_code(text: str) -> bool:
    s = norm_text(text)
    return s.isdigit() and len(s) in (2, 3, 5, 7)
