"""Section 2, output: the funnel, revenue (cohort, expected at maturity, bookings), time
(stage timeline, cycle, response, stale leads) and lead quality (score, seniority)."""

from __future__ import annotations

import pandas as pd

from leadroi.canonical import STAGE_COLUMNS
from leadroi.report import charts, narrative
from leadroi.report.quarterly import QuarterResults
from leadroi.report.sections import _takeaways as say
from leadroi.report.sections._labels import label_groups, total_row
from leadroi.report.sections.model import model_subsection
from leadroi.report.tables import ReportTable
from leadroi.report.view import Html, ReportView

__all__ = ["output_section", "STALE_OWNERS_SHOWN"]

#: Owners with the most stale leads shown in the report (all go to the workbook).
STALE_OWNERS_SHOWN = 6


def _intro(view: ReportView, r: QuarterResults) -> str:
    t = view.t
    text = t("report.immature", period=r.period.label, days=r.cohort_days)
    young = say.immature(r.by_channel, r.cohort_days, t=t)
    if young:
        text += " " + young
    if r.segment != "all":
        text = t("metric_text.segment", segment=t(f"segment.{r.segment}"),
                 leads=view.fmt.number(r.totals["leads"])) + " " + text
    return text


def _funnel(view: ReportView, r: QuarterResults) -> Html:
    t, fmt = view.t, view.fmt
    out = view.subsection("funnel")
    if len(r.funnel) > 1:
        highlight = r.bottleneck["to_stage"] if r.bottleneck else None
        ax = charts.plot_funnel(r.funnel, highlight=highlight, fmt=fmt, t=t)
        out += view.chart(ax, say.funnel_detail(r.bottleneck, r.previous.label, t=t,
                                                fmt=fmt))
    else:  # no stage dates in the data: say so instead of a one-bar chart
        out += view.note(t("intake.degrade.no_stages", stages=", ".join(STAGE_COLUMNS[:7])))
    label = {"previous": r.previous.label}
    out += view.table(ReportTable(
        "funnel", r.funnel,
        {"stage": "stage", "leads": "int", "conversion_from_previous": "pct_range",
         "previous_conversion": "pct", "change": "delta_pp", "target": "pct",
         "drop_off": "pct", "conversion_from_start": "pct"},
        headers={"previous_conversion": t("col.conversion_previous", **label)}),
        note=t("metric_text.funnel_note"))
    rates = r.funnel_rates.assign(metric=[t(f"rate.{m}") for m in r.funnel_rates["metric"]])
    out += view.table(ReportTable("funnel_rates", rates, {
        "metric": "text", "rate": "pct_range", "successes": "int", "trials": "int"},
        headers={"metric": t("col.measure")}),
        title_key="rates", takeaway=say.rates(r.funnel_rates, t=t, fmt=fmt))
    return out


def _revenue(view: ReportView, r: QuarterResults) -> Html:
    t, fmt = view.t, view.fmt
    out = view.subsection("revenue")
    if r.has_spend or r.by_channel["revenue"].sum() > 0:
        ax = charts.plot_revenue_spend(r.by_channel, palette=view.palette, fmt=fmt, t=t)
        out += view.chart(ax, narrative.takeaway_revenue(r.by_channel, t=t, fmt=fmt))
    if r.has_spend:
        out += view.subsection("bridge")
        ax = charts.plot_roi_bridge(r.by_channel, palette=view.palette, fmt=fmt, t=t)
        out += view.chart(ax, narrative.takeaway_bridge(r.by_channel, t=t, fmt=fmt))
    else:  # nothing to draw: no spend table and no revenue in the data
        out += view.note(t("intake.degrade.no_revenue"))
    data = label_groups(r.drilldowns["channel"], "group", "channel", t, total=t("total"))
    out += view.table(ReportTable(
        "cohort_vs_bookings", data,
        {"group": "text", "customers": "int", "revenue": "money", "open_leads": "int",
         "expected_revenue": "money", "bookings_customers": "int",
         "bookings_revenue": "money", "immature": "bool"},
        headers={"group": t("col.channel")}, row_classes=total_row(len(data)),
        excel_columns=["group", "leads", "customers", "revenue", "open_leads",
                       "expected_revenue", "expected_roi", "bookings_customers",
                       "bookings_revenue", "bookings_roi", "cycle_p75_days", "immature"]),
        title_key="views", takeaway=say.revenue_views(r.totals, r.period.label, t=t, fmt=fmt),
        note=t("metric_text.views_note", days=r.cohort_days))
    return out


def _time(view: ReportView, r: QuarterResults) -> Html:
    t, fmt, p = view.t, view.fmt, view.params
    out = view.subsection("time")
    if len(r.stage_times):
        ax = charts.plot_stage_timeline(r.stage_times, fmt=fmt, t=t)
        out += view.chart(ax, say.timeline(r.stage_times, r.totals, t=t, fmt=fmt))
        view.record(ReportTable("stage_times", r.stage_times, {}))
    resp = r.response.set_index(r.response["channel"].fillna("__all__"))
    drill = r.drilldowns["channel"]
    data = drill[["group", "bookings_customers", "cycle_median_days", "cycle_p75_days"]].copy()
    key = data["group"].fillna("__all__")
    for col in ("assign_median_hours", "median_hours", "sla_rate", "sla_rate_low",
                "sla_rate_high"):
        data[col] = key.map(resp[col]) if len(resp) else float("nan")
    data = data[data["bookings_customers"].gt(0) | key.isin(resp.index)]
    data = label_groups(data, "group", "channel", t, total=t("total"))
    out += view.table(ReportTable(
        "time_by_channel", data,
        {"group": "text", "assign_median_hours": "hours", "median_hours": "hours",
         "sla_rate": "pct_range", "bookings_customers": "int", "cycle_median_days": "int",
         "cycle_p75_days": "int"},
        headers={"group": t("col.channel"),
                 "sla_rate": t("col.sla_rate_within", hours=f"{p.response_sla_hours:g}")},
        row_classes=total_row(len(data))),
        title_key="time_table",
        takeaway=narrative.takeaway_response(r.response, sla_hours=p.response_sla_hours,
                                             t=t, fmt=fmt))
    if len(r.response):
        view.record(ReportTable("response_time", r.response, {}))
    owners = r.stale_owners.assign(owner=r.stale_owners["owner"].fillna(t("drill.all_owners")))
    owners = label_groups(owners, "owner", "owner", t)
    kinds = {"owner": "text", "open_leads": "int", "stale_leads": "int",
             "stale_share": "pct_range",
             "median_days_idle": "int", "pipeline_value": "money"}
    view.record(ReportTable("stale_by_owner", owners, kinds))
    shown = pd.concat([owners.iloc[:-1].head(STALE_OWNERS_SHOWN), owners.iloc[-1:]])
    out += view.table(ReportTable("stale_by_owner_shown", shown, kinds,
                                  row_classes=total_row(len(shown))),
                      title_key="stale", record=False,
                      takeaway=say.stale(r.stale_owners, p.stale_days, t=t, fmt=fmt),
                      note=t("metric_text.stale_note", shown=fmt.number(len(r.stale))))
    view.record(ReportTable("stale_leads", r.stale, {}))
    return out


def _quality(view: ReportView, r: QuarterResults) -> Html:
    t, fmt = view.t, view.fmt
    out = view.subsection("quality")
    ax = charts.plot_score_calibration(r.score, fmt=fmt, t=t)
    out += view.chart(ax, say.score(r.score_verdict, t=t, fmt=fmt))
    classes = ["muted" if few else "" for few in r.score["too_few"]]
    out += view.table(ReportTable(
        "score_calibration", r.score,
        {"band": "text", "leads": "int", "share": "pct", "customers": "int",
         "conversion_rate": "pct_range"}, row_classes=classes), title_key="calibration")
    rules = r.score_rules.assign(rule=[t.get(f"score_rule.{x}", x) for x in
                                       r.score_rules["rule"]])
    missing = [t.get(f"score_rule.{x}", x) for x in r.score_rules_missing]
    note = t("metric_text.rules_missing", rules=t("metric_text.sep").join(missing)) \
        if r.score_rules_missing else None
    out += view.table(ReportTable(
        "score_rules", rules,
        {"rule": "text", "points": "int", "matched": "int", "share": "pct",
         "conversion_matched": "pct_range", "conversion_other": "pct", "lift": "num"}),
        title_key="score_rules", takeaway=say.score_rules(r.score_rules, t=t, fmt=fmt),
        note=note)
    mix = r.seniority.assign(channel=r.seniority["channel"].fillna(t("total")))
    out += view.table(ReportTable(
        "seniority_by_channel", mix,
        {"channel": "text", "leads": "int", "c_suite_share": "pct", "vp_share": "pct",
         "director_share": "pct", "exec_share": "pct_range"},
        row_classes=total_row(len(mix))),
        title_key="seniority", takeaway=say.seniority(r.seniority, t=t, fmt=fmt))
    return out


def output_section(view: ReportView, r: QuarterResults) -> Html:
    """2 Output: funnel, revenue views, time, and lead quality."""
    out = view.section("output", intro=_intro(view, r))
    return (out + _funnel(view, r) + _revenue(view, r) + _time(view, r) + _quality(view, r)
            + model_subsection(view, r))
