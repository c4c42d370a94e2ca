"""Time in stage, stale leads and time to assignment on the rich case of conftest.py."""

import datetime as dt

import pytest

from leadroi.metrics import lead_facts, response_times, stage_times, stale_by_owner, stale_leads
from leadroi.params import FunnelSettings
from leadroi.periods import parse_period

Q3, AS_OF = parse_period("2026-Q3"), dt.date(2026, 10, 31)
STAGES = FunnelSettings().stages


def test_time_in_stage_uses_the_moves_of_the_period(rich):
    _, data = rich
    st = stage_times(data, Q3, AS_OF, STAGES)
    overall = st[st["channel"].isna()].set_index("stage")
    # created -> first contact in Q3: a1 0.5 d, a2 1 d, a3 2 d, b1 2 h, b2 1 d (a4's
    # contact on 10 Oct is not in Q3)
    assert overall.loc["created", "moves"] == 5
    assert overall.loc["created", "median_days"] == pytest.approx(1.0)
    # first contact -> needs confirmed: a1 3.5 d, a2 8 d, b1 4.5 d
    assert overall.loc["first_contact", "median_days"] == pytest.approx(4.5)
    # negotiation -> won: a1 16 d, b1 20 d 10 h
    assert overall.loc["negotiation", "moves"] == 2
    assert overall.loc["negotiation", "median_days"] == pytest.approx((16 + 20 + 10 / 24) / 2)
    a = st[st["channel"] == "A"].set_index("stage")
    assert a.loc["created", "moves"] == 3 and a.loc["created", "median_days"] == 1.0
    assert list(overall["next_stage"]) == ["first_contact", "needs_confirmed", "proposal",
                                           "negotiation", "won"]


def test_stale_leads_listed_by_owner(rich):
    _, data = rich
    facts = lead_facts(data, Q3, AS_OF, stale_days=30)
    stale = stale_leads(facts, stale_days=30)
    assert stale["lead_id"].tolist() == ["a3"]           # a4 moved 22 days ago
    row = stale.iloc[0]
    assert row.days_idle == 90 and row.stage == "first_contact" and row.owner == "Ann"
    assert row.pipeline_value == pytest.approx(0.5 * 8000)
    owners = stale_by_owner(facts, stale)
    assert owners["owner"].tolist() == ["Ann", None]
    assert owners.iloc[0][["open_leads", "stale_leads", "stale_share"]].tolist() == [2, 1, 0.5]
    assert owners.iloc[-1][["open_leads", "stale_leads"]].tolist() == [2, 1]
    assert stale_leads(facts, stale_days=100).empty


def test_time_to_assignment(rich):
    _, data = rich
    r = response_times(data, Q3, AS_OF, sla_hours=24)
    a = r[r["channel"] == "A"].iloc[0]
    assert a.assigned == 2 and a.assign_median_hours == pytest.approx(2.0)  # 1 h and 3 h
    overall = r[r["channel"].isna()].iloc[0]
    # a3 (48 h), a4 (15 days) and d1 (never contacted) miss the 24 h SLA
    assert overall.leads == 7 and overall.within_sla == 4
