"""Fixed vocabularies the validation rules need: subject codes, line keys, units.

Function subjects (支出功能分类科目, 类 level) follow the national 政府收支分类科目
(2024 edition). A 公开01 / 公开04 expenditure line is matched to its 类 code by
name; older editions' names are kept as synonyms so older documents still
match (e.g. 医疗卫生与计划生育支出 → 210, 国土海洋气象等支出 → 220).
"""

from __future__ import annotations

import re
import unicodedata

# 类 code → canonical name (2024 edition of 支出功能分类科目).
FUNCTION_CLASSES: dict[str, str] = {
    "201": "一般公共服务支出",
    "202": "外交支出",
    "203": "国防支出",
    "204": "公共安全支出",
    "205": "教育支出",
    "206": "科学技术支出",
    "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出",
    "209": "社会保险基金支出",
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
    "230": "转移性支出",
    "231": "债务还本支出",
    "232": "债务付息支出",
    "233": "债务发行费用支出",
    "234": "抗疫特别国债安排的支出",
}

# Names used by older editions or printed variants → 类 code.
_FUNCTION_CLASS_SYNONYMS: dict[str, str] = {
    "文化体育与传媒支出": "207",
    "文化旅游体育与传媒": "207",
    "医疗卫生与计划生育支出": "210",
    "医疗卫生支出": "210",
    "资源勘探信息等支出": "215",
    "资源勘探电力信息等支出": "215",
    "国土海洋气象等支出": "220",
    "国土资源气象等支出": "220",
    "债务发行费用": "233",
    "抗疫特别国债安排支出": "234",
}

FUNCTION_CLASS_BY_NAME: dict[str, str] = {v: k for k, v in FUNCTION_CLASSES.items()}
FUNCTION_CLASS_BY_NAME.update(_FUNCTION_CLASS_SYNONYMS)

# 部门预算支出经济分类 类 codes that may appear in 公开06.
ECONOMIC_CLASSES: dict[str, str] = {
    "301": "工资福利支出",
    "302": "商品和服务支出",
    "303": "对个人和家庭的补助",
    "307": "债务利息及费用支出",
    "309": "资本性支出（基本建设）",
    "310": "资本性支出",
    "311": "对企业补助（基本建设）",
    "312": "对企业补助",
    "313": "对社会保障基金补助",
    "399": "其他支出",
}
PERSONNEL_CLASSES = ("301", "303")
PUBLIC_CLASSES = ("302", "307", "309", "310", "311", "312", "313", "399")

# Tables whose rows are function subjects, and their columns in sum order:
# (total column, [addend columns]).
FUNCTION_TABLES = ("公开02", "公开03", "公开05", "公开07", "公开08")
ROW_SUMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "公开02": ("本年收入合计", ("财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")),
    "公开03": ("本年支出合计", ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")),
    "公开05": ("小计", ("基本支出", "项目支出")),
    "公开07": ("本年支出小计", ("本年支出基本支出", "本年支出项目支出")),
    "公开08": ("合计", ("基本支出", "项目支出")),
}
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "公开02": ("本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"),
    "公开03": ("本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"),
    "公开05": ("小计", "基本支出", "项目支出"),
    "公开07": ("年初结转和结余", "本年收入", "本年支出小计", "本年支出基本支出", "本年支出项目支出", "年末结转和结余"),
    "公开08": ("合计", "基本支出", "项目支出"),
}

# 公开01 lines.
INCOME_LINES_01 = (
    "一般公共预算财政拨款收入",
    "政府性基金预算财政拨款收入",
    "国有资本经营预算财政拨款收入",
    "上级补助收入",
    "事业收入",
    "经营收入",
    "附属单位上缴收入",
    "其他收入",
)
USE_OF_BALANCE_01 = "使用非财政拨款结余（含专用结余）"
INCOME_NON_LINES_01 = ("本年收入合计", "总计", "年初结转和结余")
EXPENDITURE_NON_LINES_01 = ("本年支出合计", "结余分配", "年末结转和结余", "总计")

# 公开04.
FUNDS_04 = ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")
COLUMNS_04 = ("合计",) + FUNDS_04
OPENING_04 = "年初财政拨款结转和结余"
CLOSING_04 = "年末财政拨款结转和结余"
EXPENDITURE_NON_LINES_04 = ("本年支出合计", CLOSING_04, "总计")

# 公开09.
SANGONG_COLUMNS = ("合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费")

# 公开10.
PROCUREMENT_ROWS = ("政府采购/合计", "政府采购/货物", "政府采购/工程", "政府采购/服务")
ADMIN_COST_ROWS = ("机关运行经费/行政单位", "机关运行经费/参照公务员法管理事业单位")

ALL_TABLES = tuple(f"公开{i:02d}" for i in range(1, 11))
# table_present severity when a table the document should contain is missing.
TABLE_PRESENT_SEVERITY = {t: "error" for t in ("公开01", "公开02", "公开03", "公开04", "公开05", "公开06", "公开09")}
TABLE_PRESENT_SEVERITY.update({"公开07": "warn", "公开08": "warn", "公开10": "warn"})

MONEY_UNIT = "元"
UNIT_DIVISOR = {"万元": 10000.0, "元": 1.0}

_ENUM = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d+[、.．](?!\d))")


def norm_label(text: object) -> str:
    """Normalise a printed label: NFKC, no whitespace, no leading enumeration, （）."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = re.sub(r"\s+", "", s)
    s = s.replace("(", "（").replace(")", "）")
    prev = None
    while prev != s:
        prev = s
        s = _ENUM.sub("", s)
    return s


def function_class_of_name(name: str) -> str | None:
    """类 code for a category name as printed (enumeration and spaces ignored)."""
    key = norm_label(name).replace("（类）", "")
    if key in FUNCTION_CLASS_BY_NAME:
        return FUNCTION_CLASS_BY_NAME[key]
    # tolerate a dropped trailing 支出 or a 的
    for cand in (key + "支出", key.replace("的", "")):
        if cand in FUNCTION_CLASS_BY_NAME:
            return FUNCTION_CLASS_BY_NAME[cand]
    return None
