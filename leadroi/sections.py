"""The sections of the quarterly report: each function turns results into HTML blocks.

Order follows the story of every report: summary → 1 input → 2 output → 3 comparison →
4 recommendations → appendix. Tables shown here are recorded by the view for the
workbook; a few go to the workbook only (``view.record``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import yaml

from leadroi import charts, narrative
from leadroi.analysis import QuarterResults
from leadroi.dataset import Dataset
from leadroi.engine import collect
from leadroi.metrics import BY_CHANNEL_COLUMNS
from leadroi.params import Params
from leadroi.stats import safe_div
from leadroi.tables import ReportTable
from leadroi.view import Html, ReportView

__all__ = ["summary", "input_section", "output_section", "comparison_section",
           "recommendations_section", "appendix", "QUARANTINE_SHOWN"]

QUARANTINE_SHOWN = 20
_GLOSSARY = ("leads", "customers", "conversion_rate", "spend", "cpl", "cac", "revenue",
             "avg_deal", "roi", "roas", "stage_conversion", "drop_off", "response_time",
             "same_age", "too_few")


def _rec_texts(view: ReportView, r: QuarterResults) -> list[dict]:
    return [narrative.recommendation_text(rec, t=view.t, fmt=view.fmt,
                                          sla_hours=view.params.response_sla_hours)
            for rec in r.recommendations]


def summary(view: ReportView, r: QuarterResults) -> Html:
    """Page 1: title, KPI tiles with deltas, findings, the top three actions."""
    t, fmt, p = view.t, view.fmt, view.params
    tiles = narrative.kpi_tiles(r.totals, r.totals_previous, r.targets,
                                previous_label=r.previous.label, t=t, fmt=fmt)
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
                      actions=_rec_texts(view, r)[:3], note=note)


def _summary_table(r: QuarterResults) -> ReportTable:
    keys = ["spend", "leads", "customers", "conversion_rate", "revenue", "roi", "cac", "cpl",
            "roas"]
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


def input_section(view: ReportView, r: QuarterResults) -> Html:
    """1 Input: spend by month and channel (chart), by channel and cost type (table)."""
    t, fmt = view.t, view.fmt
    out = view.section("input")
    if not r.has_spend:
        return out + view.note(t("appendix.missing_table", table="spend",
                                 consequence=t("appendix.missing_spend")))
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
    return out


def output_section(view: ReportView, r: QuarterResults) -> Html:
    """2 Output: funnel (chart and table), revenue and spend by channel, response time."""
    t, fmt, p = view.t, view.fmt, view.params
    out = view.section("output", intro=t("report.immature", period=r.period.label,
                                         days=r.cohort_days))
    out += view.subsection("funnel")
    highlight = r.bottleneck["to_stage"] if r.bottleneck else None
    ax = charts.plot_funnel(r.funnel, highlight=highlight, fmt=fmt, t=t)
    out += view.chart(ax, narrative.takeaway_funnel(r.bottleneck, t=t, fmt=fmt))
    out += view.table(ReportTable(
        "funnel", r.funnel,
        {"stage": "stage", "leads": "int", "conversion_from_previous": "pct",
         "drop_off": "pct", "conversion_from_start": "pct"}))
    out += view.subsection("revenue")
    ax = charts.plot_revenue_spend(r.by_channel, palette=view.palette, fmt=fmt, t=t)
    out += view.chart(ax, narrative.takeaway_revenue(r.by_channel, t=t, fmt=fmt))
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


def recommendations_section(view: ReportView, r: QuarterResults) -> Html:
    """4 Recommendations: each with evidence and confidence, then the action plan."""
    texts = _rec_texts(view, r)
    out = view.section("recommendations")
    out += view.subsection("recommendations") + view.recommendations(texts)
    rows = pd.DataFrame(texts, columns=["conclusion", "action", "owner", "deadline", "metric",
                                        "baseline", "target", "confidence", "evidence"])
    rows.insert(0, "rule", [rec.rule for rec in r.recommendations])
    rows.insert(1, "subject", [rec.subject for rec in r.recommendations])
    kinds = {c: "text" for c in ("conclusion", "action", "owner", "deadline", "metric",
                                 "baseline", "target")}
    out += view.table(ReportTable("actions", rows, kinds), title_key="actions")
    return out


def appendix(view: ReportView, data: Dataset, params: Params) -> Html:
    """Appendix: reconciliation, quarantine, fixes, glossary, params, input files."""
    t = view.t
    out = view.section("appendix")
    q = data.quality.copy()
    q["file"] = q["file"].map(lambda f: f.replace("\\", "/").rsplit("/", 1)[-1])
    q["reconciled"] = q["rows_in"] == q["rows_used"] + q["rows_quarantined"]
    out += view.table(ReportTable(
        "data_quality", q, {"table": "text", "file": "text", "rows_in": "int",
                            "rows_used": "int", "rows_quarantined": "int"}),
        title_key="data_quality", takeaway=t("appendix.reconciliation"))
    for name, key in (("spend", "missing_spend"), ("targets", "missing_targets"),
                      ("touchpoints", "missing_touchpoints")):
        if name not in data.tables:
            out += view.note(t("appendix.missing_table", table=name,
                               consequence=t(f"appendix.{key}")))
    reasons = data.reasons.copy()
    reasons["reason"] = [t(f"reason.{c}", column=col) for c, col in
                         zip(reasons["code"], reasons["column"])]
    out += view.table(ReportTable("quarantine_reasons", reasons,
                                  {"table": "text", "reason": "text", "rows": "int"}),
                      title_key="quarantine", note=None if len(reasons) else
                      t("appendix.no_quarantine"))
    total = int(data.quality["rows_quarantined"].sum())
    if total:
        sample = collect(data.quarantine.limit(QUARANTINE_SHOWN))
        sample["reason"] = [t(f"reason.{c}", column=col) for c, col in
                            zip(sample["code"], sample["column"])]
        view.record(ReportTable("quarantine", collect(data.quarantine), {}))
        shown = ReportTable("quarantine_sample", sample,
                            {"table": "text", "row": "int", "column": "text", "value": "text",
                             "reason": "text"})
        out += view.table(shown, note=t("appendix.quarantine_shown", shown=len(sample),
                                        total=total), record=False)
    fixes = data.fixes.copy()
    fixes["fix"] = [t(f"fix.{c}") for c in fixes["code"]]
    out += view.table(ReportTable("fixes", fixes, {"table": "text", "column": "text",
                                                   "fix": "text", "rows": "int"}),
                      title_key="fixes", note=None if len(fixes) else t("appendix.no_fixes"))
    glossary = pd.DataFrame([{"key": k, "metric_name": t(f"glossary.{k}.name"),
                              "formula": t(f"glossary.{k}.formula"),
                              "definition": t(f"glossary.{k}.definition")} for k in _GLOSSARY])
    out += view.table(ReportTable("glossary", glossary, {"metric_name": "text",
                                                         "formula": "text",
                                                         "definition": "text"}),
                      title_key="glossary", note=t("appendix.dash"))
    out += view.subsection("params") + view.preformatted(
        yaml.safe_dump(params.public_dict(), allow_unicode=True, sort_keys=False))
    files = data.files.copy()
    files["file"] = files["file"].map(lambda f: f.replace("\\", "/").rsplit("/", 1)[-1])
    out += view.table(ReportTable("files", files, {"table": "text", "file": "text",
                                                   "bytes": "int", "sha256": "text"}),
                      title_key="files")
    return out
