"""Recommendation rules of a campaign retrospective, registered like the quarterly ones.

Each rule reads a :class:`~leadroi.compare.campaign.CampaignResults` and the params and returns
:class:`~leadroi.decide.rules.Recommendation` objects (evidence, confidence, owner,
deadline, tracking metric, baseline and target: one line of seed 002's optimisation
plan). Thresholds come from the params (``min_leads``, ``compare.alpha``,
``recommend.nurture_min_leads``, ``recommend.deadline_days``, the owners). Nothing
fires on a campaign or a stage that is too few to judge, except the verdict rule saying
exactly that.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import numpy as np

from leadroi.decide.rules import Recommendation
from leadroi.params import Params

__all__ = ["CAMPAIGN_RULES", "campaign_rule", "recommend_campaign", "verdict_of_campaign"]

#: rule name -> function(CampaignResults, Params) -> list of Recommendation
CAMPAIGN_RULES: dict[str, Callable] = {}


def campaign_rule(name: str) -> Callable:
    """Decorator registering a campaign rule under ``name``."""
    def deco(func: Callable) -> Callable:
        CAMPAIGN_RULES[name] = func
        return func
    return deco


def _deadline(r, params: Params) -> dt.date:
    return max(r.as_of, r.end) + dt.timedelta(days=params.recommend.deadline_days)


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _evidence(r) -> dict:
    s, m = r.summary, r.medians
    test = r.tests.set_index("rate").loc["conversion_rate"]
    return {"leads": s["leads"], "customers": s["customers"], "revenue": s["revenue"],
            "spend": s["spend"], "roi": s["roi"], "cac": s["cac"],
            "rate": s["conversion_rate"], "benchmark_rate": test["benchmark"],
            "p_value": test["p_value"], "verdict": test["verdict"], "diff": test["diff"],
            "median_roi": m["roi"], "median_cac": m["cac"], "n": r.judged_benchmarks}


def verdict_of_campaign(r) -> str:
    """``too_few``, ``repeat``, ``fix`` or ``hold``.

    ``repeat`` when the ROI beats the benchmark median and either the conversion is
    likely really higher or the ROI is in the benchmarks' top quarter; ``fix`` the mirror
    image (below the median, and conversion likely really lower or ROI in the bottom
    quarter); ``hold`` otherwise. ``too_few`` when the campaign or every benchmark
    campaign is too few to judge.
    """
    if bool(r.summary["too_few"]) or r.judged_benchmarks == 0:
        return "too_few"
    ev = _evidence(r)
    bench = r.campaigns[~r.campaigns["is_this"] & ~r.campaigns["too_few"]]
    real = ev["verdict"] == "likely_real"
    roi, med = ev["roi"], ev["median_roi"]
    if _nan(roi) or _nan(med):  # no spend: judge on conversion alone
        if real:
            return "repeat" if ev["diff"] > 0 else "fix"
        return "hold"
    high, low = bench["roi"].quantile(0.75), bench["roi"].quantile(0.25)
    if roi > med and ((real and ev["diff"] > 0) or roi >= high):
        return "repeat"
    if roi < med and ((real and ev["diff"] < 0) or roi <= low):
        return "fix"
    return "hold"


@campaign_rule("campaign_verdict")
def campaign_verdict(r, params: Params) -> list[Recommendation]:
    """Repeat / scale the format, fix it, hold, or say it is too few to judge."""
    verdict = verdict_of_campaign(r)
    ev = {**_evidence(r), "stage": _worst_stage(r, params)}
    owner, deadline = params.recommend.owners.channel, _deadline(r, params)
    confident = "high" if ev["verdict"] == "likely_real" else "medium"
    if verdict == "too_few":
        return [Recommendation("campaign_too_few", r.label, 5, "low", owner, deadline,
                               "leads", float(ev["leads"]), float(params.min_leads), ev)]
    if verdict == "repeat":
        cap = np.nanmax([ev["cac"], ev["median_cac"]])
        return [Recommendation("campaign_repeat", r.label, 1, confident, owner, deadline,
                               "cac", float(ev["cac"]), float(cap), {**ev, "cac_cap": cap},
                               direction="down")]
    if verdict == "fix":
        return [Recommendation("campaign_fix", r.label, 1, confident, owner, deadline, "roi",
                               float(ev["roi"]), float(ev["median_roi"]), ev)]
    return [Recommendation("campaign_hold", r.label, 4, "medium", owner, deadline, "roi",
                           float(ev["roi"]), float(ev["median_roi"]), ev)]


def _stage_losses(r, params: Params):
    """Judged stages where the campaign passes fewer leads than the benchmark, with the
    leads lost against the benchmark's rate, most lost first."""
    f = r.funnel.assign(entered=r.funnel["leads"].shift(1))
    f = f[(f["verdict"].isin(["likely_real", "could_be_noise"])) & (f["change"] < 0)]
    f = f.assign(lost=-f["change"] * f["entered"])
    return f.sort_values("lost", ascending=False)


def _worst_stage(r, params: Params) -> str | None:
    losses = _stage_losses(r, params)
    return str(losses.iloc[0]["stage"]) if len(losses) else None


@campaign_rule("campaign_stage")
def campaign_stage(r, params: Params) -> list[Recommendation]:
    """Fix the stage where the campaign lost the most leads against the benchmark's
    conversion at that stage (judged stages only)."""
    if bool(r.summary["too_few"]):
        return []
    losses = _stage_losses(r, params)
    if losses.empty:
        return []
    row = losses.iloc[0]
    conv = 1 - float(row["drop_off"])
    return [Recommendation(
        "campaign_stage", str(row["stage"]), 2,
        "high" if row["verdict"] == "likely_real" else "medium",
        params.recommend.owners.funnel, _deadline(r, params), "stage_conversion", conv,
        float(row["previous_conversion"]),
        {"stage": row["stage"], "rate": conv, "benchmark": row["previous_conversion"],
         "p_value": row["p_value"], "verdict": row["verdict"], "entered": row["entered"],
         "lost": row["lost"]})]


@campaign_rule("campaign_nurture")
def campaign_nurture(r, params: Params) -> list[Recommendation]:
    """Nurture the campaign's leads rated high by sales that did not become customers,
    when there are at least ``recommend.nurture_min_leads`` of them."""
    s = r.summary
    pool = int(s["high_rated_open"])
    if bool(s["too_few"]) or pool < params.recommend.nurture_min_leads:
        return []
    extra = max(1, round(0.1 * pool))
    return [Recommendation(
        "campaign_nurture", r.label, 3,
        "high" if pool >= 3 * params.recommend.nurture_min_leads else "medium",
        params.recommend.owners.executive, _deadline(r, params), "customers",
        float(s["customers"]), float(s["customers"] + extra),
        {"pool": pool, "extra": extra, "ratings": "/".join(params.executive.high_ratings),
         "days": r.days})]


def recommend_campaign(r, params: Params, rules: list[str] | None = None
                       ) -> list[Recommendation]:
    """Run the campaign rules (all by default), highest priority first."""
    recs = [x for name in rules or list(CAMPAIGN_RULES) for x in CAMPAIGN_RULES[name](r, params)]
    return sorted(recs, key=lambda x: x.priority)
