"""Metrics against hand-computed values on a small case (see the comments for the sums)."""

import datetime as dt

import numpy as np
import pytest
from conftest import lead

from leadroi import metrics
from leadroi.periods import parse_period

Q3, AS_OF = parse_period("2026-Q3"), dt.date(2026, 10, 31)

LEADS = [
    lead("S1", "SEO", "2026-07-02", won="2026-08-01", amount=10000),
    lead("S2", "SEO", "2026-07-03", won="2026-11-05", amount=5000),  # won after the cut-off
    lead("S3", "seo ", "2026-08-03"),                                 # spelt differently
    lead("S4", "SEO", "2026-09-30 23:59", lost_at="2026-10-02"),
    lead("W1", "Webinar", "2026-07-15", won="2026-09-01", amount="¥2万"),
    lead("W2", "Webinar", "2026-08-15"),
    lead("R1", "Referral", "2026-09-01"),                             # no spend rows
    lead("S0", "SEO", "2026-05-01", won="2026-06-01", amount=7000),   # Q2: not in the cohort
]
SPEND = [
    {"date": "2026-07-01", "channel": "SEO", "cost_type": "marketing", "amount": 1000},
    {"date": "2026-08-01", "channel": "SEO", "cost_type": "sales", "amount": 500},
    {"date": "2026-04-01", "channel": "SEO", "cost_type": "marketing", "amount": 999},
    {"date": "2026-09-01", "channel": "Webinar", "cost_type": "marketing", "amount": 3000},
    {"date": "2026-07-01", "channel": "Trade show", "cost_type": "marketing", "amount": 4000},
]


@pytest.fixture
def small(case):
    return case(leads=LEADS, spend=SPEND)


def test_by_channel_hand_computed(small):
    params, data = small
    bc = metrics.by_channel(data, Q3, AS_OF, min_leads=2).set_index("channel")
    seo = bc.loc["SEO"]
    assert (seo.leads, seo.customers) == (4, 1)                  # S2 won after the cut-off
    assert seo.revenue == 10000 and seo.spend == 1500 and seo.marketing_spend == 1000
    assert seo.cpl == 250 and seo.cac == 1500                   # 1000/4, 1500/1
    assert seo.roi == pytest.approx(8500 / 1500)                 # (10000-1500)/1500
    assert seo.roas == pytest.approx(10.0)                       # 10000/1000
    assert seo.conversion_rate == 0.25
    web = bc.loc["Webinar"]
    assert (web.leads, web.customers, web.revenue) == (2, 1, 20000)   # ¥2万 = 20000
    assert web.roi == pytest.approx((20000 - 3000) / 3000)


def test_edge_cases_are_undefined_not_infinite(small):
    _, data = small
    bc = metrics.by_channel(data, Q3, AS_OF, min_leads=2).set_index("channel")
    ref = bc.loc["Referral"]              # leads but no spend: ROI and CAC undefined
    assert ref.spend == 0 and np.isnan(ref.roi) and np.isnan(ref.cac) and ref.too_few
    show = bc.loc["Trade show"]           # spend but no leads
    assert show.leads == 0 and np.isnan(show.conversion_rate) and np.isnan(show.cpl)
    assert show.roi == -1.0
    numeric = bc.select_dtypes("number").to_numpy(dtype=float)
    assert not np.isinf(numeric).any()


def test_totals_recomputed_from_sums(small):
    _, data = small
    k = metrics.kpis(data, Q3, AS_OF)
    assert (k.leads, k.customers, k.revenue, k.spend) == (7, 2, 30000, 8500)
    assert k.roi == pytest.approx((30000 - 8500) / 8500)
    assert k.cac == 4250 and k.cpl == pytest.approx(8000 / 7)


def test_all_lost_and_no_spend(case):
    params, data = case(leads=[lead("1", "A", lost_at="2026-07-20"),
                               lead("2", "A", lost_at="2026-07-21")])
    bc = metrics.by_channel(data, Q3, AS_OF)
    row = bc.iloc[0]
    assert row.customers == 0 and row.conversion_rate == 0
    assert np.isnan(row.spend) and np.isnan(row.roi) and np.isnan(row.avg_deal)


def test_same_age_cut_off():
    q2 = parse_period("2026-Q2")
    assert metrics.same_age_as_of(Q3, AS_OF, q2) == dt.date(2026, 7, 31)
    assert metrics.same_age_as_of(Q3, dt.date(2026, 9, 30), q2) == dt.date(2026, 6, 30)


def test_spend_by_month_and_targets(case):
    _, data = case(leads=LEADS, spend=SPEND, targets=[
        {"period": "2026-Q3", "channel": "all", "metric": "revenue", "value": "3万"},
        {"period": "2026-q2", "metric": "leads", "value": 5}])
    sm = metrics.spend_by_month(data, Q3)
    assert sm["amount"].sum() == 8500 and set(sm["month"]) == {"2026-07", "2026-08", "2026-09"}
    t = metrics.targets_for(data, Q3)
    assert t.to_dict("records") == [{"channel": "all", "metric": "revenue", "value": 30000.0}]


def test_response_times(case):
    rows = [lead("1", "A", "2026-07-01 10:00", first_contact_at="2026-07-01 12:00"),
            lead("2", "A", "2026-07-01 10:00", first_contact_at="2026-07-03 10:00"),
            lead("3", "A", "2026-07-01 10:00")]  # never contacted: a miss
    _, data = case(leads=rows)
    r = metrics.response_times(data, Q3, AS_OF, sla_hours=24)
    overall = r[r["channel"].isna()].iloc[0]
    assert (overall.leads, overall.contacted, overall.within_sla) == (3, 2, 1)
    assert overall.median_hours == pytest.approx(25.0)   # median of 2 h and 48 h
    assert overall.sla_rate == pytest.approx(1 / 3)


def test_sample_by_channel_story(sample_data, sample_params):
    bc = metrics.by_channel(sample_data, Q3, AS_OF).set_index("channel")
    cold = bc.loc["Cold email"]
    assert cold.roi_high < 0                       # clearly loses money
    assert bc["cpl"].idxmax() == "Trade shows"     # costly ...
    assert bc.loc["Trade shows", "conversion_rate"] > 2 * bc["conversion_rate"].median()
    assert bc["cpl"].drop("Cold email").idxmin() == "Douyin feed ads"  # cheap ...
    assert bc.loc["Douyin feed ads", "conversion_rate"] < bc["conversion_rate"].median()


def test_trend_matches_same_age_cohorts(sample_data):
    """The one-query trend equals each quarter's cohort counted at the same age."""
    trend = metrics.quarterly_trend(sample_data, Q3, AS_OF).set_index("period")
    for label in ("2026-Q3", "2026-Q2", "2025-Q3"):
        p = parse_period(label)
        k = metrics.kpis(sample_data, p, metrics.same_age_as_of(Q3, AS_OF, p))
        row = trend.loc[label]
        assert (row.leads, row.customers) == (k.leads, k.customers)
        assert row.revenue == pytest.approx(k.revenue) and row.roi == pytest.approx(k.roi)
