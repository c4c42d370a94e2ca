"""Column-mapping presets and the synonyms ``leadroi inspect`` matches column names with.

A preset says, per canonical table, which source column feeds each canonical column:
a tuple of candidate names, the first one present wins (exports differ between report
and API downloads: ``Create Date`` vs ``CreatedDate``). Names are compared after
:func:`normalise_name` (full-width folded, case and spaces ignored), so ``成交金额（元）``
matches ``成交金额(元)``. Adding a preset is adding one entry to :data:`PRESETS`.
"""

from __future__ import annotations

import re
import unicodedata

from leadroi.canonical import TABLES

__all__ = ["PRESETS", "SYNONYMS", "normalise_name", "preset_columns"]

Candidates = dict[str, tuple[str, ...]]


def normalise_name(name: str) -> str:
    """Column name for comparison: NFKC (full-width → ASCII), case-folded, without
    spaces, ``_``, ``-``, ``.`` or a leading byte-order mark."""
    folded = unicodedata.normalize("NFKC", str(name)).lstrip("\ufeff").casefold()
    return re.sub(r"[\s_\-.]+", "", folded)


def _canonical(table: str) -> Candidates:
    return {name: (name,) for name in TABLES[table].names}


#: seed 002, table 1 (销售线索转化跟踪总表), simplified and traditional characters
_ZH_TEMPLATE: dict[str, Candidates] = {
    "leads": {
        "lead_id": ("线索编号", "線索編號"),
        "lead_name": ("线索名称", "線索名稱"),
        "channel": ("来源渠道", "來源渠道"),
        "strategy": ("推广策略", "推廣策略"),
        "content": ("内容素材", "內容素材"),
        "created_at": ("获取时间", "獲取時間"),
        "owner": ("负责人", "負責人"),
        "customer_type": ("客户类型", "客戶類型"),
        "industry": ("客户行业", "客戶行業"),
        "first_contact_at": ("初次接触时间", "初次接觸時間"),
        "needs_confirmed_at": ("需求确认时间", "需求確認時間"),
        "proposal_at": ("方案提交时间", "方案提交時間"),
        "negotiation_at": ("商务谈判时间", "商務談判時間"),
        "won_at": ("成交时间", "成交時間"),
        "lost_at": ("流失时间", "流失时间(未成交)", "流失時間", "流失時間(未成交)"),
        "lost_reason": ("流失原因", "流失原因(未成交)", "流失原因(未成交)"),
        "amount": ("成交金额(元)", "成交金额", "成交金額(元)", "成交金額"),
        "acquisition_cost": ("获客成本(元)", "获客成本", "獲客成本(元)", "獲客成本"),
        "notes": ("备注", "備註", "備注"),
    },
    "deals": {
        "lead_id": ("线索编号", "線索編號"),
        "deal_id": ("商机编号", "订单编号", "合同编号"),
        "deal_name": ("商机名称", "合同名称"),
        "stage": ("商机阶段", "阶段", "销售阶段"),
        "amount": ("成交金额(元)", "成交金额", "合同金额(元)", "合同金额"),
        "created_at": ("创建时间",),
        "closed_at": ("关闭时间", "结束时间"),
        "won_at": ("成交时间",),
        "lost_at": ("流失时间", "流失时间(未成交)"),
        "lost_reason": ("流失原因", "流失原因(未成交)"),
    },
    "spend": {
        "date": ("日期", "投放日期"),
        "period": ("期间", "月份", "季度"),
        "channel": ("来源渠道", "渠道", "投放渠道"),
        "campaign": ("活动", "推广活动", "推广计划"),
        "cost_type": ("费用类型", "成本类型"),
        "amount": ("金额(元)", "金额", "花费(元)", "花费", "消耗(元)", "消耗"),
    },
}

#: HubSpot exports: contacts (as leads) and deals
_HUBSPOT: dict[str, Candidates] = {
    "leads": {
        "lead_id": ("Record ID", "Contact ID", "Record ID - Contact"),
        "lead_name": ("Company Name", "Associated Company", "Name"),
        "created_at": ("Create Date", "Create date", "Became a Lead Date"),
        "channel": ("Original Source", "Original Source Type", "Latest Source"),
        "campaign": ("Original Source Drill-Down 2", "First Campaign", "Original Campaign"),
        "strategy": ("Original Source Drill-Down 1",),
        "owner": ("Contact owner", "Contact Owner", "HubSpot Owner"),
        "region": ("State/Region", "Country/Region", "Country"),
        "industry": ("Industry",),
        "title": ("Job Title",),
        "company_size": ("Number of Employees", "Company size"),
        "first_contact_at": ("First Engagement Date", "Date of first engagement",
                             "Last Contacted"),
        "mql_at": ("Became a Marketing Qualified Lead Date",),
        "sql_at": ("Became a Sales Qualified Lead Date",),
        "won_at": ("Became a Customer Date",),
        "amount": ("Recent Deal Amount", "Total Revenue"),
        "score": ("HubSpot Score", "Lead Score"),
        "rating": ("Lead Rating",),
    },
    "deals": {
        "deal_id": ("Record ID", "Deal ID", "Record ID - Deal"),
        "lead_id": ("Associated Contact IDs", "Associated Contact ID", "Contact ID"),
        "deal_name": ("Deal Name",),
        "stage": ("Deal Stage",),
        "amount": ("Amount", "Amount in company currency"),
        "created_at": ("Create Date",),
        "closed_at": ("Close Date",),
        "lost_reason": ("Closed Lost Reason",),
    },
}

#: Salesforce exports: report labels first, then API names (Data Loader, Data Export)
_SALESFORCE: dict[str, Candidates] = {
    "leads": {
        "lead_id": ("Lead ID", "Id"),
        "lead_name": ("Company / Account", "Company", "Name", "Full Name"),
        "created_at": ("Create Date", "Created Date", "CreatedDate"),
        "channel": ("Lead Source", "LeadSource"),
        "campaign": ("Campaign Name", "Primary Campaign Source", "Campaign"),
        "owner": ("Lead Owner", "Owner", "Owner Name", "OwnerId"),
        "region": ("State/Province", "State", "Country"),
        "industry": ("Industry",),
        "title": ("Title",),
        "company_size": ("No. of Employees", "Employees", "NumberOfEmployees"),
        "sql_at": ("Converted Date", "ConvertedDate"),
        "rating": ("Rating",),
        "notes": ("Description",),
    },
    "deals": {
        "deal_id": ("Opportunity ID", "Id"),
        "lead_id": ("Lead ID", "Converted Lead ID", "LeadId"),
        "deal_name": ("Opportunity Name", "Name"),
        "stage": ("Stage", "StageName"),
        "amount": ("Amount",),
        "created_at": ("Created Date", "Create Date", "CreatedDate"),
        "closed_at": ("Close Date", "CloseDate"),
        "lost_reason": ("Loss Reason", "Closed Lost Reason", "Reason Lost"),
    },
}


def _from(tables: dict[str, Candidates]):
    def preset(table: str) -> Candidates:
        return dict(tables.get(table) or _canonical(table))
    return preset


#: preset name -> function(table name) -> {canonical column: candidate source names}.
#: A preset without an entry for a table falls back to the canonical names there.
PRESETS = {
    "canonical": _canonical,
    "zh-template": _from(_ZH_TEMPLATE),
    "hubspot": _from(_HUBSPOT),
    "salesforce": _from(_SALESFORCE),
}


def preset_columns(preset: str, table: str) -> Candidates:
    """Candidate source names of ``preset`` for each canonical column of ``table``."""
    return PRESETS[preset](table)


_LEADS_EXTRA: Candidates = {
    "lead_id": ("id", "lead id", "leadid", "lead number", "线索id", "编号", "客户编号",
                "线索号"),
    "lead_name": ("lead name", "company", "company name", "account", "客户名称", "公司名称",
                  "客户", "名称", "姓名"),
    "created_at": ("created", "create time", "created time", "date created", "lead date",
                   "创建时间", "录入时间", "留资时间", "线索时间", "提交时间", "注册时间"),
    "channel": ("source", "lead source", "channel", "来源", "渠道", "线索来源", "获客渠道",
                "投放渠道"),
    "campaign": ("campaign", "campaign name", "活动", "活动名称", "推广活动", "广告计划"),
    "strategy": ("strategy", "推广方式", "投放策略"),
    "content": ("content", "asset", "素材", "内容"),
    "owner": ("owner", "sales rep", "salesperson", "销售", "跟进人", "销售顾问", "归属人"),
    "region": ("region", "area", "province", "city", "地区", "区域", "省份", "城市"),
    "customer_type": ("customer type", "type", "客户类别"),
    "industry": ("industry", "sector", "行业", "所属行业"),
    "title": ("title", "job title", "position", "职位", "职务", "头衔"),
    "company_size": ("company size", "employees", "公司规模", "企业规模", "人数"),
    "first_contact_at": ("first contact", "first contacted", "首次联系时间", "首次跟进时间",
                         "首次响应时间"),
    "assigned_at": ("assigned", "assigned date", "分配时间", "分配日期"),
    "mql_at": ("mql date", "mql"), "sql_at": ("sql date", "sql"),
    "won_at": ("won date", "closed won date", "成交日期", "签约时间", "签约日期"),
    "lost_at": ("lost date", "closed lost date", "流失日期", "丢单时间"),
    "lost_reason": ("lost reason", "loss reason", "丢单原因", "未成交原因"),
    "amount": ("amount", "deal amount", "revenue", "deal value", "金额", "合同金额",
               "订单金额", "成交额"),
    "acquisition_cost": ("acquisition cost", "cost per lead", "获客成本", "线索成本"),
    "score": ("score", "lead score", "评分", "线索评分"),
    "nps": ("nps",), "rating": ("rating", "评级", "销售评级"),
    "notes": ("notes", "note", "comments", "remark", "备注", "说明"),
}

#: more names per table, beyond the presets', that ``leadroi inspect`` recognises
_EXTRA: dict[str, Candidates] = {
    "leads": _LEADS_EXTRA,
    "deals": {
        "lead_id": ("lead id", "contact id", "线索id"),
        "deal_id": ("deal id", "opportunity id", "商机id", "订单id"),
        "deal_name": ("deal name", "opportunity", "商机"),
        "stage": ("stage", "deal stage", "status", "阶段", "状态"),
        "amount": ("amount", "deal amount", "value", "金额", "订单金额"),
        "created_at": ("created", "created date", "创建日期"),
        "closed_at": ("close date", "closed date", "关闭日期"),
        "won_at": ("won date", "成交日期", "签约日期"),
        "lost_at": ("lost date", "流失日期"),
        "lost_reason": ("lost reason", "loss reason", "丢单原因"),
    },
    "spend": {
        "date": ("day", "spend date", "日期"), "period": ("month", "quarter", "月份"),
        "channel": ("source", "渠道"), "campaign": ("campaign name", "活动"),
        "cost_type": ("type", "cost category", "费用类别"),
        "amount": ("cost", "spend", "费用", "花费", "消耗", "金额"),
    },
    "touchpoints": {
        "lead_id": ("lead id", "contact id", "线索编号"),
        "touched_at": ("timestamp", "time", "date", "touch date", "触点时间", "时间"),
        "channel": ("source", "渠道", "来源渠道"), "campaign": ("campaign name", "活动"),
    },
    "targets": {
        "period": ("quarter", "month", "期间"), "channel": ("source", "渠道"),
        "metric": ("kpi", "指标"), "value": ("target", "goal", "目标", "目标值"),
    },
}


def _synonyms() -> dict[str, dict[str, set[str]]]:
    out: dict[str, dict[str, set[str]]] = {}
    for table, spec in TABLES.items():
        names = out.setdefault(table, {c: {normalise_name(c)} for c in spec.names})
        for preset in PRESETS.values():
            for canon, cands in preset(table).items():
                names[canon] |= {normalise_name(c) for c in cands}
        for canon, cands in _EXTRA.get(table, {}).items():
            names[canon] |= {normalise_name(c) for c in cands}
    return out


#: table -> canonical column -> normalised names that mean it (every preset's and more)
SYNONYMS = _synonyms()
