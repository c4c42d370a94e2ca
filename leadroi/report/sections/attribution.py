"""Section 3, comparison — multi-touch attribution: credit by model, the consensus, the
bootstrap intervals, and what the models change about channel ROI against last touch."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadroi.attribution.report import NO_TOUCHPOINTS, AttributionResults
from leadroi.i18n import Catalogue
from leadroi.report import charts
from leadroi.report.formats import Formatter
from leadroi.report.tables import ReportTable
from leadroi.report.view import Html, ReportView
from leadroi.stats import safe_div

__all__ = ["attribution_section"]


def attribution_section(view: ReportView, att: AttributionResults) -> Html:
    """The attribution subsection; one sentence saying why when there is none."""
    t, fmt = view.t, view.fmt
    out = view.subsection("attribution")
    if not att.available:
        key = "attribution.none" if att.reason == NO_TOUCHPOINTS else \
            "attribution.no_conversions"
        return out + view.note(t(key, period=att.period, as_of=fmt.date(att.as_of)))
    credit = att.credit
    metric = "value" if credit.has_value and credit.totals["value"] > 0 else "conversions"
    out += view.paragraph(_intro(att, t, fmt))
    shares = _shares(att, metric)
    labels = {m: _label(m, t) for m in credit.models}
    iv = att.intervals[att.intervals["metric"] == metric] if len(att.intervals) else None
    ax = charts.plot_attribution_models(shares, intervals=iv, labels=labels, fmt=fmt, t=t)
    out += view.subsection(f"attribution_models_{metric}")
    out += view.chart(ax, _takeaway_models(shares, t, fmt))
    out += view.table(_credit_table(att, shares, labels), title_key=f"attribution_credit_"
                      f"{metric}", note=t("attribution.models_note", days=_half_life(view)))
    view.record(ReportTable("attribution_credit", credit.table, {}))
    if len(att.intervals):
        view.record(ReportTable("attribution_intervals", att.intervals, {}))
    if not att.has_spend:
        return out + view.note(t("attribution.no_spend"))
    view.record(ReportTable("attribution_roi", att.roi, {}))
    order = shares.drop_duplicates("channel")["channel"].tolist()
    judged = att.verdict.set_index("channel").reindex(order).reset_index()
    overall = _overall_roi(att)
    out += view.subsection("attribution_roi")
    ax = charts.plot_roi_by_model(judged, palette=view.palette, overall=overall, fmt=fmt, t=t)
    out += view.chart(ax, _takeaway_roi(judged, t, fmt, len(credit.models)))
    out += view.table(_verdict_table(att, judged, metric, t), title_key="attribution_verdict",
                      takeaway=_takeaway_verdict(judged, t, len(credit.models)),
                      note=t("attribution.verdict_note", overall=fmt.pct(overall, 0),
                             share=fmt.pct(view.params.attribution.agreement, 0)))
    return out


def _label(model: str, t: Catalogue) -> str:
    return t.get(f"attribution.model.{model}", model)


def _half_life(view: ReportView) -> str:
    return f"{view.params.attribution.half_life_days:g}"


def _intro(att: AttributionResults, t: Catalogue, fmt: Formatter) -> str:
    tot = att.credit.totals
    return t("attribution.intro", leads=fmt.number(tot["journeys"]), period=att.period,
             touches=fmt.number(tot["touches"]), days=att.lookback_days,
             customers=fmt.number(tot["conversions"]), revenue=fmt.money(tot["value"]),
             models=len(att.credit.models))


def _shares(att: AttributionResults, metric: str) -> pd.DataFrame:
    """``channel, model, share`` with channels by consensus share, largest first."""
    table = att.credit.table
    mean = table.groupby("channel")[f"{metric}_share"].mean().sort_values(ascending=False)
    out = table[["channel", "model", f"{metric}_share"]].rename(
        columns={f"{metric}_share": "share"})
    out["channel"] = pd.Categorical(out["channel"], categories=list(mean.index), ordered=True)
    out["model"] = pd.Categorical(out["model"], categories=att.credit.models, ordered=True)
    out = out.sort_values(["channel", "model"])
    out["channel"] = out["channel"].astype(str)
    out["model"] = out["model"].astype(str)
    return out.reset_index(drop=True)


def _credit_table(att: AttributionResults, shares: pd.DataFrame,
                  labels: dict[str, str]) -> ReportTable:
    wide = shares.pivot(index="channel", columns="model", values="share")
    order = list(dict.fromkeys(shares["channel"]))
    wide = wide.reindex(index=order, columns=att.credit.models)
    wide["consensus"] = wide.mean(axis=1)
    data = wide.reset_index()
    kinds = {"channel": "text", **{m: "pct" for m in att.credit.models}, "consensus": "pct"}
    return ReportTable("attribution_shares", data, kinds, headers=dict(labels))


def _interval_columns(att: AttributionResults, data: pd.DataFrame, metric: str) -> dict:
    kinds = {}
    mean = att.credit.table
    for model in ("markov", "shapley"):
        if model not in att.credit.models:
            continue
        point = mean[mean["model"] == model].set_index("channel")[f"{metric}_share"]
        col = f"{model}_share"
        data[col] = data["channel"].map(point)
        iv = att.intervals
        if len(iv):
            rows = iv[(iv["model"] == model) & (iv["metric"] == metric)].set_index("channel")
            data[f"{col}_low"] = data["channel"].map(rows["low"])
            data[f"{col}_high"] = data["channel"].map(rows["high"])
            kinds[col] = "pct_range"
        else:
            kinds[col] = "pct"
    return kinds


def _verdict_table(att: AttributionResults, judged: pd.DataFrame, metric: str,
                   t: Catalogue) -> ReportTable:
    data = judged.rename(columns={"roi_low": "roi_consensus_low",
                                  "roi_high": "roi_consensus_high"}).copy()
    kinds = {"channel": "text", "spend": "money", "roi_baseline": "pct_plain",
             "roi_consensus": "roi_range"}
    kinds.update(_interval_columns(att, data, metric))
    data["agreement"] = [f"{o} / {u}" for o, u in zip(data["over"], data["under"])]
    data["verdict"] = [t(f"attribution.call.{c}") for c in data["call"]]
    kinds.update({"agreement": "text", "verdict": "text"})
    models = int(data["models"].max()) if len(data) else 0
    return ReportTable("attribution_verdict", data, kinds,
                       headers={"agreement": t("attribution.agreement", models=models)})


def _overall_roi(att: AttributionResults) -> float:
    roi = att.roi[(att.roi["model"] == "consensus") & (att.roi["spend"] > 0)]
    return float(safe_div(roi["value"].sum() - roi["spend"].sum(), roi["spend"].sum()))


def _takeaway_models(shares: pd.DataFrame, t: Catalogue, fmt: Formatter) -> str:
    spread = shares.groupby("channel")["share"].agg(["min", "max"])
    spread["width"] = spread["max"] - spread["min"]
    calm, wild = spread["width"].idxmin(), spread["width"].idxmax()
    return t("attribution.takeaway_models", stable=calm, stable_low=fmt.pct(
        spread.loc[calm, "min"], 0), stable_high=fmt.pct(spread.loc[calm, "max"], 0),
        unstable=wild, unstable_low=fmt.pct(spread.loc[wild, "min"], 0),
        unstable_high=fmt.pct(spread.loc[wild, "max"], 0))


def _takeaway_roi(judged: pd.DataFrame, t: Catalogue, fmt: Formatter, models: int) -> str:
    change = judged.set_index("channel")["roi_change"].dropna()
    if change.empty or np.allclose(change.to_numpy(), 0):
        return t("attribution.takeaway_roi_same", models=models)
    row = judged.set_index("channel")
    up, down = change.idxmax(), change.idxmin()
    values = dict(models=models, up=up, up_from=fmt.pct(row.loc[up, "roi_baseline"], 0),
                  up_to=fmt.pct(row.loc[up, "roi_consensus"], 0), down=down,
                  down_from=fmt.pct(row.loc[down, "roi_baseline"], 0),
                  down_to=fmt.pct(row.loc[down, "roi_consensus"], 0))
    if change.max() > 0 and change.min() < 0:
        return t("attribution.takeaway_roi", **values)
    key = "attribution.takeaway_roi_up" if change.max() > 0 else "attribution.takeaway_roi_down"
    return t(key, **values)


def _takeaway_verdict(judged: pd.DataFrame, t: Catalogue, models: int) -> str:
    def names(call: str) -> str:
        found = judged.loc[judged["call"] == call, "channel"].tolist()
        return t("attribution.list_sep").join(found) if found else t("attribution.nobody")

    return t("attribution.takeaway_verdict", over=names("over"), under=names("under"),
             mixed=names("mixed"), models=models)
