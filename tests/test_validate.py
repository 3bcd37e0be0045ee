"""Tests of disclosures.validate: identities, narrative claims, GX judgement.

Cell frames are built by parsing the reference document's text
(tests/fixtures/reference/jincheng-kejiju-2024-final-accounts.txt, tables are
tab-separated lines) or hand-coded from the real Shanghai PDFs.

Narrative fixtures (tests/fixtures/narratives/):
- jincheng-kejiju-2024.txt: the reference text's 第三部分 情况说明 section
  (from the line 「第三部分 情况说明」 to the line 「第四部分 名词解释」).
- putuo-ghzyj-2024.txt / putuo-shgzb-2024.txt: pypdfium2 text layer
  (``page.get_textpage().get_text_range()``, CRLF → LF, pages joined with
  "\\n") of tests/data/real/上海市普陀区规划和自然资源局2024年度部门决算.pdf
  pages 20–28 and 中共上海市普陀区委社会工作部2024年度部门决算.pdf pages 17–22:
  from the page that opens 「第三部分 … 情况说明」 to the page before
  「第四部分 名词解释」.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from disclosures.frames import CELL_COLUMNS, CHECK_COLUMNS
from disclosures.normalize import label_key as norm_label
from disclosures.packaged import expectations_dir
from disclosures.tables.subjects import ECONOMIC_CLASSES, FUNCTION_CLASSES
from disclosures.validate import identity_instances, narrative_claims, normalise, validate
from disclosures.validate.domain import suite_parameters
from reference_text import REFERENCE

FIXTURES = Path(__file__).parent / "fixtures" / "narratives"
DOC_ID = "ref-jincheng-kejiju-2024"

# ------------------------------------------------------------------------
# reference text → cells

_TITLES = {
    "收入支出决算总表": "公开01",
    "收入决算表": "公开02",
    "支出決算表": "公开03",
    "支出决算表": "公开03",
    "财政拨款收入支出决算总表": "公开04",
    "一般公共预算财政拨款支出决算表": "公开05",
    "一般公共预算财政拨款基本支出决算明细表": "公开06",
    "政府性基金预算财政拨款收入支出决算表": "公开07",
    "国有资本经营预算财政拨款支出决算表": "公开08",
    "财政拨款“三公”经费支出决算表": "公开09",
    "部门决算公开相关信息统计表": "公开10",
}
# pages from the document's table of contents
_PAGES = {"公开01": 5, "公开02": 7, "公开03": 8, "公开04": 9, "公开05": 11, "公开06": 12,
          "公开08": 15, "公开09": 16, "公开10": 17}
_NUM = re.compile(r"^-?\d+(?:\.\d+)?$")


def _num(s: str) -> float | None:
    s = s.strip().replace(",", "")
    return float(s) if _NUM.match(s) else None


def _reference_tables() -> dict[str, list[str]]:
    lines = REFERENCE.read_text(encoding="utf-8").split("\n")
    start = [i for i, l in enumerate(lines) if l.strip() == "第二部分 2024年部门决算表"][-1]
    end = [i for i, l in enumerate(lines) if l.strip() == "第三部分 情况说明"][-1]
    tables: dict[str, list[str]] = {}
    current = None
    for line in lines[start:end]:
        title = line.strip()
        if title in _TITLES:
            current = _TITLES[title]
            tables[current] = []
            continue
        if current and "\t" in line:
            tables[current].append(line)
    return tables


def reference_cells() -> pd.DataFrame:
    """The reference document's ten tables as canonical cells (amounts in 元)."""
    tables = _reference_tables()
    out = []

    def add(t, r, c, printed, label=None, unit="元", factor=10000.0):
        v = _num(printed)
        if v is None:
            return
        out.append({"document_id": DOC_ID, "table_code": t, "row_key": r, "column_key": c,
                    "amount": round(v * factor, 2), "unit": unit, "printed": printed.strip(),
                    "row_label": label if label is not None else r, "page": _PAGES.get(t),
                    "x0": None, "y0": None, "x1": None, "y1": None, "method": "reference-text"})

    # 公开01: income | 行次 | 金额 | expenditure | 行次 | 金额
    for line in tables["公开01"]:
        f = line.split("\t") + [""] * 6
        if f[0].strip() in ("项目", "栏次", "收入"):
            continue
        if f[0].strip():
            add("公开01", norm_label(f[0]), "收入", f[2])
        if f[3].strip():
            add("公开01", norm_label(f[3]), "支出", f[5])
    # function-code tables
    for t, cols in (("公开02", ("本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")),
                    ("公开03", ("本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")),
                    ("公开05", ("小计", "基本支出", "项目支出")),
                    ("公开08", ("合计", "基本支出", "项目支出"))):
        for line in tables.get(t, []):
            f = line.split("\t")
            key = f[0].strip()
            if not (key == "合计" or key.isdigit()):
                continue
            for c, v in zip(cols, f[2:]):
                add(t, key, c, v, label=f[1].strip() or key)
    # 公开04: income | 行次 | 金额 | expenditure | 行次 | 合计 | 一般 | 基金 | 国资
    after_opening = False
    for line in tables["公开04"]:
        f = line.split("\t") + [""] * 9
        inc = norm_label(f[0])
        if inc in ("项目", "栏次", "收入"):
            continue
        if inc:
            if inc == "年初财政拨款结转和结余":
                after_opening = True
            elif inc == "总计":
                after_opening = False
            elif after_opening:
                inc = f"年初财政拨款结转和结余/{inc}"
            add("公开04", inc, "收入", f[2])
        exp = norm_label(f[3])
        if exp:
            for c, v in zip(("合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"), f[5:9]):
                add("公开04", exp, c, v)
    # 公开06: four groups of code | name | amount, then the two totals
    for line in tables["公开06"]:
        f = line.split("\t")
        if f[0].strip() == "人员经费合计":
            nums = [x for x in f[1:] if _num(x) is not None]
            add("公开06", "人员经费合计", "决算数", nums[0])
            add("公开06", "公用经费合计", "决算数", nums[-1])
            continue
        f = f + [""] * (12 - len(f))
        for g in range(0, 12, 3):
            code, name, v = f[g].strip(), f[g + 1].strip(), f[g + 2]
            if code.isdigit():
                add("公开06", code, "决算数", v, label=name)
    # 公开10
    section = None
    for line in tables["公开10"]:
        f = line.split("\t") + ["", "", ""]
        label = f[0].strip()
        if label.startswith("一、政府采购"):
            section = "政府采购"
            continue
        if label.startswith("二、机关运行经费"):
            section = "机关运行经费"
            continue
        if label.startswith("三、国有资产"):
            section = "资产"
            continue
        if label in ("项目",):
            continue
        v = f[2]
        if section == "政府采购":
            add("公开10", f"政府采购/{label}", "统计数", v)
        elif section == "机关运行经费":
            add("公开10", f"机关运行经费/{norm_label(label)}", "统计数", v)
        elif section == "资产":
            if "车辆数合计" in label:
                add("公开10", "车辆数合计", "统计数", v, unit="辆", factor=1.0)
            elif "单价100万元" in label:
                add("公开10", "单价100万元（含）以上设备（不含车辆）", "统计数", v, unit="台（套）", factor=1.0)
            elif label:
                add("公开10", norm_label(label), "统计数", v, unit="辆", factor=1.0)
    return pd.DataFrame(out, columns=CELL_COLUMNS)


def reference_doc(**over) -> dict:
    doc = {
        "document_id": DOC_ID,
        "unit": "万元",
        "fiscal_year": 2024,
        # the document prints no 公开07; it lists nine tables, 公开08 and 公开09 empty
        "tables": {"公开01": "present", "公开02": "present", "公开03": "present", "公开04": "present",
                   "公开05": "present", "公开06": "present", "公开07": "absent", "公开08": "empty",
                   "公开09": "empty", "公开10": "present"},
        "narrative": (FIXTURES / "jincheng-kejiju-2024.txt").read_text(encoding="utf-8"),
        "narrative_page": 18,
    }
    doc.update(over)
    return doc


# ------------------------------------------------------------------------
# hand-coded table figures of the two Shanghai documents (万元, as printed)
#
# Lines: table | row_key | column_key=value … | row label. Read from the
# pypdfium2 text of the PDFs; the page is given per table.

PUTUO_GHZYJ_TABLES = """
公开01 p7 | 一般公共预算财政拨款收入 | 收入=9746.50
公开01 p7 | 本年收入合计 | 收入=9746.50
公开01 p7 | 年初结转和结余 | 收入=112.88
公开01 p7 | 总计 | 收入=9859.38 支出=9859.38
公开01 p7 | 社会保障和就业支出 | 支出=754.75
公开01 p7 | 卫生健康支出 | 支出=236.63
公开01 p7 | 城乡社区支出 | 支出=3845.25
公开01 p7 | 自然资源海洋气象等支出 | 支出=4461.67
公开01 p7 | 住房保障支出 | 支出=461.08
公开01 p7 | 本年支出合计 | 支出=9759.38
公开01 p7 | 年末结转和结余 | 支出=100.00
公开02 p8 | 合计 | 本年收入合计=9746.50 财政拨款收入=9746.50
公开03 p10 | 合计 | 本年支出合计=9759.38 基本支出=5377.64 项目支出=4381.74
公开03 p10 | 208 | 本年支出合计=754.75 基本支出=754.75 项目支出=0.00 | 社会保障和就业支出
公开03 p10 | 20805 | 本年支出合计=754.75 基本支出=754.75 项目支出=0.00 | 行政事业单位养老支出
公开03 p10 | 2080501 | 本年支出合计=54.53 基本支出=54.53 项目支出=0.00 | 行政单位离退休
公开03 p10 | 2080502 | 本年支出合计=28.11 基本支出=28.11 项目支出=0.00 | 事业单位离退休
公开03 p10 | 2080505 | 本年支出合计=446.11 基本支出=446.11 项目支出=0.00 | 机关事业单位基本养老保险缴费支出
公开03 p10 | 2080506 | 本年支出合计=225.12 基本支出=225.12 项目支出=0.00 | 机关事业单位职业年金缴费支出
公开03 p10 | 2080599 | 本年支出合计=0.88 基本支出=0.88 项目支出=0.00 | 其他行政事业单位养老支出
公开03 p10 | 210 | 本年支出合计=236.64 基本支出=236.64 项目支出=0.00 | 卫生健康支出
公开03 p10 | 21011 | 本年支出合计=236.64 基本支出=236.64 项目支出=0.00 | 行政事业单位医疗
公开03 p10 | 2101101 | 本年支出合计=40.35 基本支出=40.35 项目支出=0.00 | 行政单位医疗
公开03 p10 | 2101102 | 本年支出合计=196.29 基本支出=196.29 项目支出=0.00 | 事业单位医疗
公开03 p11 | 212 | 本年支出合计=3845.24 基本支出=1585.59 项目支出=2259.65 | 城乡社区支出
公开03 p11 | 21201 | 本年支出合计=1105.68 基本支出=1096.91 项目支出=8.77 | 城乡社区管理事务
公开03 p11 | 2120101 | 本年支出合计=1105.68 基本支出=1096.91 项目支出=8.77 | 行政运行
公开03 p11 | 21202 | 本年支出合计=2739.56 基本支出=488.68 项目支出=2250.88 | 城乡社区规划与管理
公开03 p11 | 2120201 | 本年支出合计=2739.56 基本支出=488.68 项目支出=2250.88 | 城乡社区规划与管理
公开03 p11 | 220 | 本年支出合计=4461.67 基本支出=2339.58 项目支出=2122.09 | 自然资源海洋气象等支出
公开03 p11 | 22001 | 本年支出合计=4461.67 基本支出=2339.58 项目支出=2122.09 | 自然资源事务
公开03 p11 | 2200150 | 本年支出合计=4416.67 基本支出=2339.58 项目支出=2077.09 | 事业运行
公开03 p11 | 2200199 | 本年支出合计=45.00 基本支出=0.00 项目支出=45.00 | 其他自然资源事务支出
公开03 p11 | 221 | 本年支出合计=461.08 基本支出=461.08 项目支出=0.00 | 住房保障支出
公开03 p11 | 22102 | 本年支出合计=461.08 基本支出=461.08 项目支出=0.00 | 住房改革支出
公开03 p11 | 2210201 | 本年支出合计=289.59 基本支出=289.59 项目支出=0.00 | 住房公积金
公开03 p11 | 2210203 | 本年支出合计=171.49 基本支出=171.49 项目支出=0.00 | 购房补贴
公开04 p12 | 一般公共预算财政拨款 | 收入=9746.50
公开04 p12 | 社会保障和就业支出 | 合计=754.75 一般公共预算财政拨款=754.75
公开04 p12 | 卫生健康支出 | 合计=236.63 一般公共预算财政拨款=236.63
公开04 p12 | 城乡社区支出 | 合计=3832.36 一般公共预算财政拨款=3832.36
公开04 p13 | 自然资源海洋气象等支出 | 合计=4461.67 一般公共预算财政拨款=4461.67
公开04 p13 | 住房保障支出 | 合计=461.08 一般公共预算财政拨款=461.08
公开04 p13 | 本年收入合计 | 收入=9746.50
公开04 p13 | 总计 | 收入=9746.50 合计=9746.50 一般公共预算财政拨款=9746.50
公开04 p13 | 本年支出合计 | 合计=9746.50 一般公共预算财政拨款=9746.50
公开05 p14 | 208 | 小计=754.75 基本支出=754.75 项目支出=0.00 | 社会保障和就业支出
公开05 p14 | 20805 | 小计=754.75 基本支出=754.75 项目支出=0.00 | 行政事业单位养老支出
公开05 p14 | 2080501 | 小计=54.53 基本支出=54.53 项目支出=0.00 | 行政单位离退休
公开05 p14 | 2080502 | 小计=28.11 基本支出=28.11 项目支出=0.00 | 事业单位离退休
公开05 p14 | 2080505 | 小计=446.11 基本支出=446.11 项目支出=0.00 | 机关事业单位基本养老保险缴费支出
公开05 p14 | 2080506 | 小计=225.12 基本支出=225.12 项目支出=0.00 | 机关事业单位职业年金缴费支出
公开05 p14 | 2080599 | 小计=0.88 基本支出=0.88 项目支出=0.00 | 其他行政事业单位养老支出
公开05 p14 | 210 | 小计=236.64 基本支出=236.64 项目支出=0.00 | 卫生健康支出
公开05 p14 | 21011 | 小计=236.64 基本支出=236.64 项目支出=0.00 | 行政事业单位医疗
公开05 p14 | 2101101 | 小计=40.35 基本支出=40.35 项目支出=0.00 | 行政单位医疗
公开05 p14 | 2101102 | 小计=196.29 基本支出=196.29 项目支出=0.00 | 事业单位医疗
公开05 p14 | 212 | 小计=3832.36 基本支出=1572.70 项目支出=2259.65 | 城乡社区支出
公开05 p14 | 21201 | 小计=1092.80 基本支出=1084.02 项目支出=8.77 | 城乡社区管理事务
公开05 p14 | 2120101 | 小计=1092.80 基本支出=1084.02 项目支出=8.77 | 行政运行
公开05 p14 | 21202 | 小计=2739.56 基本支出=488.68 项目支出=2250.88 | 城乡社区规划与管理
公开05 p14 | 2120201 | 小计=2739.56 基本支出=488.68 项目支出=2250.88 | 城乡社区规划与管理
公开05 p14 | 220 | 小计=4461.67 基本支出=2339.58 项目支出=2122.09 | 自然资源海洋气象等支出
公开05 p14 | 22001 | 小计=4461.67 基本支出=2339.58 项目支出=2122.09 | 自然资源事务
公开05 p14 | 2200150 | 小计=4416.67 基本支出=2339.58 项目支出=2077.09 | 事业运行
公开05 p14 | 2200199 | 小计=45.00 基本支出=0.00 项目支出=45.00 | 其他自然资源事务支出
公开05 p14 | 221 | 小计=461.08 基本支出=461.08 项目支出=0.00 | 住房保障支出
公开05 p15 | 22102 | 小计=461.08 基本支出=461.08 项目支出=0.00 | 住房改革支出
公开05 p15 | 2210201 | 小计=289.59 基本支出=289.59 项目支出=0.00 | 住房公积金
公开05 p15 | 2210203 | 小计=171.49 基本支出=171.49 项目支出=0.00 | 购房补贴
公开05 p15 | 合计 | 小计=9746.50 基本支出=5364.75 项目支出=4381.74
公开06 p16 | 301 | 决算数=4816.14 | 工资福利支出
公开06 p16 | 302 | 决算数=440.90 | 商品和服务支出
公开06 p16 | 303 | 决算数=67.96 | 对个人和家庭的补助
公开06 p16 | 310 | 决算数=39.76 | 资本性支出
公开06 p16 | 人员经费合计 | 决算数=4884.09
公开06 p16 | 公用经费合计 | 决算数=480.66
公开09 p17 | 预算数 | 合计=2.85 因公出国（境）费=0.00 公务用车购置及运行维护费=0.00 公务用车购置费=0.00 公务用车运行维护费=0.00 公务接待费=2.85
公开09 p17 | 决算数 | 合计=0.39 因公出国（境）费=0.00 公务用车购置及运行维护费=0.00 公务用车购置费=0.00 公务用车运行维护费=0.00 公务接待费=0.39
"""

PUTUO_SHGZB_TABLES = """
公开01 p5 | 一般公共预算财政拨款收入 | 收入=307.82
公开01 p5 | 本年收入合计 | 收入=307.82
公开01 p5 | 总计 | 收入=307.82 支出=307.82
公开01 p5 | 一般公共服务支出 | 支出=264.87
公开01 p5 | 社会保障和就业支出 | 支出=10.82
公开01 p5 | 卫生健康支出 | 支出=2.71
公开01 p5 | 住房保障支出 | 支出=29.42
公开01 p5 | 本年支出合计 | 支出=307.82
公开02 p6 | 合计 | 本年收入合计=307.82 财政拨款收入=307.82
公开02 p6 | 201 | 本年收入合计=264.87 财政拨款收入=264.87 | 一般公共服务支出
公开02 p6 | 20139 | 本年收入合计=264.87 财政拨款收入=264.87 | 社会工作事务
公开02 p6 | 2013901 | 本年收入合计=51.32 财政拨款收入=51.32 | 行政运行
公开02 p6 | 2013950 | 本年收入合计=11.31 财政拨款收入=11.31 | 事业运行
公开02 p6 | 2013999 | 本年收入合计=202.24 财政拨款收入=202.24 | 其他社会工作事务支出
公开02 p6 | 208 | 本年收入合计=10.82 财政拨款收入=10.82 | 社会保障和就业支出
公开02 p6 | 20805 | 本年收入合计=10.82 财政拨款收入=10.82 | 行政事业单位养老支出
公开02 p6 | 2080505 | 本年收入合计=6.18 财政拨款收入=6.18 | 机关事业单位基本养老保险缴费支出
公开02 p6 | 2080506 | 本年收入合计=4.64 财政拨款收入=4.64 | 机关事业单位职业年金缴费支出
公开02 p6 | 210 | 本年收入合计=2.71 财政拨款收入=2.71 | 卫生健康支出
公开02 p6 | 21011 | 本年收入合计=2.71 财政拨款收入=2.71 | 行政事业单位医疗
公开02 p7 | 2101101 | 本年收入合计=2.22 财政拨款收入=2.22 | 行政单位医疗
公开02 p7 | 2101102 | 本年收入合计=0.49 财政拨款收入=0.49 | 事业单位医疗
公开02 p7 | 221 | 本年收入合计=29.42 财政拨款收入=29.42 | 住房保障支出
公开02 p7 | 22102 | 本年收入合计=29.42 财政拨款收入=29.42 | 住房改革支出
公开02 p7 | 2210201 | 本年收入合计=17.70 财政拨款收入=17.70 | 住房公积金
公开02 p7 | 2210203 | 本年收入合计=11.72 财政拨款收入=11.72 | 购房补贴
公开03 p8 | 合计 | 本年支出合计=307.82 基本支出=105.58 项目支出=202.24
公开03 p8 | 201 | 本年支出合计=264.87 基本支出=62.63 项目支出=202.24 | 一般公共服务支出
公开03 p8 | 20139 | 本年支出合计=264.87 基本支出=62.63 项目支出=202.24 | 社会工作事务
公开03 p8 | 2013901 | 本年支出合计=51.32 基本支出=51.32 | 行政运行
公开03 p8 | 2013950 | 本年支出合计=11.31 基本支出=11.31 | 事业运行
公开03 p8 | 2013999 | 本年支出合计=202.24 项目支出=202.24 | 其他社会工作事务支出
公开03 p8 | 208 | 本年支出合计=10.82 基本支出=10.82 | 社会保障和就业支出
公开03 p8 | 20805 | 本年支出合计=10.82 基本支出=10.82 | 行政事业单位养老支出
公开03 p8 | 2080505 | 本年支出合计=6.18 基本支出=6.18 | 机关事业单位基本养老保险缴费支出
公开03 p8 | 2080506 | 本年支出合计=4.64 基本支出=4.64 | 机关事业单位职业年金缴费支出
公开03 p8 | 210 | 本年支出合计=2.71 基本支出=2.71 | 卫生健康支出
公开03 p8 | 21011 | 本年支出合计=2.71 基本支出=2.71 | 行政事业单位医疗
公开03 p9 | 2101101 | 本年支出合计=2.22 基本支出=2.22 | 行政单位医疗
公开03 p9 | 2101102 | 本年支出合计=0.49 基本支出=0.49 | 事业单位医疗
公开03 p9 | 221 | 本年支出合计=29.42 基本支出=29.42 | 住房保障支出
公开03 p9 | 22102 | 本年支出合计=29.42 基本支出=29.42 | 住房改革支出
公开03 p9 | 2210201 | 本年支出合计=17.70 基本支出=17.70 | 住房公积金
公开03 p9 | 2210203 | 本年支出合计=11.72 基本支出=11.72 | 购房补贴
公开04 p10 | 一般公共预算财政拨款 | 收入=307.82
公开04 p10 | 一般公共服务支出 | 合计=264.87 一般公共预算财政拨款=264.87
公开04 p10 | 社会保障和就业支出 | 合计=10.82 一般公共预算财政拨款=10.82
公开04 p10 | 卫生健康支出 | 合计=2.71 一般公共预算财政拨款=2.71
公开04 p11 | 住房保障支出 | 合计=29.42 一般公共预算财政拨款=29.42
公开04 p11 | 本年收入合计 | 收入=307.82
公开04 p11 | 本年支出合计 | 合计=307.82 一般公共预算财政拨款=307.82
公开04 p11 | 总计 | 收入=307.82 合计=307.82 一般公共预算财政拨款=307.82
公开05 p12 | 201 | 小计=264.87 基本支出=62.63 项目支出=202.24 | 一般公共服务支出
公开05 p12 | 20139 | 小计=264.87 基本支出=62.63 项目支出=202.24 | 社会工作事务
公开05 p12 | 2013901 | 小计=51.32 基本支出=51.32 | 行政运行
公开05 p12 | 2013950 | 小计=11.31 基本支出=11.31 | 事业运行
公开05 p12 | 2013999 | 小计=202.24 项目支出=202.24 | 其他社会工作事务支出
公开05 p12 | 208 | 小计=10.82 基本支出=10.82 | 社会保障和就业支出
公开05 p12 | 20805 | 小计=10.82 基本支出=10.82 | 行政事业单位养老支出
公开05 p12 | 2080505 | 小计=6.18 基本支出=6.18 | 机关事业单位基本养老保险缴费支出
公开05 p12 | 2080506 | 小计=4.64 基本支出=4.64 | 机关事业单位职业年金缴费支出
公开05 p12 | 210 | 小计=2.71 基本支出=2.71 | 卫生健康支出
公开05 p12 | 21011 | 小计=2.71 基本支出=2.71 | 行政事业单位医疗
公开05 p12 | 2101101 | 小计=2.22 基本支出=2.22 | 行政单位医疗
公开05 p12 | 2101102 | 小计=0.49 基本支出=0.49 | 事业单位医疗
公开05 p12 | 221 | 小计=29.42 基本支出=29.42 | 住房保障支出
公开05 p12 | 22102 | 小计=29.42 基本支出=29.42 | 住房改革支出
公开05 p12 | 2210201 | 小计=17.70 基本支出=17.70 | 住房公积金
公开05 p12 | 2210203 | 小计=11.72 基本支出=11.72 | 购房补贴
公开05 p12 | 合计 | 小计=307.82 基本支出=105.58 项目支出=202.24
公开06 p13 | 301 | 决算数=95.36 | 工资福利支出
公开06 p13 | 302 | 决算数=10.23 | 商品和服务支出
公开06 p13 | 303 | 决算数=0.00 | 对个人和家庭的补助
公开06 p13 | 310 | 决算数=0.00 | 资本性支出
公开06 p13 | 人员经费合计 | 决算数=95.36
公开06 p13 | 公用经费合计 | 决算数=10.23
"""


def shanghai_cells(spec: str, doc_id: str) -> pd.DataFrame:
    rows = []
    for line in spec.strip().splitlines():
        parts = [p.strip() for p in line.split("|")]
        table, page = parts[0].split()
        label = parts[3] if len(parts) > 3 else parts[1]
        for kv in parts[2].split():
            col, value = kv.split("=")
            rows.append({"document_id": doc_id, "table_code": table, "row_key": parts[1], "column_key": col,
                         "amount": round(float(value) * 10000, 2), "unit": "元", "printed": value,
                         "row_label": label, "page": int(page[1:]), "x0": None, "y0": None, "x1": None,
                         "y1": None, "method": "hand-coded"})
    return pd.DataFrame(rows, columns=CELL_COLUMNS)


def shanghai_doc(doc_id: str, fixture: str, page: int, sangong: str) -> dict:
    tables = {t: "present" for t in ("公开01", "公开02", "公开03", "公开04", "公开05", "公开06")}
    tables.update({"公开07": "empty", "公开08": "empty", "公开09": sangong})  # no 公开10 in Shanghai
    return {"document_id": doc_id, "unit": "万元", "fiscal_year": 2024, "tables": tables,
            "narrative": (FIXTURES / fixture).read_text(encoding="utf-8"), "narrative_page": page}


GHZYJ = "putuo-ghzyj-2024"
SHGZB = "putuo-shgzb-2024"


def ghzyj():
    return shanghai_cells(PUTUO_GHZYJ_TABLES, GHZYJ), shanghai_doc(GHZYJ, f"{GHZYJ}.txt", 20, "present")


def shgzb():
    return shanghai_cells(PUTUO_SHGZB_TABLES, SHGZB), shanghai_doc(SHGZB, f"{SHGZB}.txt", 17, "empty")


# ------------------------------------------------------------------------
# helpers


def failures(checks: pd.DataFrame, severity: str | None = None) -> pd.DataFrame:
    f = checks[checks["passed"] == False]  # noqa: E712
    return f if severity is None else f[f["severity"] == severity]


def one(checks: pd.DataFrame, name: str) -> pd.Series:
    rows = checks[checks["check_name"] == name]
    assert len(rows) == 1, (name, checks["check_name"].tolist()[:50])
    return rows.iloc[0]


def with_amount(cells: pd.DataFrame, table: str, row: str, col: str, value_wan: float) -> pd.DataFrame:
    cells = cells.copy()
    mask = (cells.table_code == table) & (cells.row_key == row) & (cells.column_key == col)
    assert mask.sum() == 1, (table, row, col)
    cells.loc[mask, "amount"] = round(value_wan * 10000, 2)
    return cells


@pytest.fixture(scope="module")
def ref_cells() -> pd.DataFrame:
    return reference_cells()


# ------------------------------------------------------------------------
# the reference document


def test_reference_cells_parsed(ref_cells):
    counts = ref_cells.table_code.value_counts().to_dict()
    assert counts["公开02"] == 50 and counts["公开03"] == 54 and counts["公开05"] == 54
    assert set(counts) == {"公开01", "公开02", "公开03", "公开04", "公开05", "公开06", "公开10"}
    got = ref_cells.set_index(["table_code", "row_key", "column_key"])["amount"]
    assert got[("公开06", "人员经费合计", "决算数")] == 9675600.0
    assert got[("公开04", "一般公共预算财政拨款", "收入")] == 21956600.0


def test_clean_reference_has_no_error(ref_cells):
    checks = validate(ref_cells, reference_doc(), extra_columns=True)
    assert list(checks.columns[: len(CHECK_COLUMNS)]) == CHECK_COLUMNS
    assert failures(checks, "error").empty, failures(checks, "error")[["check_name", "details"]].to_string()
    # the only failure: 公开07 is not printed (a warning)
    assert failures(checks)["check_name"].tolist() == ["table_present.公开07"]
    # every identity family is instantiated
    fams = set(checks["family"])
    assert {"row_sum", "hierarchy", "total", "cross_table", "procurement", "narrative", "domain"} <= fams
    # the readable detail of the headline identity
    row = one(checks, "公开01.本年收入合计=Σ收入")
    assert row["passed"] is True and row["severity"] == "error"
    assert "2195.66" in row["details"] and "difference 0.00" in row["details"]
    # values are plain Python scalars, JSON-safe
    json.dumps(checks.to_dict("records"), ensure_ascii=False, default=None)


def test_identity_instances_frame(ref_cells):
    inst = identity_instances(ref_cells, reference_doc(narrative=None))
    assert inst["check_name"].is_unique
    r = inst.set_index("check_name").loc["公开01.本年收入合计=Σ收入"]
    assert (r.lhs, r.rhs, r.difference, r.n_terms, r.tolerance, r.unit) == (2195.66, 2195.66, 0.0, 1, 0.01, "万元")
    r = inst.set_index("check_name").loc["公开06.公用经费合计=302+307+309+310+311+312+313+399"]
    assert r.lhs == 122.40 and r.rhs == 122.40
    # tolerance grows with the printed terms and is capped at 0.05
    r = inst.set_index("check_name").loc["公开06.类=Σ款[301]"]
    assert r.n_terms == 11 and r.tolerance == 0.05
    # blank 公开08/09: nothing to instantiate
    assert not inst["check_name"].str.startswith(("公开08", "公开09")).any()


# ------------------------------------------------------------------------
# seeded errors, each flagged by the right identity


def test_seeded_row_sum_error(ref_cells):
    cells = with_amount(ref_cells, "公开03", "2060199", "基本支出", 57.81)  # printed 47.81
    f = failures(validate(cells, reference_doc(narrative=None)), "error")
    assert "公开03.row_sum[2060199]" in set(f.check_name)
    row = one(f, "公开03.row_sum[2060199]")
    assert row["lhs"] == 1153.51 and row["rhs"] == pytest.approx(1163.51) and row["table_code"] == "公开03"


def test_seeded_hierarchy_error(ref_cells):
    # a 项 changed together with its row total: the row sums still hold, the 款 does not
    cells = with_amount(ref_cells, "公开02", "2080502", "本年收入合计", 116.08)
    cells = with_amount(cells, "公开02", "2080502", "财政拨款收入", 116.08)
    f = failures(validate(cells, reference_doc(narrative=None)), "error")
    names = set(f.check_name)
    assert {"公开02.款=Σ项[20805/本年收入合计]", "公开02.款=Σ项[20805/财政拨款收入]"} <= names
    assert not any(n.startswith("公开02.row_sum") for n in names)
    assert one(f, "公开02.款=Σ项[20805/本年收入合计]")["difference"] == pytest.approx(-10.0)


def test_seeded_cross_table_error(ref_cells):
    # 公开03 科学技术支出 changed consistently inside the table: only 公开01 disagrees
    cells = ref_cells.copy()
    for row in ("206", "20601", "2060199"):
        for col in ("本年支出合计", "项目支出"):
            v = cells.loc[(cells.table_code == "公开03") & (cells.row_key == row) & (cells.column_key == col), "amount"]
            cells = with_amount(cells, "公开03", row, col, float(v.iloc[0]) / 10000 + 1.0)
    for col in ("本年支出合计", "项目支出"):
        v = cells.loc[(cells.table_code == "公开03") & (cells.row_key == "合计") & (cells.column_key == col), "amount"]
        cells = with_amount(cells, "公开03", "合计", col, float(v.iloc[0]) / 10000 + 1.0)
    f = failures(validate(cells, reference_doc(narrative=None)), "error")
    names = set(f.check_name)
    assert {"cross_table.公开03类=公开01支出类别[206]", "cross_table.公开03合计=公开01本年支出合计"} <= names
    assert all(n.startswith("cross_table.") for n in names), names
    assert one(f, "cross_table.公开03类=公开01支出类别[206]")["table_code"] is None


def test_seeded_narrative_error(ref_cells):
    doc = reference_doc()
    doc["narrative"] = doc["narrative"].replace("人员经费967.56万元", "人员经费976.56万元")
    f = failures(validate(ref_cells, doc), "error")
    assert f.check_name.tolist() == ["narrative.amount[公开06/人员经费合计/决算数]"]
    row = f.iloc[0]
    assert (row["lhs"], row["rhs"]) == (976.56, 967.56) and row["page"] == 18


def test_table_printed_in_yuan_inside_wanyuan_document(ref_cells):
    # 公开05 printed in 元 but read as 万元: every figure ×10000
    cells = ref_cells.copy()
    m = cells.table_code == "公开05"
    cells.loc[m, "amount"] = cells.loc[m, "amount"] * 10000
    checks = validate(cells, reference_doc(narrative=None))
    f = failures(checks, "error")
    names = set(f.check_name)
    assert {"cross_table.公开05合计=公开04一般公共预算", "cross_table.公开06人员经费+公用经费=公开05基本支出"} <= names
    # inside 公开05 the row sums still hold; only the document's own 0.01 rounding gap
    # (21011 行政事业单位医疗 61.12 vs 61.11) is blown up ×10000 beyond tolerance
    assert not any(n.startswith("公开05.row_sum") for n in names)
    assert {n for n in names if n.startswith("公开05.")} == {"公开05.款=Σ项[21011/小计]", "公开05.款=Σ项[21011/基本支出]"}


def test_required_table_left_out(ref_cells):
    cells = ref_cells[ref_cells.table_code != "公开05"]
    doc = reference_doc(narrative=None)
    doc["tables"] = {**doc["tables"], "公开05": "absent"}
    checks = validate(cells, doc)
    row = one(checks, "table_present.公开05")
    assert row["passed"] is False and row["severity"] == "error" and row["table_code"] == "公开05"
    # identities needing 公开05 cannot be checked: warnings, not errors
    c = one(checks, "cross_table.公开05合计=公开04一般公共预算")
    assert c["passed"] is False and c["severity"] == "warn" and "absent" in c["details"]
    assert failures(checks, "error").check_name.tolist() == ["table_present.公开05"]


def test_table_not_expected_is_not_checked(ref_cells):
    cells = ref_cells[ref_cells.table_code != "公开10"]
    doc = reference_doc(narrative=None)
    doc["tables"] = {k: v for k, v in doc["tables"].items() if k != "公开10"}
    checks = validate(cells, doc)
    assert not checks.check_name.str.startswith(("公开10", "table_present.公开10")).any()
    assert failures(checks, "error").empty


def test_domain_checks(ref_cells):
    cells = ref_cells.copy()
    bad = cells.iloc[[0]].copy()
    cells = pd.concat([cells, bad.assign(table_code="公开03", row_key="2O601", column_key="基本支出", amount=-5.0)],
                      ignore_index=True)
    checks = validate(cells, reference_doc(narrative=None, fiscal_year=1999, unit="千元"))
    f = failures(checks)
    names = dict(zip(f.check_name, f.severity))
    assert names.get("domain.function_code_format") == "error"
    assert names.get("domain.amount_non_negative") == "warn"
    assert names.get("domain.fiscal_year_plausible") == "error"
    assert names.get("domain.document_unit") == "error"
    assert "2O601" in one(f, "domain.function_code_format")["details"]
    clean = validate(ref_cells, reference_doc(narrative=None))
    dom = clean[clean.check_name.str.startswith("domain.") & ~clean.check_name.str.contains("≤")]
    assert len(dom) >= 14 and dom["passed"].all()


def test_same_code_different_names(ref_cells):
    cells = ref_cells.copy()
    m = (cells.table_code == "公开05") & (cells.row_key == "20601")
    cells.loc[m, "row_label"] = "科学技术管理事物"
    f = failures(validate(cells, reference_doc(narrative=None)))
    assert one(f, "domain.same_name_across_tables")["severity"] == "warn"


def test_small_literal_frame_without_ids():
    rows = [("公开09", "决算数", "合计", 3.0), ("公开09", "决算数", "因公出国（境）费", 1.0),
            ("公开09", "决算数", "公务用车购置及运行维护费", 1.5), ("公开09", "决算数", "公务用车购置费", 0.5),
            ("公开09", "决算数", "公务用车运行维护费", 1.0), ("公开09", "决算数", "公务接待费", 0.4),
            ("公开10", "政府采购/合计", "统计数", 10.0), ("公开10", "政府采购/货物", "统计数", 4.0),
            ("公开10", "政府采购/服务", "统计数", 6.0)]
    cells = pd.DataFrame([{"table_code": t, "row_key": r, "column_key": c, "amount": v * 10000, "unit": "元"}
                          for t, r, c, v in rows])
    checks = validate(cells, {"unit": "万元", "fiscal_year": 2024})
    f = failures(checks, "error")
    assert f.check_name.tolist() == ["公开09.合计=出国+公务用车+接待[决算数]"]
    assert f.iloc[0]["difference"] == pytest.approx(0.1)
    assert one(checks, "公开09.公务用车=购置+运行维护[决算数]")["passed"] is True
    assert one(checks, "公开10.政府采购合计=货物+工程+服务")["passed"] is True


def test_fund_tables_07_08_literal():
    cols07 = ("年初结转和结余", "本年收入", "本年支出小计", "本年支出基本支出", "本年支出项目支出", "年末结转和结余")
    rows = []
    for r in ("合计", "212", "21208", "2120801"):
        rows += [("公开07", r, c, v) for c, v in zip(cols07, (10.0, 100.0, 90.0, 0.0, 90.0, 20.0))]
        rows += [("公开08", r, c, v) for c, v in zip(("合计", "基本支出", "项目支出"), (5.0, 0.0, 5.0))]
    rows += [("公开04", "城乡社区支出", "合计", 95.0), ("公开04", "城乡社区支出", "政府性基金预算财政拨款", 90.0),
             ("公开04", "城乡社区支出", "国有资本经营预算财政拨款", 5.0),
             ("公开04", "本年支出合计", "合计", 95.0), ("公开04", "本年支出合计", "政府性基金预算财政拨款", 90.0),
             ("公开04", "本年支出合计", "国有资本经营预算财政拨款", 5.0),
             ("公开04", "总计", "合计", 95.0), ("公开04", "总计", "政府性基金预算财政拨款", 90.0),
             ("公开04", "总计", "国有资本经营预算财政拨款", 5.0),
             ("公开04", "政府性基金预算财政拨款", "收入", 90.0), ("公开04", "国有资本经营预算财政拨款", "收入", 5.0),
             ("公开04", "本年收入合计", "收入", 95.0), ("公开04", "总计", "收入", 95.0)]
    cells = pd.DataFrame([{"document_id": "d07", "table_code": t, "row_key": r, "column_key": c, "amount": v * 10000,
                           "unit": "元", "row_label": {"212": "城乡社区支出"}.get(r, r)} for t, r, c, v in rows])
    doc = {"document_id": "d07", "unit": "万元", "fiscal_year": 2024}
    clean = validate(cells, doc, extra_columns=True)
    assert failures(clean).empty, failures(clean)[["check_name", "details"]].to_string()
    names = set(clean.check_name)
    assert {"公开07.row_sum[2120801]", "公开07.年末=年初+本年收入-本年支出小计[2120801]", "公开07.款=Σ项[21208/本年收入]",
            "cross_table.公开07合计=公开04政府性基金", "cross_table.公开08合计=公开04国有资本经营",
            "cross_table.公开07类=公开04支出类别政府性基金[212]", "公开08.row_sum[212]"} <= names
    bad = with_amount(cells, "公开07", "2120801", "年末结转和结余", 25.0)
    f = failures(validate(bad, doc))
    assert one(f, "公开07.年末=年初+本年收入-本年支出小计[2120801]")["severity"] == "error"
    assert one(f, "公开07.款=Σ项[21208/年末结转和结余]")["severity"] == "warn"  # implied, not in TABLES.md


# ------------------------------------------------------------------------
# narrative


def test_narrative_claims_reference():
    claims = narrative_claims((FIXTURES / "jincheng-kejiju-2024.txt").read_text(encoding="utf-8"))
    got = {(c.refs[0].describe(), c.printed) for c in claims if c.kind == "amount" and c.refs}
    assert ("公开01/总计/收入", 2201.39) in got
    assert ("公开03/合计/基本支出", 1089.96) in got
    assert ("公开05/合计/基本支出", 1089.96) in got
    assert ("公开06/人员经费合计/决算数", 967.56) in got
    assert ("公开06/公用经费合计/决算数", 122.40) in got
    assert ("公开10/政府采购/合计/统计数", 150.06) in got
    assert ("公开10/机关运行经费/统计数", 53.55) in got
    structure = [c for c in claims if c.kind == "amount" and c.refs and "科学技术支出" in str(c.refs[0].row)]
    assert structure and structure[0].printed == 1607.83
    pct = [c for c in claims if c.kind == "percent" and c.printed == 73.23]
    assert pct and claims[pct[0].part].printed == 1607.83 and claims[pct[0].base].printed == 2195.66
    assert any(c.kind == "count" and c.refs[0].row == "车辆数合计" for c in claims)


def test_narrative_robust_to_spaces_and_line_breaks():
    text = (FIXTURES / f"{GHZYJ}.txt").read_text(encoding="utf-8")
    a = [(c.kind, c.printed, [r.describe() for r in c.refs]) for c in narrative_claims(text)]
    b = [(c.kind, c.printed, [r.describe() for r in c.refs]) for c in narrative_claims(text.replace("\n", ""))]
    c_ = [(c.kind, c.printed, [r.describe() for r in c.refs])
          for c in narrative_claims(re.sub(r"(\d)\.(\d)", r"\1.\n\2", text).replace("，", " ， "))]
    assert a == b == c_ and len(a) > 100
    assert normalise("收入总计2,201.39\n万元") == "收入总计2201.39万元"


def test_narrative_page_number_and_unknown_subject():
    text = ("五、一般公共预算财政拨款支出决算情况说明（三）一般公共预算财政拨款支出决算具体情况"
            "2024年度一般公共预算财政拨款支出年初预算100.00万元，支出决算90.00万元。其中：科学技术支出年初预算"
            "50.00万元，支出决算45.00万元，完成年初预算的90.00%。\n15\n住房保障支出年初预算40.00万元，支出决算"
            "38.00万元。星际探索支出年初预算5.00万元，支出决算7.00万元。")
    actual = {c.printed: c.refs[0].row for c in narrative_claims(text) if c.kind == "amount" and c.refs}
    assert actual[90.0] == "合计"
    assert actual[45.0].lei == "科学技术支出"
    assert actual[38.0].lei == "住房保障支出"  # the page number 15 glued in front is dropped
    assert actual[7.0].lei == "星际探索支出"  # names no category: unmatched later, never the total


def test_narrative_heading_run_means_unknown_section():
    # a text layer listing the headings apart from their paragraphs: 基本支出 cannot be placed
    text = ("一、收入支出决算总体情况说明二、收入决算情况说明三、支出决算情况说明六、一般公共预算财政拨款基本支出决算情况说明"
            "2024年度收入总计120.00万元。2024年度支出合计100.00万元，其中：基本支出60.00万元，占比60.00%。"
            "人员经费50.00万元。")
    claims = narrative_claims(text)
    refs = {c.printed: [r.describe() for r in c.refs] for c in claims if c.kind == "amount"}
    assert refs[60.0] == [] and refs[100.0] == []
    assert refs[120.0] == ["公开01/总计/收入"] and refs[50.0] == ["公开06/人员经费合计/决算数"]
    share = [c for c in claims if c.kind == "percent"][0]
    assert claims[share.part].printed == 60.0 and claims[share.base].printed == 100.0


def test_narrative_putuo_ghzyj_errors_flagged():
    cells, doc = ghzyj()
    checks = validate(cells, doc)
    nar = checks[checks.check_name.str.startswith("narrative.")]
    # the document's tables agree within tolerance; its only errors are the narrative's two
    assert set(failures(checks, "error").check_name) == set(failures(nar, "error").check_name)
    errors = failures(nar, "error")
    got = {(r.check_name, r.lhs, r.rhs) for r in errors.itertuples()}
    assert got == {("narrative.amount[公开05/合计/基本支出]", 5377.64, 5364.75),
                   ("narrative.amount[公开06/人员经费合计/决算数]", 4896.98, 4884.09)}
    row = one(errors, "narrative.amount[公开05/合计/基本支出]")
    assert "5377.64" in row["details"] and "5364.75" in row["details"] and "12.89" in row["details"]
    # the same 5377.64 restating 公开03 合计.基本支出 (三、支出决算情况说明) is right
    assert one(nar, "narrative.amount[公开03/合计/基本支出]")["passed"] is True
    # two 项 the narrative names that no table row carries: warnings
    warn = failures(nar, "warn")
    assert set(warn.check_name) == {"narrative.unmatched[社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位退休人员活动费支出（项）]",
                                    "narrative.unmatched[自然资源海洋气象等支出（类）自然资源事务（款）其他国土资源事务支出（项）]"}
    # 住房保障支出（款） is misnamed in the narrative, 住房公积金（项） is still found
    assert one(nar, "narrative.amount[公开05/2210201/小计]")["passed"] is True


def test_narrative_putuo_shgzb_clean():
    cells, doc = shgzb()
    checks = validate(cells, doc)
    nar = checks[checks.check_name.str.startswith("narrative.")]
    assert len(nar) > 40
    assert failures(nar).empty, failures(nar)[["check_name", "details"]].to_string()
    assert failures(checks, "error").empty, failures(checks, "error")[["check_name", "details"]].to_string()


def test_narrative_percent_and_compare_words():
    cells, doc = shgzb()
    doc["narrative"] = (doc["narrative"].replace("占 86.05%", "占 68.05%")
                        .replace("决算数与全年预算数持平", "决算数大于全年预算数", 1))
    f = failures(validate(cells, doc))
    pct = one(f, "narrative.percent[公开05/201/小计÷公开05/合计/小计]")
    assert pct["severity"] == "warn" and pct["lhs"] == 68.05 and pct["rhs"] == pytest.approx(86.05, abs=0.01)
    cmp_ = one(f, "narrative.compare[公开05/2013999/小计]")
    assert cmp_["severity"] == "warn"
    assert failures(f, "error").empty


# ------------------------------------------------------------------------
# suites and batching


def test_suite_files_match_catalogue():
    cells = json.loads((expectations_dir() / "cells.json").read_text(encoding="utf-8"))
    by_check = {e["meta"]["check_name"]: e for e in cells["expectations"]}
    # the value sets are the declarations', handed to GX as suite parameters
    params = suite_parameters()
    value_set = lambda check: params[by_check[check]["kwargs"]["value_set"]["$PARAMETER"]]  # noqa: E731
    assert set(value_set("domain.function_class_known")) == set(FUNCTION_CLASSES)
    assert set(value_set("domain.economic_class_known")) == set(ECONOMIC_CLASSES)
    assert set(value_set("domain.table_code_known")) == (
        {f"公开{i:02d}" for i in range(1, 11)} | {f"预算{i:02d}" for i in range(1, 14)})
    ident = json.loads((expectations_dir() / "identities.json").read_text(encoding="utf-8"))
    roles = [e["meta"]["role"] for e in ident["expectations"]]
    assert roles.count("instance") == 2


def test_batch_validation_matches_single(ref_cells):
    """Documents validated together are judged as each would be alone, however many share the run
    (the cost per document is bench/warehouse.py's figure, not a test's)."""
    g_cells, g_doc = ghzyj()
    s_cells, s_doc = shgzb()
    docs = [reference_doc(), g_doc, s_doc]
    cells = pd.concat([ref_cells, g_cells, s_cells], ignore_index=True)
    batch = validate(cells, docs)
    alone = {}
    for doc, c in ((docs[0], ref_cells), (g_doc, g_cells), (s_doc, s_cells)):
        single = validate(c, doc)
        alone[doc["document_id"]] = single[["check_name", "passed"]].values.tolist()
        mine = batch[batch.document_id == doc["document_id"]]
        assert mine[["check_name", "passed"]].values.tolist() == alone[doc["document_id"]]
    many_docs, many_cells = [], []
    for i in range(20):
        for doc, c in ((docs[0], ref_cells), (g_doc, g_cells), (s_doc, s_cells)):
            did = f"{doc['document_id']}-{i}"
            many_docs.append({**doc, "document_id": did})
            many_cells.append(c.assign(document_id=did))
    many = validate(pd.concat(many_cells, ignore_index=True), many_docs)
    assert many.document_id.nunique() == 60
    for did, mine in many.groupby("document_id", sort=False):
        assert mine[["check_name", "passed"]].values.tolist() == alone[did.rsplit("-", 1)[0]], did
