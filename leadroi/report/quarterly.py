"""Everything a quarterly report shows, computed once: :func:`analyse`.

The notebook calls it in one cell; the sections then only present what it returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from leadroi import compare, metrics
from leadroi.decide import actions, whatif
from leadroi.decide.rules import Context, Recommendation, recommend
from leadroi.intake.dataset import Dataset
from leadroi.metrics import funnel as funnel_mod
from leadroi.metrics.customer_value import CustomerValue, apply_measured, customer_value
from leadroi.metrics.model_cache import cached_score_model
from leadroi.metrics.predict import ScoreModel
from leadroi.params import Params
from leadroi.periods import Period

__all__ = ["QuarterResults", "analyse", "cohort_age"]


@dataclass
class QuarterResults:
    """Small frames with every number of a quarterly report (see :func:`analyse`).

    ``by_channel``/``totals`` are the channel drill-down without / as its all-leads row
    (``channel`` names the group); ``drilldowns`` holds every dimension's full
    drill-down (:data:`leadroi.metrics.DRILLDOWN_COLUMNS`, last row all leads).
    """

    period: Period
    previous: Period
    as_of: dt.date
    previous_as_of: dt.date
    by_channel: pd.DataFrame
    by_channel_previous: pd.DataFrame
    totals: pd.Series
    totals_previous: pd.Series
    funnel: pd.DataFrame
    funnel_previous: pd.DataFrame
    bottleneck: dict | None
    spend: pd.DataFrame
    trend: pd.DataFrame
    response: pd.DataFrame
    targets: pd.DataFrame
    recommendations: list[Recommendation] = field(default_factory=list)
    has_spend: bool = True
    segment: str = "all"
    drilldowns: dict[str, pd.DataFrame] = field(default_factory=dict)
    funnel_rates: pd.DataFrame = field(default_factory=pd.DataFrame)
    spend_campaign: pd.DataFrame = field(default_factory=pd.DataFrame)
    budget: pd.DataFrame = field(default_factory=pd.DataFrame)
    stage_times: pd.DataFrame = field(default_factory=pd.DataFrame)
    stale: pd.DataFrame = field(default_factory=pd.DataFrame)
    stale_owners: pd.DataFrame = field(default_factory=pd.DataFrame)
    score: pd.DataFrame = field(default_factory=pd.DataFrame)
    score_rules: pd.DataFrame = field(default_factory=pd.DataFrame)
    score_verdict: dict = field(default_factory=dict)
    score_rules_missing: list[str] = field(default_factory=list)
    seniority: pd.DataFrame = field(default_factory=pd.DataFrame)
    lost: pd.DataFrame = field(default_factory=pd.DataFrame)
    lost_pareto: pd.DataFrame = field(default_factory=pd.DataFrame)
    nonmonetary: pd.DataFrame | None = None
    exec_unconverted: pd.DataFrame | None = None
    history_leads: int = 0
    columns: list[str] = field(default_factory=list)
    leads_month: pd.DataFrame = field(default_factory=pd.DataFrame)
    comparison: compare.Comparison | None = None
    whatif: whatif.WhatIf | None = None
    action_review: pd.DataFrame = field(default_factory=pd.DataFrame)
    score_model: ScoreModel | None = None
    customer_value: CustomerValue | None = None

    @property
    def cohort_days(self) -> int:
        """Days between the middle of the period and the cut-off (the cohort's age)."""
        return cohort_age(self.period, self.as_of)


def cohort_age(period: Period, as_of: dt.date) -> int:
    """Days between the middle of ``period`` and the cut-off ``as_of``."""
    middle = period.start + (period.end - period.start) / 2
    return (as_of - middle).days


def _channel_frames(drill: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    named = drill.drop(columns="dimension").rename(columns={"group": "channel"})
    return named.iloc[:-1].reset_index(drop=True), named.iloc[-1]


def _quality_and_loss(facts: metrics.Facts, data: Dataset, params: Params) -> dict:
    """Stale leads, lead score, seniority, lost reasons and the executive panel."""
    n = params.min_leads
    stale = metrics.stale_leads(facts, stale_days=params.stale_days)
    score = metrics.score_calibration(facts.table, params.scoring.bands, min_leads=n)
    lost = metrics.lost_by_reason_channel(facts)
    exec_report = params.segment != "all"
    return dict(
        stale=stale, stale_owners=metrics.stale_by_owner(facts, stale), score=score,
        score_rules=metrics.score_rules(facts.table, params.scoring, min_leads=n),
        score_verdict=metrics.score_verdict(score, facts.table,
                                            good_auc=params.scoring.good_auc, min_leads=n),
        score_rules_missing=metrics.quality.rules_without_data(data.columns["leads"],
                                                               params.scoring),
        seniority=metrics.seniority_mix(facts.table, min_leads=n),
        lost=lost, lost_pareto=metrics.lost_pareto(lost),
        nonmonetary=metrics.nonmonetary(facts, params.executive) if exec_report else None,
        exec_unconverted=metrics.high_rated_unconverted(facts, params.executive)
        if exec_report else None)


def _score_model(data: Dataset, params: Params) -> ScoreModel:
    """The report's lead score (``data`` already segmented), from its cache if fitted."""
    return cached_score_model(data, params.window, data.as_of, params.scoring,
                              margin=params.value.margin)


def prefetch(params: Params) -> None:
    """Do the slowest first steps of this report's analysis ahead, into the caches: the
    load (:func:`leadroi.load_data`, which stores it in the load cache) and, for the
    quarterly report, the fitted lead score beside it. ``leadroi run`` calls this while
    the kernel starts; the notebook's own calls then read both entries (or wait for the
    ones being built: :func:`leadroi.intake.cache.claim`). Without a keyed load cache
    there is nothing to keep, and nothing is done."""
    from leadroi.intake.cache import cacheable
    from leadroi.intake.dataset import load_data

    if cacheable(params) is not None:
        return
    data = load_data(params)
    try:
        if params.report == "quarterly" and data.cache is not None and data.cache.keyed:
            _score_model(metrics.segment_dataset(data, params.segment), params)
    finally:
        data.engine.con.disconnect()


def analyse(data: Dataset, params: Params) -> QuarterResults:
    """Compute the quarterly report's numbers for ``params.period`` at ``data.as_of``.

    With ``segment`` set, everything is computed on the executive leads (and their share
    of the spend) only. The comparison period is the previous one, counted at the same
    age.
    """
    data = metrics.segment_dataset(data, params.segment)
    period, as_of, n = params.window, data.as_of, params.min_leads
    previous = period.previous()
    previous_as_of = metrics.same_age_as_of(period, as_of, previous)
    stages = params.funnel.stages
    kw = dict(funnel=params.funnel, scoring=params.scoring, value=params.value,
              stale_days=params.stale_days, tag=params.segment)
    facts = metrics.lead_facts(data, period, as_of, **kw)
    facts_prev = metrics.lead_facts(data, previous, previous_as_of, history=False, **kw)
    dims = tuple(dict.fromkeys(("channel",) + params.drilldowns))
    drills = metrics.drilldowns(facts, data, dims, min_leads=n, value=params.value,
                                cohort_days=cohort_age(period, as_of))
    deals = params.data.deals
    cv = customer_value(data, as_of, settings=params.customer_value, value=params.value,
                        first_purchase_days=deals.first_purchase_days if deals else 30)
    drills = apply_measured(cv, drills, value=params.value)
    bc, total = _channel_frames(drills["channel"])
    prev = metrics.drilldown(facts_prev, data, "channel", min_leads=n, value=params.value)
    bc_prev, total_prev = _channel_frames(apply_measured(
        cv, {"channel": prev}, value=params.value, fill=False)["channel"])
    fun = funnel_mod.funnel(data, period, as_of, stages)
    fun_prev = funnel_mod.funnel(data, previous, previous_as_of, stages)
    neck = funnel_mod.bottleneck(fun, fun_prev, min_leads=n, targets=params.funnel.targets)
    response = metrics.response_times(data, period, as_of, sla_hours=params.response_sla_hours)
    targets = metrics.targets_for(data, period)
    comparison = compare.compare(data, params, facts=facts, drilldowns=drills,
                                 by_channel_previous=bc_prev, totals_previous=total_prev,
                                 targets=targets)
    model = _score_model(data, params)
    ctx = Context(period=period, by_channel=bc, by_channel_previous=bc_prev, funnel=fun,
                  funnel_previous=fun_prev, bottleneck=neck, response=response,
                  settings=params.recommend, min_leads=n, comparison=comparison,
                  score_model=model, customer_value=cv)
    recs = recommend(ctx)
    results = QuarterResults(
        period=period, previous=previous, as_of=as_of, previous_as_of=previous_as_of,
        by_channel=bc, by_channel_previous=bc_prev, totals=total, totals_previous=total_prev,
        funnel=funnel_mod.compare_stages(fun, fun_prev, params.funnel.targets),
        funnel_previous=fun_prev, bottleneck=neck,
        spend=metrics.spend_by_month(data, period),
        trend=metrics.quarterly_trend(data, period, as_of, quarters=comparison.quarters),
        response=response, targets=targets,
        recommendations=recs, has_spend=data.spend is not None,
        segment=params.segment, drilldowns=drills,
        funnel_rates=funnel_mod.funnel_rates(total),
        spend_campaign=metrics.spend_by_campaign(data, period),
        budget=metrics.budget_vs_actual(targets, bc, total["spend"]),
        stage_times=metrics.stage_times(data, period, as_of, stages),
        history_leads=facts.history_leads, columns=list(data.columns["leads"]),
        leads_month=metrics.leads_by_month(facts),
        **_quality_and_loss(facts, data, params), comparison=comparison,
        whatif=whatif.reallocate(bc, recs, comparison.elasticity, params.whatif)
        if data.spend is not None else None, score_model=model, customer_value=cv,
    )
    results.action_review = actions.review(params.actions, results)
    return results
