"""Figures stated in the narrative (情况说明), and the table cells they restate.

`narrative_claims(text)` reads the raw text layer of the narrative pages
(lines and pages joined any way: all whitespace is dropped first, so
``307.82 万元`` and a number broken over a line read the same) and returns
one `Claim` per figure it recognises:

- ``amount``: a money figure mapped to the cell it restates, e.g.
  ``收入总计2,201.39万元`` → 公开01 总计.收入, ``科学技术支出(类)1,607.83万元``
  → 公开05 206.小计, ``人员经费967.56万元`` → 公开06 人员经费合计; figures
  whose label is not recognised are kept without a target (they can still
  be the part or base of a percentage).
- ``budget``: 年初预算 / 全年预算 figures (only the 三公 budget has a cell:
  公开09 预算数).
- ``delta``: ``增加375.84万元`` / ``减少0.15万元`` against last year.
- ``percent``: ``占比49.64%`` (part / base), ``完成年初预算的51.46%``
  (actual / budget), ``增长20.59%`` (delta / last year's figure).
- ``compare``: ``决算数小于/大于/同预算数持平`` with the two figures.
- ``count``: ``共有车辆0辆``, ``单价100万元（含）以上设备（不含车辆）0台（套）``.

Which cell a figure restates depends on the section it is in (基本支出 is
公开03 合计.基本支出 in 三、支出决算情况说明 and 公开05 合计.基本支出 in
六、一般公共预算财政拨款基本支出决算情况说明), so the text is cut into
sections by their headings (matched by wording, not number: Shanghai puts
三公 seventh). Text without recognised headings yields no claims. After a
run of three or more back-to-back headings (a table of contents, or a text
layer that lists headings apart from their paragraphs, as LibreOffice Calc
exports do) the section is unknown and only labels that name one cell
whatever the section are mapped (收入总计, 人员经费, 「X（类）」 …); ambiguous
ones (基本支出, 支出合计) are kept as plain figures. A 1–3 digit page number
glued in front of a label (「…增加。15社会保障和就业支出年初预算」) is dropped.
In （三）具体情况 a subject that names no category is kept as such and ends
up ``narrative.unmatched``; it never falls back to the total.

`add_narrative_instances` turns claims into identity instances (family
``narrative``), judged by the same GX suite as every other identity.

Severity:
- error: an amount that differs from the cell it restates by more than 0.01
  in the narrative's unit (the real error of 上海市普陀区规划和自然资源局:
  基本支出 5377.64 / 人员经费 4896.98 against 5364.75 / 4884.09).
- warn: percentages (|stated − computed| > 0.01 percentage point; rounding
  and truncation both pass), growth rates, comparison words, the 三公 budget
  against 公开09 预算数 (年初 vs 调整后 budgets differ legitimately), counts,
  a narrative sum (政府采购 total ≠ its parts), a subject named in the
  narrative that no table row carries (``narrative.unmatched``), and figures
  whose table the document lists but lacks.
A figure whose table the document does not contain at all (Shanghai has no
公开10) is not checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from disclosures.normalize import norm_text
from disclosures.tables import BY_CODE
from disclosures.tables.final01 import TABLE as _T01
from disclosures.tables.final04 import CLOSING as CLOSING_04
from disclosures.tables.final04 import OPENING as OPENING_04
from disclosures.tables.final10 import ADMIN_COSTS as ADMIN_COST_ROWS

USE_OF_BALANCE_01 = _T01.row_aliases["use_bal"][1]

# ------------------------------------------------------------------ model


@dataclass(frozen=True)
class Subject:
    """A function subject named in the narrative: 「X（类）Y（款）Z（项）」."""

    lei: str | None = None
    kuan: str | None = None
    xiang: str | None = None

    def __str__(self) -> str:
        parts = [f"{n}（{k}）" for n, k in ((self.lei, "类"), (self.kuan, "款"), (self.xiang, "项")) if n]
        return "".join(parts)


@dataclass(frozen=True)
class Ref:
    """The cell a figure restates; ``row`` may be a Subject or a tuple of rows (summed, shown as ``name``)."""

    table: str
    row: Any
    col: str
    name: str | None = None

    def describe(self, row: str | None = None) -> str:
        if self.name:
            r = self.name
        elif row is not None:
            r = row
        else:
            r = "+".join(self.row) if isinstance(self.row, tuple) else str(self.row)
        return f"{self.table}/{r}/{self.col}"


@dataclass
class Claim:
    kind: str  # amount | budget | delta | percent | compare | count
    section: str
    label: str
    value: float | None  # 元 for money, the percentage, or a count
    unit: str  # 万元 | 元 | % | 辆 | 台（套）
    printed: float | None  # the number as printed, in `unit`
    quote: str
    pos: int
    refs: list = field(default_factory=list)
    severity: str = "error"
    subkind: str | None = None  # percent: share | completion | change ; budget: 年初 | 全年
    part: int | None = None  # percent/compare: index of the part / actual claim
    base: int | None = None  # percent/compare: index of the base / budget claim
    base_ref: Ref | None = None  # percent: table cell used as base when no claim
    current: int | None = None  # delta: index of this year's figure
    direction: str | None = None  # delta: up | down ; compare: lt | gt | eq

    def as_dict(self) -> dict:
        d = dict(self.__dict__)
        d["refs"] = [r.describe() for r in self.refs]
        d["base_ref"] = self.base_ref.describe() if self.base_ref else None
        return d


# ------------------------------------------------------------- normalise

_QUOTES = re.compile(r"[「」『』]")  # norm_text drops the others


def normalise(text: str) -> str:
    """The text layer folded as every label is (norm_text), without thousands separators or quotes."""
    s = norm_text(text)
    s = re.sub(r"(?<=\d),(?=\d{3}(?:\D|$))", "", s)
    return _QUOTES.sub("", s)


_NUM = "[一二三四五六七八九十]{1,3}"
_SECTIONS = [
    ("fiscal_summary", r"财政拨款收(?:入)?支(?:出)?(?:决算)?总体情况"),
    ("summary", r"收入支出决算总体情况"),
    ("income", r"收入决算情况"),
    ("expenditure", r"支出决算情况"),
    ("basic", r"一般公共预算财政拨款基本支出决算情况"),
    ("gpb", r"一般公共预算财政拨款支出决算情况"),
    ("fund", r"政府性基金预算财政拨款收(?:入)?支(?:出)?决算情况"),
    ("soe", r"国有资本经营预算财政拨款(?:收(?:入)?)?支(?:出)?决算情况"),
    ("sangong", r"(?:财政拨款)?三公经费(?:财政拨款)?支出决算情况"),
    ("other", r"其他重要事项"),
    ("performance", r"预算绩效"),
    ("admin_cost", r"机关运行经费"),
    ("procurement", r"政府采购"),
    ("assets", r"国有资产"),
]
_SUBSECTIONS = [
    ("gpb_total", r"一般公共预算财政拨款支出决算总体情况"),
    ("gpb_structure", r"一般公共预算财政拨款支出决算结构情况"),
    ("gpb_detail", r"一般公共预算财政拨款支出决算具体情况"),
    ("sangong_total", r"(?:财政拨款)?三公经费(?:财政拨款)?支出决算总体情况"),
    ("sangong_detail", r"(?:财政拨款)?三公经费(?:财政拨款)?支出决算具体情况"),
    ("admin_cost", r"机关运行经费"),
    ("procurement", r"政府采购"),
    ("assets", r"国有资产"),
    ("performance", r"预算绩效"),
]
_HEADING_TAIL = r"(?:的)?(?:情况)?(?:说明)?"
_SECTION_RE = re.compile(rf"{_NUM}、(?:" + "|".join(f"(?P<{k}>{p})" for k, p in _SECTIONS) + ")" + _HEADING_TAIL)
_SUBSECTION_RE = re.compile(rf"（{_NUM}）(?:" + "|".join(f"(?P<{k}>{p})" for k, p in _SUBSECTIONS) + ")"
                            + _HEADING_TAIL)

SECTION_TITLES = {
    "summary": "收入支出决算总体情况", "income": "收入决算情况", "expenditure": "支出决算情况",
    "fiscal_summary": "财政拨款收入支出决算总体情况", "gpb": "一般公共预算财政拨款支出决算情况",
    "basic": "一般公共预算财政拨款基本支出决算情况", "fund": "政府性基金预算财政拨款收支",
    "soe": "国有资本经营预算财政拨款支出", "sangong": "三公经费", "other": "其他重要事项",
    "admin_cost": "机关运行经费", "procurement": "政府采购", "assets": "国有资产", "performance": "预算绩效",
}

_TOKEN_RE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?:(万元|亿元|元)|(万)(?=[（,;:。、）]|$)|(%))")
_DELIMS = ",;:。、!?"
# leading words that are not part of a label; a 1-3 digit number glued in front is a page number
_LEAD = re.compile(r"^(?:其中|主要包括|主要是|主要用于以下方面|主要用于|包括|分别是|分别为|即|\d{4}年(?:度)?"
                   r"|\d{1,3}(?![\d.年月日%万元个辆台次人批]))+")
_FILL = r"(?:决算数|决算)?(?:为|是|达到?|共计)?$"
_DELTA_RE = re.compile(r"(增加|减少|增长|下降|节约|节支|超支|上升|降低|增支|减支)(?:了)?$")
_BUDGET_RE = re.compile(r"(年初预算|全年预算|调整后预算|调整预算|预算)(?:数)?(?:为|是)?$")
_ACTUAL_RE = re.compile(r"(?:支出)?决算(?:数)?(?:为|是)?$|决算支出$|实际支出(?:为)?$")
_COMPARATORS = re.compile(
    r"与上年(?:度)?(?:决算)?相比|与\d{4}年(?:度)?(?:决算)?相比|较上年(?:度)?(?:决算)?|比上年(?:度)?(?:决算)?"
    r"|比\d{4}年(?:度)?(?:决算)?|较\d{4}年(?:度)?(?:决算)?|较上一(?:年)?度|同比|\d{4}年(?:度)?")
_SUBJECT_RE = re.compile(r"([^,;:。、（）\d%]+?)（类）(?:([^,;:。、（）\d%]+?)（款）)?(?:([^,;:。、（）\d%]+?)（项）)?")
_COMPARE_RE = re.compile(
    r"决算数?(大于|高于|超过|多于|小于|低于|少于|等于|同|与|和)(全年|年初|调整后)?预算数?(持平|相同|相等|一致)?")
_LIST_RE = re.compile(r"其中|主要用于以下方面|主要用于以下|具体情况如下")

R = Ref

_RULES: dict[str, list[tuple[str, list[Ref]]]] = {
    "summary": [
        (r"收入(?:支出)?总计", [R("公开01", "总计", "收入")]),
        (r"支出总计", [R("公开01", "总计", "支出")]),
        (r"本年收入合计|收入合计", [R("公开01", "本年收入合计", "收入")]),
        (r"本年支出合计|支出合计", [R("公开01", "本年支出合计", "支出")]),
        (r"使用非财政拨款结余(?:（含专用结余）)?", [R("公开01", USE_OF_BALANCE_01, "收入")]),
        (r"年初结转和结余", [R("公开01", "年初结转和结余", "收入")]),
        (r"年末结转和结余", [R("公开01", "年末结转和结余", "支出")]),
        (r"结余分配", [R("公开01", "结余分配", "支出")]),
    ],
    "income": [
        (r"本年收入合计|收入合计|收入总计", [R("公开02", "合计", "本年收入合计"), R("公开01", "本年收入合计", "收入")]),
        (r"一般公共预算财政拨款收入", [R("公开01", "一般公共预算财政拨款收入", "收入")]),
        (r"政府性基金预算财政拨款收入", [R("公开01", "政府性基金预算财政拨款收入", "收入")]),
        (r"国有资本经营预算财政拨款收入", [R("公开01", "国有资本经营预算财政拨款收入", "收入")]),
        (r"财政拨款收入", [R("公开02", "合计", "财政拨款收入")]),
        (r"上级补助收入", [R("公开02", "合计", "上级补助收入"), R("公开01", "上级补助收入", "收入")]),
        (r"事业收入", [R("公开02", "合计", "事业收入"), R("公开01", "事业收入", "收入")]),
        (r"经营收入", [R("公开02", "合计", "经营收入"), R("公开01", "经营收入", "收入")]),
        (r"附属单位上缴收入", [R("公开02", "合计", "附属单位上缴收入"), R("公开01", "附属单位上缴收入", "收入")]),
        (r"其他收入", [R("公开02", "合计", "其他收入"), R("公开01", "其他收入", "收入")]),
        (r"年初结转和结余", [R("公开01", "年初结转和结余", "收入")]),
    ],
    "expenditure": [
        (r"本年支出合计|支出合计|支出总计", [R("公开03", "合计", "本年支出合计"), R("公开01", "本年支出合计", "支出")]),
        (r"基本支出", [R("公开03", "合计", "基本支出")]),
        (r"项目支出", [R("公开03", "合计", "项目支出")]),
        (r"上缴上级支出", [R("公开03", "合计", "上缴上级支出")]),
        (r"对附属单位补助支出", [R("公开03", "合计", "对附属单位补助支出")]),
        (r"经营支出", [R("公开03", "合计", "经营支出")]),
        (r"年末结转和结余", [R("公开01", "年末结转和结余", "支出")]),
    ],
    "fiscal_summary": [
        (r"财政拨款收入(?:支出)?总计|财政拨款收支总计", [R("公开04", "总计", "收入")]),
        (r"支出总计", [R("公开04", "总计", "合计")]),
        (r"本年收入合计|财政拨款收入合计|财政拨款收入", [R("公开04", "本年收入合计", "收入")]),
        (r"本年支出合计|财政拨款支出合计|财政拨款支出", [R("公开04", "本年支出合计", "合计")]),
        (r"年初财政拨款结转和结余|年初结转和结余", [R("公开04", OPENING_04, "收入")]),
        (r"年末财政拨款结转和结余|年末结转和结余", [R("公开04", CLOSING_04, "合计")]),
    ],
    "gpb": [
        (r"一般公共预算财政拨款(?:决算)?支出(?:决算)?|财政拨款(?:决算)?支出(?:决算)?", [R("公开05", "合计", "小计")]),
        (r"基本支出", [R("公开05", "合计", "基本支出")]),
        (r"项目支出", [R("公开05", "合计", "项目支出")]),
    ],
    "basic": [
        (r"人员经费(?:支出)?", [R("公开06", "人员经费合计", "决算数")]),
        (r"公用经费(?:支出)?", [R("公开06", "公用经费合计", "决算数")]),
        (r"基本支出", [R("公开05", "合计", "基本支出")]),
        (r"工资福利(?:支出)?", [R("公开06", "301", "决算数")]),
        (r"对个人和家庭(?:的)?补助(?:支出)?", [R("公开06", "303", "决算数")]),
        (r"商品和服务(?:支出)?", [R("公开06", "302", "决算数")]),
        (r"资本性支出（基本建设）", [R("公开06", "309", "决算数")]),
        (r"资本性支出", [R("公开06", "310", "决算数")]),
        (r"对企业补助（基本建设）", [R("公开06", "311", "决算数")]),
        (r"对企业补助", [R("公开06", "312", "决算数")]),
        (r"债务利息及费用支出", [R("公开06", "307", "决算数")]),
        (r"对社会保障基金补助", [R("公开06", "313", "决算数")]),
    ],
    "fund": [
        (r"年初结转和结余", [R("公开07", "合计", "年初结转和结余")]),
        (r"年末结转和结余", [R("公开07", "合计", "年末结转和结余")]),
        (r"基本支出", [R("公开07", "合计", "本年支出基本支出")]),
        (r"项目支出", [R("公开07", "合计", "本年支出项目支出")]),
        (r"收入", [R("公开07", "合计", "本年收入")]),
        (r"支出", [R("公开07", "合计", "本年支出小计")]),
    ],
    "soe": [
        (r"基本支出", [R("公开08", "合计", "基本支出")]),
        (r"项目支出", [R("公开08", "合计", "项目支出")]),
        (r"支出", [R("公开08", "合计", "合计")]),
    ],
    "admin_cost": [
        (r"机关运行经费(?:支出)?", [R("公开10", ADMIN_COST_ROWS, "统计数", "机关运行经费")]),
    ],
    "procurement": [
        (r"(?:政府采购)?货物(?:采购)?(?:支出|金额)?", [R("公开10", "政府采购/货物", "统计数")]),
        (r"(?:政府采购)?工程(?:采购)?(?:支出|金额)?", [R("公开10", "政府采购/工程", "统计数")]),
        (r"(?:政府采购)?服务(?:采购)?(?:支出|金额)?", [R("公开10", "政府采购/服务", "统计数")]),
        (r"政府采购(?:支出)?(?:总额|金额|合计)?(?:（[^）]*）)?", [R("公开10", "政府采购/合计", "统计数")]),
    ],
}
# Section unknown (no heading before the figure, or the text layer lost its order): only labels
# that name one cell whatever the section.
_RULES["unknown"] = [
    (r"财政拨款收入(?:支出)?总计|财政拨款收支总计", [R("公开04", "总计", "收入")]),
    (r"(?<!财政拨款)收入(?:支出)?总计", [R("公开01", "总计", "收入")]),
    (r"一般公共预算财政拨款(?:决算)?支出(?:决算)?", [R("公开05", "合计", "小计")]),
    (r"财政拨款基本支出", [R("公开05", "合计", "基本支出")]),
    (r"人员经费(?:支出)?", [R("公开06", "人员经费合计", "决算数")]),
    (r"公用经费(?:支出)?", [R("公开06", "公用经费合计", "决算数")]),
    (r"机关运行经费(?:支出)?", [R("公开10", ADMIN_COST_ROWS, "统计数", "机关运行经费")]),
    (r"政府采购货物(?:支出|采购金额)?", [R("公开10", "政府采购/货物", "统计数")]),
    (r"政府采购工程(?:支出|采购金额)?", [R("公开10", "政府采购/工程", "统计数")]),
    (r"政府采购服务(?:支出|采购金额)?", [R("公开10", "政府采购/服务", "统计数")]),
    (r"政府采购(?:支出)?(?:总额|金额)(?:（[^）]*）)?", [R("公开10", "政府采购/合计", "统计数")]),
]
_COMPILED = {k: [(re.compile(f"(?:{p}){_FILL}"), refs) for p, refs in v] for k, v in _RULES.items()}

_DEFAULT_BASE = {
    "income": R("公开02", "合计", "本年收入合计"),
    "expenditure": R("公开03", "合计", "本年支出合计"),
    "gpb_structure": R("公开05", "合计", "小计"),
    "sangong": R("公开09", "决算数", "合计"),
    "procurement": R("公开10", "政府采购/合计", "统计数"),
}
_BASE_BY_LABEL = [
    (r"本年支出合计|支出合计", R("公开01", "本年支出合计", "支出")),
    (r"本年收入合计|收入合计", R("公开01", "本年收入合计", "收入")),
    (r"政府采购(?:支出)?(?:总额|金额)", R("公开10", "政府采购/合计", "统计数")),
    (r"一般公共预算财政拨款支出", R("公开05", "合计", "小计")),
    (r"基本支出", R("公开05", "合计", "基本支出")),
]

_UNIT_FACTOR = {"万元": 10000.0, "亿元": 100000000.0, "元": 1.0, "万": 10000.0}


# ---------------------------------------------------------------- parsing


class _Sections:
    def __init__(self, s: str):
        self.top = [(m.start(), m.end(), m.lastgroup) for m in _SECTION_RE.finditer(s)]
        self.sub = [(m.start(), m.end(), m.lastgroup) for m in _SUBSECTION_RE.finditer(s)]
        self.ends = sorted(b for _a, b, _k in self.top + self.sub)
        # Three or more headings back to back (a table of contents, or a text layer that
        # lists the headings apart from their paragraphs): what follows such a run cannot
        # be placed in a section.
        heads = sorted(self.top + self.sub)
        self.in_run: set[int] = set()
        chain = [0] if heads else []
        for i in range(1, len(heads) + 1):
            if i < len(heads) and heads[i][0] - heads[i - 1][1] <= 3:
                chain.append(i)
                continue
            if len(chain) >= 3:
                self.in_run.update(heads[j][0] for j in chain)
            chain = [i]
        self.heads = heads

    def last_heading_end(self, pos: int) -> int:
        best = 0
        for b in self.ends:
            if b <= pos:
                best = b
            else:
                break
        return best

    def at(self, pos: int) -> tuple[str, str | None, int, int]:
        """(section, subsection, section start, subsection start) at a position."""
        last = None
        for h in self.heads:
            if h[0] <= pos:
                last = h
            else:
                break
        if last is not None and last[0] in self.in_run:
            return "unknown", None, last[1], last[1]
        sec, start = "unknown", 0
        for a, _b, k in self.top:
            if a <= pos:
                sec, start = k, a
            else:
                break
        sub, sub_start = None, start
        for a, _b, k in self.sub:
            if start <= a <= pos:
                sub, sub_start = k, a
            elif a > pos:
                break
        # a top-level 机关运行经费 / 政府采购 heading acts as its own subsection
        if sub is None and sec in ("admin_cost", "procurement", "assets"):
            sub = sec
        return sec, sub, start, sub_start


def _label_start(s: str, lo: int, hi: int) -> int:
    best = lo
    for d in _DELIMS:
        i = s.rfind(d, lo, hi)
        if i + 1 > best:
            best = i + 1
    return best


def _core(label: str) -> str:
    return _LEAD.sub("", label)


def _subject_of(text: str) -> Subject | None:
    m = None
    for m in _SUBJECT_RE.finditer(text):
        pass
    if not m:
        return None
    lei = _LEAD.sub("", m.group(1))
    return Subject(lei=lei, kuan=m.group(2), xiang=m.group(3))


_SANGONG_ITEMS = BY_CODE["公开09"].layout["narrative_items"]
_SANGONG_EXCLUDE = re.compile(r"国内|外事|外宾|国（境）外|境外|团组")
_SANGONG_FILLER = re.compile(r"(?:支出)?(?:决算|决算数)?(?:为|是)?")


def _sangong_item(core: str) -> str | None:
    """'合计' / an item column, 'inherit' for bare 支出决算为, None when not 三公."""
    if _SANGONG_EXCLUDE.search(core):
        return None
    for pat, item in _SANGONG_ITEMS:
        if re.search(pat, core):
            return item
    if _SANGONG_FILLER.fullmatch(core):
        return "inherit"
    return None


class _Parser:
    def __init__(self, text: str):
        self.s = normalise(text)
        self.sections = _Sections(self.s)
        self.claims: list[Claim] = []
        self.subject_marks = [(m.start(), m.end(), m) for m in _SUBJECT_RE.finditer(self.s)]
        self.list_marks = [m.start() for m in _LIST_RE.finditer(self.s)]
        self.groups: list[dict] = []  # budget groups (gpb_detail, sangong)

    # ------------------------------------------------------------ helpers
    def _add(self, claim: Claim) -> int:
        self.claims.append(claim)
        return len(self.claims) - 1

    def _sentence_start(self, pos: int) -> int:
        return self.s.rfind("。", 0, pos) + 1

    def _last(self, pos: int, lo: int, kinds: tuple[str, ...]) -> int | None:
        for i in range(len(self.claims) - 1, -1, -1):
            c = self.claims[i]
            if c.pos < lo:
                break
            if c.pos < pos and c.kind in kinds:
                return i
        return None

    def _classify(self, core: str, section: str, sub: str | None) -> list[Ref]:
        keys = []
        if sub in ("admin_cost", "procurement"):
            keys.append(sub)
        if section == "other" and sub not in ("admin_cost", "procurement"):
            return []
        if section in ("admin_cost", "procurement"):
            keys.append(section)
        keys.append(section)
        if sub == "procurement" and re.search(r"中小企业|小微企业|预留|授予|面向", core):
            return []
        for key in keys:
            for rx, refs in _COMPILED.get(key, []):
                if rx.search(core):
                    return list(refs)
        return []

    def _group(self, pos: int) -> dict | None:
        return self.groups[-1] if self.groups else None

    def _new_group(self, pos: int, subject: Any, section: str, sub: str | None) -> dict:
        g = {"start": pos, "subject": subject, "section": section, "sub": sub,
             "budgets": {}, "actual": None, "item": None}
        self.groups.append(g)
        return g

    # ------------------------------------------------------------ parsing
    def parse(self) -> list[Claim]:
        s = self.s
        if not self.sections.top:
            return []  # no heading: nothing can be placed
        tokens = list(_TOKEN_RE.finditer(s))
        prev_end = 0
        last_item: dict[int, str] = {}  # sentence start → 三公 item
        for m in tokens:
            start = m.start()
            section, sub, sec_start, sub_start = self.sections.at(start)
            ls = _label_start(s, max(prev_end, sec_start, self.sections.last_heading_end(start)), start)
            label = s[ls:start]
            prev_end = m.end()
            number = float(m.group(1))
            quote = s[max(ls, start - 30):m.end()]
            if m.group(4):  # percent
                self._percent(label, number, start, quote, section, sub, sec_start, sub_start)
                continue
            unit = m.group(2) or "万元"
            if unit == "万":
                unit = "万元"
            value = number * _UNIT_FACTOR[unit]
            core = _core(label)
            base = dict(section=section, label=label, value=value, unit=unit, printed=number, quote=quote, pos=start)

            dm = _DELTA_RE.search(core)
            if dm:
                direction = "up" if dm.group(1) in ("增加", "增长", "超支", "上升", "增支") else "down"
                subj_text = _COMPARATORS.sub("", core[:dm.start()])
                subj_text = re.sub(r"(?:决算数|支出决算|决算)$", "", subj_text)
                current = self._find_current(subj_text, start, section, sub, sec_start)
                self._add(Claim(kind="delta", direction=direction, current=current, severity="warn", **base))
                continue

            in_detail = sub == "gpb_detail"
            in_sangong = section == "sangong"
            bm = _BUDGET_RE.search(core)
            if bm and (in_detail or in_sangong):
                which = bm.group(1).replace("预算", "").replace("调整后", "全年").replace("调整", "全年")
                prefix = _COMPARATORS.sub("", core[:bm.start()])
                g = self._group(start)
                if in_sangong:
                    item = _sangong_item(prefix)
                    if item in (None, "inherit"):
                        item = (g or {}).get("item") or "合计"
                    if g is None or g["section"] != "sangong" or g["item"] != item or which in g["budgets"]:
                        g = self._new_group(start, item, section, sub)
                        g["item"] = item
                    refs = [R("公开09", "预算数", item)]
                    last_item[self._sentence_start(start)] = item
                else:
                    subject = self._detail_subject(prefix, start, sub_start)
                    if g is None or g["sub"] != "gpb_detail" or g["subject"] != subject or which in g["budgets"]:
                        g = self._new_group(start, subject, section, sub)
                    refs = []
                idx = self._add(Claim(kind="budget", subkind=which or "", refs=refs, severity="warn", **base))
                g["budgets"][which or ""] = idx
                continue
            if bm:  # a budget figure outside the budget sections: kept, unchecked
                self._add(Claim(kind="budget", subkind=bm.group(1), severity="warn", **base))
                continue

            if in_sangong:
                sent = self._sentence_start(start)
                item = _sangong_item(core)
                if item == "inherit":
                    g = self._group(start)
                    item = last_item.get(sent) or (g["item"] if g and g["section"] == "sangong" and g["start"] >= sent else None) or "合计"
                if item is None:
                    self._add(Claim(kind="amount", **base))
                    continue
                last_item[sent] = item
                idx = self._add(Claim(kind="amount", refs=[R("公开09", "决算数", item)], **base))
                g = self._group(start)
                if g and g["section"] == "sangong" and g["item"] == item and g["actual"] is None:
                    g["actual"] = idx
                continue

            if in_detail:
                g = self._group(start)
                if _ACTUAL_RE.search(core) and g is not None and g["sub"] == "gpb_detail":
                    subject = g["subject"]
                    refs = [R("公开05", "合计", "小计")] if subject == "total" else (
                        [R("公开05", subject, "小计")] if isinstance(subject, Subject) else [])
                    idx = self._add(Claim(kind="amount", refs=refs, **base))
                    if g["actual"] is None:
                        g["actual"] = idx
                    continue
                self._add(Claim(kind="amount", **base))
                continue

            refs: list[Ref] = []
            if section in ("gpb", "unknown") and core.endswith(("（类）", "（款）", "（项）")):
                subj = _subject_of(core)
                if subj is not None:
                    refs = [R("公开05", subj, "小计")]
            if not refs:
                refs = self._classify(core, section, sub)
            self._add(Claim(kind="amount", refs=refs, **base))

        self._compares()
        self._counts()
        return self.claims

    def _detail_subject(self, prefix: str, pos: int, sub_start: int):
        """What a 年初预算/全年预算 figure in （三）具体情况 is about.

        The words before it (「科学技术支出年初预算…」), else the last 「X（类）…（项）」
        marker, else the group already open, else the total. Words that name no
        category give a Subject nothing resolves: its figures become
        ``narrative.unmatched`` warnings, never a comparison with the total.
        """
        p = _LEAD.sub("", prefix)
        if p:
            if "一般公共预算财政拨款" in p or p.startswith("财政拨款"):
                return "total"
            subj = _subject_of(p)
            if subj is not None:
                return subj
            return Subject(lei=p)
        marker = None
        for a, b, m in reversed(self.subject_marks):
            if b <= pos and a >= sub_start:
                marker = (a, Subject(lei=_LEAD.sub("", m.group(1)), kuan=m.group(2), xiang=m.group(3)))
                break
        g = self._group(pos)
        if g is not None and g["sub"] == "gpb_detail" and (marker is None or marker[0] < g["start"]):
            return g["subject"]
        if marker is not None:
            return marker[1]
        return "total"

    def _find_current(self, subj_text: str, pos: int, section: str, sub: str | None, sec_start: int) -> int | None:
        kinds = ("amount",)
        target: list[Ref] = []
        core = _core(subj_text)
        if core:
            if section == "sangong":
                item = _sangong_item(core)
                if item and item != "inherit":
                    target = [R("公开09", "决算数", item)]
            else:
                target = self._classify(core, section, sub)
        if target:
            for i in range(len(self.claims) - 1, -1, -1):
                c = self.claims[i]
                if c.pos < sec_start:
                    break
                if c.kind in kinds and c.refs and c.refs[0] == target[0]:
                    return i
        clause = max(self._sentence_start(pos), self.s.rfind(";", 0, pos) + 1)
        i = self._last(pos, clause, kinds)
        if i is not None:
            return i
        g = self._group(pos)
        if g is not None and g["actual"] is not None and g["start"] >= sec_start and not core:
            return g["actual"]
        i = self._last(pos, self._sentence_start(pos), kinds)
        if i is not None:
            return i
        return self._last(pos, sec_start, kinds)

    def _percent(self, label: str, number: float, pos: int, quote: str, section: str, sub: str | None,
                 sec_start: int, sub_start: int) -> None:
        core = _core(label)
        base_kw = dict(section=section, label=label, value=number, unit="%", printed=number, quote=quote,
                       pos=pos, severity="warn")
        sent = self._sentence_start(pos)
        if re.search(r"(增长|下降|增幅|降幅|上升|减少|增加|降低)(?:（[^）]*）)?(?:了)?(?:为)?$", core):
            d = self._last(pos, sent, ("delta",))
            if d is None:
                return
            delta = self.claims[d]
            if delta.current is None:
                return
            self._add(Claim(kind="percent", subkind="change", part=d, base=delta.current,
                            direction=delta.direction, **base_kw))
            return
        cm = re.search(r"完成(?:了)?(年初|全年|调整后)?预算(?:数)?的?$", core)
        if cm:
            g = self._group(pos)
            if g is not None and g["start"] < sec_start:
                g = None
            word = (cm.group(1) or "").replace("调整后", "全年")
            part = self._last(pos, sent, ("amount",))
            if part is None and g is not None:
                part = g["actual"]
            if part is None:
                return
            budget = None
            if g is not None and g["actual"] == part:
                budget = self._pick_budget(g, word)
            base_ref = None
            if budget is None:
                pr = self.claims[part].refs
                if pr and pr[0].table == "公开09":
                    base_ref = R("公开09", "预算数", pr[0].col)
                else:
                    return
            self._add(Claim(kind="percent", subkind="completion", part=part, base=budget, base_ref=base_ref, **base_kw))
            return
        if re.search(r"占(?:比)?(?:为)?$", core):
            part = self._last(pos, sent, ("amount",))
            if part is None:
                return
            lo = sub_start if sub else sec_start
            marks = [p for p in self.list_marks if lo <= p < self.claims[part].pos]
            base = None
            if marks:
                cand = self._last(marks[-1] + 1, lo, ("amount",))
                if cand is not None and cand != part:
                    base = cand
            base_ref = None
            if base is None:
                base_ref = _DEFAULT_BASE.get(sub or "") or _DEFAULT_BASE.get(section)
                if base_ref is None:
                    return
            self._add(Claim(kind="percent", subkind="share", part=part, base=base, base_ref=base_ref, **base_kw))
            return
        em = re.search(r"占(.+?)(?:的)?(?:比(?:重|例))?(?:为)?$", core)
        if em:
            part = self._last(pos, sent, ("amount",))
            if part is None:
                return
            blabel = em.group(1)
            base = None
            for i in range(part - 1, -1, -1):
                c = self.claims[i]
                if c.pos < sec_start:
                    break
                if c.kind == "amount" and blabel in c.label:
                    base = i
                    break
            base_ref = None
            if base is None:
                for rx, ref in _BASE_BY_LABEL:
                    if re.fullmatch(rx, blabel):
                        base_ref = ref
                        break
                if base_ref is None:
                    return
            self._add(Claim(kind="percent", subkind="share", part=part, base=base, base_ref=base_ref, **base_kw))

    def _pick_budget(self, g: dict, word: str) -> int | None:
        """The budget a completion rate refers to: the one named, else 全年, else 年初; never a zero."""
        budgets = g["budgets"]
        order = ([word] if word else []) + ["全年", "", "年初"]
        return next((budgets[w] for w in order if w in budgets and self.claims[budgets[w]].value), None)

    def _compares(self) -> None:
        for m in _COMPARE_RE.finditer(self.s):
            verb, which, tail = m.group(1), m.group(2) or "", m.group(3)
            if verb in ("大于", "高于", "超过", "多于"):
                direction = "gt"
            elif verb in ("小于", "低于", "少于"):
                direction = "lt"
            elif verb == "等于" or tail:
                direction = "eq"
            else:
                continue
            section, sub, _a, _b = self.sections.at(m.start())
            group = None
            for g in self.groups:
                if g["start"] <= m.start():
                    group = g
            if group is not None and not (group["section"] == section == "sangong"
                                          or (group["sub"] == sub == "gpb_detail")):
                group = None
            if group is None or group["actual"] is None or self.claims[group["actual"]].pos > m.start():
                continue
            budgets = group["budgets"]
            order = ([which.replace("调整后", "全年")] if which else []) + ["全年", "", "年初"]
            budget = None
            for w in order:
                if w in budgets and (self.claims[budgets[w]].value or w == order[-1]):
                    budget = budgets[w]
                    break
            if budget is None:
                continue
            self._add(Claim(kind="compare", section=section, label=m.group(0), value=None, unit="",
                            printed=None, quote=m.group(0), pos=m.start(), severity="warn",
                            part=group["actual"], base=budget, direction=direction))

    def _counts(self) -> None:
        for rx, row, unit in ((r"共有(?:车辆|公务用车)(\d+)辆", "车辆数合计", "辆"),
                              (r"单价100万元（含）以上(?:的)?(?:通用|专用)?设备（不含车辆）(\d+)(台（套）|台|套)",
                               "单价100万元（含）以上设备（不含车辆）", "台（套）")):
            for m in re.finditer(rx, self.s):
                n = float(m.group(1))
                section, _sub, _a, _b = self.sections.at(m.start())
                self._add(Claim(kind="count", section=section, label=m.group(0), value=n, unit=unit, printed=n,
                                quote=m.group(0), pos=m.start(), refs=[R("公开10", row, "统计数")], severity="warn"))


def narrative_claims(text: str) -> list[Claim]:
    """The figures stated in a narrative text, with the cells they restate."""
    return _Parser(text).parse()


# ----------------------------------------------------- claims → instances


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else "…" + text[-n:]


def add_narrative_instances(builder, claims: list[Claim], doc: dict) -> None:
    """Append the narrative instances of `claims` to an InstanceBuilder."""
    v = builder.v
    page = doc.get("narrative_page")
    if page is None:
        pages = doc.get("narrative_pages")
        if isinstance(pages, str):
            pages = [p for p in re.split(r"[,\s]+", pages) if p]
        if pages:
            try:
                page = int(pages[0])
            except (TypeError, ValueError):
                page = None
    resolved: dict[int, tuple] = {}

    def resolve(c: Claim, ref: Ref):
        """('ok', value 元, row desc, page) | ('missing', …) | ('unknown', …) | ('unmatched', …)"""
        if not v.usable(ref.table):
            return ("missing" if v.missing(ref.table) else "unknown", None, None, None)
        row = ref.row
        if isinstance(row, Subject):
            code = v.resolve_subject(row.lei, row.kuan, row.xiang)
            if code is None:
                return ("unmatched", None, str(row), None)
            rows = (code,)
        elif isinstance(row, tuple):
            rows = row
        else:
            rows = (row,)
        vals = [v.get(ref.table, r, ref.col) for r in rows]
        if any(v.unread(ref.table, r, ref.col) for r in rows):
            return ("missing", None, None, None)  # may be printed on the page that could not be read
        pg = next((v.page(ref.table, r, ref.col) for r, x in zip(rows, vals) if x is not None), None)
        return ("ok", float(sum(x for x in vals if x is not None)), "+".join(rows), pg)

    def ref_of(c: Claim):
        """The first alternative target that resolves; else one that is missing / unmatched."""
        results = [(ref, resolve(c, ref)) for ref in c.refs]
        for status in ("ok", "missing", "unmatched"):
            for ref, r in results:
                if r[0] == status:
                    return ref, r
        return None, None

    def sec(c: Claim) -> str:
        return SECTION_TITLES.get(c.section, c.section)

    for i, c in enumerate(claims):
        if c.kind in ("amount", "budget", "count") and c.refs:
            ref, r = ref_of(c)
            if ref is None:
                continue
            status, value, rowdesc, pg = r
            unit = c.unit
            div = 1.0 if c.kind == "count" else _UNIT_FACTOR.get(c.unit, 10000.0)
            tol = 0.0 if c.kind == "count" else 0.01
            severity = "error" if (c.kind == "amount" and c.severity == "error") else "warn"
            rule = "narrative.count" if c.kind == "count" else "narrative.amount"
            if status == "unmatched":
                builder.emit(family="narrative", rule="narrative.unmatched", inst=rowdesc, table_code=ref.table,
                             row_key=None, column_key=ref.col, lhs=round(c.printed, 6), rhs=None, n_terms=1,
                             tolerance=tol, kind="eq", severity="warn", page=page, unit=unit,
                             description=f"narrative «{_short(c.quote)}» ({sec(c)}) names {rowdesc}, "
                                         f"which no {ref.table} row carries",
                             lhs_desc="narrative", rhs_desc=ref.describe(),
                             note=f"its figure {c.printed:g} {c.unit} is left unchecked")
                continue
            if status == "missing":
                builder.emit(family="narrative", rule=rule, inst=ref.describe(), table_code=ref.table,
                             row_key=None, column_key=ref.col, lhs=round(c.printed, 6), rhs=None, n_terms=1,
                             tolerance=tol, kind="eq", severity="warn", page=page, unit=unit,
                             description=f"narrative «{_short(c.quote)}» ({sec(c)}) restates {ref.describe()}",
                             lhs_desc="narrative", rhs_desc=ref.describe(),
                             note=f"cannot check: {ref.table} listed by the document but {v.status(ref.table)}")
                continue
            rhs = round(value / div, 6)
            resolved[i] = (ref, rowdesc)
            desc = ref.describe(rowdesc)
            builder.emit(family="narrative", rule=rule, inst=desc, table_code=ref.table,
                         row_key=rowdesc, column_key=ref.col, lhs=round(c.printed, 6), rhs=rhs, n_terms=1,
                         tolerance=tol, kind="eq", severity=severity, page=page or pg, unit=unit,
                         description=f"narrative «{_short(c.quote)}» ({sec(c)}) restates {desc}",
                         lhs_desc="narrative", rhs_desc=desc)

    def claim_desc(j: int) -> str:
        c = claims[j]
        if j in resolved:
            ref, rowdesc = resolved[j]
            return ref.describe(rowdesc)
        if c.refs:
            return c.refs[0].describe()
        if c.kind == "budget":
            return f"{c.subkind or ''}预算"
        return _short(_core(c.label), 16) or c.kind

    for c in claims:
        if c.kind == "percent":
            part = claims[c.part] if c.part is not None else None
            if part is None or part.value is None:
                continue
            if c.subkind == "change":
                cur = claims[c.base] if c.base is not None else None
                if cur is None or cur.value is None:
                    continue
                prior = cur.value - part.value if c.direction == "up" else cur.value + part.value
                if prior <= 0:
                    continue
                computed = part.value / prior * 100.0
                inst = claim_desc(c.base)
                what = f"{'+' if c.direction == 'up' else '−'}{part.printed:g} on last year's {prior / _UNIT_FACTOR.get(cur.unit, 1):.2f}"
                rule = "narrative.change"
            else:
                if c.base is not None:
                    base_val = claims[c.base].value
                    bdesc = claim_desc(c.base)
                elif c.base_ref is not None:
                    st, base_val, rowdesc, _pg = resolve(c, c.base_ref)
                    if st != "ok":
                        continue
                    bdesc = c.base_ref.describe(rowdesc)
                else:
                    continue
                if not base_val:
                    continue
                computed = part.value / base_val * 100.0
                inst = f"{claim_desc(c.part)}÷{bdesc}"
                what = f"{part.printed:g} / {base_val / _UNIT_FACTOR.get(part.unit, 1):.2f}"
                rule = "narrative.percent"
            builder.emit(family="narrative", rule=rule, inst=inst, table_code=None, row_key=None, column_key=None,
                         lhs=round(c.printed, 6), rhs=round(computed, 6), n_terms=1, tolerance=0.01, kind="eq",
                         severity="warn", page=page, unit="%",
                         description=f"narrative «{_short(c.quote)}» ({sec(c)}): stated {c.printed:g}% vs {what}",
                         lhs_desc="stated %", rhs_desc="computed %")
        elif c.kind == "compare":
            a, b = claims[c.part], claims[c.base]
            div = _UNIT_FACTOR.get(a.unit, 10000.0)
            word = {"lt": "smaller than", "gt": "larger than", "eq": "equal to"}[c.direction]
            builder.emit(family="narrative", rule="narrative.compare", inst=claim_desc(c.part), table_code=None,
                         row_key=None, column_key=None, lhs=round(a.value / div, 6), rhs=round(b.value / div, 6),
                         n_terms=1, tolerance=0.0, kind=c.direction, severity="warn", page=page, unit=a.unit,
                         description=f"narrative «{c.quote}» ({sec(c)}): 决算 {a.printed:g} should be {word} "
                                     f"预算 {b.printed:g}",
                         lhs_desc="决算", rhs_desc="预算")

    # narrative sums: 政府采购 total = 货物 + 工程 + 服务 as stated
    total_idx = [i for i, c in enumerate(claims) if c.kind == "amount" and c.refs
                 and c.refs[0].table == "公开10" and c.refs[0].row == "政府采购/合计"]
    for ti in total_idx:
        t = claims[ti]
        parts = []
        for c in claims[ti + 1:]:
            if c.kind == "amount" and c.refs and c.refs[0].table == "公开10" and c.refs[0].row in (
                    "政府采购/货物", "政府采购/工程", "政府采购/服务"):
                if c.refs[0].row not in [p.refs[0].row for p in parts]:
                    parts.append(c)
            elif c.kind == "amount" and c.refs and c.refs[0].row == "政府采购/合计":
                break
            if c.pos - t.pos > 200:
                break
        if not parts:
            continue
        div = _UNIT_FACTOR.get(t.unit, 10000.0)
        rhs = round(sum(p.value for p in parts) / div, 6)
        tol = min(0.01 * len(parts), 0.05)
        builder.emit(family="narrative", rule="narrative.sum", inst="政府采购", table_code=None, row_key=None,
                     column_key=None, lhs=round(t.printed, 6), rhs=rhs, n_terms=len(parts), tolerance=tol,
                     kind="eq", severity="warn", page=page, unit=t.unit,
                     description=f"narrative «{_short(t.quote)}»: 政府采购 total = "
                                 + " + ".join(f"{p.refs[0].row.split('/')[-1]} {p.printed:g}" for p in parts),
                     lhs_desc="stated total", rhs_desc="sum of stated parts")
