"""Page 1: title, KPI tiles with deltas, findings, the top three actions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadroi.metrics import NO_LEADS, UNKNOWN
from leadroi.report import narrative
from leadroi.report.quarterly import QuarterResults
from leadroi.report.sections._common import rec_texts
from leadroi.report.tables import ReportTable
from leadroi.report.view import Html, ReportView
from leadroi.stats import safe_div

__all__ = ["summary"]


def _content_roi(drill: pd.DataFrame | None, margin: float | None) -> float:
    """ROI of the leads that came through a content piece (the content drill-down's
    groups with a content value), on their allocated spend."""
    if drill is None:
        return np.nan
    body = drill.iloc[:-1]
    body = body[~body["group"].isin([UNKNOWN, NO_LEADS]) & body["group"].notna()]
    value = body["gross_margin"] if margin else body["revenue"]
    return safe_div(value.sum() - body["spend"].sum(), body["spend"].sum())


def profile_values(r: QuarterResults, p) -> tuple[pd.Series, pd.Series]:
    """This and the previous period's headline numbers, with the KPIs of the profiles
    beyond the channel drill-down's (seed 003): monthly lead growth (compound, against
    the previous period), content ROI, 12-month retention, marketing-sourced share of
    revenue, cross-sell rate, share of healthy customers. Customer-value numbers are
    measured to the cut-off, so they have no previous value."""
    now, prev = r.totals.copy(), r.totals_previous.copy()
    months = max(round((r.period.end - r.period.start).days / 30.44), 1)
    ratio = safe_div(now["leads"], prev["leads"])
    now["lead_growth"] = ratio ** (1 / months) - 1 if ratio == ratio and ratio > 0 \
        else np.nan
    now["content_roi"] = _content_roi(r.drilldowns.get("content"), p.value.margin)
    sales = {c.lower() for c in p.value.sales_sourced_channels}
    bc = r.by_channel
    marketing = bc[~bc["channel"].astype(str).str.lower().isin(sales)]["revenue"].sum()
    now["marketing_revenue_share"] = safe_div(marketing, bc["revenue"].sum())
    cv = r.customer_value
    if cv is not None and cv.total["clv_basis"] == "measured":
        prev["clv"] = np.nan  # measured over the whole history, the same for both periods
    if cv is not None:
        now["retention_12m"] = cv.total["retention_12m"]
        now["cross_sell_rate"] = cv.total["cross_sell_rate"]
        health = cv.health[cv.health["channel"].isna()]
        now["healthy_share"] = health["healthy_share"].iloc[0] if len(health) else np.nan
    return now, prev


def summary(view: ReportView, r: QuarterResults) -> Html:
    """Page 1: title, KPI tiles with deltas, findings, the top three actions."""
    t, fmt, p = view.t, view.fmt, view.params
    now, prev = profile_values(r, p)
    tiles = narrative.kpi_tiles(now, prev, r.targets,
                                previous_label=r.previous.label, t=t, fmt=fmt,
                                profile=p.kpi_profile)
    found = narrative.findings(
        now=r.totals, previous=r.totals_previous, previous_label=r.previous.label,
        by_channel=r.by_channel, bottleneck=r.bottleneck, targets=r.targets,
        response=r.response, target_roi=p.recommend.target_roi,
        sla_hours=p.response_sla_hours, sla_target=p.recommend.sla_target, t=t, fmt=fmt)
    subtitle = t("report.subtitle", period=r.period.label, start=fmt.date(r.period.start),
                 end=fmt.date(r.period.last_day), as_of=fmt.date(r.as_of))
    note = t("report.cohort_note", period=r.period.label, as_of=fmt.date(r.as_of),
             previous=r.previous.label, previous_as_of=fmt.date(r.previous_as_of))
    view.record(_summary_table(r))
    return view.cover(subtitle=subtitle, tiles=tiles, findings=found,
                      actions=rec_texts(view, r)[:3], note=note, kicker=r.period.label)


def _summary_table(r: QuarterResults) -> ReportTable:
    keys = ["spend", "leads", "customers", "conversion_rate", "revenue", "roi", "cac", "cpl",
            "roas", "clv", "ltv_cac"]
    goals = r.targets[r.targets["channel"].str.lower() == "all"].set_index("metric")["value"] \
        if len(r.targets) else pd.Series(dtype=float)
    data = pd.DataFrame({
        "metric": keys,
        "value": [r.totals[k] for k in keys],
        "previous": [r.totals_previous[k] for k in keys],
        "target": [goals.get(k, np.nan) for k in keys],
    })
    data["change"] = safe_div(data["value"] - data["previous"], data["previous"])
    data.insert(0, "period", r.period.label)
    data["previous_period"] = r.previous.label
    return ReportTable("summary", data, {"metric": "text", "value": "num"})
