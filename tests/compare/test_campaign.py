"""Campaign retrospective: metrics by hand on a small case, benchmark selection (listed,
or earlier campaigns of the same channel/strategy), the campaign rules, the wording."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from leadroi.compare.campaign import select_benchmarks
from leadroi.decide.campaign_rules import CAMPAIGN_RULES
from leadroi.errors import DataError, ParamsError
from leadroi.params import CampaignSettings
from leadroi.report.campaign import analyse_campaign
from tests.conftest import lead

# W1 is the campaign (window July 2026, attribution 30 days). w1b is won after 41 days:
# not a customer; its first contact also falls after its window. w1d is outside the
# date window. W0 (April, same channel) is the earlier benchmark; X0 is another channel;
# W2 starts after the campaign.
LEADS = [
    lead("w1a", "Webinar", "2026-07-05 00:00", won="2026-07-20 00:00", amount=10000,
         campaign="W1", first_contact_at="2026-07-06 00:00", strategy="Demo"),
    lead("w1b", "Webinar", "2026-07-10 00:00", won="2026-08-20 00:00", amount=5000,
         campaign="W1", first_contact_at="2026-08-25 00:00", strategy="Demo"),
    lead("w1c", "Webinar", "2026-07-15 00:00", campaign="W1",
         first_contact_at="2026-07-16 00:00", rating="A", strategy="Demo"),
    lead("w1d", "Webinar", "2026-08-10 00:00", won="2026-08-12 00:00", amount=7000,
         campaign="W1", strategy="Demo"),
    lead("w0a", "Webinar", "2026-04-01 00:00", won="2026-04-11 00:00", amount=4000,
         campaign="W0", strategy="Demo"),
    lead("w0b", "Webinar", "2026-04-02 00:00", campaign="W0", strategy="Demo"),
    lead("x0a", "Email", "2026-04-05 00:00", won="2026-04-10 00:00", amount=3000,
         campaign="X0", strategy="Demo"),
    lead("w2a", "Webinar", "2026-09-01 00:00", won="2026-09-05 00:00", amount=1000,
         campaign="W2", strategy="Demo"),
]
SPEND = [
    {"date": "2026-07-01", "channel": "Webinar", "campaign": "W1", "cost_type": "marketing",
     "amount": 2000},
    {"date": "2026-08-01", "channel": "Webinar", "campaign": "W1", "cost_type": "marketing",
     "amount": 500},
    {"date": "2026-04-01", "channel": "Webinar", "campaign": "W0", "cost_type": "marketing",
     "amount": 1000},
    {"date": "2026-04-01", "channel": "Email", "campaign": "X0", "cost_type": "marketing",
     "amount": 600},
    {"date": "2026-09-01", "channel": "Webinar", "campaign": "W2", "cost_type": "marketing",
     "amount": 400},
]


def _campaign(case, **extra):
    settings = {"ids": ["W1"], "start": "2026-07-01", "end": "2026-07-31",
                "attribution_days": 30, **extra.pop("campaign", {})}
    params, data = case(leads=LEADS, spend=SPEND, report="campaign", campaign=settings,
                        **extra)
    return params, data, analyse_campaign(data, params)


def test_campaign_metrics_by_hand(case):
    _, _, r = _campaign(case)
    s = r.summary
    # w1a, w1b, w1c in the window; only w1a won within 30 days; July's spend only
    assert (s["leads"], s["customers"], s["revenue"], s["spend"]) == (3, 1, 10000, 2000)
    assert s["conversion_rate"] == pytest.approx(1 / 3)
    assert s["cpl"] == pytest.approx(2000 / 3)
    assert s["cac"] == pytest.approx(2000)
    assert s["roi"] == pytest.approx((10000 - 2000) / 2000)
    assert s["roas"] == pytest.approx(5.0)
    assert s["cycle_median"] == pytest.approx(15.0)
    assert s["high_rated_open"] == 1  # w1c, rated A, not won
    f = r.funnel.set_index("stage")["leads"]
    # w1a (contacted, and won), w1c; w1b's contact came after its window
    assert f["created"] == 3 and f["first_contact"] == 2 and f["won"] == 1
    assert r.immature_share == 0


def test_benchmark_auto_is_earlier_same_channel(case):
    _, _, r = _campaign(case)
    assert r.benchmark_mode == "auto" and r.benchmark_ids == ("W0",)
    b = r.benchmark
    assert (b["leads"], b["customers"], b["revenue"], b["spend"]) == (2, 1, 4000, 1000)
    assert b["roi"] == pytest.approx(3.0)
    row = r.campaigns.set_index("campaign").loc["W0"]
    assert row["roi"] == pytest.approx(3.0) and not row["is_this"]
    assert r.campaigns.iloc[0]["is_this"] and r.campaigns.iloc[0]["campaign"] == "W1"
    conv = r.tests.set_index("rate").loc["conversion_rate"]
    assert conv["campaign"] == pytest.approx(1 / 3) and conv["benchmark"] == pytest.approx(0.5)


def test_benchmark_listed(case):
    _, _, r = _campaign(case, campaign={"benchmarks": ["X0", "W2"]})
    assert r.benchmark_mode == "listed" and set(r.benchmark_ids) == {"X0", "W2"}
    b = r.benchmark
    assert (b["leads"], b["customers"], b["revenue"], b["spend"]) == (2, 2, 4000, 1000)


def test_unknown_ids_are_params_errors(case):
    with pytest.raises(ParamsError, match="W9"):
        _campaign(case, campaign={"ids": ["W9"]})
    with pytest.raises(ParamsError, match="'X1'.*Did you mean 'X0'"):
        _campaign(case, campaign={"benchmarks": ["X1"]})


def test_leads_without_campaign_column(case):
    rows = [{k: v for k, v in row.items() if k != "campaign"} for row in LEADS]
    params, data = case(leads=rows, report="campaign", campaign={"ids": ["W1"]})
    with pytest.raises(DataError, match="campaign column"):
        analyse_campaign(data, params)


def test_select_benchmarks_by_strategy():
    cands = pd.DataFrame({"campaign": ["a", "b", "c"], "channel": ["x", "y", "x"],
                          "strategy": ["s", "s", "t"],
                          "first_created": pd.to_datetime(["2026-01-01", "2026-02-01",
                                                           "2026-09-01"])})
    settings = CampaignSettings(ids=("z",), benchmark_by="strategy")
    ids, mode = select_benchmarks(cands, settings, key="s",
                                  start=pd.Timestamp("2026-07-01").date())
    assert (ids, mode) == (["a", "b"], "auto")
    ids, _ = select_benchmarks(cands, CampaignSettings(ids=("z",)), key="x",
                               start=pd.Timestamp("2026-07-01").date())
    assert ids == ["a"]  # c is later


def test_rules_repeat_stage_nurture(case):
    _, _, r = _campaign(case, recommend={"nurture_min_leads": 1})
    rules = {x.rule: x for x in r.recommendations}
    # ROI 400% above the only benchmark's 300% (its top quarter): repeat, capped CAC
    rep = rules["campaign_repeat"]
    assert rep.metric == "cac" and rep.direction == "down"
    assert rep.baseline == pytest.approx(2000) and rep.target == pytest.approx(2000)
    # the case has first contact and won only: contacted → won is 1 of 2 for the
    # campaign against the benchmark's 1 of 1 (first contact, 2 of 3 against 1 of 2, is
    # better than the benchmark)
    stage = rules["campaign_stage"]
    assert stage.subject == "won"
    assert stage.baseline == pytest.approx(0.5) and stage.target == pytest.approx(1.0)
    assert stage.evidence["lost"] == pytest.approx(1.0)
    nurture = rules["campaign_nurture"]
    assert nurture.evidence["pool"] == 1 and nurture.target == nurture.baseline + 1
    assert set(CAMPAIGN_RULES) == {"campaign_verdict", "campaign_stage", "campaign_nurture"}


def test_nothing_fires_when_too_few(case):
    _, _, r = _campaign(case, min_leads=5, recommend={"nurture_min_leads": 1})
    assert [x.rule for x in r.recommendations] == ["campaign_too_few"]
    assert all(v == "too_few" for v in r.funnel["verdict"].iloc[1:])


def _verdict(r) -> str:
    return next(x.rule for x in r.recommendations if x.evidence.get("median_roi")
                is not None or x.rule == "campaign_too_few")


def test_verdict_hold_repeat_fix(case):
    _, _, r = _campaign(case, campaign={"benchmarks": ["X0"]})
    # X0: 1 lead, 1 customer, 3000 on 600: ROI 400%, the campaign's own: hold
    assert r.medians["roi"] == pytest.approx(4.0)
    assert _verdict(r) == "campaign_hold"
    _, _, r = _campaign(case, campaign={"benchmarks": ["W2"]})
    assert r.medians["roi"] == pytest.approx((1000 - 400) / 400)
    assert _verdict(r) == "campaign_repeat"
    # 10 days: w1a (won after 15) no longer counts, X0 (won after 5) still does
    _, _, r = _campaign(case, campaign={"benchmarks": ["X0"], "attribution_days": 10})
    assert r.summary["customers"] == 0 and r.summary["roi"] == pytest.approx(-1.0)
    fix = next(x for x in r.recommendations if x.rule == "campaign_fix")
    assert fix.metric == "roi" and fix.target == pytest.approx(4.0)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sections_render(case, lang):
    from leadroi.report.sections import campaign as retro
    from leadroi.report.view import ReportView

    params, data, r = _campaign(case, language=lang, recommend={"nurture_min_leads": 1})
    view = ReportView(params, channels=data.channels())
    html = "".join(str(f(view, r)) for f in (
        retro.campaign_summary, retro.campaign_input, retro.campaign_output,
        retro.campaign_comparison, retro.campaign_recommendations))
    assert "W1" in html and "<img" in html
    names = {t.name for t in view.tables}
    assert {"campaign_input", "campaign_kpis", "campaign_stages", "campaign_benchmarks",
            "campaign_actions"} <= names
    plan = next(t for t in view.tables if t.name == "campaign_actions").data
    assert list(plan["plan_rule"]) == [x.rule for x in r.recommendations]
    assert not any(math.isnan(x) for x in plan["plan_target"] if isinstance(x, float))
