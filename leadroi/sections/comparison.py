"""Section 3, comparison: channel scorecard, ROI, cost vs quality, QoQ, trend."""

from __future__ import annotations

import pandas as pd

from leadroi import charts, narrative
from leadroi.analysis import QuarterResults
from leadroi.metrics import BY_CHANNEL_COLUMNS
from leadroi.stats import safe_div
from leadroi.tables import ReportTable
from leadroi.view import Html, ReportView

__all__ = ["comparison_section"]


def _by_channel_table(view: ReportView, r: QuarterResults) -> ReportTable:
    total = r.totals.copy()
    total["channel"] = view.t("total")
    data = pd.concat([r.by_channel, total.to_frame().T], ignore_index=True)
    data = data[BY_CHANNEL_COLUMNS]
    classes = ["muted" if few else "" for few in r.by_channel["too_few"]] + ["total"]
    kinds = {"channel": "text", "leads": "int", "customers": "int",
             "conversion_rate": "pct_range", "spend": "money", "cpl": "money", "cac": "money",
             "revenue": "money", "roi": "roi_range", "roas": "ratio"}
    return ReportTable("by_channel", data, kinds, row_classes=classes)


def _qoq_table(view: ReportView, r: QuarterResults) -> ReportTable:
    t = view.t
    now = r.by_channel.set_index("channel")
    prev = r.by_channel_previous.set_index("channel")
    data = pd.DataFrame(index=now.index.union(prev.index))
    data["leads"] = now["leads"]
    data["leads_previous"] = prev["leads"]
    data["leads_change"] = safe_div(data["leads"] - data["leads_previous"],
                                    data["leads_previous"])
    data["customers"] = now["customers"]
    data["customers_previous"] = prev["customers"]
    data["conversion_rate"] = now["conversion_rate"]
    data["conversion_previous"] = prev["conversion_rate"]
    data["conversion_change"] = data["conversion_rate"] - data["conversion_previous"]
    data["roi"] = now["roi"]
    data["roi_previous"] = prev["roi"]
    data["roi_change"] = data["roi"] - data["roi_previous"]
    data = data.reset_index().rename(columns={"index": "channel"})
    data = data.sort_values("leads", ascending=False, na_position="last")
    label = {"previous": r.previous.label}
    headers = {k: t(f"col.{k}", **label) for k in ("leads_previous", "customers_previous",
                                                   "conversion_previous", "roi_previous")}
    headers["roi"] = t("kpi.roi")
    headers["conversion_rate"] = t("kpi.conversion_rate")
    kinds = {"channel": "text", "leads": "int", "leads_previous": "int",
             "leads_change": "delta_pct", "customers": "int", "customers_previous": "int",
             "conversion_rate": "pct", "conversion_previous": "pct",
             "conversion_change": "delta_pp", "roi": "pct_plain", "roi_previous": "pct_plain"}
    return ReportTable("qoq_by_channel", data, kinds, headers=headers)


def comparison_section(view: ReportView, r: QuarterResults) -> Html:
    """3 Comparison: channel scorecard, ROI with ranges, cost vs quality, QoQ, trend."""
    t, fmt, p = view.t, view.fmt, view.params
    out = view.section("comparison")
    out += view.table(_by_channel_table(view, r), title_key="by_channel",
                      note=t("appendix.dash"))
    if r.has_spend:
        out += view.subsection("roi")
        ax = charts.plot_roi(r.by_channel, palette=view.palette,
                             target=p.recommend.target_roi, fmt=fmt, t=t)
        out += view.chart(ax, narrative.takeaway_roi(r.by_channel, t=t, fmt=fmt))
        out += view.subsection("matrix")
        ax = charts.plot_cost_quality(r.by_channel, palette=view.palette, fmt=fmt, t=t)
        out += view.chart(ax, narrative.takeaway_matrix(r.by_channel, t=t, fmt=fmt))
    out += view.table(_qoq_table(view, r), title_key="qoq",
                      takeaway=narrative.takeaway_qoq(r.totals, r.totals_previous,
                                                      previous_label=r.previous.label,
                                                      t=t, fmt=fmt))
    if len(r.trend) >= 2:
        out += view.subsection("trend")
        goal = p.recommend.target_roi if r.has_spend else None
        ax = charts.plot_trend(r.trend, target_roi=goal, fmt=fmt, t=t)
        out += view.chart(ax, narrative.takeaway_trend(r.trend, t=t, fmt=fmt))
        view.record(ReportTable("trend", r.trend, {}))
    return out
