"""Column mapping: presets (canonical, zh-template, hubspot, salesforce), explicit maps,
suggestions from synonyms, and the messages when a column is missing."""

from __future__ import annotations

import pytest
import zh_template

from leadroi.errors import DataError
from leadroi.intake.mapping import guess_table, resolve_mapping, suggest_mapping
from leadroi.intake.presets import PRESETS, normalise_name

HUBSPOT_CONTACTS = ["Record ID", "First Name", "Last Name", "Email", "Company Name",
                    "Job Title", "Contact owner", "Create Date", "Lifecycle Stage",
                    "Original Source", "Original Source Drill-Down 1",
                    "Original Source Drill-Down 2", "Became a Marketing Qualified Lead Date",
                    "Became a Sales Qualified Lead Date", "Became a Customer Date",
                    "Industry", "Number of Employees", "State/Region", "HubSpot Score"]
HUBSPOT_DEALS = ["Record ID", "Deal Name", "Deal Stage", "Amount", "Close Date",
                 "Create Date", "Pipeline", "Deal owner", "Associated Contact IDs",
                 "Closed Lost Reason"]
SALESFORCE_LEADS = ["Lead ID", "First Name", "Last Name", "Title", "Company / Account",
                    "Lead Source", "Lead Status", "Lead Owner", "Create Date", "Industry",
                    "Rating", "Converted Date", "No. of Employees", "State/Province"]
SALESFORCE_API_LEADS = ["Id", "FirstName", "LastName", "Company", "Title", "LeadSource",
                        "Status", "OwnerId", "CreatedDate", "Industry", "ConvertedDate"]
SALESFORCE_OPPS = ["Opportunity ID", "Opportunity Name", "Lead ID", "Stage", "Amount",
                   "Close Date", "Created Date", "Loss Reason"]


@pytest.mark.parametrize("preset, table, found, expected", [
    ("zh-template", "leads", zh_template.COLUMNS,
     {"lead_id": "线索编号", "created_at": "获取时间", "channel": "来源渠道",
      "needs_confirmed_at": "需求确认时间", "amount": "成交金额(元)",
      "acquisition_cost": "获客成本(元)", "lost_reason": "流失原因", "notes": "备注"}),
    ("hubspot", "leads", HUBSPOT_CONTACTS,
     {"lead_id": "Record ID", "created_at": "Create Date", "channel": "Original Source",
      "lead_name": "Company Name", "owner": "Contact owner", "title": "Job Title",
      "mql_at": "Became a Marketing Qualified Lead Date", "won_at": "Became a Customer Date",
      "score": "HubSpot Score", "campaign": "Original Source Drill-Down 2"}),
    ("hubspot", "deals", HUBSPOT_DEALS,
     {"deal_id": "Record ID", "lead_id": "Associated Contact IDs", "stage": "Deal Stage",
      "amount": "Amount", "closed_at": "Close Date", "created_at": "Create Date",
      "lost_reason": "Closed Lost Reason", "deal_name": "Deal Name"}),
    ("salesforce", "leads", SALESFORCE_LEADS,
     {"lead_id": "Lead ID", "created_at": "Create Date", "channel": "Lead Source",
      "lead_name": "Company / Account", "owner": "Lead Owner", "sql_at": "Converted Date",
      "company_size": "No. of Employees", "region": "State/Province"}),
    ("salesforce", "leads", SALESFORCE_API_LEADS,
     {"lead_id": "Id", "created_at": "CreatedDate", "channel": "LeadSource",
      "lead_name": "Company", "sql_at": "ConvertedDate"}),
    ("salesforce", "deals", SALESFORCE_OPPS,
     {"deal_id": "Opportunity ID", "lead_id": "Lead ID", "stage": "Stage",
      "amount": "Amount", "closed_at": "Close Date", "lost_reason": "Loss Reason"}),
])
def test_presets(preset, table, found, expected):
    got = resolve_mapping(preset, table, found, file="x.csv")
    assert {k: got[k] for k in expected} == expected
    assert len(set(got.values())) == len(got)           # each source column used once


def test_zh_template_matches_full_width_brackets_and_traditional_characters():
    found = ["線索編號", "獲取時間", "來源渠道", "成交金额（元）", " 备注 "]
    got = resolve_mapping("zh-template", "leads", found, file="x.csv")
    assert got == {"lead_id": "線索編號", "created_at": "獲取時間", "channel": "來源渠道",
                   "amount": "成交金额（元）", "notes": " 备注 "}


def test_explicit_mapping_with_a_preset_for_the_rest():
    got = resolve_mapping({"preset": "hubspot", "channel": "Original Source Drill-Down 1"},
                          "leads", HUBSPOT_CONTACTS, file="x.csv")
    assert got["channel"] == "Original Source Drill-Down 1"
    assert got["lead_id"] == "Record ID" and "strategy" not in got


@pytest.mark.parametrize("mapping, found, fragments", [
    ("hubspt", ["lead_id"], ["unknown mapping preset 'hubspot'".replace("hubspot", "hubspt"),
                             "'hubspot'"]),
    ({"lead_idd": "ID"}, ["ID"], ["'lead_idd'", "lead_id, lead_name"]),
    ({"lead_id": "Lead Id"}, ["Lead ID2", "created_at", "channel"],
     ["'Lead Id'", "Lead ID2"]),
    ("canonical", ["lead_id", "Create Date", "channel"],
     ["mandatory column 'created_at'", "Create Date", "created_at: Create Date", "mapping:"]),
    ("canonical", ["ID", "时间", "渠道"], ["'lead_id'", "lead_id: ID"]),
])
def test_mapping_errors_say_what_to_do(mapping, found, fragments):
    with pytest.raises(DataError) as err:
        resolve_mapping(mapping, "leads", found, file="leads.csv")
    msg = str(err.value)
    assert msg.startswith("leads.csv:") and err.value.exit_code == 2
    for fragment in fragments:
        assert fragment in msg, (fragment, msg)


def test_spend_needs_a_date_or_period():
    with pytest.raises(DataError, match="'date' or a 'period'"):
        resolve_mapping("canonical", "spend", ["channel", "amount", "day"], file="s.csv")


def test_suggestions_from_english_and_chinese_synonyms():
    found = ["客户编号", "创建时间", "线索来源", "合同金额", "销售顾问", "职位", "Unrelated"]
    assert suggest_mapping("leads", found) == {
        "lead_id": "客户编号", "created_at": "创建时间", "channel": "线索来源",
        "owner": "销售顾问", "title": "职位", "amount": "合同金额"}
    found = ["Lead Number", "Date Created", "Lead source", "Deal amount", "Remarks"]
    got = suggest_mapping("leads", found)
    assert got["lead_id"] == "Lead Number" and got["created_at"] == "Date Created"
    assert got["channel"] == "Lead source" and got["amount"] == "Deal amount"
    assert got["notes"] == "Remarks"                      # fuzzy: remark ~ remarks


@pytest.mark.parametrize("found, table", [
    (zh_template.COLUMNS, "leads"), (HUBSPOT_CONTACTS, "leads"), (HUBSPOT_DEALS, "deals"),
    (SALESFORCE_OPPS, "deals"), (["date", "channel", "cost_type", "amount"], "spend"),
    (["lead_id", "touched_at", "channel"], "touchpoints"),
    (["period", "channel", "metric", "value"], "targets"),
])
def test_guess_table(found, table):
    assert guess_table(found) == table


def test_every_preset_covers_every_table():
    from leadroi.canonical import TABLES

    for name, preset in PRESETS.items():
        for table, spec in TABLES.items():
            assert set(preset(table)) <= set(spec.names), (name, table)


def test_normalise_name():
    assert normalise_name("\ufeff Lead  ID ") == "leadid"
    assert normalise_name("成交金额（元）") == normalise_name("成交金额(元)")
    assert normalise_name("Original Source Drill-Down 1") == "originalsourcedrilldown1"
