"""Section 3's period comparison: headline metrics against last quarter, a year ago and
target (with the significance of rate changes), channels against last quarter and a year
ago, the decomposition of the revenue change, and strategy/content A/B tests."""

from __future__ import annotations

import pandas as pd

from leadroi.compare import FACTORS
from leadroi.report.decisions import group_label, verdict_text
from leadroi.report.quarterly import QuarterResults
from leadroi.report.tables import ReportTable
from leadroi.report.view import Html, ReportView

__all__ = ["period_comparison", "group_comparison"]


def _cell(kind: str, value, fmt) -> str:
    if value is None or pd.isna(value):
        return "—"
    return {"money": fmt.money, "int": fmt.number, "pct": lambda v: fmt.pct(v, 1)}[kind](value)


def _change(metric: str, kind: str, value, fmt) -> str:
    if value is None or pd.isna(value):
        return "—"
    points = metric in ("conversion_rate", "win_rate", "mql_to_sql", "roi")
    return fmt.delta_pp(value, 1) if points else fmt.delta_pct(value)


def _headline(view: ReportView, r: QuarterResults) -> Html:
    t, fmt, c = view.t, view.fmt, r.comparison
    h = c.headline
    ago = c.year_ago.label if c.year_ago is not None else "—"
    shown = pd.DataFrame({
        "metric": [t(f"decisions.kpi.{m}") for m in h["metric"]],
        "now": [_cell(k, v, fmt) for k, v in zip(h["kind"], h["now"])],
        "previous": [_cell(k, v, fmt) for k, v in zip(h["kind"], h["previous"])],
        "qoq": [_change(m, k, v, fmt) for m, k, v in zip(h["metric"], h["kind"], h["qoq"])],
        "qoq_verdict": [t(f"decisions.verdict.{v}") if isinstance(v, str) else ""
                        for v in h["qoq_verdict"]],
        "year_ago": [_cell(k, v, fmt) for k, v in zip(h["kind"], h["year_ago"])],
        "yoy": [_change(m, k, v, fmt) for m, k, v in zip(h["metric"], h["kind"], h["yoy"])],
        "yoy_verdict": [t(f"decisions.verdict.{v}") if isinstance(v, str) else ""
                        for v in h["yoy_verdict"]],
        "target": [_cell(k, v, fmt) for k, v in zip(h["kind"], h["target"])],
    })
    headers = {col: t(f"decisions.col.{col}") for col in shown.columns}
    headers.update(now=r.period.label, previous=r.previous.label, year_ago=ago)
    view.record(ReportTable("period_comparison", h, {}))
    conv = h.set_index("metric").loc["conversion_rate"]
    tests = r.comparison.headline
    takeaway = t("decisions.takeaway.headline", previous=r.previous.label,
                 leads=_change("leads", "int", tests.set_index("metric").loc["leads", "qoq"],
                               fmt),
                 customers=_change("customers", "int", tests.set_index("metric").loc[
                     "customers", "qoq"], fmt),
                 revenue=_change("revenue", "money", tests.set_index("metric").loc[
                     "revenue", "qoq"], fmt),
                 conversion=fmt.delta_pp(conv["qoq"], 1),
                 verdict=t(f"decisions.verdict.{conv['qoq_verdict']}"))
    return view.table(ReportTable("period_comparison_shown", shown,
                                  {col: "text" for col in shown.columns}, headers=headers),
                      title_key="period_headline", takeaway=takeaway, record=False,
                      note=t("decisions.verdict_note", alpha=fmt.pct(view.params.compare.alpha,
                                                                     0),
                             min=view.params.min_leads))


def _channels(view: ReportView, r: QuarterResults) -> Html:
    t, fmt = view.t, view.fmt
    bc = r.comparison.by_channel
    data = bc.assign(verdict=[t(f"decisions.verdict.{v}") for v in bc["conversion_verdict"]],
                     conversion=bc["conversion_rate"])
    headers = {k: t(f"decisions.col.{k}") for k in (
        "channel", "leads", "leads_qoq", "conversion", "conversion_qoq", "verdict",
        "conversion_yoy", "revenue", "revenue_qoq", "roi", "roi_qoq")}
    real = bc[bc["conversion_verdict"] == "likely_real"]
    takeaway = t("decisions.takeaway.channels_real", changes=", ".join(
        f"{c} {fmt.delta_pp(d, 1)}" for c, d in zip(real["channel"], real["conversion_qoq"]))
    ) if len(real) else t("decisions.takeaway.channels_none")
    return view.table(ReportTable(
        "period_by_channel", data,
        {"channel": "text", "leads": "int", "leads_qoq": "delta_pct", "conversion": "pct",
         "conversion_qoq": "delta_pp", "verdict": "text", "conversion_yoy": "delta_pp",
         "revenue": "money", "revenue_qoq": "delta_pct", "roi": "pct_plain",
         "roi_qoq": "delta_pp"}, headers=headers,
        row_classes=["muted" if few else "" for few in bc["too_few"]],
        excel_columns=list(bc.columns)), title_key="period_channels", takeaway=takeaway)


def _decomposition(view: ReportView, r: QuarterResults) -> Html:
    t, fmt = view.t, view.fmt
    d = r.comparison.decomposition
    labels = {"before": r.previous.label, "now": r.period.label}
    data = d.assign(label=[t(f"decisions.effect.{e}", period=labels.get(e, ""))
                           for e in d["effect"]])
    change = d["value"].iloc[-1] - d["value"].iloc[0]
    factors = d[d["effect"].isin(FACTORS)]
    if change == 0 and not factors["value"].any():
        takeaway = t("decisions.takeaway.decomposition_flat", period=r.previous.label)
    else:
        top = factors.loc[factors["value"].abs().idxmax()]
        takeaway = t("decisions.takeaway.decomposition", period=r.previous.label,
                     change=fmt.money(change), effect=t(f"decisions.effect.{top['effect']}"),
                     value=fmt.money(top["value"]))
    return view.table(ReportTable(
        "revenue_decomposition", data, {"label": "text", "value": "money", "share": "pct"},
        headers={"label": t("decisions.col.effect"), "value": t("decisions.col.value"),
                 "share": t("decisions.col.share")},
        row_classes=["total", "", "", "", "", "total"],
        excel_columns=["effect", "label", "value", "share"]),
        title_key="decomposition", takeaway=takeaway, note=t("decisions.decomposition_note"))


def period_comparison(view: ReportView, r: QuarterResults) -> Html:
    """Headline and channel comparison, and the revenue change decomposition."""
    if r.comparison is None:
        return Html("")
    return _headline(view, r) + _channels(view, r) + _decomposition(view, r)


def group_comparison(view: ReportView, r: QuarterResults) -> Html:
    """Each strategy and content asset against the rest (the same test as above)."""
    t, fmt = view.t, view.fmt
    if r.comparison is None or not r.comparison.groups:
        return Html("")
    parts = []
    for dim, tests in r.comparison.groups.items():
        parts.append(tests.assign(
            dimension=t(f"dimension.{dim}"),
            label=[group_label(g, dim, t) for g in tests["group"]],
            verdict_text=[verdict_text(v, p, t) for v, p in zip(tests["verdict"],
                                                                tests["p_value"])]))
    data = pd.concat(parts, ignore_index=True)
    real = data[(data["verdict"] == "likely_real") & (data["diff"] > 0)]
    takeaway = t("decisions.takeaway.groups", group=real.iloc[0]["label"],
                 dimension=real.iloc[0]["dimension"], rate=fmt.pct(real.iloc[0]["rate"]),
                 rest=fmt.pct(real.iloc[0]["rest_rate"]),
                 verdict=real.iloc[0]["verdict_text"]) if len(real) \
        else t("decisions.takeaway.groups_none")
    cols = ("dimension", "label", "trials", "rate", "rest_rate", "diff", "prob_better",
            "verdict_text")
    names = {"label": "group", "verdict_text": "verdict"}
    return view.table(ReportTable(
        "group_tests", data, dict(zip(cols, ("text", "text", "int", "pct", "pct", "delta_pp",
                                             "pct_plain", "text"))),
        headers={c: t(f"decisions.col.{names.get(c, c)}") for c in cols},
        row_classes=["muted" if v == "too_few" else "" for v in data["verdict"]],
        excel_columns=["dimension", "group", "successes", "trials", "rate", "rest_rate",
                       "diff", "lift", "p_value", "prob_better", "verdict"]),
        title_key="group_tests", takeaway=takeaway)
