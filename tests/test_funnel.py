import datetime as dt

import pandas as pd
from conftest import lead

from leadroi.funnel import bottleneck, funnel
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
