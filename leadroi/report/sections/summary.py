"""Page 1: title, KPI tiles with deltas, findings, the top three actions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadroi.report import narrative
from leadroi.report.quarterly import QuarterResults
from leadroi.report.sections._common import rec_texts
from leadroi.report.tables import ReportTable
from leadroi.report.view import Html, ReportView
from leadroi.stats import safe_div

__all__ = ["summary"]


def summary(view: ReportView, r: QuarterResults) -> Html:
    """Page 1: title, KPI tiles with deltas, findings, the top three actions."""
    t, fmt, p = view.t, view.fmt, view.params
    tiles = narrative.kpi_tiles(r.totals, r.totals_previous, r.targets,
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
