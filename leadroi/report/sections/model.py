"""Section 2, the predictive lead score: how it was validated against the rules, its
calibration, what drives it, and the open leads to contact first
(:func:`leadroi.metrics.predict.score_model`)."""

from __future__ import annotations

import pandas as pd

from leadroi.report import charts
from leadroi.report.quarterly import QuarterResults
from leadroi.report.tables import ReportTable
from leadroi.report.view import Html, ReportView

__all__ = ["model_subsection", "PRIORITY_SHOWN"]

#: Priority leads listed in the report (all of them go to the workbook).
PRIORITY_SHOWN = 10


def _feature(name: str, t) -> str:
    return t.get(f"model.feature.{name}", name)


def _reason_text(reasons: str, t) -> str:
    parts = []
    for item in filter(None, reasons.split("; ")):
        feature, _, value = item.partition("=")
        if value in ("high", "low") and t.get(f"model.feature.{feature}"):
            parts.append(t(f"model.{value}", feature=_feature(feature, t)))
        else:
            parts.append(f"{_feature(feature, t)}: {value}")
    return t("metric_text.sep").join(parts)


def _verdict(m, t, fmt) -> str:
    val = m.validation.set_index("model")
    model, rules = val.loc["model"], val.loc["rules"]
    better = "better" if model["auc"] >= rules["auc"] + 0.02 else "no_better"
    return t(f"model.verdict_{better}", auc=f"{model['auc']:.2f}",
             rules_auc=f"{rules['auc']:.2f}", lift=f"{model['top_decile_lift']:.1f}",
             rules_lift=f"{rules['top_decile_lift']:.1f}", test=m.split.test.label,
             method=t(f"model.method.{m.chosen}"))


def _effects_takeaway(effects: pd.DataFrame, labels: list[str], t) -> str:
    up = [lab for lab, c in zip(labels, effects["coefficient"]) if c > 0][:2]
    down = [lab for lab, c in zip(labels, effects["coefficient"]) if c < 0][:2]
    sep = t("metric_text.sep")
    return t("model.effects_takeaway", up=sep.join(up) or "—", down=sep.join(down) or "—")


def model_subsection(view: ReportView, r: QuarterResults) -> Html:
    """The predictive score, or why it is not used."""
    t, fmt = view.t, view.fmt
    m = r.score_model
    if m is None or m.status == "off":
        return Html("")
    out = view.subsection("model")
    if m.status == "too_few":
        return out + view.note(t("model.too_few", conversions=fmt.number(
            m.why["conversions"]), minimum=fmt.number(m.why["min_conversions"])))
    split = m.split
    out += view.paragraph(t("model.how", train_start=fmt.date(split.train.start),
                            train_end=fmt.date(split.test.start), test=split.test.label,
                            days=view.params.scoring.model.window_days,
                            method=t(f"model.method.{m.chosen}")))
    val = m.validation.assign(label=[t(f"model.row.{k}") for k in m.validation["model"]])
    kinds = {"label": "text", "leads": "int", "conversions": "int", "auc": "num",
             "brier": "num", "top_decile_lift": "num"}
    takeaway = _verdict(m, t, fmt) if m.used else t(
        "model.weak", auc=f"{m.why['auc']:.2f}", minimum=f"{m.why['min_auc']:.2f}")
    out += view.table(ReportTable("score_model", val, kinds,
                                  excel_columns=["model", "method", *list(kinds)[1:]],
                                  headers={"label": t("col.model")}),
                      title_key="model_validation", takeaway=takeaway)
    ax = charts.plot_model_calibration(m.calibration, fmt=fmt, t=t)
    out += view.chart(ax, t("model.calibration_takeaway", test=split.test.label))
    out += view.table(ReportTable(
        "score_calibration_model", m.calibration,
        {"decile": "int", "leads": "int", "predicted": "pct", "actual": "pct_range"}),
        title_key="model_calibration")
    effects = m.effects.assign(feature=[_feature(f, t) for f in m.effects["feature"]])
    labels = [f"{f}: {v}" if v else f for f, v in zip(effects["feature"], effects["value"])]
    ax = charts.plot_model_effects(effects.head(10), labels[:10], fmt=fmt, t=t)
    out += view.chart(ax, _effects_takeaway(effects, labels, t))
    out += view.table(ReportTable(
        "score_effects", effects,
        {"feature": "text", "value": "text", "coefficient": "num", "odds_ratio": "num"}),
        title_key="model_effects", note=t("model.effects_note"))
    if len(m.suggested_rules):
        sug = m.suggested_rules.assign(
            feature=[_feature(f, t) for f in m.suggested_rules["feature"]])
        out += view.table(ReportTable("score_suggested_rules", sug,
                                      {"feature": "text", "value": "text", "points": "int"}),
                          title_key="model_rules", note=t("model.rules_note"))
    if not m.used:
        return out
    out += _channels(view, r)
    pri = m.priority.assign(reasons=[_reason_text(x, t) for x in m.priority["reasons"]])
    kinds = {"lead_id": "text", "lead_name": "text", "owner": "text", "channel": "text",
             "probability": "pct", "expected_value": "money", "reasons": "text"}
    view.record(ReportTable("priority_leads", pri, kinds))
    out += view.table(ReportTable("priority_leads_shown", pri.head(PRIORITY_SHOWN), kinds),
                      title_key="model_priority", record=False,
                      note=t("model.priority_note", shown=fmt.number(
                          min(PRIORITY_SHOWN, len(pri))), total=fmt.number(len(pri)),
                          open=fmt.number(m.why.get("open_leads", 0))))
    return out


def _channels(view: ReportView, r: QuarterResults) -> Html:
    """Top-decile share of each channel beside its cost per lead: a cheap channel that
    brings poor leads shows up."""
    t = view.t
    ch = r.score_model.channels
    if ch.empty:
        return Html("")
    cpl = r.by_channel.set_index("channel")["cpl"] if "cpl" in r.by_channel else pd.Series()
    data = ch.assign(cpl=ch["channel"].map(cpl)).sort_values(
        ["top_decile_share", "channel"], ascending=[False, True], kind="stable")
    best = data.iloc[0]
    return view.table(ReportTable(
        "score_by_channel", data.reset_index(drop=True),
        {"channel": "text", "leads": "int", "top_decile_share": "pct", "cpl": "money"}),
        title_key="model_channels", takeaway=t(
            "model.channels_takeaway", channel=best["channel"],
            share=view.fmt.pct(best["top_decile_share"], 0)))
