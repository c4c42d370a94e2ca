"""Section 3, comparison: channel scorecard, ROI (and, for executive leads, the
non-monetary panel beside it), unit economics, budget, cost vs quality, lost reasons,
drill-downs, period comparison (QoQ, YoY, target, significance, revenue change
decomposition), strategy/content tests, trend over all quarters."""

from __future__ import annotations

import pandas as pd

from leadroi.report import charts, narrative
from leadroi.report.quarterly import QuarterResults
from leadroi.report.sections import _takeaways as say
from leadroi.report.sections._labels import (
    DRILL_KINDS,
    group_label,
    label_groups,
    record_drilldowns,
    total_row,
)
from leadroi.report.sections.customer_value import customer_value_subsection
from leadroi.report.sections.periods import group_comparison, period_comparison
from leadroi.report.tables import ReportTable
from leadroi.report.view import Html, ReportView

__all__ = ["comparison_section", "COMPACT_DIMENSIONS"]

#: Dimensions shown together in the report (seed 002 table 2); all go to the workbook.
COMPACT_DIMENSIONS = ("strategy", "content", "industry", "seniority")


def _scorecard(view: ReportView, r: QuarterResults) -> ReportTable:
    t = view.t
    drill = r.drilldowns["channel"]
    data = label_groups(drill, "group", "channel", t, total=t("drill.total"))
    data["basis"] = [t(f"cv.basis.{b}") for b in data["clv_basis"]]
    classes = ["muted" if few else "" for few in drill["too_few"].iloc[:-1]] + ["total"]
    kinds = {"group": "text", "leads": "int", "customers": "int",
             "conversion_rate": "pct_range", "win_rate": "pct", "spend": "money",
             "cpl": "money", "cac": "money", "revenue": "money", "roi": "roi_range",
             "roas": "ratio"}
    return ReportTable("by_channel", data, kinds, headers={"group": t("col.channel")},
                       row_classes=classes)


def _roi(view: ReportView, r: QuarterResults) -> Html:
    t, fmt, p = view.t, view.fmt, view.params
    out = view.subsection("roi")
    ax = charts.plot_roi(r.by_channel, palette=view.palette, target=p.recommend.target_roi,
                         fmt=fmt, t=t)
    out += view.chart(ax, narrative.takeaway_roi(r.by_channel, t=t, fmt=fmt))
    if r.nonmonetary is not None:
        out += _nonmonetary(view, r)
    return out


def _nonmonetary(view: ReportView, r: QuarterResults) -> Html:
    """The executive panel: NPS and sales rating beside ROI, never added into it."""
    t, fmt, p = view.t, view.fmt, view.params
    roi = dict(zip(r.drilldowns["channel"]["group"], r.drilldowns["channel"]["roi"]))
    panel = r.nonmonetary.assign(roi=[roi.get(c) for c in r.nonmonetary["channel"]])
    panel.loc[panel.index[-1], "roi"] = r.totals["roi"]
    panel["channel"] = panel["channel"].fillna(t("total"))
    high = "/".join(p.executive.high_ratings)
    out = view.table(ReportTable(
        "nonmonetary", panel,
        {"channel": "text", "leads": "int", "customers": "int", "roi": "pct_plain",
         "nps": "int", "nps_responses": "int", "high_rated_share": "pct_range",
         "unconverted_high_rated": "int"},
        headers={"high_rated_share": t("col.high_rated_share", ratings=high),
                 "roi": t("kpi.roi")},
        row_classes=total_row(len(panel))),
        title_key="nonmonetary", takeaway=say.nonmonetary(r.nonmonetary, t=t, fmt=fmt),
        note=t("metric_text.nonmonetary_note", promoter=f"{p.executive.promoter_nps:g}"))
    leads = r.exec_unconverted
    view.record(ReportTable("exec_unconverted", leads, {}))
    if len(leads):
        shown = leads.head(p.executive.shown).assign(
            stage=lambda d: [t.get(f"stage.{s}", s) for s in d["stage"]],
            status=lambda d: [t(f"status.{s}") for s in d["status"]])
        out += view.table(ReportTable(
            "exec_unconverted_shown", shown,
            {"lead_name": "text", "title": "text", "channel": "text", "owner": "text",
             "stage": "text", "status": "text", "rating": "text", "nps": "int"}),
            title_key="exec_unconverted", record=False,
            note=t("metric_text.exec_shown", shown=len(shown), total=len(leads)))
    return out


def _unit_economics(view: ReportView, r: QuarterResults) -> Html:
    t, fmt, p = view.t, view.fmt, view.params
    out = view.subsection("unit_economics")
    healthy = p.value.healthy_ltv_cac
    ax = charts.plot_ltv_cac(r.by_channel, palette=view.palette, healthy=healthy, fmt=fmt,
                             t=t)
    out += view.chart(ax, say.unit_economics(r.by_channel, r.totals, healthy, t=t, fmt=fmt))
    drill = r.drilldowns["channel"]
    data = label_groups(drill, "group", "channel", t, total=t("drill.total"))
    data["basis"] = [t(f"cv.basis.{b}") for b in data["clv_basis"]]
    classes = ["muted" if few else "" for few in drill["too_few"].iloc[:-1]] + ["total"]
    out += view.table(ReportTable(
        "unit_economics", data,
        {"group": "text", "cac_marketing": "money", "cac": "money", "cost_per_sql": "money",
         "avg_deal": "money", "clv": "money", "basis": "text", "ltv_cac": "num",
         "payback_months": "num"},
        headers={"group": t("col.channel"), "cac": t("col.cac_blended"),
                 "basis": t("col.clv_basis")},
        row_classes=classes,
        excel_columns=["group", "customers", "sqls", "marketing_spend", "spend",
                       "cac_marketing", "cac", "cost_per_sql", "avg_deal", "gross_margin",
                       "clv", "clv_basis", "ltv_cac", "payback_months"]),
        note=t("metric_text.unit_note", repeat=f"{p.value.repeat_purchases:g}",
               margin=fmt.pct(p.value.margin, 0) if p.value.margin else t("metric_text.none"),
               months=f"{p.value.contract_months:g}"))
    if len(r.budget):
        budget = r.budget.assign(channel=r.budget["channel"].fillna(t("total")))
        out += view.table(ReportTable(
            "budget_vs_actual", budget,
            {"channel": "text", "budget": "money", "actual": "money", "variance": "money",
             "used": "pct_plain"}, row_classes=total_row(len(budget))
            if r.budget["channel"].isna().iloc[-1] else None),
            title_key="budget", takeaway=say.budget(r.budget, t=t, fmt=fmt))
    view.record(ReportTable("spend_by_campaign", r.spend_campaign, {}))
    return out


def _lost(view: ReportView, r: QuarterResults) -> Html:
    t, fmt = view.t, view.fmt
    out = view.subsection("lost")
    if r.lost.empty:
        return out + view.note(t("metric_text.lost_none"))
    lost = label_groups(r.lost, "reason", "lost_reason", t)
    ax = charts.plot_lost_pareto(lost, palette=view.palette, fmt=fmt, t=t)
    out += view.chart(ax, say.lost(r.lost_pareto.pipe(label_groups, "reason", "lost_reason",
                                                      t), t=t, fmt=fmt))
    pareto = label_groups(r.lost_pareto, "reason", "lost_reason", t)
    out += view.table(ReportTable(
        "lost_reasons", pareto,
        {"reason": "text", "lost_leads": "int", "lost_value": "money", "share": "pct",
         "cumulative_share": "pct", "top_channel": "text", "top_channel_share": "pct"}),
        note=t("metric_text.lost_note"))
    view.record(ReportTable("lost_reasons_by_channel", lost, {}))
    return out


def _drilldowns(view: ReportView, r: QuarterResults) -> Html:
    t, fmt = view.t, view.fmt
    dims = [d for d in COMPACT_DIMENSIONS if d in r.drilldowns]
    record_drilldowns(view, r)
    if not dims:
        return Html("")
    parts = []
    for dim in dims:
        body = r.drilldowns[dim].iloc[:-1]
        body = body[body["leads"] > 0]
        parts.append(label_groups(body, "group", dim, t).assign(
            dimension=t(f"dimension.{dim}")))
    data = pd.concat(parts, ignore_index=True)
    classes = ["muted" if few else "" for few in data["too_few"]]
    labels = {d: (lambda v, d=d: group_label(v, d, t)) for d in dims}
    names = t("metric_text.sep").join(t(f"dimension.{d}") for d in r.drilldowns)
    return view.table(ReportTable(
        "drilldown_summary", data, {"dimension": "text", **DRILL_KINDS},
        headers={"group": t("col.group")}, row_classes=classes), title_key="drilldowns",
        takeaway=say.drill_spread(r.drilldowns, dims, labels, t=t, fmt=fmt),
        note=t("metric_text.drill_note", dimensions=names), record=False)


def comparison_section(view: ReportView, r: QuarterResults) -> Html:
    """3 Comparison: scorecard, ROI (+ executive panel), unit economics and budget, cost vs
    quality, lost reasons, drill-downs, quarter over quarter, trend."""
    t, fmt, p = view.t, view.fmt, view.params
    out = view.section("comparison")
    out += view.table(_scorecard(view, r), title_key="by_channel", note=t("appendix.dash"),
                      record=False)  # the workbook's by_channel is the plain drill-down
    if r.has_spend:
        out += _roi(view, r) + _unit_economics(view, r)
    out += customer_value_subsection(view, r)
    if r.has_spend:
        out += view.subsection("matrix")
        ax = charts.plot_cost_quality(r.by_channel, palette=view.palette, fmt=fmt, t=t)
        out += view.chart(ax, narrative.takeaway_matrix(r.by_channel, t=t, fmt=fmt))
    elif r.nonmonetary is not None:
        out += _nonmonetary(view, r)
    out += _lost(view, r) + _drilldowns(view, r)
    out += period_comparison(view, r) + group_comparison(view, r)
    if len(r.trend) >= 2:
        out += view.subsection("trend")
        goal = p.recommend.target_roi if r.has_spend else None
        ax = charts.plot_trend(r.trend, target_roi=goal, fmt=fmt, t=t)
        out += view.chart(ax, narrative.takeaway_trend(r.trend, t=t, fmt=fmt))
        view.record(ReportTable("trend", r.trend, {}))
    if r.comparison is not None and len(r.comparison.channel_trend):
        view.record(ReportTable("trend_by_channel", r.comparison.channel_trend, {}))
    return out
