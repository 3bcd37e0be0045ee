"""The budget tables laid out as each template prints them (BUDGETS.md, "The tables").

Shanghai: 元 with 分, function codes split 类 | 款 | 项 and economic codes
类 | 款, 合计 printed last, the 三公 table in 万元; 单位预算 adds 人员经费 |
公用经费 | 项目支出 to 预算01. Jiangsu: 万元, one amount column, 合计 first,
labels 公开01表 / 公开表一 / none. Ministry: 万元, whole codes, 合计 first,
labels 表1…表9 or 公开01表…. Headers are merged over two or three rows as
the real documents print them.
"""

from __future__ import annotations

from . import catalogue as cat
from .budget_ledger import JIANGSU_INCOME_GROUPS, BudgetLedger
from .document import Cell, TableBlock

C = Cell
NUMERALS = cat.CHINESE_NUMERALS


def _L(text: str, **kw) -> Cell:
    return Cell(text, align="left", **kw)


def fmt_fen(value: int, unit: str, thousands: bool, decimals: str = "2") -> str:
    """分 printed in 元 or 万元; decimals '2' always two, '0' none (whole 元), 'trim' as Jiangsu (80, 3990.4)."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    scale = 100 if unit == "元" else 1_000_000
    whole, frac = divmod(value, scale)
    frac2 = frac * 100 // scale
    if frac * 100 % scale:
        raise ValueError(f"{value} 分 does not print in 0.01 {unit}")
    body = f"{whole:,}" if thousands else str(whole)
    if decimals == "0" and frac2 == 0:
        return sign + body
    text = f"{body}.{frac2:02d}"
    if decimals == "trim":
        text = text.rstrip("0").rstrip(".")
    return sign + text


class Figures:
    """Prints the cells of one table in its unit and the document's style."""

    def __init__(self, bl: BudgetLedger, table: str, style, unit: str):
        self.bl, self.table, self.style, self.unit = bl, table, style, unit

    def __call__(self, row: str, col: str) -> Cell:
        value = self.bl.get(self.table, row, col)
        if value == 0:
            text = self.style.zeros if self.unit == "元" else ("0" if self.style.zeros else "")
        else:
            decimals = self.style.decimals if self.unit == self.style.unit else "2"
            text = fmt_fen(value, self.unit, self.style.thousands, decimals)
        return Cell(text, align="right", key=(row, col) if text else None)


def _pad(rows: list[list[Cell]], n: int, width: int) -> list[list[Cell]]:
    return rows + [[_L("") if i % 2 == 0 else C("") for i in range(width)] for _ in range(n - len(rows))]


def _sides(left: list, right: list) -> list:
    height = max(len(left), len(right))
    lw, rw = len(left[0]) if left else 2, len(right[0]) if right else 2
    left, right = _pad(left, height, lw), _pad(right, height, rw)
    return [[*a, *b] for a, b in zip(left, right)]


def _classes(bl: BudgetLedger, all_categories: bool = False) -> list[tuple[str, str]]:
    live = set(bl.extra.get("classes", []))
    return [(c, n) for c, n in cat.CATEGORIES if all_categories or c in live]


# ---------------------------------------------------------------- 预算01


def t01(bl: BudgetLedger, fig: Figures, style) -> tuple[list, list, list[float], bool]:
    t = bl.template
    spend = [[_L(f"{NUMERALS[i]}、{name}"), fig(name, "支出")] for i, (_, name) in enumerate(_classes(bl, t == "jiangsu"))]
    if t == "shanghai":
        funds = ["一般公共预算", "政府性基金预算", "国有资本经营预算"]
        income = [[_L("一、财政拨款收入"), fig("财政拨款收入", "收入")]]
        income += [[_L(f"{i + 1}、{f}"), fig(f"财政拨款收入/{f}", "收入")] for i, f in enumerate(funds)]
        income += [[_L(f"{NUMERALS[i + 1]}、{r}"), fig(r, "收入")] for i, r in enumerate(["事业收入", "事业单位经营收入", "其他收入"])]
        if bl.kind == "单位":
            cols = ["人员经费", "公用经费", "项目支出"]
            spend = [[row[0], row[1], *[fig(name, c) for c in cols]]
                     for row, (_, name) in zip(spend, _classes(bl))]
            header = [
                [C("本年收入", 2), None, C("本年支出", 5), None, None, None, None],
                [C("项目", rowspan=3), C("预算数", rowspan=3), C("项目", rowspan=3), C("预算数", 4), None, None, None],
                [None, None, None, C("合计", rowspan=2), C("基本支出", 2), None, C("项目支出", rowspan=2)],
                [None, None, None, None, C("人员经费"), C("公用经费"), None],
            ]
            body = _sides(income, spend) + [[C("收入总计"), fig("收入总计", "收入"), C("支出总计"), fig("支出总计", "支出"),
                                               *[fig("支出总计", c) for c in cols]]]
            return header, body, [22, 15, 24, 15, 12, 12, 13], True
        header = [[C("本年收入", 2), None, C("本年支出", 2), None], [C("项目"), C("预算数"), C("项目"), C("预算数")]]
        body = _sides(income, spend) + [[C("收入总计"), fig("收入总计", "收入"), C("支出总计"), fig("支出总计", "支出")]]
        return header, body, [30, 18, 30, 18], False
    if t == "ministry":
        lines = [("财政拨款收入/一般公共预算", "一般公共预算拨款收入"), ("财政拨款收入/政府性基金预算", "政府性基金预算拨款收入"),
                 ("财政拨款收入/国有资本经营预算", "国有资本经营预算拨款收入"), ("事业收入", "事业收入"),
                 ("事业单位经营收入", "事业单位经营收入"), ("其他收入", "其他收入")]
        income = [[_L(f"{NUMERALS[i]}、{label}"), fig(key, "收入")] for i, (key, label) in enumerate(lines)]
        header = [[C("收入", 2), None, C("支出", 2), None], [C("项目"), C("预算数"), C("项目"), C("预算数")]]
        body = _sides(income, spend)
        body += [[C("本年收入合计"), fig("本年收入合计", "收入"), C("本年支出合计"), fig("本年支出合计", "支出")],
                 [_L("上年结转资金"), fig("上年结转资金", "收入"), _L("结转下年资金"), fig("结转下年资金", "支出")],
                 [C("收入总计"), fig("收入总计", "收入"), C("支出总计"), fig("支出总计", "支出")]]
        return header, body, [30, 18, 30, 18], False
    # Jiangsu: income | function categories | 支出用途, three pairs
    income = [[_L("一、财政拨款"), fig("财政拨款收入", "收入")],
              [_L(" 1.一般公共预算"), fig("财政拨款收入/一般公共预算", "收入")],
              [_L(" 2.政府性基金预算"), fig("财政拨款收入/政府性基金预算", "收入")],
              [_L("二、财政专户管理资金"), fig("财政专户管理资金", "收入")], [_L("三、其他资金"), fig("其他资金", "收入")]]
    use = [[_L(f"{NUMERALS[i]}、{r}"), fig(r, "支出")] for i, r in enumerate(["基本支出", "项目支出", "单位预留机动经费"])]
    height = max(len(income), len(spend), len(use))
    rows = []
    for a, b, c in zip(_pad(income, height, 2), _pad(spend, height, 2), _pad(use, height, 2)):
        rows.append([*a, *b, *c])
    blank = [_L(""), C("")]
    rows += [[C("当年收入小计"), fig("本年收入合计", "收入"), C("当年支出小计"), fig("本年支出合计", "支出"), *blank],
             [_L("上年结转资金"), fig("上年结转资金", "收入"), _L("结转下年资金"), fig("结转下年资金", "支出"), *blank],
             [C("收入合计"), fig("收入总计", "收入"), C("支出合计"), fig("支出总计", "支出"), *blank]]
    header = [[C("收入", 2), None, C("支出", 4), None, None, None],
              [C("项目名称", rowspan=2), C("金额", rowspan=2), C("功能分类", 2), None, C("支出用途", 2), None],
              [None, None, C("功能科目名称"), C("金额"), C("项目名称"), C("金额")]]
    return header, rows, [22, 12, 26, 12, 20, 12], True


# ---------------------------------------------------------------- function-subject tables


def _code_cells(code: str, split: bool) -> list[Cell]:
    if not split:
        return [_L(code)]
    parts = [code[:3], code[3:5], code[5:7]]
    return [_L(p) for p in parts]


def function_table(bl: BudgetLedger, fig: Figures, style, table: str, columns: list[tuple[str, str]],
                   group: str) -> tuple[list, list, list[float], bool]:
    """Rows by function code; `columns` (key, printed header); `group` the header over them."""
    split = style.split_codes
    k = 3 if split else 1
    n = len(columns)
    if split:
        header = [[C("项目", k + 1), *[None] * k, C(group, n), *[None] * (n - 1)],
                  [C("功能分类科目编码", 3), None, None, C("功能分类科目名称", rowspan=2),
                   *[C(h, rowspan=2) for _, h in columns]],
                  [C("类"), C("款"), C("项"), None, *[None] * n]]
    elif bl.template == "jiangsu":
        header = [[C("功能科目编码"), C("功能科目名称"), *[C(h) for _, h in columns]]]
    else:
        header = [[C("项目", 2), None, C(group, n), *[None] * (n - 1)],
                  [C("科目编码"), C("科目名称"), *[C(h) for _, h in columns]]]
    total = [C("合计", k + 1), *[None] * k, *[fig("合计", key) for key, _ in columns]]
    body = []
    for code in bl.rows.get(table, []):
        body.append([*_code_cells(code, split), _L(bl.name(code)), *[fig(code, key) for key, _ in columns]])
    if not body and bl.template == "shanghai":
        body = [[_L("无", colspan=k + 1), *[None] * k, *[C("") for _ in columns]]]
    body = body + [total] if style.total_last else [total] + body
    widths = ([5, 5, 5] if split else [12]) + [32] + [14] * n
    return header, body, widths, False


# ---------------------------------------------------------------- economic-subject tables


def economic_table(bl: BudgetLedger, fig: Figures, style, table: str, columns: list[tuple[str, str]],
                   group: str) -> tuple[list, list, list[float], bool]:
    split = style.split_codes
    k = 2 if split else 1
    n = len(columns)
    if split:
        header = [[C("项目", k + 1), *[None] * k, C(group, n), *[None] * (n - 1)],
                  [C("经济分类科目编码", 2), None, C("部门经济分类科目名称", rowspan=2), *[C(h, rowspan=2) for _, h in columns]],
                  [C("类"), C("款"), None, *[None] * n]]
    else:
        header = [[C("科目编码"), C("科目名称"), *[C(h) for _, h in columns]]]
    body = []
    for code in bl.rows.get(table, []):
        codes = [_L(code[:3]), _L(code[3:])] if split else [_L(code)]
        body.append([*codes, _L(cat.ECON_NAME[code]), *[fig(code, key) for key, _ in columns]])
    total = [C("合计", k + 1), *[None] * k, *[fig("合计", key) for key, _ in columns]]
    body = body + [total] if style.total_last else [total] + body
    return header, body, ([6, 6] if split else [12]) + [34] + [14] * n, False


# ---------------------------------------------------------------- the rest


def t02(bl, fig, style):
    t = bl.template
    if t == "jiangsu":
        body = [[C("收入总计", 2), None, fig("收入总计", "合计")]]
        for group, members in JIANGSU_INCOME_GROUPS.items():
            body.append([_L(group, rowspan=len(members) + 1), _L("小计"), fig(group, "合计")])
            for m in members:
                label = "其中：" + m if m == "动用上年结转和结余资金" else m
                body.append([None, _L(label), fig(m, "合计")])
        return [[C("项目名称", 2), None, C("金额")]], body, [24, 34, 18], False
    cols = [("合计", "合计"), ("财政拨款收入", "财政拨款收入"), ("事业收入", "事业收入"),
            ("事业单位经营收入", "事业单位经营收入" if t == "shanghai" else "经营收入"), ("其他收入", "其他收入")]
    if t == "ministry":
        cols += [("上级补助收入", "上级补助收入"), ("附属单位上缴收入", "附属单位上缴收入")]
    header, body, widths, _ = function_table(bl, fig, style, "预算02", cols, "收入预算")
    return header, body, widths, True


def t03(bl, fig, style):
    if bl.template == "jiangsu":
        cols = ["合计", "基本支出", "项目支出", "单位预留机动经费", "结转下年资金"]
        return [[C(c) for c in cols]], [[fig("合计", c) for c in cols]], [20, 14, 14, 16, 14], False
    return function_table(bl, fig, style, "预算03", [("合计", "合计"), ("基本支出", "基本支出"), ("项目支出", "项目支出")],
                          "支出预算")


def t04(bl, fig, style):
    t = bl.template
    if t == "jiangsu":
        income = [[_L("一、一般公共预算"), fig("一般公共预算", "收入")], [_L("二、政府性基金预算"), fig("政府性基金预算", "收入")]]
        use = [[_L(f"{NUMERALS[i]}、{r}"), fig(r, "合计")] for i, r in enumerate(["基本支出", "项目支出", "单位预留机动经费"])]
        body = _sides(income, use) + [[C("收入合计"), fig("收入总计", "收入"), C("支出合计"), fig("支出总计", "合计")]]
        header = [[C("收入", 2), None, C("支出", 2), None], [C("项目名称"), C("金额"), C("项目名称"), C("金额")]]
        return header, body, [30, 16, 30, 16], False
    funds = ["一般公共预算", "政府性基金预算", "国有资本经营预算"]
    cols = ["合计", *funds]
    label = {"一般公共预算": "一般公共预算", "政府性基金预算": "政府性基金预算", "国有资本经营预算": "国有资本经营预算"}
    if t == "ministry":
        label = {f: f"{f}拨款" for f in funds}
    income = [[_L(f"{NUMERALS[i]}、{label[f]}"), fig(f, "收入")] for i, f in enumerate(funds)]
    spend = [[_L(f"{NUMERALS[i]}、{name}"), *[fig(name, c) for c in cols]] for i, (_, name) in enumerate(_classes(bl))]
    body = _sides(income, spend)
    if t == "ministry":
        body += [[C("本年收入合计"), fig("本年收入合计", "收入"), C("本年支出合计"), *[fig("本年支出合计", c) for c in cols]],
                 [_L("上年结转资金"), fig("上年结转资金", "收入"), _L("结转下年资金"), *[fig("结转下年资金", c) for c in cols]]]
    body += [[C("收入总计"), fig("收入总计", "收入"), C("支出总计"), *[fig("支出总计", c) for c in cols]]]
    side = "财政拨款收入" if t == "shanghai" else "收入"
    header = [[C(side, 2), None, C("财政拨款支出" if t == "shanghai" else "支出", 5), None, None, None, None],
              [C("项目"), C("预算数"), C("项目"), *[C(c) for c in cols]]]
    return header, body, [22, 14, 24, 14, 14, 14, 14], True


def _fund_table(table: str, group: str):
    def build(bl, fig, style):
        cols = [("合计", "金额")] if bl.template == "jiangsu" else [("合计", "合计"), ("基本支出", "基本支出"),
                                                                     ("项目支出", "项目支出")]
        return function_table(bl, fig, style, table, cols, group)
    return build


def _econ(table: str, group: str, column: str = "金额"):
    def build(bl, fig, style):
        cols = [("合计", column)] if bl.template == "jiangsu" else [("合计", "合计"), ("人员经费", "人员经费"),
                                                                   ("公用经费", "公用经费")]
        return economic_table(bl, fig, style, table, cols, group)
    return build


def t09(bl, fig, style):
    r, t = "预算数", bl.template
    if t == "shanghai":
        header = [[C("“三公”经费预算数", 6), *[None] * 5, C("机关运行经费预算数", rowspan=3)],
                  [C("合计", rowspan=2), C("因公出国(境)费", rowspan=2), C("公务接待费", rowspan=2), C("公务用车购置及运行费", 3),
                   None, None, None],
                  [None, None, None, C("小计"), C("购置费"), C("运行费"), None]]
        keys = ["合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "机关运行经费"]
        return header, [[fig(r, k) for k in keys]], [12] * 7, False
    if t == "jiangsu":
        header = [[C("合计", rowspan=3), C("“三公”经费", 6), *[None] * 5, C("会议费", rowspan=3), C("培训费", rowspan=3)],
                  [None, C("小计", rowspan=2), C("因公出国（境）费", rowspan=2), C("公务用车购置及运行维护费", 3), None, None,
                   C("公务接待费", rowspan=2), None, None],
                  [None, None, None, C("小计"), C("公务用车购置费"), C("公务用车运行维护费"), None, None, None]]
        keys = ["总计", "合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费",
                "会议费", "培训费"]
        return header, [[fig(r, k) for k in keys]], [10] * 9, True
    header = [[C("合计", rowspan=2), C("因公出国（境）费", rowspan=2), C("公务用车购置及运行维护费", 3), None, None,
               C("公务接待费", rowspan=2)],
              [None, None, C("小计"), C("公务用车购置费"), C("公务用车运行维护费"), None]]
    keys = ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]
    return header, [[fig(r, k) for k in keys]], [12] * 6, False


def t13(bl, fig, style):
    """Jiangsu's procurement table: 大类 lines, 专项 × 经济科目 subtotals, item lines."""
    header = [[C(h) for h in ("采购品目大类", "专项名称", "经济科目", "采购物品名称", "采购组织形式", "总计")]]
    body = [[C("合计", 5), None, None, None, None, fig("合计", "合计")]]
    done = set()
    for key, cells in bl.procurement:
        big = key.split("/")[0]
        if big not in done:
            done.add(big)
            n = ("货物", "工程", "服务").index(big)
            body.append([_L(f"{NUMERALS[n]}、{big}{' ' if style.thousands else ''}{'ABC'[n]}", colspan=5),
                         None, None, None, None, fig(big, "合计")])
        if key.count("/") == 2:
            body.append([_L(""), _L(cells[0]), _L(cells[1]), _L(""), _L(""), fig(key, "合计")])
        else:
            body.append([_L(""), _L(""), _L(""), _L(cells[0]), _L(cells[1]), fig(key, "合计")])
    return header, body, [14, 22, 16, 26, 14, 12], True


BUILDERS = {
    "预算01": t01, "预算02": t02, "预算03": t03, "预算04": t04,
    "预算05": _fund_table("预算05", "一般公共预算支出"), "预算07": _fund_table("预算07", "政府性基金预算支出"),
    "预算08": _fund_table("预算08", "国有资本经营预算支出"), "预算10": _fund_table("预算10", "财政拨款支出"),
    "预算06": _econ("预算06", "一般公共预算基本支出"), "预算11": _econ("预算11", "财政拨款基本支出"),
    "预算12": _econ("预算12", "机关运行经费", "机关运行经费支出"), "预算09": t09, "预算13": t13,
}
EMPTY_CAPABLE = ("预算07", "预算08", "预算10", "预算13")
EMPTY_FUND = {"预算07": "政府性基金预算", "预算08": "国有资本经营预算"}


def build_table(code: str, bl: BudgetLedger, style, title: str, label: str, meta: list[str],
                unit: str | None = None) -> TableBlock:
    """Table `code` of `bl`; `unit` the unit its figures print in (default: its unit line's)."""
    unit_line = style.table_units.get(code, style.unit)
    fig = Figures(bl, code, style, unit or unit_line)
    header, body, widths, landscape = BUILDERS[code](bl, fig, style)
    empty = code in EMPTY_CAPABLE and not any(v for (t, _, _), v in bl.cells.items() if t == code)
    return TableBlock(code=code, title=title, label=label, meta=[*meta, f"单位：{unit_line}"], header=header,
                      body=body, widths=widths, landscape=(landscape and style.landscape_wide) or style.all_landscape,
                      note="", empty=empty,
                      empty_text=style.empty_text.format(year=bl.year, who=style.who, fund=EMPTY_FUND.get(code, "相关"))
                      if empty else "",
                      unit=unit_line, label_inline=False, rules=style.rules)

