"""Drill-downs against hand-computed values (the rich case of conftest.py), edge cases, and
the counts of seed 002 table 2.

History behind the stage win rates (leads h1-h4 of Q2): furthest stage h1 won, h2 first
contact, h3 needs confirmed, h4 won (no stage dates: skipped stages count as passed).
P(win | reached stage): created 2/4, first contact 2/4, needs confirmed 2/3, later 1.
Historical deal: A 8,000 (h1), B 3,000 (h4), overall 5,500.
Spend of Q3: A 1,000 on campaign A1 (leads a1, a2: 500 each) + 1,000 without campaign
(a1-a4: 250 each, 125 marketing); B 1,000 on campaign B-x, which has no lead, so shared
by B's leads (b1, b2: 500 each); C 3,000 without leads; D none.
"""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import lead

from leadroi.metrics import (
    DRILLDOWN_COLUMNS,
    NO_LEADS,
    UNKNOWN,
    by_channel,
    drilldown,
    drilldowns,
    lead_facts,
)
from leadroi.params import ValueSettings
from leadroi.periods import parse_period

Q3, AS_OF = parse_period("2026-Q3"), dt.date(2026, 10, 31)
VALUE = ValueSettings(repeat_purchases=2.0)
DIMS = ["channel", "campaign", "industry", "seniority", "strategy"]


@pytest.fixture
def drills(rich):
    _, data = rich
    facts = lead_facts(data, Q3, AS_OF, value=VALUE)
    return drilldowns(facts, data, DIMS, min_leads=1, value=VALUE, cohort_days=77)


def _row(df: pd.DataFrame, group) -> pd.Series:
    return df[df["group"].isna()].iloc[0] if group is None else \
        df[df["group"] == group].iloc[0]


def test_same_columns_for_every_dimension(drills):
    assert set(drills) == {"channel", "campaign", "industry", "seniority"}  # no strategy data
    for dim, df in drills.items():
        assert list(df.columns) == DRILLDOWN_COLUMNS, dim
        assert (df["dimension"] == dim).all()
        assert df["group"].iloc[-1] is None                      # last row: all leads


def test_channel_a_hand_computed(drills):
    a = _row(drills["channel"], "A")
    assert (a.leads, a.customers, a.lost, a.mqls, a.sqls, a.execs) == (4, 1, 1, 2, 1, 2)
    assert a.conversion_rate == 0.25 and a.win_rate == 0.5 and a.mql_to_sql == 0.5
    assert a.exec_share == 0.5                                  # CEO + Vice President
    assert (a.spend, a.marketing_spend) == (2000, 1500)
    assert a.cpl == 375 and a.cac == 2000 and a.cac_marketing == 1500
    assert a.cost_per_sql == 1500                               # 1,500 / 1 SQL
    assert a.revenue == 10000 and a.avg_deal == 10000 and a.roi == 4.0
    assert a.roas == pytest.approx(10000 / 1500)
    assert a.clv == 20000 and a.ltv_cac == 10.0                 # 10,000 x 2 purchases
    assert a.payback_months == pytest.approx(2.4)               # 2,000 / (10,000 / 12)
    # open: a3 (stale since 3 Aug: 90 days) adds nothing; a4 (first contact 10 Oct) adds
    # P(win | first contact) 0.5 x A's deal 8,000
    assert a.open_leads == 2 and a.expected_revenue == pytest.approx(14000)
    assert a.expected_roi == pytest.approx(6.0)
    assert (a.bookings_customers, a.bookings_revenue) == (1, 10000)
    assert a.cycle_median_days == 30 and a.cycle_p75_days == 30
    assert not a.immature and not a.too_few


def test_channel_b_bookings_include_older_leads(drills):
    b = _row(drills["channel"], "B")
    assert (b.leads, b.customers, b.mqls, b.sqls) == (2, 1, 1, 1)  # SQL counts as MQL
    assert b.spend == 1000 and b.revenue == 20000 and b.roi == 19  # ¥2万
    # won in Q3: b1 (61 days) and h4, created in Q2 (44 days)
    assert (b.bookings_customers, b.bookings_revenue) == (2, 23000)
    assert b.bookings_roi == 22
    assert b.cycle_median_days == pytest.approx(52.5)
    assert b.cycle_p75_days == pytest.approx(44 + 0.75 * 17)


def test_spend_without_leads_and_leads_without_spend(drills):
    c = _row(drills["channel"], "C")
    assert c.leads == 0 and c.spend == 3000 and c.roi == -1.0 and c.too_few
    assert np.isnan(c.conversion_rate) and np.isnan(c.cpl) and np.isnan(c.cac)
    d = _row(drills["channel"], "D")
    assert d.leads == 1 and d.spend == 0 and d.cac == 0 and d.cpl == 0
    assert np.isnan(d.roi) and np.isnan(d.roas) and np.isnan(d.ltv_cac)
    for df in drills.values():
        assert not np.isinf(df.select_dtypes("number").to_numpy(dtype=float)).any()


def test_total_row_hand_computed_and_equal_in_every_dimension(drills):
    t = _row(drills["channel"], None)
    assert (t.leads, t.customers, t.lost, t.mqls, t.sqls, t.execs) == (7, 3, 2, 3, 2, 4)
    assert t.win_rate == 0.6 and t.spend == 6000 and t.marketing_spend == 5500
    assert t.revenue == 35000 and t.roi == pytest.approx(29000 / 6000)
    assert t.cac == 2000 and t.cost_per_sql == 2750
    assert t.ltv_cac == pytest.approx(70000 / 3 / 2000)
    assert t.expected_revenue == pytest.approx(39000)
    assert (t.bookings_customers, t.bookings_revenue) == (4, 38000)
    assert t.cycle_median_days == 37 and t.cycle_p75_days == pytest.approx(48.25)
    for dim, df in drills.items():
        pd.testing.assert_series_equal(_row(df, None).drop(["dimension"]),
                                       t.drop(["dimension"]), check_names=False, obj=dim)
        body = df.iloc[:-1]
        assert body["spend"].sum() == pytest.approx(6000), dim  # allocation adds up
        assert body["leads"].sum() == 7 and body["customers"].sum() == 3, dim


def test_allocated_spend_by_industry_and_campaign(drills):
    ind = drills["industry"]
    edu = _row(ind, "Education")                       # a1 750 + b1 500
    assert (edu.leads, edu.customers, edu.spend, edu.marketing_spend) == (2, 2, 1250, 1125)
    assert edu.roi == pytest.approx((30000 - 1250) / 1250)
    health = _row(ind, "Healthcare")                   # a2 750 + d1 0
    assert (health.spend, health.revenue) == (750, 5000)
    unknown = _row(ind, UNKNOWN)                       # a3 250 + a4 250 + b2 500
    assert unknown.spend == 1000 and unknown.roi == -1
    assert (unknown.bookings_customers, unknown.bookings_revenue) == (1, 3000)  # h4
    none = _row(ind, NO_LEADS)
    assert none.leads == 0 and none.spend == 3000
    camp = drills["campaign"]
    assert _row(camp, "A1").spend == 1500 and _row(camp, "A2").spend == 500
    assert _row(camp, UNKNOWN).spend == 1000


def test_seniority_drilldown(drills):
    sen = drills["seniority"].set_index("group")
    assert sen.loc["c_suite", "leads"] == 2 and sen.loc["c_suite", "customers"] == 2
    assert sen.loc["vp", "leads"] == 2 and sen.loc["vp", "customers"] == 0
    assert sen.loc["director", "leads"] == 1 and sen.loc["other", "leads"] == 1
    assert sen.loc["unknown", "leads"] == 1


def test_immature_when_cycle_outlasts_the_cohort(rich):
    _, data = rich
    facts = lead_facts(data, Q3, AS_OF, value=VALUE)
    df = drilldown(facts, data, "channel", min_leads=1, value=VALUE, cohort_days=40)
    flags = dict(zip(df["group"], df["immature"]))
    assert flags["B"] and not flags["A"] and not flags["D"]   # p75 56.75 > 40 > 30
    assert not flags["C"]                                      # no leads: nothing to mature


def test_margin_turns_revenue_into_gross_margin(rich):
    _, data = rich
    value = ValueSettings(margin=0.5, repeat_purchases=2.0)
    facts = lead_facts(data, Q3, AS_OF, value=value)
    a = _row(drilldown(facts, data, "channel", min_leads=1, value=value), "A")
    assert a.revenue == 10000 and a.gross_margin == 5000
    assert a.roi == 1.5 and a.roas == pytest.approx(5000 / 1500)   # (5,000 - 2,000) / 2,000
    assert a.clv == 10000 and a.payback_months == pytest.approx(4.8)
    assert a.expected_revenue == pytest.approx(5000 + 0.5 * 4000)    # deal 8,000 x 0.5


def test_zero_leads_in_the_period(case):
    _, data = case(leads=[lead("1", "A", "2026-05-01")],
                   spend=[{"date": "2026-07-01", "channel": "A", "cost_type": "marketing",
                           "amount": 100}])
    facts = lead_facts(data, Q3, AS_OF)
    df = drilldown(facts, data, "channel", min_leads=1)
    a, total = _row(df, "A"), _row(df, None)
    assert a.leads == 0 and a.spend == 100 and a.roi == -1 and a.too_few
    assert total.leads == 0 and total.spend == 100 and np.isnan(total.conversion_rate)
    assert np.isnan(total.win_rate) and np.isnan(total.cac) and np.isnan(total.ltv_cac)


def test_zero_spend_gives_undefined_roi(case):
    _, data = case(leads=[lead("1", "A", won="2026-08-01", amount=100)],
                   spend=[{"date": "2026-07-01", "channel": "A", "cost_type": "marketing",
                           "amount": 0}])
    bc = by_channel(data, Q3, AS_OF, min_leads=1).set_index("channel")
    assert bc.loc["A", "spend"] == 0 and np.isnan(bc.loc["A", "roi"])
    assert np.isnan(bc.loc["A", "roas"]) and np.isnan(bc.loc["A", "roi_low"])


def test_all_lost_and_no_won_deals(case):
    rows = [lead(str(i), "A", lost_at="2026-08-01", first_contact_at="2026-07-20",
                 lost_reason="Price") for i in range(4)]
    _, data = case(leads=rows, spend=[{"date": "2026-07-01", "channel": "A",
                                       "cost_type": "marketing", "amount": 400}])
    a = by_channel(data, Q3, AS_OF, min_leads=1).set_index("channel").loc["A"]
    assert a.customers == 0 and a.lost == 4 and a.win_rate == 0 and a.conversion_rate == 0
    assert a.win_rate_low == 0 and a.win_rate_high == pytest.approx(0.4899, abs=1e-4)
    assert a.roi == -1 and np.isnan(a.avg_deal) and np.isnan(a.clv) and np.isnan(a.cac)
    assert np.isnan(a.cycle_median_days) and a.bookings_customers == 0


# Seed 002, table 2: leads and won leads by channel, strategy and industry.
SEED_002 = {
    "channel": {"抖音信息流": (500, 40), "行业展会": (200, 30), "SEO": (300, 25)},
    "strategy": {"白皮书获客": (400, 50), "产品演示视频": (350, 20), "其他": (250, 25)},
    "industry": {"教育": (600, 60), "医疗": (250, 15), "制造": (150, 20)},
}


def _seed_002_leads() -> list[dict]:
    """1,000 leads whose channel, strategy and industry counts are those of table 2."""
    won = np.zeros(1000, bool)
    won[:95] = True
    columns = {}
    for dim, groups in SEED_002.items():
        labels = np.empty(1000, dtype=object)
        wins, losses = iter(np.flatnonzero(won)), iter(np.flatnonzero(~won))
        for name, (n, k) in groups.items():
            for i in [next(wins) for _ in range(k)] + [next(losses) for _ in range(n - k)]:
                labels[i] = name
        columns[dim] = labels
    return [lead(f"L{i:04d}", columns["channel"][i], f"2026-07-{1 + i % 28:02d} 09:00",
                 won=f"2026-08-{1 + i % 28:02d} 09:00" if won[i] else None,
                 amount=10000 if won[i] else None, strategy=columns["strategy"][i],
                 industry=columns["industry"][i]) for i in range(1000)]


def test_seed_002_table_2_conversion_rates(case):
    _, data = case(leads=_seed_002_leads())
    facts = lead_facts(data, Q3, AS_OF)
    drills = drilldowns(facts, data, list(SEED_002), min_leads=30)
    expected = {("channel", "抖音信息流"): 8.0, ("channel", "行业展会"): 15.0,
                ("channel", "SEO"): 8.3, ("strategy", "白皮书获客"): 12.5,
                ("strategy", "产品演示视频"): 5.7, ("industry", "教育"): 10.0,
                ("industry", "医疗"): 6.0}
    for (dim, name), rate in expected.items():
        row = _row(drills[dim], name)
        assert (row.leads, row.customers) == SEED_002[dim][name]
        assert round(row.conversion_rate * 100, 1) == rate, (dim, name)
        assert row.conversion_rate_low < row.conversion_rate < row.conversion_rate_high
