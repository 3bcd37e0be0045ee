"""Department profiles for random ledgers: which subjects a bureau spends on.

Each profile names the 项 a bureau of that kind typically uses and whether
the money is mostly 基本支出 (running the office) or 项目支出 (programmes),
so random documents look like a real 财政局 or 教育局 rather than noise.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Profile:
    slug: str  # ascii, for file names
    suffix: str  # appended to the region: 晋城市 + 财政局
    basic: tuple[str, ...]  # 项 funded mainly by 基本支出 (行政运行, 事业运行, 机构运行)
    project: tuple[str, ...]  # 项 funded by 项目支出
    gov_fund: tuple[str, ...] = ()  # 项 funded from 政府性基金 (彩票公益金, 土地出让)
    state_capital: tuple[str, ...] = ()  # 项 funded from 国有资本经营预算
    institutions: tuple[str, ...] = ()  # 二级预算单位 besides the bureau itself
    duties: tuple[str, ...] = field(default=())
    administrative: bool = True  # 行政单位 (机关运行经费) or 参照公务员法管理事业单位


PROFILES = {
    "kejiju": Profile(
        "kejiju", "科学技术局", ("2060101", "2060301"), ("2060199", "2060702"),
        institutions=("科学技术研究院", "科学技术发展中心"),
        duties=("拟订全市创新驱动发展战略方针以及科技发展规划和政策并组织实施。",
                "统筹推进创新体系建设和科技体制改革，健全技术创新激励机制。",
                "牵头建立统一的科技管理平台和科研项目资金协调、评估、监管机制。",
                "负责科技监督评价体系建设和相关科技评估管理。")),
    "caizhengju": Profile(
        "caizhengju", "财政局", ("2010601", "2010650"), ("2010602", "2010607", "2010608", "2010699"),
        state_capital=("2230105",), institutions=("财政国库支付中心", "财政投资评审中心"),
        duties=("贯彻执行财税方针政策，拟订全市财政发展规划和政策并组织实施。",
                "负责管理市级各项财政收支，编制年度市级预决算草案并组织执行。",
                "负责政府非税收入管理和政府采购监督管理工作。",
                "负责管理市级财政国库工作，实施国库集中收付制度。",
                "负责审核和汇总编制全市国有资本经营预决算草案。")),
    "jiaoyuju": Profile(
        "jiaoyuju", "教育局", ("2050101", "2050204", "2050302"), ("2050102", "2050299", "2050802"),
        gov_fund=("2296004",), institutions=("第一中学校", "第二中学校", "职业技术学校", "教师进修学校"),
        duties=("贯彻执行国家教育工作方针政策，拟订全市教育发展规划并组织实施。",
                "负责各级各类教育的统筹规划和协调管理。",
                "负责统筹管理本部门教育经费，参与拟定教育经费筹措、教育拨款的政策。",
                "负责全市教师队伍建设和教育督导评估工作。")),
    "weijianwei": Profile(
        "weijianwei", "卫生健康委员会", ("2100101", "2100401", "2100403"),
        ("2100102", "2100408", "2100409", "2100717", "2100199"),
        gov_fund=("2296013",), institutions=("疾病预防控制中心", "妇幼保健院", "卫生健康综合行政执法队"),
        duties=("组织拟订全市国民健康政策，拟订卫生健康事业发展规划并组织实施。",
                "协调推进深化医药卫生体制改革。",
                "制定并组织落实疾病预防控制规划和免疫规划。",
                "负责计划生育管理和服务工作，完善生育政策。")),
    "jiaotongju": Profile(
        "jiaotongju", "交通运输局", ("2140101", "2140112"), ("2140102", "2140104", "2140106", "2146001"),
        institutions=("公路管理段", "交通运输综合行政执法队"),
        duties=("贯彻执行国家和省交通运输方针政策，拟订全市交通运输发展规划并组织实施。",
                "负责全市公路、水路交通运输行业管理。",
                "负责全市农村公路建设、养护和管理工作。",
                "负责道路运输市场监管和交通运输安全生产监督管理工作。")),
    "renda": Profile(
        "renda", "人大常委会办公室", ("2010101", "2010150"), ("2010102",),
        institutions=("人大信息中心",),
        duties=("负责市人大常委会会议和主任会议的组织服务工作。",
                "负责常委会立法、监督等工作的综合协调与服务保障。",
                "负责代表联络和服务工作。")),
    "zhengfuban": Profile(
        "zhengfuban", "人民政府办公室", ("2010301", "2010350"), ("2010302", "2010399"),
        institutions=("政务信息中心",),
        duties=("负责市政府日常工作的综合协调和服务保障。",
                "负责市政府会议的组织工作，督促检查会议决定事项的落实。",
                "负责政务公开、政务信息和应急值守工作。")),
}

# The four departments of the bundled sample city, and their file-name slugs.
SAMPLE_PROFILES = ["caizhengju", "jiaoyuju", "weijianwei", "jiaotongju"]
