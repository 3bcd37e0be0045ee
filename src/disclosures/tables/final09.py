"""公开09 财政拨款"三公"经费支出决算表: 预算数 and 决算数 of each 三公 item.

Printed as two column groups of one data row (预算数 | 决算数, in either order,
or paired under each item); read as two rows keyed by the group.
"""

from disclosures.tables import Column, Identity, Table

T = "公开09"
ITEMS = ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")
CAR = ("公务用车购置费", "公务用车运行维护费")

TABLE = Table(
    code=T,
    report_kind="final",
    title="财政拨款三公经费支出决算表",
    titles=("财政拨款三公经费支出决算表", "三公经费财政拨款支出决算表"),
    reader="blocks",
    rows="block",
    required_rows=("预算数", "决算数"),
    # header order: the 小计 under 公务用车… is its total, so it is tried before the parts
    columns=(
        Column("公务用车购置及运行维护费", ("小计", "公务用车购置及运行维护费", "公务用车购置及运行费")),
        Column("公务用车购置费", ("公务用车购置费", "购置费", "车辆购置费")),
        Column("公务用车运行维护费", ("公务用车运行维护费", "公务用车运行费", "运行维护费", "运行费")),
        Column("因公出国（境）费", ("因公出国（境）费", "因公出国（境）", "出国")),
        Column("公务接待费", ("公务接待费", "接待费")),
        Column("合计", ("合计", "总计")),
    ),
    layout={
        "blocks": ("预算数", "决算数"),
        # how the narrative names each item (regex, tried in order): 三公 figures restate these columns
        "narrative_items": (
            (r"公务用车购置及运行(?:维护)?", "公务用车购置及运行维护费"),
            (r"公务用车购置", "公务用车购置费"),
            (r"公务用车运行(?:维护)?", "公务用车运行维护费"),
            (r"因公出国", "因公出国（境）费"),
            (r"公务接待", "公务接待费"),
            (r"三公经费", "合计"),
        ),
    },
    identities=(
        Identity(
            rule="公开09.合计=出国+公务用车+接待", family="sangong", guards=(("usable", T),),
            each=(("over", {"row": ("预算数", "决算数")}),), inst="{row}", row_key="{row}", column_key="合计",
            lhs=("{row}.合计",), rhs=tuple(f"{{row}}.{c}" for c in ITEMS),
            description="公开09 {row}: 合计 = " + " + ".join(ITEMS),
            lhs_desc="合计", rhs_desc=" + ".join(ITEMS),
        ),
        Identity(
            rule="公开09.公务用车=购置+运行维护", family="sangong", guards=(("usable", T),),
            each=(("over", {"row": ("预算数", "决算数")}),), inst="{row}", row_key="{row}",
            column_key="公务用车购置及运行维护费",
            lhs=("{row}.公务用车购置及运行维护费",), rhs=tuple(f"{{row}}.{c}" for c in CAR),
            description="公开09 {row}: 公务用车购置及运行维护费 = " + " + ".join(CAR),
            lhs_desc="公务用车购置及运行维护费", rhs_desc=" + ".join(CAR),
        ),
    ),
)
