"""Sentences written from the numbers: KPI tiles, findings, chart takeaways, and the
wording of recommendations. All text comes from the catalogue; this module only chooses
which sentence fits and fills in the figures."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from leadroi.decide.rules import Recommendation
from leadroi.i18n import Catalogue
from leadroi.report.formats import Formatter
from leadroi.stats import safe_div

__all__ = [
    "kpi_tiles", "findings", "recommendation_text", "takeaway_spend", "takeaway_funnel",
    "takeaway_revenue", "takeaway_roi", "takeaway_matrix", "takeaway_trend",
    "takeaway_response", "takeaway_qoq", "stage_label", "takeaway_heatmap",
    "takeaway_bridge", "PROFILES",
]

#: KPI key -> (kind, +1 if higher is better, -1 if lower is better, 0 neutral)
KPIS = {"spend": ("money", 0), "leads": ("int", 1), "customers": ("int", 1),
        "revenue": ("money", 1), "roi": ("pct", 1), "cac": ("money", -1),
        "ltv_cac": ("times", 1), "cpl": ("money", -1), "conversion_rate": ("pct1", 1),
        "clv": ("money", 1), "lead_growth": ("pct1", 1), "content_roi": ("pct", 1),
        "retention_12m": ("pct", 1), "marketing_revenue_share": ("pct", 0),
        "cross_sell_rate": ("pct", 1), "healthy_share": ("pct", 1)}

#: ``kpi_profile`` -> the tiles of page 1 in order; the first three headline (seed 003:
#: a startup watches monthly lead growth, CAC and content ROI; a growing company lead
#: conversion, retention and the marketing-sourced share of revenue; a mature one
#: lifetime value, retention, cross-sell and customer health).
PROFILES = {
    "startup": ("lead_growth", "cac", "content_roi", "leads", "spend", "customers",
                "revenue", "roi", "ltv_cac"),
    "growth": ("conversion_rate", "retention_12m", "marketing_revenue_share", "revenue",
               "customers", "roi", "spend", "leads", "cac", "ltv_cac"),
    "mature": ("clv", "retention_12m", "cross_sell_rate", "healthy_share", "ltv_cac",
               "revenue", "roi", "spend", "leads", "customers", "cac"),
}
HEADLINE = 3

#: rates whose change is shown in percentage points, not per cent
_POINTS = {"roi", "conversion_rate", "lead_growth", "content_roi", "retention_12m",
           "marketing_revenue_share", "cross_sell_rate", "healthy_share"}
#: KPIs measured on the whole deal history to the cut-off (no previous-period value)
_HISTORY = {"retention_12m", "cross_sell_rate", "healthy_share", "clv"}
#: healthy level used as the goal of a KPI without a target
_HEALTHY = {"ltv_cac": 3.0}


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def stage_label(stage: str, t: Catalogue) -> str:
    return t.get(f"stage.{stage}", stage)


def _value(kind: str, value, fmt: Formatter) -> str:
    if kind == "times":
        return fmt.times(value)
    return {"money": fmt.money, "int": fmt.number, "pct": lambda v: fmt.pct(v, 0),
            "pct1": lambda v: fmt.pct(v, 1)}[kind](value)


def _direction_class(change, direction: int) -> str:
    if _nan(change) or not direction or abs(change) <= 1e-9:
        return "neutral"
    return "good" if change * direction > 0 else "bad"


def _vs_previous(key: str, cur, prev, fmt: Formatter) -> tuple[str, float]:
    if _nan(cur) or _nan(prev):
        return fmt.delta_pct(np.nan), np.nan
    if key in _POINTS:
        return fmt.delta_pp(cur - prev, 1 if KPIS[key][0] == "pct1" else 0), cur - prev
    change = safe_div(cur - prev, prev)
    return fmt.delta_pct(change), change


def _vs_target(key: str, cur, goals: dict, t: Catalogue, fmt: Formatter) -> tuple[str, str]:
    kind, direction = KPIS[key]
    goal = goals.get(key, _HEALTHY.get(key))
    if _nan(goal) or goal is None:
        return t("kpi.no_target"), "neutral"
    cls = "neutral" if _nan(cur) else _direction_class(cur - goal, direction)
    if key in _HEALTHY and key not in goals:
        return t("kpi.healthy", goal=_value(kind, goal, fmt)), cls
    if key in _POINTS or not goal:
        return t("kpi.target", goal=_value(kind, goal, fmt)), cls
    return t("kpi.vs_target", share=fmt.pct(safe_div(cur, goal), 0)), cls


def kpi_tiles(now: pd.Series, previous: pd.Series, targets: pd.DataFrame, *,
              previous_label: str, t: Catalogue, fmt: Formatter,
              profile: str = "growth") -> list[dict]:
    """KPI tiles of page 1, in the order of ``profile``: value, change vs the previous
    period and standing against the target (or a healthy level), each coloured by
    whether it is good for the business.

    Parameters
    ----------
    now, previous : Series
        All-leads rows of the channel drill-down (this period, previous period).
    targets : DataFrame
        ``channel, metric, value``; rows with channel ``all`` set the goals.
    profile : {"startup", "growth", "mature"}
        Which KPIs come first (see :data:`PROFILES`); the first three are headlines.

    Returns
    -------
    list of dict
        ``key, label, value, delta, delta_class, target, target_class, headline``;
        classes are ``good``, ``bad`` or ``neutral``.
    """
    overall = targets[targets["channel"].str.lower() == "all"] if len(targets) else targets
    goals = {m: float(v) for m, v in zip(overall.get("metric", []), overall.get("value", []))}
    tiles = []
    for i, key in enumerate(PROFILES[profile]):
        kind, direction = KPIS[key]
        cur, prev = now.get(key), previous.get(key)
        delta, change = _vs_previous(key, cur, prev, fmt)
        target, target_class = _vs_target(key, cur, goals, t, fmt)
        delta = t("kpi.from_history") if key in _HISTORY and _nan(prev) \
            else f"{delta} {t('kpi.vs_previous', period=previous_label)}"
        tiles.append({"key": key, "label": t(f"kpi.{key}"), "value": _value(kind, cur, fmt),
                      "delta": delta,
                      "delta_class": _direction_class(change, direction),
                      "target": target, "target_class": target_class,
                      "headline": i < HEADLINE})
    return tiles


def findings(*, now: pd.Series, previous: pd.Series, previous_label: str,
             by_channel: pd.DataFrame, bottleneck: dict | None, targets: pd.DataFrame,
             response: pd.DataFrame, target_roi: float, sla_hours: float, sla_target: float,
             t: Catalogue, fmt: Formatter) -> list[str]:
    """Three to five findings for page 1, most important first."""
    out = [t("finding.headline", spend=fmt.money(now["spend"]),
             spend_change=fmt.delta_pct(safe_div(now["spend"] - previous["spend"],
                                                 previous["spend"])),
             previous=previous_label, leads=fmt.number(now["leads"]),
             leads_change=fmt.delta_pct(safe_div(now["leads"] - previous["leads"],
                                                 previous["leads"])),
             customers=fmt.number(now["customers"]),
             customers_change=fmt.delta_pct(safe_div(now["customers"] - previous["customers"],
                                                     previous["customers"])),
             roi=fmt.pct(now["roi"], 0), roi_previous=fmt.pct(previous["roi"], 0))]
    judged = by_channel[~by_channel["too_few"] & by_channel["roi"].notna()]
    if len(judged):
        best = judged.sort_values("roi_low", ascending=False).iloc[0]
        out.append(t("finding.best", channel=best["channel"], roi=fmt.pct(best["roi"], 0),
                     low=fmt.pct(best["roi_low"], 0), high=fmt.pct(best["roi_high"], 0),
                     spend=fmt.money(best["spend"])))
        losers = judged[judged["roi_high"] < target_roi].sort_values("roi")
        if len(losers):
            w = losers.iloc[0]
            out.append(t("finding.worst", channel=w["channel"], roi=fmt.pct(w["roi"], 0),
                         low=fmt.pct(w["roi_low"], 0), high=fmt.pct(w["roi_high"], 0),
                         target=fmt.pct(target_roi, 0)))
    if bottleneck:
        out.append(t("finding.bottleneck", from_stage=stage_label(bottleneck["from_stage"], t),
                     to_stage=stage_label(bottleneck["to_stage"], t),
                     drop=fmt.pct(bottleneck["drop_off"], 0),
                     previous_drop=fmt.pct(bottleneck["previous_drop_off"], 0),
                     previous=previous_label))
    if len(response):
        overall = response[response["channel"].isna()].iloc[0]
        if overall["sla_rate"] < sla_target:
            out.append(t("finding.response", rate=fmt.pct(overall["sla_rate"], 0),
                         hours=f"{sla_hours:g}", median=fmt.hours(overall["median_hours"])))
    goal = targets[(targets["channel"].str.lower() == "all") & (targets["metric"] == "revenue")] \
        if len(targets) else targets
    if len(goal) and len(out) < 5:
        value = float(goal["value"].iloc[0])
        out.append(t("finding.target", share=fmt.pct(safe_div(now["revenue"], value), 0),
                     target=fmt.money(value)))
    return out[:5]


def _metric_text(rec: Recommendation, t: Catalogue, fmt: Formatter, sla_hours: float):
    ev = rec.evidence
    if rec.metric == "stage_conversion":
        name = t("rec.metric.stage_conversion", from_stage=stage_label(ev["from_stage"], t),
                 to_stage=stage_label(ev["to_stage"], t))
    else:
        name = t(f"rec.metric.{rec.metric}", subject=rec.subject, hours=f"{sla_hours:g}")
    if rec.metric == "leads":
        return name, fmt.number(rec.baseline), f"≥\u00a0{fmt.number(rec.target)}"
    digits = 0 if rec.metric == "roi" else 1
    return name, fmt.pct(rec.baseline, digits), f"≥\u00a0{fmt.pct(rec.target, digits)}"


def recommendation_text(rec: Recommendation, *, t: Catalogue, fmt: Formatter,
                        sla_hours: float) -> dict:
    """Wording of one recommendation: conclusion, action, evidence, and its action-plan
    fields (owner, deadline, metric, baseline, target, confidence)."""
    ev = rec.evidence
    key = f"rec.{rec.rule}"
    if rec.rule in ("cut_channel", "scale_channel", "hold_channel"):
        values = dict(subject=rec.subject, roi=fmt.pct(ev["roi"], 0),
                      low=fmt.pct(ev["roi_low"], 0), high=fmt.pct(ev["roi_high"], 0),
                      spend=fmt.money(ev["spend"]), revenue=fmt.money(ev["revenue"]),
                      leads=fmt.number(ev["leads"]), customers=fmt.number(ev["customers"]),
                      cac=fmt.money(ev["cac"]), threshold=fmt.pct(rec.target, 0),
                      step=fmt.pct(ev.get("step", 0), 0))
        action = t(f"{key}.action", **values)
    elif rec.rule == "fix_bottleneck":
        values = dict(from_stage=stage_label(ev["from_stage"], t),
                      to_stage=stage_label(ev["to_stage"], t), drop=fmt.pct(ev["drop_off"], 0),
                      previous_drop=fmt.pct(ev["previous_drop_off"], 0),
                      entered=fmt.number(ev["entered"]), conversion=fmt.pct(ev["conversion"], 0),
                      previous_conversion=fmt.pct(ev["previous_conversion"], 0))
        action = t.get(f"{key}.action.{ev['to_stage']}") or t(f"{key}.action.default", **values)
    else:
        worst = ", ".join(f"{c} {fmt.pct(r, 0)}" for c, r in ev["worst"])
        values = dict(rate=fmt.pct(ev["sla_rate"], 0), hours=f"{sla_hours:g}",
                      median=fmt.hours(ev["median_hours"]), worst=worst)
        action = t(f"{key}.action", **values)
    metric, baseline, target = _metric_text(rec, t, fmt, sla_hours)
    return {"conclusion": t(f"{key}.conclusion", **values), "action": action,
            "evidence": t(f"{key}.evidence", **values), "owner": rec.owner,
            "deadline": fmt.date(rec.deadline), "metric": metric, "baseline": baseline,
            "target": target, "confidence": t(f"confidence.{rec.confidence}"),
            "confidence_key": rec.confidence}


def takeaway_spend(spend: pd.DataFrame, *, t: Catalogue, fmt: Formatter) -> str:
    if spend.empty:
        return t("takeaway.spend_none")
    by = spend.groupby("channel")["amount"].sum().sort_values(ascending=False)
    return t("takeaway.spend_month", top=by.index[0], share=fmt.pct(by.iloc[0] / by.sum(), 0),
             total=fmt.money(by.sum()))


def takeaway_funnel(bottleneck: dict | None, *, t: Catalogue, fmt: Formatter) -> str:
    if not bottleneck:
        return t("takeaway.funnel_none")
    return t("takeaway.funnel", from_stage=stage_label(bottleneck["from_stage"], t),
             to_stage=stage_label(bottleneck["to_stage"], t),
             drop=fmt.pct(bottleneck["drop_off"], 0))


def takeaway_revenue(bc: pd.DataFrame, *, t: Catalogue, fmt: Formatter) -> str:
    ranked = bc.sort_values("revenue", ascending=False)
    best, worst = ranked.iloc[0], ranked.iloc[-1]
    return t("takeaway.revenue", best=best["channel"], revenue=fmt.money(best["revenue"]),
             worst=worst["channel"], worst_revenue=fmt.money(worst["revenue"]))


def takeaway_roi(bc: pd.DataFrame, *, t: Catalogue, fmt: Formatter) -> str:
    judged = bc[~bc["too_few"] & bc["roi"].notna()]
    if judged.empty:
        return t("takeaway.spend_none")
    best = judged.sort_values("roi", ascending=False).iloc[0]
    losers = judged[judged["roi"] < 0]["channel"].tolist()
    if losers:
        key = "takeaway.roi_loser" if len(losers) == 1 else "takeaway.roi_losers"
        return t(key, best=best["channel"], roi=fmt.pct(best["roi"], 0),
                 losers=", ".join(losers))
    return t("takeaway.roi_no_losers", best=best["channel"], roi=fmt.pct(best["roi"], 0))


def takeaway_matrix(bc: pd.DataFrame, *, t: Catalogue, fmt: Formatter) -> str:
    judged = bc[~bc["too_few"] & bc["cpl"].notna()]
    if judged.empty:
        return t("takeaway.spend_none")
    cheap = judged.sort_values("cpl").iloc[0]
    best = judged.sort_values("conversion_rate", ascending=False).iloc[0]
    return t("takeaway.matrix", cheap=cheap["channel"], cpl=fmt.money(cheap["cpl"]),
             conv=fmt.pct(cheap["conversion_rate"]), best=best["channel"],
             best_conv=fmt.pct(best["conversion_rate"]), best_cpl=fmt.money(best["cpl"]))


def takeaway_trend(trend: pd.DataFrame, *, t: Catalogue, fmt: Formatter) -> str:
    if len(trend) < 2:
        return ""
    a, b = trend.iloc[-2], trend.iloc[-1]
    return t("takeaway.trend",
             customers_change=fmt.delta_pct(safe_div(b["customers"] - a["customers"],
                                                     a["customers"])),
             roi_from=fmt.pct(a["roi"], 0), roi_to=fmt.pct(b["roi"], 0))


def takeaway_qoq(now: pd.Series, previous: pd.Series, *, previous_label: str, t: Catalogue,
                 fmt: Formatter) -> str:
    return t("takeaway.qoq", previous=previous_label,
             leads_change=fmt.delta_pct(safe_div(now["leads"] - previous["leads"],
                                                 previous["leads"])),
             customers_change=fmt.delta_pct(safe_div(now["customers"] - previous["customers"],
                                                     previous["customers"])),
             conversion_change=fmt.delta_pp(now["conversion_rate"]
                                            - previous["conversion_rate"]))


def takeaway_response(response: pd.DataFrame, *, sla_hours: float, t: Catalogue,
                      fmt: Formatter) -> str:
    if response.empty:
        return t("takeaway.response_none")
    overall = response[response["channel"].isna()].iloc[0]
    return t("takeaway.response", rate=fmt.pct(overall["sla_rate"], 0), hours=f"{sla_hours:g}",
             median=fmt.hours(overall["median_hours"]))


def takeaway_heatmap(monthly: pd.DataFrame, *, t: Catalogue, fmt: Formatter) -> str:
    """The channel with the most leads and the busiest month."""
    if monthly.empty or not monthly["leads"].sum():
        return t("takeaway.heatmap_none")
    by_channel = monthly.groupby("channel")["leads"].sum().sort_values(ascending=False)
    by_month = monthly.groupby("month")["leads"].sum().sort_values(ascending=False)
    return t("takeaway.heatmap", top=by_channel.index[0], leads=fmt.number(by_channel.iloc[0]),
             month=by_month.index[0], month_leads=fmt.number(by_month.iloc[0]))


def takeaway_bridge(bc: pd.DataFrame, *, t: Catalogue, fmt: Formatter) -> str:
    """Spend in, revenue out, the channel adding most and those returning less than
    they cost."""
    spend = bc["spend"].fillna(0.0)
    if not spend.sum():
        return t("takeaway.bridge_none")
    net = (bc["revenue"].fillna(0.0) - spend).set_axis(bc["channel"]).sort_values()
    losers = [c for c, v in net.items() if v < 0]
    tail = t("takeaway.bridge_losers", losers=t("metric_text.sep").join(losers)) \
        if losers else ""
    return t("takeaway.bridge", spend=fmt.money(spend.sum()),
             revenue=fmt.money(bc["revenue"].sum()), best=net.index[-1],
             best_net=fmt.money(net.iloc[-1]), losers=tail)
