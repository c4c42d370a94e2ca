"""Vocabulary and channel economics of the sample dataset (``leadroi sample``).

Each channel profile sets how many leads it brings, what they cost, how far they get
through the funnel and how large their deals are. The profiles are chosen so the sample
report has something to say: a cheap channel with poor leads, a costly one with good
leads, one that clearly loses money, and a funnel stage that is the bottleneck and gets
worse in the last quarter.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ChannelProfile", "CHANNELS", "VOCAB", "TITLES", "STAGES"]

#: Funnel stages after creation, in order, with their canonical timestamp columns.
STAGES = ("first_contact_at", "needs_confirmed_at", "proposal_at", "negotiation_at", "won_at")


@dataclass(frozen=True)
class ChannelProfile:
    key: str
    en: str
    zh: str
    share: float  # share of all leads
    cpl: float  # marketing spend per lead (CNY)
    sales_cpl: float  # sales spend per lead (CNY)
    stage_p: tuple[float, float, float, float, float]  # pass rates, see STAGES
    deal: float  # mean deal amount (CNY)
    cycle: float  # scale of days between stages
    exec_share: float  # share of leads with C-suite/VP+ titles
    response_h: float  # median hours to first contact
    growth: float  # lead volume growth per quarter
    stay: float = 0.5  # chance a customer buys again after each purchase (repeat deals)


CHANNELS: tuple[ChannelProfile, ...] = (
    # cheap but poor: lots of leads, few convert
    ChannelProfile("douyin", "Douyin feed ads", "抖音信息流", 0.25, 150, 110,
                   (0.78, 0.20, 0.36, 0.50, 0.30), 32_000, 5.0, 0.02, 14, 0.05, stay=0.3),
    # costly but good: few expensive leads that convert well into large deals
    ChannelProfile("tradeshow", "Trade shows", "行业展会", 0.07, 2600, 900,
                   (0.95, 0.40, 0.52, 0.58, 0.50), 115_000, 8.0, 0.18, 8, 0.0, stay=0.62),
    ChannelProfile("seo", "SEO", "SEO", 0.14, 400, 200,
                   (0.85, 0.30, 0.44, 0.52, 0.40), 52_000, 6.0, 0.05, 10, 0.02, stay=0.5),
    ChannelProfile("referral", "Referrals", "转介绍", 0.05, 1500, 500,
                   (0.95, 0.45, 0.55, 0.60, 0.52), 82_000, 5.5, 0.15, 6, 0.01, stay=0.72),
    ChannelProfile("baidu", "Baidu search", "百度搜索", 0.17, 420, 220,
                   (0.84, 0.27, 0.42, 0.50, 0.38), 55_000, 6.0, 0.04, 12, 0.0, stay=0.45),
    ChannelProfile("webinar", "Webinars", "网络研讨会", 0.11, 650, 380,
                   (0.88, 0.32, 0.46, 0.52, 0.42), 72_000, 7.0, 0.14, 10, 0.02, stay=0.58),
    # clearly loses money: weak conversion, small deals, heavy sales effort
    ChannelProfile("coldemail", "Cold email", "冷邮件", 0.11, 140, 520,
                   (0.55, 0.16, 0.32, 0.40, 0.30), 24_000, 7.0, 0.06, 30, 0.0, stay=0.25),
    ChannelProfile("linkedin", "LinkedIn ads", "LinkedIn广告", 0.10, 1250, 650,
                   (0.86, 0.30, 0.45, 0.50, 0.40), 105_000, 8.0, 0.30, 12, 0.03, stay=0.18),
)

# Parallel lists: index i of the en list translates index i of the zh list.
VOCAB: dict[str, dict[str, list[str]]] = {
    "region": {
        "en": ["East China", "North China", "South China", "West China", "Overseas"],
        "zh": ["华东", "华北", "华南", "西部", "海外"],
    },
    "industry": {
        "en": ["Education", "Healthcare", "Manufacturing", "Finance", "Retail", "Technology"],
        "zh": ["教育", "医疗", "制造", "金融", "零售", "科技"],
    },
    "customer_type": {"en": ["Enterprise", "SMB"], "zh": ["企业客户", "中小企业"]},
    "company_size": {
        "en": ["1-49", "50-199", "200-999", "1000+"],
        "zh": ["1-49人", "50-199人", "200-999人", "1000人以上"],
    },
    "content": {
        "en": ["Industry white paper", "Product demo video", "Customer case study",
               "Product page", "ROI calculator"],
        "zh": ["《行业白皮书》", "《产品演示视频》", "《客户案例集》", "产品介绍页", "ROI计算器"],
    },
    "strategy": {
        "en": ["Industry targeting", "Broad targeting", "Retargeting", "Region + age targeting"],
        "zh": ["行业定向", "广泛定向", "再营销", "地域+年龄定向"],
    },
    "lost_reason": {
        "en": ["Budget too low", "Long decision chain", "Competitor cheaper",
               "Need disappeared", "No response", "Bad timing"],
        "zh": ["预算不足", "决策链长", "竞品低价", "需求消失", "无法联系", "时机不成熟"],
    },
    "rating": {"en": ["A", "B", "C"], "zh": ["A", "B", "C"]},
    "product": {  # product lines of the deals (first purchase weights in generate.py)
        "en": ["Core platform", "Analytics module", "Integration services", "Training"],
        "zh": ["核心平台", "数据分析模块", "集成服务", "培训服务"],
    },
    "won_stage": {"en": ["Closed Won"], "zh": ["赢单"]},
    "owner": {
        "en": ["Alice Chen", "Bob Li", "Carol Wang", "David Zhang", "Emma Liu", "Frank Zhao",
               "Grace Sun", "Henry Wu", "Ivy Zhou", "Jack Xu", "Kate Ma", "Leo Hu"],
        "zh": ["陈晓丽", "李博", "王嘉欣", "张大伟", "刘艺", "赵凡",
               "孙雅", "吴昊", "周怡", "徐杰", "马凯", "胡磊"],
    },
    "company_prefix": {
        "en": ["Bright", "Blue River", "Golden", "Northstar", "Evergreen", "Summit", "Harbor",
               "Pioneer", "Crystal", "Redwood", "Silver Bay", "Oriental", "Everbright",
               "Jade", "Lotus", "Phoenix", "Great Wall", "Pearl", "Sunrise", "Yangtze"],
        "zh": ["明辉", "蓝河", "金鼎", "北辰", "长青", "峰顶", "港湾", "先锋", "晶彩", "红杉",
               "银湾", "东方", "光大", "玉泉", "莲华", "凤凰", "长城", "明珠", "旭日", "长江"],
    },
    "company_noun": {  # by industry, same order as VOCAB["industry"]
        "en": ["Education", "Health", "Manufacturing", "Capital", "Retail", "Technology"],
        "zh": ["教育科技", "医疗", "智能制造", "资本", "商贸", "信息技术"],
    },
    "pricing_visit": {"en": ["Visited the pricing page"], "zh": ["访问了价格页面"]},
    "company_suffix": {"en": ["Co., Ltd.", "Group", "Inc."],
                       "zh": ["有限公司", "集团", "股份有限公司"]},
    "note": {
        "en": ["Decision maker is the CEO; needs a second proposal",
               "Asked for an on-site demo", "Comparing us with two vendors",
               "Budget approved for next quarter", "Met at our booth"],
        "zh": ["决策人为CEO,需二次提案", "要求上门演示", "正在对比两家供应商",
               "预算下季度审批", "展会现场交换名片"],
    },
}

# Job titles by seniority band. The English sample also carries some Chinese titles and
# vice versa, as exports from mixed teams do.
TITLES: dict[str, dict[str, list[str]]] = {
    "c_suite": {
        "en": ["CEO", "CFO", "CTO", "COO", "CMO", "Chief Information Officer", "President"],
        "zh": ["首席执行官", "首席财务官", "首席技术官", "总裁", "董事长", "总经理", "CEO"],
    },
    "vp": {
        "en": ["VP of Sales", "Vice President, Marketing", "SVP Operations", "副总裁"],
        "zh": ["副总裁", "销售副总裁", "VP of Sales", "执行副总裁"],
    },
    "director": {
        "en": ["Director of IT", "Marketing Director", "Head of Procurement", "总监"],
        "zh": ["IT总监", "市场总监", "采购负责人", "Director of IT"],
    },
    "staff": {
        "en": ["Marketing Manager", "IT Manager", "Procurement Specialist", "Engineer",
               "Operations Manager", "Analyst", "经理"],
        "zh": ["市场经理", "IT经理", "采购专员", "工程师", "运营经理", "分析师", "Manager"],
    },
}
