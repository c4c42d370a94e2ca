"""Section 1, input: what was spent, by month, channel and cost type."""

from __future__ import annotations

from leadroi.report import charts, narrative
from leadroi.report.quarterly import QuarterResults
from leadroi.report.tables import ReportTable
from leadroi.report.view import Html, ReportView

__all__ = ["input_section"]


def input_section(view: ReportView, r: QuarterResults) -> Html:
    """1 Input: spend by month and channel (chart), by channel and cost type (table)."""
    t, fmt = view.t, view.fmt
    out = view.section("input")
    if not r.has_spend:
        return out + view.note(t("appendix.missing_table", table="spend",
                                 consequence=t("appendix.missing_spend"))) \
            + _leads_month(view, r)
    out += view.subsection("spend_month")
    ax = charts.plot_spend_by_month(r.spend, palette=view.palette, fmt=fmt, t=t)
    out += view.chart(ax, narrative.takeaway_spend(r.spend, t=t, fmt=fmt))
    wide = r.spend.pivot_table(index="channel", columns="cost_type", values="amount",
                               aggfunc="sum", fill_value=0.0)
    wide["spend"] = wide.sum(axis=1)
    wide["share"] = wide["spend"] / wide["spend"].sum()
    wide = wide.sort_values("spend", ascending=False).reset_index()
    kinds = {"channel": "text"}
    headers = {}
    for cost_type in [c for c in wide.columns if c not in ("channel", "spend", "share")]:
        kinds[cost_type] = "money"
        headers[cost_type] = t.get(f"cost_type.{cost_type}", cost_type)
    kinds.update({"spend": "money", "share": "pct"})
    out += view.table(ReportTable("spend_by_channel", wide, kinds, headers=headers),
                      title_key="spend_channel")
    view.record(ReportTable("spend_by_month", r.spend, {}))
    return out + _leads_month(view, r)


def _leads_month(view: ReportView, r: QuarterResults) -> Html:
    """What the spend bought, month by month: leads by channel and month (heatmap)."""
    if r.leads_month.empty:
        return Html("")
    t, fmt = view.t, view.fmt
    out = view.subsection("leads_month")
    ax = charts.plot_leads_heatmap(r.leads_month, fmt=fmt, t=t)
    out += view.chart(ax, narrative.takeaway_heatmap(r.leads_month, t=t, fmt=fmt))
    view.record(ReportTable("leads_by_month", r.leads_month, {}))
    return out
