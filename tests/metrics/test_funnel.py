import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import lead

from leadroi.metrics.funnel import bottleneck, funnel
from leadroi.periods import parse_period

Q3, AS_OF = parse_period("2026-Q3"), dt.date(2026, 10, 31)


def test_skipped_stages_count_as_passed(case):
    rows = [
        lead("A", "X", first_contact_at="2026-07-11", needs_confirmed_at="2026-07-12",
             won="2026-07-20", amount=1),                 # skipped proposal, negotiation
        lead("B", "X", first_contact_at="2026-07-11"),
        lead("C", "X", negotiation_at=""),
        lead("D", "X", needs_confirmed_at="2026-07-12"),  # skipped first contact
        lead("E", "X", proposal_at="2026-11-02"),         # after the cut-off: not counted
    ]
    _, data = case(leads=rows)
    f = funnel(data, Q3, AS_OF)
    assert f["stage"].tolist() == ["created", "first_contact", "needs_confirmed", "proposal",
                                   "negotiation", "won"]
    assert f["leads"].tolist() == [5, 3, 2, 1, 1, 1]
    assert f["conversion_from_previous"].iloc[1] == 0.6
    assert f["drop_off"].iloc[2] == 1 - 2 / 3


def test_bottleneck_and_change():
    cur = pd.DataFrame({"stage": ["created", "a", "b"], "leads": [100, 80, 20]})
    cur["drop_off"] = 1 - cur["leads"] / cur["leads"].shift(1)
    prev = cur.assign(leads=[100, 80, 40])
    prev["drop_off"] = 1 - prev["leads"] / prev["leads"].shift(1)
    b = bottleneck(cur, prev, min_leads=30)
    assert (b["from_stage"], b["to_stage"], b["entered"]) == ("a", "b", 80)
    assert b["drop_off"] == 0.75 and b["previous_drop_off"] == 0.5 and b["change"] == 0.25
    assert bottleneck(cur, None, min_leads=1000) is None


def test_sample_bottleneck_is_needs_confirmation(sample_data):
    from leadroi.metrics import same_age_as_of

    q2 = Q3.previous()
    f = funnel(sample_data, Q3, AS_OF)
    fp = funnel(sample_data, q2, same_age_as_of(Q3, AS_OF, q2))
    b = bottleneck(f, fp)
    assert (b["from_stage"], b["to_stage"]) == ("first_contact", "needs_confirmed")
    assert b["change"] > 0.03          # and it got worse than last quarter


def test_compare_with_previous_and_target():
    from leadroi.metrics.funnel import compare_stages

    cur = pd.DataFrame({"stage": ["created", "a", "b"], "leads": [100, 80, 20]})
    cur["drop_off"] = 1 - cur["leads"] / cur["leads"].shift(1)
    prev = cur.assign(leads=[100, 80, 40])
    prev["drop_off"] = 1 - prev["leads"] / prev["leads"].shift(1)
    table = compare_stages(cur, prev, {"b": 0.4, "a": 0.7})
    assert table["previous_conversion"].tolist()[1:] == [0.8, 0.5]
    assert table["change"].tolist()[1:] == pytest.approx([0.0, -0.25])
    assert table["gap_to_target"].tolist()[1:] == pytest.approx([0.1, -0.15])
    b = bottleneck(cur, prev, min_leads=30, targets={"b": 0.4, "a": 0.7})
    assert b["target"] == 0.4 and b["gap_to_target"] == pytest.approx(-0.15)
    assert b["most_worsened"] == "b" and b["most_short"] == "b"
    none = bottleneck(cur, None, min_leads=30)
    assert np.isnan(none["previous_drop_off"]) and np.isnan(none["target"])
    assert none["most_worsened"] is None and none["most_short"] is None


def test_funnel_rates_from_the_total_row(rich):
    from leadroi.metrics import drilldown, lead_facts
    from leadroi.metrics.funnel import funnel_rates

    _, data = rich
    total = drilldown(lead_facts(data, Q3, AS_OF), data, "channel", min_leads=1).iloc[-1]
    r = funnel_rates(total).set_index("metric")
    assert r.loc["conversion_rate", ["successes", "trials"]].tolist() == [3, 7]
    assert r.loc["mql_to_sql", ["successes", "trials"]].tolist() == [2, 3]
    assert r.loc["win_rate", ["successes", "trials"]].tolist() == [3, 5]
    assert r.loc["win_rate", "rate"] == 0.6
    assert (r["rate_low"] < r["rate"]).all() and (r["rate"] < r["rate_high"]).all()


def test_zero_leads_funnel(case):
    _, data = case(leads=[lead("A", "X", "2026-05-01")])
    f = funnel(data, Q3, AS_OF)
    assert f["leads"].sum() == 0 and f["conversion_from_previous"].isna().all()
    assert bottleneck(f, None, min_leads=1) is None
