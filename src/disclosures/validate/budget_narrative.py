"""A budget's narrative (编制说明 / 情况说明) against the tables it restates (BUDGETS.md "Narrative claims").

The narrative states this year's budget in 万元 (`收入预算8695.94万元`,
`行政运行（01项）1434.89万元`, `“三公”经费预算数为10.71万元`); each such figure
must equal its table, read in 万元 (Shanghai's tables are in 元: 12,345,648.00 元
restates 1,234.56 万元, within 0.01 万元). A figure about last year's budget
(`比2025年预算增加794.88万元`, `与上年相比…增长10.06%`, `与2025年预算持平`,
`2025年当年预算执行数为1690.69万元`) refers to another document: it is recorded as a
warn-level "cannot check" instance, never judged here. A change whose sentence has just
stated the figure it changes names that cell, and mart_budget_prior_year holds it to the
department's budget of the year before once the warehouse has that too.

The phrases are the budget templates' (Shanghai's and Jiangsu's), each with the
cells it may restate, tried in order: the first whose table the document
prints. The final accounts' narrative (narrative.py) is another template's.
"""

from __future__ import annotations

import re

from disclosures.normalize import norm_text
from disclosures.tables.subjects import FUNCTION_CLASS_BY_NAME, function_class_of_name

_N = r"(?P<n>\d[\d,]*(?:\.\d+)?)万元"
_NAME = r"[^，。；：:、（）\d．.％%]{2,24}"
# 收入预算 / 支出预算 of the whole department, not of one fund or one use (财政拨款…, 基本支出…)
_UNQUALIFIED = "".join(f"(?<!{w})" for w in ("拨款", "基金", "资金", "经营", "事业", "其他", "专户", "预算", "基本",
                                             "项目", "经费", "结转"))

# (check wording, pattern, cells it restates: "table:row.col", the first usable wins)
_AMOUNTS: list[tuple[str, str, tuple[str, ...]]] = [
    ("收入总计", rf"收入、支出预算总计(?:为)?{_N}", ("预算01:收入总计.收入",)),
    ("支出总计", rf"收入、支出预算总计(?:为)?{_N}", ("预算01:支出总计.支出",)),
    ("本年收入合计", rf"本年收入(?:预算)?合计(?:为)?{_N}", ("预算01:本年收入合计.收入",)),
    ("收入总计", rf"{_UNQUALIFIED}收入预算(?:总计)?(?:为)?{_N}", ("预算01:收入总计.收入",)),
    ("财政拨款收入", rf"财政拨款收入(?:预算总计|预算)?(?:为)?{_N}", ("预算01:财政拨款收入.收入",)),
    ("一般公共预算收入", rf"一般公共预算收入预算(?:为)?{_N}", ("预算01:财政拨款收入/一般公共预算.收入",)),
    ("政府性基金收入", rf"政府性基金收入预算(?:为)?{_N}", ("预算01:财政拨款收入/政府性基金预算.收入",)),
    ("事业收入", rf"(?<!单位经营)事业收入{_N}", ("预算01:事业收入.收入",)),
    ("事业单位经营收入", rf"事业单位经营收入{_N}", ("预算01:事业单位经营收入.收入",)),
    ("其他收入", rf"其他收入{_N}", ("预算01:其他收入.收入",)),
    ("财政专户管理资金", rf"财政专户管理资金收入预算(?:总计)?(?:为)?{_N}", ("预算01:财政专户管理资金.收入",)),
    ("其他资金", rf"其他资金收入预算(?:总计)?(?:为)?{_N}", ("预算01:其他资金.收入",)),
    ("上年结转资金", rf"上年结转资金(?:预算数)?(?:为)?{_N}", ("预算01:上年结转资金.收入",)),
    ("结转下年资金", rf"结转下年资金预算数为{_N}", ("预算01:结转下年资金.支出",)),
    ("支出总计", rf"{_UNQUALIFIED}支出预算(?:总计)?(?:为)?{_N}", ("预算01:支出总计.支出",)),
    # 财政拨款收、支总预算 (Jiangsu 2017): both sides of 预算04
    ("财政拨款收入总计", rf"财政拨款收、支总预算(?:为)?{_N}", ("预算04:收入总计.收入",)),
    ("财政拨款支出总计", rf"财政拨款收、支总预算(?:为)?{_N}", ("预算04:支出总计.合计",)),
    ("财政拨款支出", rf"(?<!一般公共预算)(?<!政府性基金)(?<!国有资本经营预算)财政拨款(?:预算)?支出(?:预算)?(?:为)?{_N}",
     ("预算04:支出总计.合计",)),
    ("一般公共预算基本支出", rf"一般公共预算(?:财政)?拨款基本支出预算(?:为)?{_N}", ("预算06:合计.合计", "预算05:合计.基本支出")),
    ("财政拨款基本支出", rf"(?<!一般公共预算)财政拨款基本支出预算(?:为)?{_N}", ("预算04:基本支出.合计", "预算06:合计.合计")),
    ("一般公共预算拨款支出", rf"一般公共预算(?:财政)?拨款支出预算(?:为)?{_N}",
     ("预算04:支出总计.一般公共预算", "预算05:合计.合计")),
    ("政府性基金拨款支出", rf"政府性基金拨款支出预算(?:为)?{_N}",
     ("预算04:支出总计.政府性基金预算", "预算07:合计.合计")),
    ("国有资本经营预算拨款支出", rf"国有资本经营预算拨款支出预算(?:为)?{_N}",
     ("预算04:支出总计.国有资本经营预算", "预算08:合计.合计")),
    ("基本支出", rf"(?<!一般公共预算)基本支出预算数为{_N}", ("预算01:基本支出.支出", "预算03:合计.基本支出")),
    ("项目支出", rf"项目支出预算数为{_N}", ("预算01:项目支出.支出", "预算03:合计.项目支出")),
    ("单位预留机动经费", rf"单位预留机动经费预算数为{_N}", ("预算01:单位预留机动经费.支出",)),
    ("三公经费", rf"三公经费(?:预算数|预算)?(?:为)?{_N}", ("预算09:预算数.合计",)),
    ("因公出国（境）费", rf"因公出国（境）费(?:预算数|预算)?(?:支出)?(?:为)?{_N}", ("预算09:预算数.因公出国（境）费",)),
    ("公务用车购置及运行费", rf"公务用车购置及运行(?:维护)?费(?:预算数|预算)?(?:支出)?(?:为)?{_N}",
     ("预算09:预算数.公务用车购置及运行维护费",)),
    ("公务用车购置费", rf"公务用车购置费(?:预算数|预算)?(?:支出)?(?:为)?{_N}", ("预算09:预算数.公务用车购置费",)),
    ("公务用车运行费", rf"公务用车运行(?:维护)?费(?:预算数|预算)?(?:支出)?(?:为)?{_N}", ("预算09:预算数.公务用车运行维护费",)),
    ("公务接待费", rf"公务接待费(?:预算数|预算)?(?:支出)?(?:为)?{_N}", ("预算09:预算数.公务接待费",)),
    ("会议费", rf"会议费(?:预算数|预算)?(?:支出)?(?:为)?{_N}", ("预算09:预算数.会议费",)),
    ("培训费", rf"培训费(?:预算数|预算)?(?:支出)?(?:为)?{_N}", ("预算09:预算数.培训费",)),
    # Shanghai prints it in 预算09, Jiangsu as 预算12 (…机关运行经费支出预算…)
    ("机关运行经费", rf"机关运行经费(?:支出)?(?:预算数|预算)?(?:支出)?(?:为)?{_N}", ("预算09:预算数.机关运行经费", "预算12:合计.合计")),
    ("一般公共预算当年拨款", rf"一般公共预算当年拨款(?:支出)?(?:预算)?(?:为)?{_N}", ("预算05:合计.合计",)),
    ("政府采购", rf"政府采购预算(?:总额)?(?:为)?{_N}", ("预算13:合计.合计",)),
    ("政府采购货物", rf"政府采购货物预算(?:为)?{_N}", ("预算13:货物.合计",)),
    ("政府采购工程", rf"政府采购工程预算(?:为)?{_N}", ("预算13:工程.合计",)),
    ("政府采购服务", rf"政府采购服务预算(?:为)?{_N}", ("预算13:服务.合计",)),
]
_COMPILED = [(what, re.compile(p), refs) for what, p, refs in _AMOUNTS]

# 支出预算 (合计) broken down by use: `本年支出预算合计13649.07万元,其中:基本支出7666.68万元,占56.17%;
# 项目支出5853.96万元,…;单位预留机动经费128.43万元` (Jiangsu), `支出预算…，其中：基本支出…，项目支出…`
# (the Ministry template). The sentence restates one table: 预算01's 支出用途 lines where it prints
# them (Jiangsu), else 预算03's 合计 row; its total is that table's (本年支出合计, not 支出总计:
# the uses leave out 结转下年资金). Anchored on the sentence, as 基本支出 alone is also a change
# (`增加基本支出844.15万元`) or another table's (财政拨款基本支出).
_M = r"\d[\d,]*(?:\.\d+)?"
_SHARE = r"(?:[，,]占[\d.]+[%％])?[，,；;]"
_USES = re.compile(
    rf"支出预算(?:合计|总计)?(?:为)?(?P<total>{_M})万元[，,]其中[：:]基本支出(?:为)?(?P<basic>{_M})万元{_SHARE}"
    rf"项目支出(?:为)?(?P<project>{_M})万元(?:{_SHARE}单位预留机动经费(?:为)?(?P<reserve>{_M})万元)?")
_USE_CELLS = (
    {"total": "预算01:本年支出合计.支出", "basic": "预算01:基本支出.支出", "project": "预算01:项目支出.支出",
     "reserve": "预算01:单位预留机动经费.支出"},
    {"total": "预算03:合计.合计", "basic": "预算03:合计.基本支出", "project": "预算03:合计.项目支出",
     "reserve": "预算03:合计.单位预留机动经费"},
)

# A function subject and its amount: by code (Shanghai: 公共安全支出（204类）司法（06款）行政运行（01项）)
# or by name (Jiangsu: 政协事务（款）委员视察（项）, 一般公共服务（类）支出).
_BY_CODE = re.compile(rf"（(?P<lei>\d{{3}})类）{_NAME}（(?P<kuan>\d{{2}})款）{_NAME}（(?P<xiang>\d{{2}})项）(?:支出)?{_N}")
_BY_NAME = re.compile(rf"(?:(?P<kuan>{_NAME})（款）)?(?P<xiang>{_NAME})（项）(?:支出)?(?:为)?{_N}")
_CLASS = re.compile(rf"(?P<lei>{_NAME})（类）支出(?:为)?{_N}")
# or without （类） when the name is a class's whole name (Jiangsu 2017: `2.社会保障和就业支出1608.51万元`)
_BARE_CLASS = re.compile(rf"(?P<lei>{_NAME}支出){_N}")
# this year's budget of the subject just named, stated again in the same item
_AGAIN = re.compile(rf"\d{{4}}年预算安排{_N}")
_ITEM = re.compile(r"(?<!\d)\d{1,2}、")  # the next numbered item
_FUNCTION_TABLES = ("预算05", "预算10", "预算07", "预算08", "预算03")

# Last year's budget: not in the document, so not a check.
_PRIOR = re.compile(
    r"(?:比|较|与)(?:上年|\d{4}年)(?:预算|预算数|预算执行数|当年预算执行数)?(?:相比)?"
    r"[^。；]{0,30}?(?:增加|减少|增长|下降|持平)(?:（减少）)?(?P<n>\d[\d,]*(?:\.\d+)?(?:万元|%|％))?"
    r"|\d{4}年(?:当年)?预算执行数为\d[\d,]*(?:\.\d+)?万元")


def _amount(text: str) -> float:
    return float(text.replace(",", ""))


def _short(text: str, n: int = 48) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def add_budget_narrative_instances(builder, text: str, doc: dict) -> None:
    """Append a budget narrative's instances (family narrative) to an InstanceBuilder."""
    v = builder.v
    s = norm_text(text)
    pages = doc.get("narrative_pages") or []
    page = int(pages[0]) if pages else None

    def cell(ref: str) -> tuple[str, str, str]:
        table, _, rc = ref.partition(":")
        row, col = rc.rsplit(".", 1)
        return table, row, col

    taken: list[tuple[int, int]] = []
    # (where each checked figure ends, its cell): what a following 与上年相比 compares
    stated: list[tuple[int, tuple[str, str, str]]] = []

    def check(what: str, quote: str, printed: str, refs: tuple[str, ...], span: tuple[int, int]) -> None:
        taken.append(span)
        # a figure printed with fewer decimals (`17,192万元`, `3269.3万元`) is the table rounded to them
        decimals = len(printed.partition(".")[2])
        tolerance = max(0.01, 0.5 * 10 ** -decimals) if decimals < 2 else 0.01
        usable = [r for r in refs if v.usable(cell(r)[0])]
        if not usable:
            missing = [r for r in refs if v.missing(cell(r)[0])]
            if missing:
                table = cell(missing[0])[0]
                builder.emit(family="narrative", rule="narrative.amount", inst=missing[0].replace(":", "/").replace(".", "/"),
                             table_code=table, row_key=None, column_key=cell(missing[0])[2], lhs=_amount(printed),
                             rhs=None, n_terms=1, tolerance=0.01, kind="eq", severity="warn", page=page, unit="万元",
                             description=f"narrative «{quote}» restates {missing[0]}",
                             lhs_desc="narrative", rhs_desc=missing[0],
                             note=f"cannot check: {table} listed by the document but {v.status(table)}")
            return  # the template prints no such table (Shanghai's 政府采购 is narrative only)
        # the first table printing the cell (Jiangsu's 机关运行经费 is 预算12's, not a 预算09 column)
        printed_in = [r for r in usable if v.get(*cell(r)) is not None]
        table, row, col = cell((printed_in or usable)[0])
        value = v.get(table, row, col) or 0.0  # a blank cell of a printed table is zero
        stated.append((span[1], (table, row, col)))
        builder.emit(family="narrative", rule="narrative.amount", inst=f"{table}/{row}/{col}", table_code=table,
                     row_key=row, column_key=col, lhs=_amount(printed), rhs=round(value / 10000.0, 6), n_terms=1,
                     tolerance=tolerance, kind="eq", severity="error", page=page or v.page(table, row, col), unit="万元",
                     description=f"narrative «{quote}» ({what}) restates {table} {row}.{col}",
                     lhs_desc="narrative", rhs_desc=f"{table} {row}.{col}")

    def free(m: re.Match) -> bool:
        return not any(a < m.end("n") and m.start("n") < b for a, b in taken)

    # the uses of the expenditure budget, one table for the sentence
    for m in _USES.finditer(s):
        cells = next((c for c in _USE_CELLS if v.usable(cell(c["basic"])[0]) and v.get(*cell(c["basic"])) is not None),
                     _USE_CELLS[0])
        for part in ("total", "basic", "project", "reserve"):
            if m.group(part) is not None:
                check(part, _short(m.group(0)), m.group(part), (cells[part],), m.span(part))
    # subjects first: their amounts are not also a total's
    for m in _BY_CODE.finditer(s):
        code = m.group("lei") + m.group("kuan") + m.group("xiang")
        refs = tuple(f"{t}:{code}.合计" for t in _FUNCTION_TABLES if code in v.table_rows(t))
        check(f"{code}", _short(m.group(0)), m.group("n"), refs or (f"预算05:{code}.合计",), m.span("n"))
        nxt = _ITEM.search(s, m.end())
        again = _AGAIN.search(s, m.end(), nxt.start() if nxt else len(s))
        if again:
            check(f"{code}", _short(again.group(0)), again.group("n"), refs or (f"预算05:{code}.合计",),
                  again.span("n"))
    for m in _BY_NAME.finditer(s):
        if not free(m):
            continue
        code = v.resolve_subject(None, m.group("kuan"), m.group("xiang"), tables=_FUNCTION_TABLES)
        if code is None:
            continue
        refs = tuple(f"{t}:{code}.合计" for t in _FUNCTION_TABLES if code in v.table_rows(t))
        check(code, _short(m.group(0)), m.group("n"), refs, m.span("n"))
    bare = [m for m in _BARE_CLASS.finditer(s) if m.group("lei") in FUNCTION_CLASS_BY_NAME]
    for m in [*_CLASS.finditer(s), *bare]:
        if not free(m):
            continue
        lei = function_class_of_name(m.group("lei"))
        line = next((r for r in v.table_rows("预算01") if function_class_of_name(r) == lei), None) if lei else None
        if line is None:
            continue
        check(f"{lei}", _short(m.group(0)), m.group("n"), (f"预算01:{line}.支出",), m.span("n"))
    for what, rx, refs in _COMPILED:
        for m in rx.finditer(s):
            if free(m):
                check(what, _short(m.group(0)), m.group("n"), refs, m.span("n"))
    for m in _PRIOR.finditer(s):
        printed = m.group("n") if m.group("n") else None
        executed = "执行数为" in m.group(0)  # last year's outturn, stated as a level: not a change
        value = _amount(re.sub(r"[万元%％]", "", printed)) if printed else (
            _amount(re.search(r"为(\d[\d,]*(?:\.\d+)?)万元", m.group(0)).group(1)) if executed else 0.0)
        if not executed and re.search("减少|下降", m.group(0)) and not re.search("增加（减少）|增长（减少）", m.group(0)):
            value = -value
        # the figure the sentence has just stated (`支出2340.35万元，与上年相比减少128.43万元`): the change is
        # of its cell, so mart_budget_prior_year can hold it to last year's budget once that is loaded
        subject = None if executed else next(
            (c for end, c in reversed(stated) if end <= m.start() and re.fullmatch(r"万元[，,]?", s[end:m.start()])), None)
        table, row, col = subject or (None, None, None)
        about = f" {table} {row}.{col}" if subject else ""
        builder.emit(family="narrative", rule="narrative.prior_year", inst=_short(m.group(0), 24), table_code=table,
                     row_key=row, column_key=col, lhs=value, rhs=None, n_terms=1, tolerance=0.01, kind="eq",
                     severity="warn", page=page, unit="%" if printed and printed[-1] in "%％" else "万元",
                     description=f"narrative «{_short(m.group(0))}» compares{about} with last year's budget",
                     lhs_desc="narrative", rhs_desc="last year's budget",
                     note="cannot check: last year's budget is not in the document"
                          + ("; mart_budget_prior_year compares it once that budget is loaded" if subject else ""))
