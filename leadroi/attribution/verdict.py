"""Compare the models: consensus credit, ROI and CAC by model, and the robust verdict.

A channel is called an **over-performer** when most models (more than ``agreement`` of
them) give it an ROI above the ROI of all channels together, an **under-performer** when
most put it below, and **model-dependent** otherwise: then the verdict rests on the
choice of model, and budget should not move on it. The **consensus** credit is the mean
of the models' credit (each adds up to the totals, so the mean does too).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadroi.attribution.credit import Credit
from leadroi.stats import safe_div

__all__ = ["consensus", "roi_by_model", "verdict", "OVER", "UNDER", "MIXED", "UNJUDGED"]

OVER, UNDER, MIXED, UNJUDGED = "over", "under", "mixed", "unjudged"


def consensus(credit: Credit) -> pd.DataFrame:
    """Mean credit over the models: ``channel, conversions, value`` (+ ``_low``/``_high``,
    the smallest and largest credit any model gives)."""
    g = credit.table.groupby("channel")[["conversions", "value"]]
    out = g.mean().join(g.min().add_suffix("_low")).join(g.max().add_suffix("_high"))
    return out.reindex(credit.channels).reset_index()


def roi_by_model(credit: Credit, spend: pd.Series | None) -> pd.DataFrame:
    """CAC and ROI of each channel under each model (and the consensus).

    Parameters
    ----------
    credit : Credit
    spend : Series, optional
        Spend by channel (index: channel) over the same period as the journeys.

    Returns
    -------
    DataFrame
        ``model, channel, spend, conversions, value, cac, roi``; ``cac = spend /
        conversions credited``, ``roi = (value credited - spend) / spend``; NaN where
        undefined. Model ``consensus`` is the mean credit.
    """
    mean = consensus(credit)[["channel", "conversions", "value"]].assign(model="consensus")
    table = pd.concat([credit.table[["model", "channel", "conversions", "value"]], mean],
                      ignore_index=True)
    costs = spend if spend is not None else pd.Series(dtype=float)
    table["spend"] = table["channel"].map(costs).astype(float)
    table["cac"] = safe_div(table["spend"], table["conversions"])
    table["roi"] = safe_div(table["value"] - table["spend"], table["spend"])
    return table[["model", "channel", "spend", "conversions", "value", "cac", "roi"]]


def verdict(roi: pd.DataFrame, *, agreement: float = 0.6,
            baseline: str | pd.Series = "last_touch") -> pd.DataFrame:
    """Per channel: how many models rank it above / below the overall ROI, and the call.

    Parameters
    ----------
    roi : DataFrame
        :func:`roi_by_model` output.
    agreement : float
        Share of the models that must agree for an over/under call (more than this).
    baseline : str or Series
        Model the change is measured against (last touch, the usual CRM default), or its
        ROI by channel when that model is not among the compared ones.

    Returns
    -------
    DataFrame
        ``channel, spend, roi_baseline, roi_consensus, roi_low, roi_high, roi_change,
        over, under, models, call`` (call: over | under | mixed | unjudged).
    """
    models = roi[roi["model"] != "consensus"]
    judged = models[models["spend"] > 0]
    totals = judged.groupby("model")[["value", "spend"]].sum()
    overall = safe_div(totals["value"] - totals["spend"], totals["spend"])
    level = judged["model"].map(pd.Series(np.asarray(overall), index=totals.index))
    above = (judged["roi"] > level).groupby(judged["channel"]).sum()
    below = (judged["roi"] < level).groupby(judged["channel"]).sum()
    n_models = models["model"].nunique()
    wide = models.pivot(index="channel", columns="model", values="roi")
    out = pd.DataFrame(index=pd.Index(roi["channel"].drop_duplicates(), name="channel"))
    out["spend"] = models.groupby("channel")["spend"].first()
    if isinstance(baseline, pd.Series):
        out["roi_baseline"] = baseline.reindex(out.index)
    else:
        out["roi_baseline"] = wide[baseline] if baseline in wide else np.nan
    out["roi_consensus"] = roi[roi["model"] == "consensus"].set_index("channel")["roi"]
    out["roi_low"] = wide.min(axis=1)
    out["roi_high"] = wide.max(axis=1)
    out["roi_change"] = out["roi_consensus"] - out["roi_baseline"]
    out["over"] = above.reindex(out.index).fillna(0).astype(int)
    out["under"] = below.reindex(out.index).fillna(0).astype(int)
    out["models"] = n_models
    need = agreement * n_models
    out["call"] = np.select(
        [~(out["spend"] > 0), out["over"] > need, out["under"] > need],
        [UNJUDGED, OVER, UNDER], default=MIXED)
    return out.reset_index()
