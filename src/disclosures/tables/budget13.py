"""预算13 政府采购支出预算表: procurement by category, project and item (Jiangsu; BUDGETS.md).

Rows: 合计; the 采购品目大类 (货物 / 工程 / 服务); a subtotal line per 专项名称 ×
经济科目 (`大类/专项名称/经济科目`); an item line under it
(`大类/专项名称/经济科目/采购物品名称/采购组织形式`). A blank 专项名称, 经济科目
or 采购物品名称 repeats the one above, also across a page break.
"""

from disclosures.tables import Column, Identity, Table

T = "预算13"
_READ = (("usable", T), ("cells", T))

TABLE = Table(
    code=T,
    report_kind="budget",
    title="政府采购支出预算表",
    titles=("政府采购支出预算表", "政府采购预算表"),
    reader="procurement",
    rows="label",
    templates=("jiangsu",),
    # not in every 2017/2018 file
    required=False,
    missing_severity="warn",
    units=("万元", "元"),
    columns=(Column("合计", ("总计", "合计", "金额")),),
    layout={
        "categories": ("货物", "工程", "服务"),
        # header words of the label columns, in the order a line's key joins them
        "levels": (("大类", "品目"), ("专项",), ("经济科目",), ("物品", "品名"), ("组织形式", "采购方式")),
    },
    identities=(
        Identity(
            rule="预算13.合计=Σ大类", family="procurement", guards=_READ, row_key="合计", column_key="合计",
            each=(("nested", {"parent_depth": 0, "child_depth": 1}),),
            lhs=("合计.合计",), rhs=("for c in children: {c}.合计",),
            description="预算13 合计 = sum of the {n} 采购品目大类 ({children_comma})",
            lhs_desc="合计", rhs_desc="{children_plus}",
        ),
        Identity(
            rule="预算13.大类=Σ专项", family="procurement", guards=_READ, row_key="{parent}", column_key="合计",
            each=(("nested", {"parent_depth": 1, "child_depth": 3}),), inst="{parent}",
            lhs=("{parent}.合计",), rhs=("for c in children: {c}.合计",),
            description="预算13 {parent} = sum of its {n} 专项 × 经济科目 lines",
            lhs_desc="{parent}", rhs_desc="sum of {n} lines",
        ),
        Identity(
            rule="预算13.专项=Σ品目", family="procurement", guards=_READ, row_key="{parent}", column_key="合计",
            each=(("nested", {"parent_depth": 3, "child_depth": 5}),), inst="{parent}",
            lhs=("{parent}.合计",), rhs=("for c in children: {c}.合计",),
            description="预算13 {parent} = sum of its {n} items", lhs_desc="{parent}", rhs_desc="sum of {n} items",
        ),
    ),
)
