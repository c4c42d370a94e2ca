"""Each rule fires on crafted data, stays silent otherwise, never on thin data."""

import numpy as np
import pandas as pd
import pytest

from leadroi.decide.rules import RULES, Context, recommend
from leadroi.params import RecommendSettings
from leadroi.periods import parse_period


def _bc(rows):
    df = pd.DataFrame(rows)
    for col, default in (("customers", 10), ("spend", 1000.0), ("revenue", 0.0), ("cac", 1.0),
                         ("cpl", 1.0), ("conversion_rate", 0.1)):
        if col not in df:
            df[col] = default
    df["too_few"] = df["leads"] < 30
    return df


def _ctx(bc=None, funnel=None, neck=None, response=None, **settings):
    empty_funnel = pd.DataFrame(columns=["stage", "leads", "conversion_from_previous_high"])
    no_channels = pd.DataFrame(columns=["channel", "leads", "roi", "roi_low", "roi_high",
                                        "too_few"])
    return Context(
        period=parse_period("2026-Q3"), by_channel=bc if bc is not None else no_channels,
        by_channel_previous=pd.DataFrame(), funnel=funnel if funnel is not None
        else empty_funnel, funnel_previous=empty_funnel, bottleneck=neck,
        response=response if response is not None else pd.DataFrame(),
        settings=RecommendSettings(**settings), min_leads=30)


CHANNELS = _bc([
    {"channel": "Loser", "leads": 500, "roi": -0.6, "roi_low": -0.8, "roi_high": -0.2},
    {"channel": "Winner", "leads": 400, "roi": 3.0, "roi_low": 2.1, "roi_high": 4.0},
    {"channel": "Unclear", "leads": 300, "roi": 0.2, "roi_low": -0.3, "roi_high": 0.9},
    {"channel": "Thin loser", "leads": 12, "roi": -0.9, "roi_low": -1.0, "roi_high": -0.5},
    {"channel": "Thin winner", "leads": 10, "roi": 9.0, "roi_low": 5.0, "roi_high": 12.0},
])


def test_cut_fires_only_where_whole_range_is_below_target():
    recs = RULES["cut_channel"](_ctx(CHANNELS))
    assert [r.subject for r in recs] == ["Loser"]
    assert recs[0].confidence == "high" and recs[0].metric == "roi"
    assert [r.subject for r in RULES["cut_channel"](_ctx(CHANNELS, target_roi=1.0))] == [
        "Loser", "Unclear"]


def test_scale_fires_only_where_whole_range_is_above_threshold():
    recs = RULES["scale_channel"](_ctx(CHANNELS))
    assert [r.subject for r in recs] == ["Winner"]
    assert RULES["scale_channel"](_ctx(CHANNELS, scale_roi=2.5)) == []
    assert RULES["scale_channel"](_ctx(CHANNELS, max_scale=0)) == []


def test_thin_groups_only_get_hold():
    recs = recommend(_ctx(CHANNELS))
    subjects = {(r.rule, r.subject) for r in recs}
    assert {("hold_channel", "Thin loser"), ("hold_channel", "Thin winner")} <= subjects
    assert not any(r.subject.startswith("Thin") and r.rule != "hold_channel" for r in recs)


def test_bottleneck_rule():
    funnel = pd.DataFrame({"stage": ["created", "first_contact", "needs_confirmed"],
                           "leads": [1000, 800, 200],
                           "conversion_from_previous_high": [np.nan, 0.82, 0.28]})
    neck = {"from_stage": "first_contact", "to_stage": "needs_confirmed", "entered": 800,
            "drop_off": 0.75, "previous_drop_off": 0.65, "change": 0.10}
    (rec,) = RULES["fix_bottleneck"](_ctx(funnel=funnel, neck=neck))
    assert rec.subject == "needs_confirmed" and rec.confidence == "high"
    assert rec.baseline == pytest.approx(0.25) and rec.target == pytest.approx(0.35)
    assert RULES["fix_bottleneck"](_ctx(funnel=funnel, neck=None)) == []


@pytest.mark.parametrize("rate, fires", [(0.55, True), (0.85, False)])
def test_response_rule(rate, fires):
    resp = pd.DataFrame({"channel": ["A", "B", None], "leads": [100, 100, 200],
                         "sla_rate": [rate - 0.1, rate + 0.1, rate], "median_hours": [30, 9, 20]})
    recs = RULES["fix_response_sla"](_ctx(response=resp))
    assert bool(recs) == fires
    if fires:
        assert recs[0].subject.startswith("A") and recs[0].target == 0.8


def test_recommend_orders_by_priority():
    recs = recommend(_ctx(CHANNELS))
    assert [r.rule for r in recs] == ["cut_channel", "scale_channel", "hold_channel",
                                      "hold_channel"]


def test_sample_recommends_cutting_cold_email(sample_data, sample_params):
    from leadroi.report.quarterly import analyse

    r = analyse(sample_data, sample_params)
    rules = {(x.rule, x.subject) for x in r.recommendations}
    assert ("cut_channel", "Cold email") in rules
    assert ("fix_bottleneck", "needs_confirmed") in rules
    assert r.recommendations[0].subject == "Cold email"


# -- rules that read the comparison (issue 6) ---------------------------------------------

from leadroi.compare import Comparison, group_tests  # noqa: E402


def _comparison(groups=None, saturated=(), pool=None):
    sat = pd.DataFrame({"channel": ["Winner", "Unclear"],
                        "saturated": ["Winner" in saturated, "Unclear" in saturated]})
    return Comparison(year_ago=None, headline=pd.DataFrame(), by_channel=pd.DataFrame(),
                      decomposition=pd.DataFrame(), decomposition_yoy=None,
                      groups=groups or {}, saturation=sat, exec_pool=pool or {})


def _with(comparison, bc=None, **settings):
    ctx = _ctx(bc, **settings)
    ctx.comparison = comparison
    return ctx


def test_scale_needs_room():
    assert [r.subject for r in RULES["scale_channel"](_with(_comparison()))] == []  # no bc
    fires = RULES["scale_channel"](_with(_comparison(), CHANNELS))
    assert [r.subject for r in fires] == ["Winner"]
    assert RULES["scale_channel"](_with(_comparison(saturated=("Winner",)), CHANNELS)) == []


def _drill(rows):
    df = pd.DataFrame(rows, columns=["group", "customers", "leads"]).assign(lost=0)
    total = {"group": None, "customers": df["customers"].sum(), "leads": df["leads"].sum(),
             "lost": 0}
    return pd.concat([df, pd.DataFrame([total])], ignore_index=True)


STRATEGY = _drill([("Industry targeting", 60, 500), ("Broad targeting", 25, 500),
                   ("Retargeting", 30, 500)])
CLOSE = _drill([("Industry targeting", 33, 500), ("Broad targeting", 30, 500)])
THIN = _drill([("Industry targeting", 9, 20), ("Broad targeting", 40, 1000)])


@pytest.mark.parametrize("drill, fires", [(STRATEGY, True), (CLOSE, False), (THIN, False)])
def test_promote_group(drill, fires):
    comp = _comparison(groups={"strategy": group_tests(drill, min_n=30)})
    recs = RULES["promote_group"](_with(comp))
    assert bool(recs) == fires
    if fires:
        (rec,) = recs
        assert rec.subject == "Industry targeting" and rec.dimension == "strategy"
        assert rec.metric == "group_conversion" and rec.baseline == pytest.approx(0.12)
        assert rec.evidence["worst"] == "Broad targeting"


def test_promote_group_needs_the_lift():
    comp = _comparison(groups={"strategy": group_tests(STRATEGY, min_n=30)})
    assert RULES["promote_group"](_with(comp, group_min_lift=2.0)) == []


POOL = {"exec_leads": 400.0, "exec_customers": 30.0, "exec_revenue": 3.0e6,
        "other_leads": 4000.0, "other_customers": 120.0, "other_revenue": 6.0e6,
        "pool": 25.0, "pool_open": 10.0, "pool_value": 5e5}


@pytest.mark.parametrize("change, fires", [({}, True), ({"pool": 3.0}, False),
                                           ({"exec_leads": 12.0}, False)])
def test_nurture_pool(change, fires):
    recs = RULES["nurture_pool"](_with(_comparison(pool={**POOL, **change})))
    assert bool(recs) == fires
    if fires:
        assert recs[0].metric == "exec_conversion" and recs[0].baseline == pytest.approx(0.075)


@pytest.mark.parametrize("change, fires", [
    ({}, True),  # 7,500 vs 1,500 per lead: 5x
    ({"exec_revenue": 0.5e6}, False),  # 1,250 per lead: not more valuable
    ({"exec_leads": 20.0}, False),  # too few executive leads to judge
])
def test_dedicated_team(change, fires):
    recs = RULES["dedicated_team"](_with(_comparison(pool={**POOL, **change})))
    assert bool(recs) == fires
    if fires:
        assert recs[0].evidence["ratio"] == pytest.approx(5.0)


def test_no_rule_fires_on_thin_data():
    """Every group too few to judge: only hold recommendations, whatever the numbers."""
    thin = CHANNELS[CHANNELS["too_few"]]
    comp = _comparison(groups={"strategy": group_tests(THIN, min_n=30)},
                       pool={**POOL, "exec_leads": 12.0, "other_leads": 20.0})
    recs = recommend(_with(comp, thin))
    assert {r.rule for r in recs} == {"hold_channel"}
