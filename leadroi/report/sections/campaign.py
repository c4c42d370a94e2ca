"""The campaign retrospective's sections: cover, input, output, comparison with the
benchmark campaigns, recommendations and the optimisation plan (seed 002).

Every number comes from :func:`leadroi.report.campaign.analyse_campaign`; this module only picks
the sentences, tables and charts (the quarterly report's funnel, ROI and cost-quality
charts, drawn over campaigns instead of channels).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from leadroi.compare.campaign import CampaignResults
from leadroi.decide.actions import action_items
from leadroi.decide.rules import Recommendation
from leadroi.report import charts
from leadroi.report.decisions import metric_name, metric_value, verdict_text
from leadroi.report.tables import ReportTable
from leadroi.report.view import Html, ReportView
from leadroi.stats import safe_div

__all__ = ["campaign_summary", "campaign_input", "campaign_output", "campaign_comparison",
           "campaign_recommendations", "campaign_rec_texts", "KPI_ROWS"]

#: metric -> (formatter kind, direction: 1 higher is better, -1 lower is, 0 neither)
KPI_ROWS = {"spend": ("money", 0), "leads": ("int", 1), "cpl": ("money", -1),
            "customers": ("int", 1), "conversion_rate": ("pct", 1), "revenue": ("money", 1),
            "avg_deal": ("money", 1), "cac": ("money", -1), "roi": ("roi", 1),
            "cycle_median": ("days", -1)}
_TILES = ("spend", "leads", "customers", "revenue", "cac", "roi")
_INPUT = ("spend", "leads", "cpl")
_HIGHLIGHT, _BENCH = "#de8f05", "#8fa9c4"


def _nan(x) -> bool:
    return x is None or (isinstance(x, float | np.floating) and math.isnan(x))


def _value(view: ReportView, kind: str, value) -> str:
    fmt = view.fmt
    if _nan(value):
        return "—"
    return {"money": fmt.money, "int": fmt.number, "pct": lambda v: fmt.pct(v, 1),
            "roi": lambda v: fmt.pct(v, 0),
            "days": lambda v: view.t("campaign.days", n=fmt.number(v))}[kind](value)


def _change(key: str, now, median) -> float:
    if _nan(now) or _nan(median):
        return np.nan
    return now - median if key in ("roi", "conversion_rate") else safe_div(now - median,
                                                                            median)


def _delta(view: ReportView, key: str, change: float) -> str:
    if key in ("roi", "conversion_rate"):
        return view.fmt.delta_pp(change, 0 if key == "roi" else 1)
    return view.fmt.delta_pct(change)


def _kpi_frame(view: ReportView, r: CampaignResults, keys) -> ReportTable:
    t, rows = view.t, []
    conv = r.tests.set_index("rate").loc["conversion_rate"]
    for key in keys:
        kind = KPI_ROWS[key][0]
        now, pooled, med = r.summary[key], r.benchmark[key], r.medians[key]
        change = _change(key, now, med)
        rows.append({"key": key, "metric": t(f"campaign.metric.{key}"), "value": now,
                     "pooled": pooled, "median": med, "change": change,
                     "this_text": _value(view, kind, now),
                     "pooled_text": _value(view, kind, pooled),
                     "median_text": _value(view, kind, med),
                     "diff_text": "—" if _nan(change) else _delta(view, key, change),
                     "verdict": verdict_text(conv["verdict"], conv["p_value"], t)
                     if key == "conversion_rate" else ""})
    cols = {"metric": "text", "this_text": "text", "pooled_text": "text",
            "median_text": "text", "diff_text": "text", "verdict": "text"}
    headers = {"metric": t("campaign.col.metric"), "this_text": t("campaign.col.this"),
               "pooled_text": t("campaign.col.pooled"), "median_text": t("campaign.col.median"),
               "diff_text": t("campaign.col.diff"), "verdict": t("campaign.col.verdict")}
    name = "campaign_input" if tuple(keys) == _INPUT else "campaign_kpis"
    if name == "campaign_input":  # no rate to test among spend, leads and CPL
        del cols["verdict"]
    return ReportTable(name, pd.DataFrame(rows), cols, headers=headers,
                       excel_columns=["key", "metric", "value", "pooled", "median", "change",
                                      "verdict"])


def _tiles(view: ReportView, r: CampaignResults) -> list[dict]:
    t, tiles = view.t, []
    for key in _TILES:
        kind, direction = KPI_ROWS[key]
        now, med = r.summary[key], r.medians[key]
        change = _change(key, now, med)
        cls = "neutral"
        if not _nan(change) and direction and abs(change) > 1e-9:
            cls = "good" if change * direction > 0 else "bad"
        tiles.append({"key": key, "label": t(f"kpi.{key}"), "value": _value(view, kind, now),
                      "delta": ("—" if _nan(change) else _delta(view, key, change))
                      + " " + t("campaign.vs_median"), "delta_class": cls,
                      "target": t("campaign.tile_vs", value=_value(view, kind, med))
                      if not _nan(med) else t("campaign.no_benchmark")})
    return tiles


def _scope(view: ReportView, r: CampaignResults) -> str:
    t, fmt = view.t, view.fmt
    n = len(r.benchmark_ids)
    bench = {"listed": lambda: t("decisions.campaign.benchmarks_listed", n=n),
             "auto": lambda: t("decisions.campaign.benchmarks_auto", n=n,
                               by=t(f"dimension.{r.benchmark_by}").lower()),
             "none": lambda: t("decisions.campaign.benchmarks_none")}[r.benchmark_mode]()
    text = t("decisions.campaign.scope", campaigns=r.label, start=fmt.date(r.start),
             end=fmt.date(r.end), days=r.days, as_of=fmt.date(r.as_of), benchmarks=bench)
    if r.immature_share > 0:
        text += " " + t("campaign.scope_immature", share=fmt.pct(r.immature_share, 0),
                        days=r.days)
    return text


def _rank(r: CampaignResults) -> tuple[int, int]:
    judged = r.campaigns[~r.campaigns["too_few"] | r.campaigns["is_this"]]
    roi = judged["roi"].dropna()
    this = r.summary["roi"]
    return int((roi > this).sum()) + 1, len(roi)


def _stage_text(view: ReportView, r: CampaignResults) -> str:
    t, fmt = view.t, view.fmt
    stage = next((x for x in r.recommendations if x.rule == "campaign_stage"), None)
    if stage is None:
        return t("decisions.campaign.funnel_none")
    ev = stage.evidence
    return t("decisions.campaign.funnel_takeaway", stage=t(f"stage.{ev['stage']}"),
             rate=fmt.pct(ev["rate"]), benchmark=fmt.pct(ev["benchmark"]),
             verdict=verdict_text(ev["verdict"], ev["p_value"], t))


def campaign_summary(view: ReportView, r: CampaignResults) -> Html:
    """Page 1: title, KPI tiles against the median benchmark campaign, findings and the
    top actions."""
    t, fmt, s = view.t, view.fmt, r.summary
    texts = campaign_rec_texts(view, r)
    story = t("decisions.campaign.kpi_story", campaigns=r.label, leads=fmt.number(s["leads"]),
              customers=fmt.number(s["customers"]), revenue=fmt.money(s["revenue"]),
              spend=fmt.money(s["spend"]), cac=fmt.money(s["cac"]),
              roi=fmt.pct(s["roi"], 0))
    findings = [story] + [x["conclusion"] for x in texts[:1]]
    if r.benchmark_mode != "none":
        rank, total = _rank(r)
        findings += [t("decisions.campaign.rank", n=len(r.benchmark_ids),
                       rank=t("campaign.rank_of", rank=rank, total=total),
                       median=fmt.pct(r.medians["roi"], 0)), _stage_text(view, r)]
    subtitle = t("decisions.campaign.subtitle", campaigns=r.label, start=fmt.date(r.start),
                 end=fmt.date(r.end))
    return view.cover(subtitle=subtitle, tiles=_tiles(view, r), findings=findings,
                      actions=texts[:3], note=_scope(view, r))


def campaign_input(view: ReportView, r: CampaignResults) -> Html:
    """1 Input: what the campaign cost and how many sign-ups it bought."""
    t, fmt, s, m = view.t, view.fmt, r.summary, r.medians
    takeaway = t("campaign.takeaway.input", spend=fmt.money(s["spend"]),
                 leads=fmt.number(s["leads"]), cpl=fmt.money(s["cpl"]),
                 median_cpl=fmt.money(m["cpl"]))
    return (view.section("campaign_input", intro=_scope(view, r))
            + view.table(_kpi_frame(view, r, _INPUT), title_key="campaign_input",
                         takeaway=takeaway, note=t("decisions.campaign.cost_note")))


def campaign_output(view: ReportView, r: CampaignResults) -> Html:
    """2 Output: customers, revenue, conversion, CAC, ROI and cycle; the funnel."""
    t, fmt, s = view.t, view.fmt, r.summary
    takeaway = t("campaign.takeaway.output", customers=fmt.number(s["customers"]),
                 rate=fmt.pct(s["conversion_rate"]), days=r.days,
                 revenue=fmt.money(s["revenue"]), cac=fmt.money(s["cac"]),
                 roi=fmt.pct(s["roi"], 0), cycle=_value(view, "days", s["cycle_median"]))
    keys = [k for k in KPI_ROWS if k not in _INPUT]
    out = view.section("campaign_output")
    out += view.table(_kpi_frame(view, r, keys), title_key="campaign_kpis", takeaway=takeaway)
    stage = next((x.subject for x in r.recommendations if x.rule == "campaign_stage"), None)
    ax = charts.plot_funnel(r.funnel, highlight=stage, fmt=fmt, t=t)
    out += view.subsection("campaign_funnel") + view.chart(ax, _stage_text(view, r))
    return out


def _chart_frame(view: ReportView, r: CampaignResults) -> tuple[pd.DataFrame, dict]:
    """Campaign rows named for the charts (benchmarks without their channel prefix)."""
    c = r.campaigns
    this = view.t("decisions.campaign.this")
    names = [this if is_this else str(name).removeprefix(f"{ch}-")
             for name, ch, is_this in zip(c["campaign"], c["channel"], c["is_this"])]
    data = c.assign(channel=names, roi_low=c["roi"], roi_high=c["roi"])
    palette = {n: _HIGHLIGHT if n == this else _BENCH for n in names}
    return data, palette


def _stage_table(view: ReportView, r: CampaignResults) -> ReportTable:
    t = view.t
    f = r.funnel.iloc[1:].assign(
        rate=lambda d: 1 - d["drop_off"],
        verdict_text=lambda d: [verdict_text(v, p, t) for v, p in zip(d["verdict"],
                                                                      d["p_value"])])
    kinds = {"stage": "stage", "leads": "int", "rate": "pct",
             "previous_conversion": "pct", "change": "delta_pp", "verdict_text": "text"}
    headers = {"rate": t("campaign.col.rate"), "previous_conversion":
               t("campaign.col.benchmark"), "change": t("campaign.col.change"),
               "verdict_text": t("campaign.col.verdict")}
    return ReportTable("campaign_stages", f, kinds, headers=headers)


def campaign_comparison(view: ReportView, r: CampaignResults) -> Html:
    """3 Comparison: conversion against the pooled benchmark (significance), stage by
    stage, ROI and cost-quality among the benchmark campaigns, the benchmark table."""
    t, fmt = view.t, view.fmt
    out = view.section("campaign_comparison")
    if r.benchmark_mode == "none":
        return out + view.note(t("decisions.campaign.benchmarks_none"))
    conv = r.tests.set_index("rate").loc["conversion_rate"]
    out += view.paragraph(t("campaign.takeaway.conversion", rate=fmt.pct(conv["campaign"]),
                            benchmark=fmt.pct(conv["benchmark"]),
                            verdict=verdict_text(conv["verdict"], conv["p_value"], t)))
    out += view.table(_stage_table(view, r), title_key="campaign_stage_tests",
                      takeaway=_stage_text(view, r), note=t("campaign.takeaway.stages"))
    data, palette = _chart_frame(view, r)
    rank, total = _rank(r)
    out += view.subsection("campaign_benchmarks")
    out += view.chart(charts.plot_roi(data, palette=palette, fmt=fmt, t=t), t(
        "decisions.campaign.rank", n=len(r.benchmark_ids), rank=t(
            "campaign.rank_of", rank=rank, total=total), median=fmt.pct(r.medians["roi"], 0)))
    out += view.chart(charts.plot_cost_quality(data, palette=palette, fmt=fmt, t=t),
                      t("campaign.takeaway.cost_quality"))
    c = r.campaigns.assign(first_created=pd.to_datetime(r.campaigns["first_created"]).dt.date)
    kinds = {"campaign": "text", "first_created": "date", "leads": "int", "customers": "int",
             "conversion_rate": "pct_range", "spend": "money", "revenue": "money",
             "cpl": "money", "cac": "money", "roi": "pct_plain"}
    headers = {"campaign": t("campaign.col.campaign"),
               "first_created": t("campaign.col.first_created"), "roi": t("kpi.roi")}
    classes = ["total" if x else "muted" if few else ""
               for x, few in zip(c["is_this"], c["too_few"])]
    keep = [k for k in c.columns if not k.startswith("_s_")]
    out += view.table(ReportTable("campaign_benchmarks", c[keep], kinds, headers=headers,
                                  row_classes=classes),
                      note=t("campaign.takeaway.benchmarks"))
    return out


def _verdict_words(rec: Recommendation, view: ReportView) -> dict:
    t, fmt, ev = view.t, view.fmt, rec.evidence
    stage = ev.get("stage")
    return dict(roi=fmt.pct(ev["roi"], 0), median=fmt.pct(ev["median_roi"], 0),
                rate=fmt.pct(ev["rate"]), benchmark=fmt.pct(ev["benchmark_rate"]),
                verdict=verdict_text(ev["verdict"], ev["p_value"], t),
                cac_cap=fmt.money(ev.get("cac_cap", np.nan)), leads=fmt.number(ev["leads"]),
                stage=t(f"stage.{stage}") if stage else t("campaign.no_stage"),
                customers=fmt.number(ev["customers"]), revenue=fmt.money(ev["revenue"]),
                spend=fmt.money(ev["spend"]), n=ev["n"])


def _stage_words(rec: Recommendation, view: ReportView) -> dict:
    t, fmt, ev = view.t, view.fmt, rec.evidence
    return dict(stage=t(f"stage.{ev['stage']}"), rate=fmt.pct(ev["rate"]),
                benchmark=fmt.pct(ev["benchmark"]),
                verdict=verdict_text(ev["verdict"], ev["p_value"], t),
                entered=fmt.number(ev["entered"]), lost=fmt.number(ev["lost"]))


def _nurture_words(rec: Recommendation, view: ReportView) -> dict:
    ev = rec.evidence
    return dict(pool=view.fmt.number(ev["pool"]), ratings=ev["ratings"], days=ev["days"],
                extra=view.fmt.number(ev["extra"]))


#: rule -> (catalogue key of conclusion/action, evidence key, placeholder values)
_WORDS = {
    "campaign_repeat": ("decisions.campaign.rec.repeat", "campaign.evidence.verdict",
                        _verdict_words),
    "campaign_fix": ("decisions.campaign.rec.fix", "campaign.evidence.verdict",
                     _verdict_words),
    "campaign_hold": ("decisions.campaign.rec.hold", "campaign.evidence.verdict",
                      _verdict_words),
    "campaign_too_few": ("decisions.campaign.rec.too_few", "campaign.evidence.verdict",
                         _verdict_words),
    "campaign_stage": ("decisions.campaign.rec.stage", "campaign.evidence.stage",
                       _stage_words),
    "campaign_nurture": ("campaign.rec.nurture", "campaign.rec.nurture.evidence",
                         _nurture_words),
}


def campaign_rec_texts(view: ReportView, r: CampaignResults) -> list[dict]:
    """Wording of each campaign recommendation, in the shape the recommendation cards and
    the cover expect."""
    t, fmt, out = view.t, view.fmt, []
    for rec in r.recommendations:
        key, evidence, words = _WORDS[rec.rule]
        values = words(rec, view)
        sign = "≥" if rec.direction == "up" else "≤"
        out.append({"conclusion": t(f"{key}.conclusion", **values),
                    "action": t(f"{key}.action", **values),
                    "evidence": t(evidence, **values), "owner": rec.owner,
                    "deadline": fmt.date(rec.deadline),
                    "metric": metric_name(rec.metric, rec.subject, t),
                    "baseline": metric_value(rec.metric, rec.baseline, fmt),
                    "target": f"{sign}\u00a0{metric_value(rec.metric, rec.target, fmt)}",
                    "confidence": t(f"confidence.{rec.confidence}"),
                    "confidence_key": rec.confidence})
    return out


def campaign_recommendations(view: ReportView, r: CampaignResults) -> Html:
    """4 Recommendations with evidence and confidence, then the optimisation plan
    (conclusion, action, owner, deadline, tracking metric, baseline, target)."""
    t = view.t
    texts = campaign_rec_texts(view, r)
    out = view.section("campaign_recommendations") + view.recommendations(texts)
    cols = ["conclusion", "action", "owner", "deadline", "metric", "baseline", "target"]
    rows = pd.DataFrame(texts, columns=cols + ["confidence", "evidence"])
    plan = pd.DataFrame(action_items(r.recommendations, texts, r.label),
                        columns=["metric", "subject", "baseline", "target", "direction",
                                 "rule"])
    for col in plan.columns:  # the plan as data, for the workbook and the next params
        rows[f"plan_{col}"] = plan[col].to_numpy()
    table = ReportTable("campaign_actions", rows, {c: "text" for c in cols})
    return out + view.table(table, title_key="campaign_plan", note=t("campaign.takeaway.plan"))
