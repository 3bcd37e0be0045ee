"""The printed document, independent of the tool that renders it.

A Document is a flat list of blocks (cover, contents, headings, paragraphs,
tables, page breaks). Every renderer draws the same blocks, and the truth
file is read off the same blocks, so the truth is what is printed even when
a variant falsified a figure.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from . import narrative as narr
from .catalogue import CHINESE_NUMERALS
from .ledger import Ledger

TABLE_CODES = [f"公开{n:02d}" for n in range(1, 11)]
TITLES = {
    "公开01": "收入支出决算总表",
    "公开02": "收入决算表",
    "公开03": "支出决算表",
    "公开04": "财政拨款收入支出决算总表",
    "公开05": "一般公共预算财政拨款支出决算表",
    "公开06": "一般公共预算财政拨款基本支出决算明细表",
    "公开07": "政府性基金预算财政拨款收入支出决算表",
    "公开08": "国有资本经营预算财政拨款支出决算表",
    "公开09": "财政拨款“三公”经费支出决算表",
    "公开10": "部门决算公开相关信息统计表",
}
NOTES = {
    "公开01": "注：本表反映部门本年度的总收支和年末结转结余情况。本套报表金额单位转换时可能存在尾数误差。",
    "公开02": "注：本表反映部门本年度取得的各项收入情况。",
    "公开03": "注：本表反映部门本年度各项支出情况。",
    "公开04": "注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和年末结转结余情况。",
    "公开05": "注：本表反映部门本年度一般公共预算财政拨款支出情况。",
    "公开06": "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
    "公开07": "注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
    "公开08": "注：本表反映部门本年度国有资本经营预算财政拨款支出情况。",
    "公开09": "注：本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，反映按规定程序调整后的预算数；决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。",
    "公开10": "注：本表反映部门本年度政府采购、机关运行经费和国有资产占用情况。",
}
NARRATIVE_TOC = [
    "一、收入支出决算总体情况说明", "二、收入决算情况说明", "三、支出决算情况说明",
    "四、财政拨款收支决算总体情况说明", "五、一般公共预算财政拨款支出决算情况说明",
    "六、一般公共预算财政拨款基本支出决算情况说明", "七、政府性基金预算财政拨款收支决算情况说明",
    "八、国有资本经营预算财政拨款支出决算情况说明", "九、财政拨款“三公”经费支出决算情况说明",
    "十、其他重要事项情况说明",
]
GLOSSARY = [
    "财政拨款收入：指单位从同级财政部门取得的财政预算资金。",
    "事业收入：指事业单位开展专业业务活动及辅助活动取得的收入。",
    "经营收入：指事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动取得的收入。",
    "其他收入：指单位取得的除上述收入以外的各项收入。主要是事业单位固定资产出租收入、存款利息收入等。",
    "使用非财政拨款结余（含专用结余）：指单位按照预算管理要求使用非财政拨款结余弥补收支差额的金额，以及使用专用结余安排支出的金额。",
    "年初结转和结余：指单位以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金，或项目已完成等产生的结余资金。",
    "结余分配：指事业单位按照会计制度规定缴纳的所得税、提取的专用结余以及转入非财政拨款结余的金额等。",
    "年末结转和结余：指单位按有关规定结转到下年或以后年度继续使用的资金，或项目已完成等产生的结余资金。",
    "基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用经费支出。",
    "项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
    "“三公”经费：指各级部门、单位用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费支出。其中，因公出国（境）费反映单位公务出国（境）的国际旅费、国外城市间交通费、住宿费、伙食费、培训费、公杂费等支出；公务用车购置费反映公务用车车辆购置支出（含车辆购置税、牌照费）；公务用车运行维护费反映单位按规定保留的公务用车燃料费、维修费、过路过桥费、保险费、安全奖励费用等支出；公务接待费反映单位按规定开支的各类公务接待（含外宾接待）费用。",
    "机关运行经费：指行政单位和参照公务员法管理的事业单位财政拨款基本支出中的公用经费支出。",
]


@dataclass
class Style:
    """How one bureau prints its tables; varied per document so parsers meet real variety."""

    thousands: bool = False  # 2,195.66 in table cells
    zeros: str = ""  # a zero cell prints blank or '0.00'
    row_numbers: bool = True  # 行次 columns in 公开01/04/10
    repeat_header: bool = True  # header rows again on a continuation page
    label_inline: bool = False  # '公开0N表' on the 部门名称 line
    empty_text: str = "说明：本表无数据"
    unit: str = "万元"  # the unit every table prints in
    titles: dict[str, str] = field(default_factory=dict)  # printed-title quirks
    font_size: float = 8.0
    # Layout variants seen in real documents (TABLES.md "What varies"); the defaults are the
    # reference document's layout. `layouts.LAYOUTS` names useful combinations.
    rules: str = "grid"  # grid: every cell ruled | three-line: 三线表, top, header and bottom rules only
    landscape: str = "page"  # wide tables on: page (a landscape MediaBox) | rotate (/Rotate 90 on a portrait one)
    table_units: dict[str, str] = field(default_factory=dict)  # a table printed in another unit (its unit line too)
    split_codes: str = ""  # 公开02/03/05/07/08 codes over 类/款/项 columns: "" one cell | full `210 11 01` | own `01`
    econ_split: str = ""  # 公开06 codes over 类/款 columns: "" | full `301 01` | own `01`
    econ_groups: int = 4  # 公开06 printed as 2, 3 or 4 side-by-side groups
    # 公开09: blocks (预算数 block, then 决算数) | pairs (预算数/决算数 under each item) |
    # turned (预算数 and 决算数 as two rows, the items as columns)
    sangong: str = "blocks"
    reception_first: bool = False  # 公开09 prints 公务接待费 before 公务用车
    # above the table | in_table: title and meta line as merged first rows | sheet: a spreadsheet's
    # head inside the ruled frame (title row, 公开0N表 row, 部门名称 / 年度 / 单位 row in cells of their own)
    title_pos: str = "above"
    title_prefix: bool = False  # department name and year before the title
    narrow_names: bool = False  # name/label columns narrow enough that long names wrap
    column_numbers: bool = True  # the 栏次 row (1 2 3 …) under the header
    unit_words: str = "金额单位："  # how the unit line begins: 金额单位： | 单位： | 单位: …
    unit_pos: str = "meta"  # the unit on the 部门名称 line (meta) | on a line of its own above the table (own)
    # function tables: the last header row has no rule under it and shares its ruled row with 合计
    header_joins_total: bool = False
    cut_unit: tuple = ()  # tables printed with no unit line at all (a damaged page, for tests)
    # Style fields overridden for one table: {table_code: {field: value}} (a bureau's tables
    # come from different templates and tools, so a layout can change from table to table)
    per_table: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def random(cls, seed) -> Style:
        rng = random.Random(f"style/{seed}")
        return cls(
            thousands=rng.random() < 0.3,
            zeros="0.00" if rng.random() < 0.2 else "",
            row_numbers=rng.random() < 0.85,
            repeat_header=rng.random() < 0.6,
            label_inline=rng.random() < 0.3,
            empty_text=rng.choice(["说明：本表无数据", "本表无数据", "说明：本表无数据。"]),
            unit="元" if rng.random() < 0.1 else "万元",
            font_size=rng.choice([7.5, 8.0, 8.5]),
        )


@dataclass
class Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    align: str = "center"  # left | center | right
    key: tuple[str, str] | None = None  # (row_key, column_key) when the cell is a figure
    unit: str = "元"  # 元 for money, else the count's unit


Row = list  # of Cell, or None where a span covers the position


@dataclass
class TableBlock:
    code: str | None  # None for non-standard tables (appendix)
    title: str
    label: str  # '公开01表'
    meta: list[str]  # 部门名称：…, 2024年度, 金额单位：万元
    header: list[Row]
    body: list[Row]
    widths: list[float]
    landscape: bool = False
    note: str = ""
    empty: bool = False
    empty_text: str = ""
    unit: str = "万元"  # the unit the table's unit line states
    label_inline: bool = False
    title_in_table: bool = False  # title and meta line printed as the table's first (merged) rows
    rules: str = "grid"  # grid | three-line
    sheet_head: bool = False  # title, label and meta rows inside the frame, meta items in cells of their own
    unit_line: str = ""  # the unit printed on a line of its own above the table ("" when in the meta line)
    header_joins_body: bool = False  # no rule between the last header row and the first body row
    layout: dict = field(default_factory=dict)  # the layout dimensions this table was drawn with (truth)

    @property
    def head_rows(self) -> int:
        """Rows printed inside the frame above the header (title, label, meta)."""
        return 3 if self.sheet_head else 2 if self.title_in_table else 0

    def sheet_meta(self) -> list[tuple[str, int]]:
        """The meta items of a sheet head, each with the columns it spans: the first left,
        the last right, as a spreadsheet user types them into cells."""
        items = list(self.meta)
        if len(items) > self.ncols:
            items = [items[0], "  ".join(items[1:])] if self.ncols > 1 else ["  ".join(items)]
        base, extra = divmod(self.ncols, len(items))
        spans = [base + (1 if i < extra else 0) for i in range(len(items))]
        return list(zip(items, spans))

    @property
    def ncols(self) -> int:
        return len(self.widths)


@dataclass
class Heading:
    text: str
    level: int = 1  # 0 cover title, 1 part, 2 section, 3 sub-section
    page_break: bool = False
    mark: str = ""  # 'narrative': the heading after the last table (where the tables' pages end)


@dataclass
class Para:
    text: str
    figures: list = field(default_factory=list)  # narrative Figs printed in this paragraph
    indent: bool = True
    centered: bool = False


@dataclass
class Toc:
    entries: list[tuple[str, int]]  # (text, level)


@dataclass
class Cover:
    department: str
    title: str
    date: str


@dataclass
class PageBreak:
    landscape: bool = False


@dataclass
class Document:
    ledger: Ledger
    style: Style
    blocks: list
    sections: list  # narrative Sections (for the truth file)
    seeded_errors: list = field(default_factory=list)
    absent: set = field(default_factory=set)
    report_kind: str = "final"  # final | budget
    codes: list = field(default_factory=lambda: list(TABLE_CODES))  # the template's table codes, printed order
    tables_end: str = "第三部分 情况说明"  # the heading after the last table
    extra_truth: dict = field(default_factory=dict)  # further truth-file keys (a budget's template, execution)

    @property
    def tables(self) -> list[TableBlock]:
        return [b for b in self.blocks if isinstance(b, TableBlock) and b.code]


def build_document(led: Ledger, style: Style | None = None, printed: Ledger | None = None,
                   sections: list | None = None, table_units: dict[str, str] | None = None,
                   absent: set[str] | None = None) -> Document:
    """Lay out the whole disclosure.

    `printed` is the ledger whose table figures are printed (a variant's
    falsified copy; by default `led`), `sections` a narrative to print instead
    of the one built from `led`, `table_units` the unit a table's figures are
    printed in when it differs from its unit line (the 元-in-万元 error).
    """
    from .tables import build_table

    style = style or Style()
    printed = printed or led
    absent = set(led.absent) if absent is None else absent
    sections = sections if sections is not None else narr.build(led)
    y, dept = led.year, led.department
    blocks: list = [Cover(dept, f"{y}年度部门决算公开", f"{y + 1}年8月")]

    present = [c for c in TABLE_CODES if c not in absent]
    toc = [("第一部分 概况", 1), ("一、本部门（单位）职责", 2), ("二、机构设置情况", 2),
           (f"第二部分 {y}年部门决算表", 1)]
    toc += [(f"{CHINESE_NUMERALS[i]}、{TITLES[c]}", 2) for i, c in enumerate(present)]
    toc += [("第三部分 情况说明", 1)] + [(t, 2) for t in NARRATIVE_TOC]
    toc += [("第四部分 名词解释", 1), ("第五部分 附件", 1)]
    blocks += [PageBreak(), Heading("目 录", 0), Toc(toc)]

    f = led.facts
    blocks += [PageBreak(), Heading("第一部分 概况", 1), Heading("一、本部门（单位）职责", 2)]
    if f.duties_intro:
        blocks.append(Para(f.duties_intro))
    blocks += [Para(f"（{CHINESE_NUMERALS[i]}）{d}") for i, d in enumerate(f.duties)]
    blocks += [Heading("二、机构设置情况", 2), Para(f.institutions)]
    for i, code in enumerate(present):
        table = build_table(code, printed, style, figure_unit=(table_units or {}).get(code))
        blocks.append(PageBreak(landscape=table.landscape))
        if i == 0:  # the part title shares the page with the first table, as in the reference
            blocks.append(Heading(f"第二部分 {y}年部门决算表", 1))
        blocks.append(table)
    blocks += [PageBreak(), Heading("第三部分 情况说明", 1)]
    for sec in sections:
        blocks.append(Heading(sec.heading, 2))
        for p in sec.paragraphs:
            if p.style == "subheading":
                blocks.append(Heading(p.text, 3))
            else:
                blocks.append(Para(p.text, p.figures))
    blocks += [PageBreak(), Heading("第四部分 名词解释", 1)]
    blocks += [Para(f"{CHINESE_NUMERALS[i]}、{g}") for i, g in enumerate(GLOSSARY)]
    blocks.append(Para("上述名词解释已涵盖本部门决算科目支出。"))
    blocks += [PageBreak(), Heading("第五部分 附件", 1)]
    from .tables import appendix_table

    blocks += appendix_table(led)
    return Document(led, style, blocks, sections, absent=absent)
