"""Executive-lead reports: the segment's leads, its share of the spend, and the
non-monetary panel (rich case of conftest.py)."""

import datetime as dt

import pytest
from conftest import RICH_LEADS, RICH_SPEND, RICH_TARGETS

from leadroi import analyse
from leadroi.engine import collect
from leadroi.metrics import high_rated_unconverted, lead_facts, nonmonetary, segment_dataset
from leadroi.metrics.cohort import spend_in
from leadroi.periods import parse_period

Q3, AS_OF = parse_period("2026-Q3"), dt.date(2026, 10, 31)


def test_segment_keeps_executives_and_their_share_of_spend(rich):
    _, data = rich
    seg = segment_dataset(data, "c_suite")
    assert sorted(collect(seg.leads.select("lead_id"))["lead_id"]) == ["a1", "b1"]
    spend = collect(spend_in(seg, Q3)).groupby("channel")["amount"].sum()
    # A1 in July: a1 of a1, a2 -> 1,000 / 2. A in August: only a3 -> 0.
    # B-x in September: no lead of that campaign or month in B -> B's share over all
    # months (b1 of b1, b2, h3, h4) -> 1,000 / 4. C: no lead at all -> 0.
    assert spend.to_dict() == pytest.approx({"A": 500.0, "B": 250.0, "C": 0.0})
    assert segment_dataset(data, "all") is data


def test_nonmonetary_panel(rich):
    _, data = rich
    facts = lead_facts(segment_dataset(data, "vp_plus"), Q3, AS_OF, tag="vp_plus")
    panel = nonmonetary(facts)
    total = panel.iloc[-1]
    # answers 9, 6, 10, 8: promoters 2, detractors 1 -> NPS 100 x (2 - 1) / 4
    assert (total.leads, total.nps_responses, total.nps) == (4, 4, 25.0)
    assert total.mean_nps == pytest.approx(8.25)
    assert (total.rated, total.high_rated, total.unconverted_high_rated) == (4, 3, 2)
    assert total.high_rated_share == 0.75
    leads = high_rated_unconverted(facts)
    assert leads["lead_id"].tolist() == ["a2", "b2"]            # furthest stage first
    assert leads["status"].tolist() == ["lost", "lost"]
    assert leads["stage"].tolist() == ["needs_confirmed", "first_contact"]


def test_exec_report_runs_on_the_segment(case):
    params, data = case(leads=RICH_LEADS, spend=RICH_SPEND, targets=RICH_TARGETS,
                        segment="c_suite")
    r = analyse(data, params)
    assert r.segment == "c_suite" and r.totals["leads"] == 2
    assert r.totals["spend"] == pytest.approx(750)
    assert r.nonmonetary.iloc[-1]["nps"] == 100.0
    assert r.exec_unconverted.empty                              # a1 (A) was won
