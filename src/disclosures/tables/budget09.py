"""预算09 “三公”经费预算表: one row of 预算数 by item (BUDGETS.md).

Shanghai: 合计 | 因公出国（境）费 | 公务接待费 | 公务用车购置及运行费 (小计 购置费 运行费)
| 机关运行经费, in 万元 while its other tables are in 元. Jiangsu: 合计 (三公 +
会议费 + 培训费, keyed 总计) | “三公”经费 (小计 出国 车(小计 购置 运行) 接待) | 会议费
| 培训费. Columns are mapped by their joined header path, so each 小计 and
合计 finds its own key.
"""

from disclosures.tables import Column, Identity, Table
from disclosures.tables.rules import cross

T = "预算09"
ITEMS = ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")
CAR = ("公务用车购置费", "公务用车运行维护费")
_READ = (("usable", T), ("cells", T))

TABLE = Table(
    code=T,
    report_kind="budget",
    title="三公经费预算表",
    titles=("三公经费和机关运行经费预算表", "三公经费、会议费、培训费支出预算表", "三公经费预算表",
            "一般公共预算三公经费支出表", "三公经费支出预算表"),
    reader="one_row",
    rows="block",
    templates=("shanghai", "jiangsu", "ministry"),
    units=("万元", "元"),
    # tried in order: the car 小计 before its parts, the 三公 total before the table's 合计
    columns=(
        Column("公务用车购置及运行维护费", ("公务用车购置及运行维护费小计", "公务用车购置及运行费小计")),
        Column("公务用车购置费", ("公务用车购置费", "购置费")),
        Column("公务用车运行维护费", ("公务用车运行维护费", "公务用车运行费", "运行维护费", "运行费")),
        Column("因公出国（境）费", ("因公出国（境）费", "因公出国（境）", "出国")),
        Column("公务接待费", ("公务接待费", "接待费")),
        Column("会议费"),
        Column("培训费"),
        Column("机关运行经费", ("机关运行经费预算数", "机关运行经费")),
        Column("合计", ("三公经费小计", "三公经费合计", "三公经费预算数合计", "三公经费预算数小计")),
        Column("总计", ("合计", "总计")),
    ),
    # each template prints its own items beside the 三公 合计
    optional_columns=("公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "因公出国（境）费", "公务接待费",
                      "会议费", "培训费", "机关运行经费", "总计"),
    # a bare 合计 is Jiangsu's 总计 (三公 + 会议费 + 培训费) only beside 会议费 or 培训费; the Ministry
    # template's 合计 is the 三公 total
    layout={"row_key": "预算数", "total_only_beside": ("总计", "合计", ("会议费", "培训费"))},
    identities=(
        Identity(
            rule="预算09.合计=出国+公务用车+接待", family="sangong", guards=_READ, row_key="预算数", column_key="合计",
            lhs=("预算数.合计",), rhs=tuple(f"预算数.{c}" for c in ITEMS),
            description="预算09 合计 = " + " + ".join(ITEMS), lhs_desc="合计", rhs_desc=" + ".join(ITEMS),
        ),
        Identity(
            rule="预算09.公务用车=购置+运行维护", family="sangong", guards=_READ, row_key="预算数",
            column_key="公务用车购置及运行维护费",
            lhs=("预算数.公务用车购置及运行维护费",), rhs=tuple(f"预算数.{c}" for c in CAR),
            description="预算09 公务用车购置及运行维护费 = " + " + ".join(CAR),
            lhs_desc="公务用车购置及运行维护费", rhs_desc=" + ".join(CAR),
        ),
        Identity(
            rule="预算09.总计=合计+会议费+培训费", family="sangong", guards=_READ + (("printed", "预算数.总计"),),
            row_key="预算数", column_key="总计",
            lhs=("预算数.总计",), rhs=("预算数.合计", "预算数.会议费", "预算数.培训费"),
            description="预算09 总计 = 三公经费合计 + 会议费 + 培训费", lhs_desc="总计", rhs_desc="合计 + 会议费 + 培训费",
        ),
        # usually (BUDGETS.md): they hold in every file read, neither is a rule
        cross(T, ("预算数.机关运行经费",), ("预算06:合计.公用经费",), spec=False, name="预算09机关运行经费=预算06公用经费",
              guards=(("printed", "预算数.机关运行经费"), ("printed", "预算06:合计.公用经费"))),
        cross(T, ("预算数.公务用车运行维护费",), ("预算06:30231.合计",), spec=False,
              name="预算09公务用车运行维护费=预算06公务用车运行维护费",
              guards=(("printed", "预算数.总计"), ("printed", "预算06:30231.合计"))),
    ),
)
