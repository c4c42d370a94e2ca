"""Recommendations from the numbers, by explicit rules whose thresholds live in params.

Each rule is a function registered by name in :data:`RULES`; it reads a
:class:`Context` and returns :class:`Recommendation` objects carrying their evidence,
confidence, owner, deadline and tracking metric. Wording is left to the present layer
(the catalogue has ``rec.<rule>.*`` strings). No rule fires on a group that is "too few
to judge".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from leadroi.compare import Comparison
from leadroi.metrics.customer_value import CustomerValue
from leadroi.metrics.predict import ScoreModel
from leadroi.params import RecommendSettings
from leadroi.periods import Period

__all__ = ["Context", "Recommendation", "RULES", "rule", "recommend"]


@dataclass
class Context:
    """What the rules look at.

    Attributes
    ----------
    period : Period
    by_channel, by_channel_previous : DataFrame
        :func:`leadroi.metrics.by_channel` of the period and the comparison period.
    funnel, funnel_previous : DataFrame
        :func:`leadroi.metrics.funnel.funnel` of both periods.
    bottleneck : dict or None
        :func:`leadroi.metrics.funnel.bottleneck`.
    response : DataFrame
        :func:`leadroi.metrics.response_times` (last row: all channels).
    settings : RecommendSettings
    min_leads : int
    comparison : Comparison or None
        :func:`leadroi.compare.compare` (group tests, saturation, executive pool); the
        rules that need it stay silent without it.
    score_model : ScoreModel or None
        :func:`leadroi.metrics.predict.score_model`; ``call_priority_leads`` needs it used.
    customer_value : CustomerValue or None
        :func:`leadroi.metrics.customer_value.customer_value`; the retention and
        cross-sell rules need its measured values.
    """

    period: Period
    by_channel: pd.DataFrame
    by_channel_previous: pd.DataFrame
    funnel: pd.DataFrame
    funnel_previous: pd.DataFrame
    bottleneck: dict | None
    response: pd.DataFrame
    settings: RecommendSettings = field(default_factory=RecommendSettings)
    min_leads: int = 30
    comparison: Comparison | None = None
    score_model: ScoreModel | None = None
    customer_value: CustomerValue | None = None

    @property
    def deadline(self) -> dt.date:
        return self.period.last_day + dt.timedelta(days=self.settings.deadline_days)


@dataclass
class Recommendation:
    """One recommendation and its line in the action plan.

    ``metric`` is the tracking metric's key (``roi``, ``stage_conversion``, ``sla_rate``,
    ``leads``); ``baseline`` is its value now and ``target`` the value to reach by
    ``deadline``. ``evidence`` holds the numbers the wording quotes.
    """

    rule: str
    subject: str
    priority: int
    confidence: str
    owner: str
    deadline: dt.date
    metric: str
    baseline: float
    target: float
    evidence: dict = field(default_factory=dict)
    dimension: str | None = None
    direction: str = "up"


#: rule name -> function(Context) -> list of Recommendation
RULES: dict[str, Callable[[Context], list[Recommendation]]] = {}


def rule(name: str) -> Callable:
    """Decorator registering a recommendation rule under ``name``."""
    def deco(func: Callable[[Context], list[Recommendation]]):
        RULES[name] = func
        return func
    return deco


def _judged(ctx: Context) -> pd.DataFrame:
    bc = ctx.by_channel
    return bc[~bc["too_few"] & bc["roi"].notna()]


def _evidence(row: pd.Series) -> dict:
    keys = ("leads", "customers", "spend", "revenue", "roi", "roi_low", "roi_high",
            "conversion_rate", "cac", "cpl")
    return {k: row[k] for k in keys}


@rule("cut_channel")
def cut_channel(ctx: Context) -> list[Recommendation]:
    """Cut or cap a channel whose whole ROI range lies below the target ROI."""
    s = ctx.settings
    out = []
    for _, row in _judged(ctx).iterrows():
        if row["roi_high"] < s.target_roi:
            strong = row["leads"] >= 3 * ctx.min_leads
            out.append(Recommendation(
                "cut_channel", row["channel"], 1, "high" if strong else "medium",
                s.owners.channel, ctx.deadline, "roi", row["roi"], s.target_roi,
                _evidence(row)))
    return out


def _saturated(ctx: Context) -> dict[str, dict]:
    """Channel -> its saturation row, for the channels showing a saturation sign."""
    sat = ctx.comparison.saturation if ctx.comparison is not None else pd.DataFrame()
    if sat.empty:
        return {}
    return {r["channel"]: r.to_dict() for _, r in sat[sat["saturated"]].iterrows()}


@rule("scale_channel")
def scale_channel(ctx: Context) -> list[Recommendation]:
    """Scale the channels whose whole ROI range lies above the scale threshold and that
    still have room: no saturation sign (spend up with CPL up or leads flat) in their
    recent quarters."""
    s = ctx.settings
    good = _judged(ctx)
    saturated = _saturated(ctx)
    good = good[(good["roi_low"] > s.scale_roi) & ~good["channel"].isin(list(saturated))]
    out = []
    for _, row in good.sort_values("roi_low", ascending=False).head(s.max_scale).iterrows():
        out.append(Recommendation(
            "scale_channel", row["channel"], 4, "high" if row["roi_low"] > 2 * s.scale_roi
            else "medium", s.owners.channel, ctx.deadline, "roi", row["roi"], s.scale_roi,
            {**_evidence(row), "step": s.scale_step}))
    return out


@rule("hold_channel")
def hold_channel(ctx: Context) -> list[Recommendation]:
    """Hold budget where a channel has too few leads to judge."""
    bc = ctx.by_channel
    out = []
    for _, row in bc[bc["too_few"]].iterrows():
        out.append(Recommendation(
            "hold_channel", row["channel"], 5, "low", ctx.settings.owners.channel,
            ctx.deadline, "leads", float(row["leads"]), float(ctx.min_leads),
            _evidence(row)))
    return out


@rule("fix_bottleneck")
def fix_bottleneck(ctx: Context) -> list[Recommendation]:
    """Work on the stage transition that loses the largest share of leads."""
    b = ctx.bottleneck
    if b is None:
        return []
    conv = 1 - b["drop_off"]
    prev = 1 - b["previous_drop_off"] if not np.isnan(b["previous_drop_off"]) else np.nan
    target = max(conv + 0.03, prev) if not np.isnan(prev) else conv + 0.03
    row = ctx.funnel[ctx.funnel["stage"] == b["to_stage"]].iloc[0]
    worse = not np.isnan(prev) and row["conversion_from_previous_high"] < prev
    return [Recommendation(
        "fix_bottleneck", b["to_stage"], 2, "high" if worse else "medium",
        ctx.settings.owners.funnel, ctx.deadline, "stage_conversion", conv, float(target),
        {**b, "conversion": conv, "previous_conversion": prev})]


@rule("fix_response_sla")
def fix_response_sla(ctx: Context) -> list[Recommendation]:
    """Speed up first contact when too few leads are contacted within the SLA."""
    r = ctx.response
    if r.empty:
        return []
    overall = r[r["channel"].isna()].iloc[0]
    s = ctx.settings
    if not overall["sla_rate"] < s.sla_target or overall["leads"] < ctx.min_leads:
        return []
    per = r[r["channel"].notna() & (r["leads"] >= ctx.min_leads)].sort_values("sla_rate")
    worst = per.head(2)
    return [Recommendation(
        "fix_response_sla", ", ".join(worst["channel"]), 3, "high", s.owners.response,
        ctx.deadline, "sla_rate", float(overall["sla_rate"]), s.sla_target,
        {"sla_rate": float(overall["sla_rate"]), "median_hours": overall["median_hours"],
         "worst": list(zip(worst["channel"], worst["sla_rate"]))})]


@rule("promote_group")
def promote_group(ctx: Context) -> list[Recommendation]:
    """Seed 002's strategy attribution: put more behind the strategy or content asset
    whose conversion beats the rest by at least ``group_min_lift`` — only when the test
    says the difference is likely real (never on a group too few to judge)."""
    if ctx.comparison is None:
        return []
    s = ctx.settings
    out = []
    for dim, tests in ctx.comparison.groups.items():
        if dim == "seniority":
            continue  # executive leads have their own rules
        good = tests[(tests["verdict"] == "likely_real") & (tests["diff"] > 0)
                     & (tests["lift"] >= s.group_min_lift)]
        if good.empty:
            continue
        row = good.iloc[0]
        judged = tests[tests["verdict"] != "too_few"]
        out.append(Recommendation(
            "promote_group", str(row["group"]), 3, "high" if row["p_value"] < 0.01
            else "medium", s.owners.content, ctx.deadline, "group_conversion",
            float(row["rate"]), float(row["rate"]),
            {**row.to_dict(), "dimension": dim, "worst": str(judged.iloc[-1]["group"])},
            dimension=dim))
    return out


def _exec_ready(ctx: Context) -> dict | None:
    pool = ctx.comparison.exec_pool if ctx.comparison is not None else {}
    if not pool or pool["exec_leads"] < ctx.min_leads or pool["other_leads"] < ctx.min_leads:
        return None  # too few executive leads to judge
    return pool


@rule("nurture_pool")
def nurture_pool(ctx: Context) -> list[Recommendation]:
    """Move executive leads with a high sales rating that did not convert into a strategic
    nurture pool, when there are at least ``nurture_min_leads`` of them."""
    pool = _exec_ready(ctx)
    if pool is None or pool["pool"] < ctx.settings.nurture_min_leads:
        return []
    conv = pool["exec_customers"] / pool["exec_leads"]
    return [Recommendation(
        "nurture_pool", "exec", 3, "high" if pool["pool"] >= 3 * ctx.settings.nurture_min_leads
        else "medium", ctx.settings.owners.executive, ctx.deadline, "exec_conversion", conv,
        conv + 0.01, {**pool, "conversion": conv})]


@rule("dedicated_team")
def dedicated_team(ctx: Context) -> list[Recommendation]:
    """A dedicated follow-up team for the top executive leads, when executive leads bring
    ``exec_value_ratio`` times the revenue per lead of the others."""
    pool = _exec_ready(ctx)
    if pool is None:
        return []
    per_exec = pool["exec_revenue"] / pool["exec_leads"]
    per_other = pool["other_revenue"] / pool["other_leads"]
    if not per_other or per_exec < ctx.settings.exec_value_ratio * per_other:
        return []
    tests = ctx.comparison.groups.get("seniority", pd.DataFrame())
    real = tests[tests["group"].isin(["c_suite", "vp"]) & (tests["verdict"] == "likely_real")
                 & (tests["diff"] > 0)] if len(tests) else tests
    conv = pool["exec_customers"] / pool["exec_leads"]
    return [Recommendation(
        "dedicated_team", "exec", 3, "high" if len(real) else "medium",
        ctx.settings.owners.executive, ctx.deadline, "exec_conversion", conv,
        conv * 1.1, {**pool, "conversion": conv, "per_exec": per_exec,
                     "per_other": per_other, "ratio": per_exec / per_other,
                     "top": ctx.settings.exec_top})]


@rule("call_priority_leads")
def call_priority_leads(ctx: Context) -> list[Recommendation]:
    """Seed 001: put sales time on the open leads with the most potential — the
    predictive score's ranking (probability × expected deal), only when the model passed
    its guardrails (enough conversions, validation AUC)."""
    m = ctx.score_model
    if m is None or not m.used or m.priority.empty:
        return []
    s = ctx.settings
    val = m.validation.set_index("model")
    n = len(m.priority)
    strong = val.loc["model", "auc"] >= val.loc["rules", "auc"] + 0.05
    r = ctx.response
    sla = float(r[r["channel"].isna()]["sla_rate"].iloc[0]) if not r.empty else np.nan
    return [Recommendation(
        "call_priority_leads", "", 3, "high" if strong else "medium", s.owners.response,
        ctx.deadline, "sla_rate", sla, max(s.sla_target, sla) if sla == sla else
        s.sla_target,
        {"leads": n, "value": float(m.priority["expected_value"].sum()),
         "probability": float(m.priority["probability"].mean()),
         "auc": float(val.loc["model", "auc"]), "rules_auc": float(val.loc["rules", "auc"]),
         "open_leads": int(m.why.get("open_leads", 0))})]


@rule("retain_channel_customers")
def retain_channel_customers(ctx: Context) -> list[Recommendation]:
    """Seed 000: a channel is worth what its customers bring over their lifetime. A
    channel whose first-deal ROI range clears the target but whose customers stop buying
    clearly sooner than the others (its whole 12-month retention range below the overall
    rate, measured on enough customers) is not to be scaled on its first deal alone."""
    cv = ctx.customer_value
    if cv is None or not cv.has_history:
        return []
    total = cv.total
    overall = total["retention_12m"]
    if not np.isfinite(overall):
        return []
    s = ctx.settings
    rows = cv.group("channel")
    rows = rows[(rows["clv_basis"] == "measured") & (rows["retention_12m_high"] < overall)]
    judged = _judged(ctx).set_index("channel")
    out = []
    for _, row in rows.iterrows():
        ch = row["group"]
        if ch not in judged.index or not judged.loc[ch, "roi_low"] > s.target_roi:
            continue
        first = judged.loc[ch]
        strong = row["retention_12m_high"] < total["retention_12m_low"]
        out.append(Recommendation(
            "retain_channel_customers", ch, 3, "high" if strong else "medium",
            s.owners.customer, ctx.deadline, "retention_12m", float(row["retention_12m"]),
            float(overall),
            {"retention": row["retention_12m"], "retention_low": row["retention_12m_low"],
             "retention_high": row["retention_12m_high"], "overall": overall,
             "roi": first["roi"], "lifetime_roi": row["lifetime_roi"],
             "repeat_rate": row["repeat_rate"], "overall_repeat": total["repeat_rate"],
             "customers": int(row["observed"]), "clv": row["clv"],
             "overall_clv": total["clv"], "spend": first["spend"]}))
    return out


@rule("nurture_cross_sell")
def nurture_cross_sell(ctx: Context) -> list[Recommendation]:
    """Seed 003 (existing-customer operations): healthy customers who have bought one
    product line are the cheapest next revenue; hand them to account management."""
    cv = ctx.customer_value
    if cv is None or not cv.has_products or cv.health.empty:
        return []
    health = cv.health[cv.health["channel"].isna()].iloc[0]
    n = int(health["candidates"])
    rate = cv.total["cross_sell_rate"]
    if n < 1 or not np.isfinite(rate):
        return []
    return [Recommendation(
        "nurture_cross_sell", "", 4, "high" if n >= ctx.min_leads else "medium",
        ctx.settings.owners.customer, ctx.deadline, "cross_sell_rate", float(rate),
        float(rate) + 0.05,
        {"candidates": n, "rate": rate, "customers": int(health["customers"]),
         "value": float(cv.candidates["revenue"].sum()), "shown": len(cv.candidates)})]


def recommend(ctx: Context, rules: list[str] | None = None) -> list[Recommendation]:
    """Run the rules (all registered ones by default) and sort by priority.

    Returns
    -------
    list of Recommendation
        Highest priority first (cut; bottleneck; response, strategy/content, executive
        leads; scale; hold).
    """
    names = rules or list(RULES)
    recs = [r for name in names for r in RULES[name](ctx)]
    return sorted(recs, key=lambda r: (r.priority, -abs(r.evidence.get("spend", 0) or 0)))
