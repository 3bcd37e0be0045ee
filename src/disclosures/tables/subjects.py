"""The national subject classifications the tables' rows are keyed by (政府收支分类科目).

Function subjects (支出功能分类, 类 level, 2024 edition) key the rows of the
function-code tables and name the category lines of the summary tables; a
category line is matched to its 类 code by name, and older editions' names are
kept as synonyms so older documents still match (医疗卫生与计划生育支出 → 210).
Economic subjects (部门预算支出经济分类, 类 level) key the basic-expenditure
detail tables. Final accounts and budgets share both.
"""

from __future__ import annotations

from disclosures.normalize import label_key

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

# 部门预算支出经济分类 类 codes.
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

# What each kind of coded row is keyed by: its codes' 类 vocabulary and lengths.
CODE_VOCABULARIES = {"function_code": (FUNCTION_CLASSES, (3, 5, 7)), "economic_code": (ECONOMIC_CLASSES, (3, 5))}


def function_class_of_name(name: str) -> str | None:
    """类 code for a category name as printed (enumeration and spaces ignored)."""
    key = label_key(name).replace("（类）", "")
    if key in FUNCTION_CLASS_BY_NAME:
        return FUNCTION_CLASS_BY_NAME[key]
    # tolerate a dropped trailing 支出 or a 的
    for cand in (key + "支出", key.replace("的", "")):
        if cand in FUNCTION_CLASS_BY_NAME:
            return FUNCTION_CLASS_BY_NAME[cand]
    return None
