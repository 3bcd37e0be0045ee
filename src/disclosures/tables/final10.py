"""公开10 部门决算公开相关信息统计表: procurement, running costs, vehicles (not printed by every province)."""

from disclosures.tables import Column, Identity, Table

T = "公开10"
PROCUREMENT = ("政府采购/合计", "政府采购/货物", "政府采购/工程", "政府采购/服务")
ADMIN_COSTS = ("机关运行经费/行政单位", "机关运行经费/参照公务员法管理事业单位")

TABLE = Table(
    code=T,
    report_kind="final",
    title="部门决算公开相关信息统计表",
    titles=("部门决算公开相关信息统计表",),
    reader="statistics",
    rows="label",
    columns=(Column("统计数"),),
    required=False,
    missing_severity="warn",
    known_rows=PROCUREMENT + ADMIN_COSTS + (
        "车辆数合计",
        "副部（省）级及以上领导用车",
        "主要负责人用车",
        "机要通信用车",
        "应急保障用车",
        "执法执勤用车",
        "特种专业技术用车",
        "离退休干部服务用车",
        "其他用车",
        "单价100万元（含）以上设备（不含车辆）",
    ),
    layout={
        # a line under a section heading is keyed section/line; other lines are counts
        "sections": (("政府采购", "政府采购"), ("机关运行经费", "机关运行经费"), ("国有资产", "国有资产")),
        "keyed_sections": ("政府采购", "机关运行经费"),
        # tried in order: 单价100万元（含）以上设备（不含车辆） is equipment, not a vehicle
        "count_units": (("设备", "台（套）"), ("车辆", "辆"), ("用车", "辆")),
        "default_count_unit": "个",
    },
    identities=(
        Identity(
            rule="公开10.政府采购合计=货物+工程+服务", family="procurement", guards=(("usable", T),),
            each=(("printed_column", {"rows": PROCUREMENT, "default": "统计数"}),),
            row_key=PROCUREMENT[0], column_key="{col}",
            lhs=(f"{PROCUREMENT[0]}.{{col}}",), rhs=tuple(f"{r}.{{col}}" for r in PROCUREMENT[1:]),
            description="公开10 政府采购 合计 = 货物 + 工程 + 服务",
            lhs_desc="政府采购/合计", rhs_desc="货物 + 工程 + 服务",
        ),
    ),
)
