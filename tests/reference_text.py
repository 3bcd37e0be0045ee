"""Expected figures read straight from the reference disclosure's text.

An independent reading of tests/fixtures/reference/ (a copy of the published
disclosure's text, public like the real PDFs): the text file's tables are
tab-separated, so each table's rows are split on tabs and keyed by TABLES.md,
without any of the pipeline's code. Money is returned in 元 (万元 × 10000).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

REFERENCE = Path(__file__).parent / "fixtures" / "reference" / "jincheng-kejiju-2024-final-accounts.txt"

_TITLES = {
    "收入支出决算总表": "公开01",
    "收入决算表": "公开02",
    "支出決算表": "公开03",
    "财政拨款收入支出决算总表": "公开04",
    "一般公共预算财政拨款支出决算表": "公开05",
    "一般公共预算财政拨款基本支出决算明细表": "公开06",
    "国有资本经营预算财政拨款支出决算表": "公开08",
    "财政拨款“三公”经费支出决算表": "公开09",
    "部门决算公开相关信息统计表": "公开10",
}
_ENUM = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+\.\s*)")


def _key(label: str) -> str:
    label = _ENUM.sub("", label.strip()).replace(" ", "")
    return label.replace("(", "（").replace(")", "）")


def _money(text: str) -> Decimal | None:
    text = text.strip().replace(",", "")
    if not text or text.startswith("—"):
        return None
    return Decimal(text) * 10000


def _sections(text: str) -> dict[str, list[list[str]]]:
    """Each table's lines (split on tabs) between its title and its 注/说明 note."""
    sections: dict[str, list[list[str]]] = {}
    current = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped in _TITLES and current is None or stripped in _TITLES and stripped != current:
            current = _TITLES[stripped]
            sections[current] = []
            continue
        if stripped.startswith(("注：", "说明：", "第三部分")):
            current = None
            continue
        if current and "\t" in line:
            sections[current].append(line.split("\t"))
    return sections


def expected_figures() -> dict[tuple[str, str, str], Decimal]:
    """(table_code, row_key, column_key) → amount in 元 (counts as printed)."""
    text = REFERENCE.read_text(encoding="utf-8")
    sections = _sections(text.split("\n第三部分 情况说明\n")[0].split("\n第二部分 2024年部门决算表\n", 1)[1])
    out: dict[tuple[str, str, str], Decimal] = {}

    def put(table, row, col, value):
        if value is not None:
            out[(table, row, col)] = value

    # 公开01: 项目 行次 金额 | 项目 行次 金额
    for f in sections["公开01"]:
        if len(f) >= 3 and f[0] and not f[1].startswith("行次") and f[0] not in ("项目", "栏次", "收入"):
            put("公开01", _key(f[0]), "收入", _money(f[2]))
        if len(f) >= 6 and f[3] and f[3] not in ("项目", "栏次"):
            put("公开01", _key(f[3]), "支出", _money(f[5]))

    # 公开02/03/05: code, name, then the columns of the header line.
    columns = {
        "公开02": ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"],
        "公开03": ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"],
        "公开05": ["小计", "基本支出", "项目支出"],
    }
    for table, cols in columns.items():
        for f in sections[table]:
            row = f[0].strip()
            if not (row == "合计" or row.isdigit()):
                continue
            for col, value in zip(cols, f[2:]):
                put(table, row, col, _money(value))

    # 公开04: 项目 行次 金额 | 项目 行次 合计 一般 政府性基金 国有资本
    right_cols = ["合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]
    parent = {"收入": None, "支出": None}
    for f in sections["公开04"]:
        left = _key(f[0]) if f[0] else ""
        if left and left not in ("项目", "栏次", "收入"):
            if left.startswith("年初财政拨款结转和结余"):
                parent["收入"] = left
            elif left in ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款") and parent["收入"]:
                left = f"{parent['收入']}/{left}"
            put("公开04", left, "收入", _money(f[2]) if len(f) > 2 else None)
        if len(f) >= 8 and f[3] and f[3] not in ("项目", "栏次"):
            right = _key(f[3])
            for col, value in zip(right_cols, f[5:9]):
                put("公开04", right, col, _money(value))

    # 公开06: four groups of 科目代码 / 科目名称 / 决算数, then the two 合计 lines.
    for f in sections["公开06"]:
        if f[0].startswith("人员经费合计"):
            put("公开06", "人员经费合计", "决算数", _money(f[2]))
            put("公开06", "公用经费合计", "决算数", _money(f[-1]))
            continue
        for i in range(0, len(f) - 2, 3):
            code = f[i].strip()
            if code.isdigit():
                put("公开06", code, "决算数", _money(f[i + 2]))

    # 公开10: sections of 项目 / 行次 / 统计数.
    section = None
    for f in sections.get("公开10", []):
        label = f[0].strip()
        if label.startswith("一、政府采购"):
            section = "政府采购"
            continue
        if label.startswith("二、机关运行经费"):
            section = "机关运行经费"
            continue
        if label.startswith("三、国有资产"):
            section = None
            continue
        if label in ("项目", "") or len(f) < 3:
            continue
        value = f[2].strip()
        if not value:
            continue
        key = _key(label)
        if section:
            put("公开10", f"{section}/{key}", "统计数", _money(value))
        else:
            out[("公开10", re.sub(r"（(辆|台（套）)）$", "", key), "统计数")] = Decimal(value)
    return out
