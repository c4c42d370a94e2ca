"""Deals exported apart from the leads: reconciled, quarantined, then joined per lead
(amounts of won deals summed, earliest won date), and counted by the metrics."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from conftest import lead

from leadroi import metrics
from leadroi.engine import collect
from leadroi.errors import DataError
from leadroi.intake.dataset import load_data
from leadroi.params import load_params
from leadroi.periods import parse_period

LEADS = [lead("L1", "SEO", "2026-07-01 09:00"), lead("L2", "SEO", "2026-07-02 09:00"),
         lead("L3", "Webinar", "2026-07-03 09:00"),
         lead("L4", "Webinar", "2026-07-04 09:00", won="2026-07-20", amount="9000"),
         lead("L5", "Webinar", "2026-07-05 09:00")]
DEALS = [
    # L1: two won deals (summed, earliest date) and a lost one (ignored once won)
    {"deal_id": "D1", "lead_id": "L1", "stage": "Closed Won", "amount": "5万",
     "closed_at": "2026-08-10"},
    {"deal_id": "D2", "lead_id": "L1", "stage": "closedwon", "amount": "¥20,000",
     "closed_at": "2026-07-25"},
    {"deal_id": "D3", "lead_id": "L1", "stage": "Closed Lost", "amount": "99999",
     "closed_at": "2026-07-15"},
    # L2: lost only (latest lost date and its reason)
    {"deal_id": "D4", "lead_id": "L2", "stage": "Closed Lost", "amount": "1000",
     "closed_at": "2026-08-01", "lost_reason": "Budget"},
    {"deal_id": "D5", "lead_id": "L2", "stage": "输单", "amount": "2000",
     "closed_at": "2026-08-05", "lost_reason": "Timing"},
    # L3: open (pipeline amount, no outcome)
    {"deal_id": "D6", "lead_id": "L3", "stage": "Proposal", "amount": "7,000"},
    # quarantined: orphan, duplicate id, negative amount, won before the lead existed,
    # closed before the deal was created, missing lead id
    {"deal_id": "D7", "lead_id": "L9", "stage": "Closed Won", "amount": "1",
     "closed_at": "2026-08-01"},
    {"deal_id": "D1", "lead_id": "L5", "stage": "Closed Won", "amount": "1",
     "closed_at": "2026-08-01"},
    {"deal_id": "D8", "lead_id": "L5", "stage": "Closed Won", "amount": "-5",
     "closed_at": "2026-08-01"},
    {"deal_id": "D9", "lead_id": "L5", "stage": "Closed Won", "amount": "1",
     "closed_at": "2026-06-01"},
    {"deal_id": "D10", "lead_id": "L5", "stage": "Closed Won", "amount": "1",
     "created_at": "2026-08-02", "closed_at": "2026-08-01"},
    {"deal_id": "D11", "lead_id": "", "stage": "Closed Won", "amount": "1",
     "closed_at": "2026-08-01"},
    # quarantined: another currency than the report's (CNY)
    {"deal_id": "D12", "lead_id": "L3", "stage": "Closed Won", "amount": "300",
     "closed_at": "2026-08-01", "currency": "usd"},
    # L1 again: a repeat purchase more than 30 days after its first win, kept as a deal
    # but not part of the lead's first-purchase amount
    {"deal_id": "D13", "lead_id": "L1", "stage": "Closed Won", "amount": "4000",
     "closed_at": "2026-10-01", "currency": "CNY", "product": "Support"},
]


def _load(folder, deals=DEALS, **deal_source):
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(LEADS).to_csv(folder / "leads.csv", index=False)
    pd.DataFrame(deals).to_csv(folder / "deals.csv", index=False)
    doc = {"period": "2026-Q3", "as_of": "2026-10-31", "min_leads": 1,
           "data": {"leads": {"path": "leads.csv"},
                    "deals": {"path": "deals.csv", **deal_source}}}
    (folder / "p.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True))
    return load_data(load_params(folder / "p.yaml"))


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return _load(tmp_path_factory.mktemp("deals"))


def test_deals_reconcile_with_reasons(data):
    q = data.quality.set_index("table").loc["deals"]
    assert (q["rows_in"], q["rows_used"], q["rows_quarantined"]) == (14, 7, 7)
    reasons = data.reasons[data.reasons["table"] == "deals"]
    got = {(r.code, r.column): r.rows for r in reasons.itertuples()}
    assert got == {("orphan", "lead_id"): 1, ("duplicate_deal", "deal_id"): 1,
                   ("negative", "amount"): 1, ("before_lead_created", "closed_at"): 1,
                   ("before_created", "closed_at"): 1, ("missing", "lead_id"): 1,
                   ("other_currency", "currency"): 1}
    quarantine = collect(data.quarantine)
    deals = quarantine[quarantine["table"] == "deals"].set_index("row")
    assert deals.loc[7, "value"] == "L9" and deals.loc[8, "value"] == "D1"
    assert deals.loc[9, "value"] == "-5"


def test_deals_joined_per_lead(data):
    leads = collect(data.leads).set_index("lead_id")
    assert leads.loc["L1", "amount"] == 70000.0    # 50,000 + 20,000, not the repeat 4,000
    assert str(leads.loc["L1", "won_at"]) == "2026-07-25 00:00:00"  # earliest
    assert pd.isna(leads.loc["L2", "won_at"]) and leads.loc["L2", "amount"] == 3000.0
    assert str(leads.loc["L2", "lost_at"]) == "2026-08-05 00:00:00"
    assert leads.loc["L2", "lost_reason"] == "Timing"
    assert pd.isna(leads.loc["L3", "won_at"]) and leads.loc["L3", "amount"] == 7000.0
    assert pd.isna(leads.loc["L3", "lost_at"])
    assert leads.loc["L4", "amount"] == 9000.0                   # no deals: its own
    assert pd.isna(leads.loc["L5", "won_at"])                   # its deals quarantined
    assert len(leads) == 5


def test_metrics_count_the_joined_deals(data):
    got = metrics.by_channel(data, parse_period("2026-Q3"), data.as_of,
                             min_leads=1).set_index("channel")
    assert (got.loc["SEO", "customers"], got.loc["SEO", "revenue"]) == (1, 70000.0)
    assert (got.loc["Webinar", "customers"], got.loc["Webinar", "revenue"]) == (1, 9000.0)


def test_custom_stage_names(tmp_path):
    deals = [{"lead_id": "L1", "stage": "Signed", "amount": "100", "closed_at": "2026-08-01"}]
    data = _load(tmp_path, deals, won_stages=["signed"])
    assert str(collect(data.leads).set_index("lead_id").loc["L1", "won_at"]) == \
        "2026-08-01 00:00:00"
    data = _load(tmp_path / "default", deals)
    leads = collect(data.leads).set_index("lead_id")
    assert pd.isna(leads.loc["L1", "won_at"])                     # "Signed" is not won


def test_all_deals_quarantined_is_fatal(tmp_path):
    with pytest.raises(DataError, match="all 1 rows were quarantined") as err:
        _load(tmp_path, [{"lead_id": "nobody", "amount": "1"}])
    assert "deals.csv" in str(err.value) and "lead_id not in leads: 1" in str(err.value)
