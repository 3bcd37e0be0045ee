"""The ten tables laid out as the template prints them (headers, spans, 栏次, 行次)."""

from __future__ import annotations

import dataclasses

from . import catalogue as cat
from .document import NOTES, TITLES, Cell, Style, TableBlock
from .ledger import Ledger
from .money import fmt, fmt_yuan

C = Cell


def _L(text: str, **kw) -> Cell:
    return Cell(text, align="left", **kw)


class _Fig:
    """Prints the figures of one table in one unit and style."""

    def __init__(self, led: Ledger, table: str, style: Style, unit: str):
        self.led, self.table, self.style, self.unit = led, table, style, unit

    def text(self, value: int) -> str:
        if value == 0:
            return self.style.zeros
        return fmt_yuan(value, self.style.thousands) if self.unit == "元" else fmt(value, self.style.thousands)

    def __call__(self, row: str, col: str, show: bool = True) -> Cell:
        """The cell (row, col); `show=False` for a row the template prints without figures."""
        text = self.text(self.led.get(self.table, row, col)) if show else ""
        return Cell(text, align="right", key=(row, col) if text else None)

    def count(self, row: str, unit: str) -> Cell:
        n = self.led.get(self.table, row, "统计数")
        text = str(n) if n else ("0" if self.style.zeros else "")
        return Cell(text, align="right", key=(row, "统计数") if text else None, unit=unit)


FUNCTION_TABLES = ("公开02", "公开03", "公开05", "公开07", "公开08")


def _meta(led: Ledger, dept_label: str, unit_text: str | None) -> list[str]:
    return [f"{dept_label}：{led.department}", f"{led.year}年度", *([unit_text] if unit_text else [])]


def build_table(code: str, led: Ledger, style: Style, figure_unit: str | None = None) -> TableBlock:
    """Table `code` of `led`; figures print in `figure_unit` (default: the style's unit)."""
    if code in style.per_table:
        style = dataclasses.replace(style, **style.per_table[code])
    unit_line = style.table_units.get(code, style.unit)
    fig = _Fig(led, code, style, figure_unit or unit_line)
    header, body, widths, landscape = BUILDERS[code](led, fig, style)
    if not style.column_numbers:
        header = [row for row in header if not _is_column_number_row(row)]
    empty = led.is_empty(code)
    if empty and code in ("公开07", "公开08", "公开09"):
        # an empty table keeps its header and a blank 合计 row, never printed zeros
        body = [[Cell("合计", 2), None, *[Cell() for _ in widths[2:]]]] if code != "公开09" else []
    if code in FUNCTION_TABLES:
        if style.split_codes:
            header, body, widths = _split_code_columns(header, body, widths, style.split_codes)
        if style.narrow_names:
            name_col = 3 if style.split_codes else 1
            widths = [w * 0.45 if i == name_col else w for i, w in enumerate(widths)]
    title = style.titles.get(code, TITLES[code])
    if style.title_prefix:  # 晋城市财政局2024年度收入支出决算总表
        title = f"{led.department}{led.year}年度{title}"
    sheet = style.title_pos == "sheet"
    unit_text = None if code in style.cut_unit else f"{style.unit_words}{unit_line}"
    own_line = style.unit_pos == "own" and not sheet
    # (the 栏次 row, when printed, is the last header row; it is not drawn sharing a row with 合计)
    joins = (style.header_joins_total and code in FUNCTION_TABLES and style.rules == "grid" and bool(header)
             and not style.column_numbers)
    return TableBlock(
        code=code, title=title, label=f"{code}表",
        meta=_meta(led, "单位名称" if code == "公开10" else "部门名称", None if own_line else unit_text),
        header=header, body=body, widths=widths, landscape=landscape, note=NOTES[code],
        empty=empty, empty_text=style.empty_text if empty else "", unit=unit_line,
        label_inline=style.label_inline and not sheet, title_in_table=style.title_pos == "in_table",
        rules=style.rules, sheet_head=sheet, unit_line=(unit_text or "") if own_line else "",
        header_joins_body=joins, layout=table_layout(code, style, unit_line, joins),
    )


def table_layout(code: str, style: Style, unit: str, joins: bool) -> dict:
    """The layout dimensions one table is printed with (the truth's record of them)."""
    out = {
        "head": style.title_pos,
        "label": "in-frame" if style.title_pos == "sheet" else "inline" if style.label_inline else "own-line",
        "unit": unit,
        "unit_words": style.unit_words,
        "unit_pos": "meta" if style.title_pos == "sheet" else style.unit_pos,
        "rules": style.rules,
        "column_numbers": style.column_numbers,
        "title_prefix": style.title_prefix,
        "thousands": style.thousands,
        "zeros": style.zeros or "blank",
    }
    if code in ("公开01", "公开04", "公开10"):
        out["row_numbers"] = style.row_numbers
    if code in FUNCTION_TABLES:
        out.update(split_codes=style.split_codes or "one-cell", header_joins_total=joins,
                   narrow_names=style.narrow_names)
    if code == "公开06":
        out.update(econ_groups=style.econ_groups, econ_split=style.econ_split or "one-cell",
                   narrow_names=style.narrow_names)
    if code == "公开09":
        out.update(sangong=style.sangong, reception_first=style.reception_first)
    if code in style.cut_unit:
        out["unit_line"] = "cut"
    return out


def _is_column_number_row(row: list) -> bool:
    texts = [c.text for c in row if c is not None and c.text]
    return bool(texts) and (texts[0] == "栏次" or all(t.isdigit() for t in texts))


def _code_parts(code: str, mode: str) -> list[Cell]:
    """A function code over 类/款/项 columns: every part (`210 11 01`) or the row's own part (`01`)."""
    parts = [code[:3], code[3:5], code[5:7]]
    own = len(code) // 2 - 1  # 3 -> 0, 5 -> 1, 7 -> 2
    return [_L(part if (mode == "full" and i <= own) or i == own else "") for i, part in enumerate(parts)]


def _split_code_columns(header: list, body: list, widths: list, mode: str) -> tuple[list, list, list]:
    """Turn the 科目代码 column of a function table into 类 | 款 | 项 under a 科目编码 header.

    The template's header rows are 项目 / 科目代码 科目名称 / 栏次; a row 类 款 项 is
    inserted under 科目编码, and every header cell that reached down to the second row
    now reaches one row further."""
    n = len(widths)
    top, second, *rest = header
    top = [Cell(top[0].text, 4), None, None, None, *top[2:]]
    for c in range(2, n):
        if top[c + 2] is not None and top[c + 2].rowspan == 2:
            top[c + 2] = Cell(top[c + 2].text, top[c + 2].colspan, 3)
    lower = [Cell("科目编码", 3), None, None, Cell("科目名称", rowspan=2)]
    for cell in second[2:]:
        lower.append(Cell(cell.text, cell.colspan, cell.rowspan + 1) if cell is not None else None)
    codes = [C("类"), C("款"), C("项"), None, *[None] * (n - 2)]
    new_rest = []
    for row in rest:  # 栏次
        new_rest.append([Cell(row[0].text, 4), None, None, None, *row[2:]])
    out_body = []
    for row in body:
        if row[0] is not None and row[0].colspan == 2:  # 合计 over the label columns
            out_body.append([Cell(row[0].text, 4), None, None, None, *row[2:]])
        else:
            out_body.append([*_code_parts(row[0].text, mode), row[1], *row[2:]])
    code_w = widths[0] / 2.2
    return [top, lower, codes, *new_rest], out_body, [code_w, code_w, code_w, *widths[1:]]


def _two_sided(left: list, right: list, start_left: int, start_right: int, rn: bool) -> list:
    """Zip an income column and an expenditure column into rows, with 行次 numbers."""
    rows = []
    for i, (lcells, rcells) in enumerate(zip(left, right)):
        lno = [C(str(start_left + i))] if rn else []
        rno = [C(str(start_right + i))] if rn else []
        rows.append([lcells[0], *lno, *lcells[1:], rcells[0], *rno, *rcells[1:]])
    return rows


def _t01(led, fig, style):
    rn = style.row_numbers
    income = [[_L(f"{cat.CHINESE_NUMERALS[i]}、{name}"), fig(name, "收入")]
              for i, (name, _) in enumerate(cat.INCOME_LINES)]
    income += [[_L(""), C("")] for _ in range(18)]
    income += [[_L("本年收入合计"), fig("本年收入合计", "收入")],
               [_L("使用非财政拨款结余（含专用结余）"), fig("使用非财政拨款结余（含专用结余）", "收入")],
               [_L("年初结转和结余"), fig("年初结转和结余", "收入")], [_L(""), C("")],
               [_L("总计"), fig("总计", "收入")]]
    spend = [[_L(f"{cat.CHINESE_NUMERALS[i]}、{name}"), fig(name, "支出")] for i, (_, name) in enumerate(cat.CATEGORIES)]
    spend += [[_L("本年支出合计"), fig("本年支出合计", "支出")], [_L("结余分配"), fig("结余分配", "支出")],
              [_L("年末结转和结余"), fig("年末结转和结余", "支出")], [_L(""), C("")], [_L("总计"), fig("总计", "支出")]]
    k = 3 if rn else 2
    header = [
        [C("收入", colspan=k), *[None] * (k - 1), C("支出", colspan=k), *[None] * (k - 1)],
        [C("项目"), *([C("行次")] if rn else []), C("金额"), C("项目"), *([C("行次")] if rn else []), C("金额")],
        [C("栏次"), *([C("")] if rn else []), C("1"), C("栏次"), *([C("")] if rn else []), C("2")],
    ]
    widths = [30, 5, 12, 30, 5, 12] if rn else [32, 14, 32, 14]
    if style.narrow_names:
        widths = [16 if w >= 30 else w for w in widths]
    return header, _two_sided(income, spend, 1, 32, rn), widths, False


def _function_rows(led, fig, table, columns, show=None):
    body = [[C("合计", colspan=2), None, *[fig("合计", c) for c in columns]]]
    for code in led.rows.get(table, []):
        body.append([_L(code), _L(led.name(code)), *[fig(code, c) for c in columns]])
    return body


def _function_header(top: list[Cell], second: list[Cell], n: int) -> list:
    return [
        [C("项目", colspan=2), None, *top],
        [C("科目代码"), C("科目名称"), *second],
        [C("栏次", colspan=2), None, *[C(str(i + 1)) for i in range(n)]],
    ]


def _t02(led, fig, style):
    cols = cat.INCOME_COLUMNS
    header = _function_header([C(c, rowspan=2) for c in cols], [None] * len(cols), len(cols))
    return header, _function_rows(led, fig, "公开02", cols), [9, 24] + [9] * len(cols), True


def _t03(led, fig, style):
    cols = cat.SPEND_COLUMNS
    header = _function_header([C(c, rowspan=2) for c in cols], [None] * len(cols), len(cols))
    return header, _function_rows(led, fig, "公开03", cols), [9, 26] + [10] * len(cols), False


def _t04(led, fig, style):
    rn = style.row_numbers
    funds = cat.FUNDS
    income = [[_L(f"{cat.CHINESE_NUMERALS[i]}、{f}"), fig(f, "收入")] for i, f in enumerate(funds)]
    income += [[_L(""), C("")] for _ in range(23)]
    income += [[_L("本年收入合计"), fig("本年收入合计", "收入")],
               [_L("年初财政拨款结转和结余"), fig("年初财政拨款结转和结余", "收入")]]
    income += [[_L(f), fig(f"年初财政拨款结转和结余/{f}", "收入")] for f in funds]
    income += [[_L("总计"), fig("总计", "收入")]]
    cols = ["合计", *funds]
    spend = [[_L(f"{cat.CHINESE_NUMERALS[i]}、{name}"), *[fig(name, c) for c in cols]]
             for i, (_, name) in enumerate(cat.CATEGORIES)]
    spend += [[_L("本年支出合计"), *[fig("本年支出合计", c) for c in cols]],
              [_L("年末财政拨款结转和结余"), *[fig("年末财政拨款结转和结余", c) for c in cols]]]
    spend += [[_L(""), *[C("") for _ in cols]] for _ in range(3)]
    spend += [[_L("总计"), *[fig("总计", c) for c in cols]]]
    k = 3 if rn else 2
    no = [C("行次")] if rn else []
    blank = [C("")] if rn else []
    header = [
        [C("收入", colspan=k), *[None] * (k - 1), C("支出", colspan=k + 3), *[None] * (k + 2)],
        [C("项目"), *no, C("金额"), C("项目"), *no, *[C(c) for c in cols]],
        [C("栏次"), *blank, C("1"), C("栏次"), *blank, *[C(str(i + 2)) for i in range(4)]],
    ]
    widths = ([22, 4, 9, 24, 4, 9, 10, 10, 10] if rn else [24, 10, 26, 10, 10, 10, 10])
    if style.narrow_names:
        widths = [12 if w >= 22 else w for w in widths]
    return header, _two_sided(income, spend, 1, 33, rn), widths, True


def _t05(led, fig, style, table="公开05", first="小计"):
    cols = [first, "基本支出", "项目支出"]
    header = [
        [C("项目", colspan=2), None, C("本年支出", colspan=3), None, None],
        [C("科目代码"), C("科目名称"), *[C(c) for c in cols]],
        [C("栏次", colspan=2), None, C("1"), C("2"), C("3")],
    ]
    return header, _function_rows(led, fig, table, cols), [12, 40, 16, 16, 16], False


def _econ_groups(n: int) -> list[list[tuple]]:
    """The economic subjects in `n` printed groups: 人员经费 first, 公用经费 spread over the rest."""
    if n == 4:
        return cat.ECON_GROUPS
    personnel, public = cat.ECON_GROUPS[0], [e for g in cat.ECON_GROUPS[1:] for e in g]
    size = -(-len(public) // (n - 1))
    return [personnel] + [public[i:i + size] for i in range(0, len(public), size)]


def _t06(led, fig, style):
    groups = _econ_groups(style.econ_groups)
    n = len(groups)
    split = style.econ_split
    k = 4 if split else 3  # columns a group: (类 款 |科目代码) 科目名称 决算数
    height = max(len(g) for g in groups)
    body = []
    for i in range(height):
        row = []
        for group in groups:
            if i < len(group):
                code, name = group[i][0], group[i][1]
                na = cat.ECON_NOT_APPLICABLE.get(code)
                if split:
                    lei, kuan = code[:3], code[3:]
                    codes = [_L(lei if split == "full" or not kuan else ""), _L(kuan)]
                else:
                    codes = [_L(code)]
                row += [*codes, _L(name), C(na) if na else fig(code, "决算数")]
            else:
                row += [C("") for _ in range(k)]
        body.append(row)
    body.append([C("人员经费合计", colspan=k - 1), *[None] * (k - 2), fig("人员经费合计", "决算数"),
                 C("公用经费合计", colspan=k * (n - 1) - 1), *[None] * (k * (n - 1) - 2),
                 fig("公用经费合计", "决算数")])
    if split:
        group_head = [C("科目编码", colspan=2), None, C("科目名称", rowspan=2), C("决算数", rowspan=2)]
        header = [
            [C("人员经费", colspan=k), *[None] * (k - 1), C("公用经费", colspan=k * (n - 1)), *[None] * (k * (n - 1) - 1)],
            group_head * n,
            [C("类"), C("款"), None, None] * n,
        ]
        group_w = [3.5, 3.5, 15, 7]
    else:
        header = [
            [C("人员经费", colspan=3), None, None, C("公用经费", colspan=3 * (n - 1)), *[None] * (3 * (n - 1) - 1)],
            [C("科目代码"), C("科目名称"), C("决算数")] * n,
        ]
        group_w = [6, 15, 7]
    if style.narrow_names:
        group_w = [w * 0.5 if w == 15 else w for w in group_w]
    # copies: a row list repeated with * shares its Cell objects, which renderers may not mind but truth does
    header = [[Cell(c.text, c.colspan, c.rowspan) if c else None for c in row] for row in header]
    return header, body, group_w * n, n > 2


def _t07(led, fig, style):
    cols = cat.GF_COLUMNS
    header = [
        [C("项目", colspan=2), None, C("年初结转和结余", rowspan=2), C("本年收入", rowspan=2),
         C("本年支出", colspan=3), None, None, C("年末结转和结余", rowspan=2)],
        [C("科目代码"), C("科目名称"), None, None, C("小计"), C("基本支出"), C("项目支出"), None],
        [C("栏次", colspan=2), None, *[C(str(i + 1)) for i in range(6)]],
    ]
    return header, _function_rows(led, fig, "公开07", cols), [9, 28, 10, 10, 10, 10, 10, 10], True


def _t08(led, fig, style):
    return _t05(led, fig, style, "公开08", "合计")


def _t09(led, fig, style):
    car = ["公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费"]
    items = ["合计", "因公出国（境）费", *car, "公务接待费"]
    if style.reception_first:
        items = ["合计", "因公出国（境）费", "公务接待费", *car]
    sub = {"公务用车购置及运行维护费": "小计", "公务用车购置费": "公务用车购置费", "公务用车运行维护费": "公务用车运行维护费"}
    if style.sangong == "turned":
        # 预算数 and 决算数 are the rows, the items the columns
        short = {"公务用车购置及运行维护费": "小计", "公务用车购置费": "购置费", "公务用车运行维护费": "运行维护费"}
        top, low = [C("项目", rowspan=2)], [None]
        for item in items:
            if item == car[0]:
                top += [C(item, colspan=3), None, None]
                low += [C(short[c]) for c in car]
            elif item not in car:
                top.append(C(item, rowspan=2))
                low.append(None)
        header = [top, low, [C("栏次"), *[C(str(i + 1)) for i in range(len(items))]]]
        body = [[_L(kind), *[fig(kind, item) for item in items]] for kind in ("预算数", "决算数")]
        return header, body, [14] + [10] * len(items), False
    if style.sangong == "pairs":
        # Shanghai: each item spans a 预算数 and a 决算数 column
        top, mid = [], []
        for item in items:
            if item == car[0]:
                top += [C(item, colspan=6), *[None] * 5]
                for c in car:
                    mid += [C(sub[c], colspan=2), None]
            elif item in car:
                continue
            else:
                top += [C(item, colspan=2, rowspan=2), None]
                mid += [None, None]
        header = [top, mid, [C(k) for _ in items for k in ("预算数", "决算数")],
                  [C(str(i + 1)) for i in range(12)]]
        body = [[fig(kind, item) for item in items for kind in ("预算数", "决算数")]]
        return header, body, [8] * 12, True
    half, low = [], []
    for item in items:
        if item == car[0]:
            half += [C(item, colspan=3), None, None]
            low += [C(sub[c]) for c in car]
        elif item in car:
            continue
        else:
            half.append(C(item, rowspan=2))
            low.append(None)
    header = [
        [C("预算数", colspan=6), *[None] * 5, C("决算数", colspan=6), *[None] * 5],
        half + [Cell(c.text, c.colspan, c.rowspan) if c else None for c in half],
        low + [Cell(c.text, c.colspan, c.rowspan) if c else None for c in low],
        [C(str(i + 1)) for i in range(12)],
    ]
    body = [[fig(r, c) for r in ("预算数", "决算数") for c in items]]
    return header, body, [8] * 12, True


def _t10(led, fig, style):
    rn = style.row_numbers

    def line(label, key, no, count_unit=None):
        value = fig.count(key, count_unit) if count_unit else fig(key, "统计数")
        return [_L(label), *([C(str(no))] if rn else []), value]

    k = 3 if rn else 2
    section = lambda text: [_L(text, colspan=k), *[None] * (k - 1)]
    head = lambda: [C("项目"), *([C("行次")] if rn else []), C("统计数")]
    body = [section("一、政府采购情况"), head()]
    for i, name in enumerate(["合计", "货物", "工程", "服务"]):
        body.append(line(name, f"政府采购/{name}", i + 1))
    body += [section("二、机关运行经费"), [C("项目"), *([C("")] if rn else []), C("统计数")],
             line("（一）行政单位", "机关运行经费/行政单位", 5),
             line("（二）参照公务员法管理事业单位", "机关运行经费/参照公务员法管理事业单位", 6),
             section("三、国有资产占用情况"), line("（一）车辆数合计（辆）", "车辆数合计", 7, "辆")]
    for i, name in enumerate(cat.VEHICLE_LINES):
        body.append(line(f"{i + 1}. {name}", name, 8 + i, "辆"))
    body.append(line(f"（二）{cat.EQUIPMENT_KEY}", cat.EQUIPMENT_KEY, 17, "台（套）"))
    widths = [50, 10, 20] if rn else [55, 25]
    if style.narrow_names:
        widths = [22 if w >= 50 else w for w in widths]
    return [], body, widths, False


BUILDERS = {"公开01": _t01, "公开02": _t02, "公开03": _t03, "公开04": _t04, "公开05": _t05,
            "公开06": _t06, "公开07": _t07, "公开08": _t08, "公开09": _t09, "公开10": _t10}


def appendix_table(led: Ledger) -> list:
    """A 项目支出绩效自评表: printed like the reference's appendices, not a standard table."""
    items = [c for c in led.rows.get("公开05", []) if len(c) == 7 and led.get("公开05", c, "项目支出")]
    code = max(items, key=lambda c: led.get("公开05", c, "项目支出")) if items else None
    amount = led.get("公开05", code, "项目支出") if code else 0
    name = f"{led.name(code)}项目" if code else "无项目"
    a = fmt(amount)
    rows = [
        [_L("项目名称", colspan=2), None, _L(name, colspan=6), *[None] * 5],
        [_L("主管部门", colspan=2), None, _L(led.department, colspan=6), *[None] * 5],
        [C("年度资金（万元）", colspan=2), None, C("年初预算数"), C("全年预算数"), C("全年执行数"), C("分值"),
         C("执行率"), C("得分")],
        [C("资金总额", colspan=2), None, C(a), C(a), C(a), C("10"), C("100%" if amount else "—"), C("10")],
        [C("一级指标"), C("二级指标"), C("三级指标", colspan=2), None, C("年度指标值"), C("实际完成值"),
         C("分值"), C("得分")],
        [C("产出指标"), C("数量指标"), _L("完成项目任务", colspan=2), None, C("≥95%"), C("100%"), C("50"), C("50")],
        [C("效益指标"), C("社会效益"), _L("保障工作正常开展", colspan=2), None, C("保障"), C("达成预期指标"),
         C("30"), C("30")],
        [C("满意度指标"), C("服务对象满意度"), _L("服务对象满意度", colspan=2), None, C("≥90%"), C("≥95%"),
         C("10"), C("10")],
        [C("总 分", colspan=6), *[None] * 5, C("100"), C("优")],
    ]
    return [TableBlock(code=None, title=f"{name}支出绩效自评表", label="", meta=[f"（{led.year}年度）"],
                       header=[], body=rows, widths=[12, 12, 14, 10, 12, 12, 8, 8],
                       note="备注：“全年执行数”是指项目实际执行数；“执行率”是指执行数与“全年预算数”之比。")]
