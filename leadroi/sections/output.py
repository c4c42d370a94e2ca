"""Section 2, output: funnel, revenue and spend by channel, response time."""

from __future__ import annotations

from leadroi import charts, narrative
from leadroi.analysis import QuarterResults
from leadroi.canonical import STAGE_COLUMNS
from leadroi.tables import ReportTable
from leadroi.view import Html, ReportView

__all__ = ["output_section"]


def output_section(view: ReportView, r: QuarterResults) -> Html:
    """2 Output: funnel (chart and table), revenue and spend by channel, response time."""
    t, fmt, p = view.t, view.fmt, view.params
    out = view.section("output", intro=t("report.immature", period=r.period.label,
                                         days=r.cohort_days))
    out += view.subsection("funnel")
    if len(r.funnel) > 1:
        highlight = r.bottleneck["to_stage"] if r.bottleneck else None
        ax = charts.plot_funnel(r.funnel, highlight=highlight, fmt=fmt, t=t)
        out += view.chart(ax, narrative.takeaway_funnel(r.bottleneck, t=t, fmt=fmt))
    else:  # no stage dates in the data: say so instead of a one-bar chart
        out += view.note(t("intake.degrade.no_stages", stages=", ".join(STAGE_COLUMNS[:7])))
    out += view.table(ReportTable(
        "funnel", r.funnel,
        {"stage": "stage", "leads": "int", "conversion_from_previous": "pct",
         "drop_off": "pct", "conversion_from_start": "pct"}))
    out += view.subsection("revenue")
    if r.has_spend or r.by_channel["revenue"].sum() > 0:
        ax = charts.plot_revenue_spend(r.by_channel, palette=view.palette, fmt=fmt, t=t)
        out += view.chart(ax, narrative.takeaway_revenue(r.by_channel, t=t, fmt=fmt))
    else:  # nothing to draw: no spend table and no revenue in the data
        out += view.note(t("intake.degrade.no_revenue"))
    resp = r.response.copy()
    if len(resp):
        resp["channel"] = resp["channel"].fillna(t("total"))
        classes = ["total" if i == len(resp) - 1 else "" for i in range(len(resp))]
        out += view.table(
            ReportTable("response_time", resp,
                        {"channel": "text", "leads": "int", "contacted": "int",
                         "median_hours": "hours", "p75_hours": "hours", "sla_rate": "pct"},
                        headers={"sla_rate": f"{t('col.sla_rate')} (≤ "
                                 f"{p.response_sla_hours:g} h)"}, row_classes=classes),
            title_key="response",
            takeaway=narrative.takeaway_response(r.response, sla_hours=p.response_sla_hours,
                                                 t=t, fmt=fmt))
    else:
        out += view.note(t("takeaway.response_none"))
    return out
