"""Lost reasons: a Pareto of why cohort leads were lost, by channel, weighted by the
pipeline value each lost lead carried (``_lost_value`` of the lead facts: its historical
chance to win from the stage it reached × its deal value)."""

from __future__ import annotations

import pandas as pd

from leadroi.engine import collect
from leadroi.metrics.cohort import UNKNOWN
from leadroi.metrics.facts import Facts
from leadroi.stats import safe_div

__all__ = ["lost_by_reason_channel", "lost_pareto"]


def lost_by_reason_channel(facts: Facts) -> pd.DataFrame:
    """Lost cohort leads by reason and channel: ``reason, channel, lost_leads,
    lost_value`` (reason ``(unknown)`` when none was recorded), largest value first."""
    f = facts.table
    lost = f.filter(f._lost)
    out = collect(lost.group_by(reason=lost.lost_reason.fill_null(UNKNOWN),
                                channel=lost.channel).aggregate(
        lost_leads=lost.count(), lost_value=lost._lost_value.sum()))
    out["lost_value"] = out["lost_value"].fillna(0.0)
    return out.sort_values(["lost_value", "lost_leads", "reason", "channel"],
                           ascending=[False, False, True, True]).reset_index(drop=True)


def lost_pareto(by_reason_channel: pd.DataFrame) -> pd.DataFrame:
    """The Pareto table: one row per reason, largest lost value first.

    Returns
    -------
    pandas.DataFrame
        ``reason, lost_leads, lost_value, share`` (of all lost value), ``cumulative_share``,
        ``top_channel`` (the channel losing the most value to the reason) and
        ``top_channel_share`` (its part of the reason's value).
    """
    cols = ["reason", "lost_leads", "lost_value", "share", "cumulative_share", "top_channel",
            "top_channel_share"]
    df = by_reason_channel
    if df.empty:
        return pd.DataFrame(columns=cols)
    by = df.groupby("reason").agg(lost_leads=("lost_leads", "sum"),
                                  lost_value=("lost_value", "sum"))
    top = df.sort_values(["lost_value", "channel"], ascending=[False, True]) \
        .drop_duplicates("reason").set_index("reason")
    by["top_channel"] = top["channel"]
    by["top_channel_share"] = safe_div(top["lost_value"].reindex(by.index), by["lost_value"])
    by = by.sort_values(["lost_value", "lost_leads"], ascending=False).reset_index()
    by["share"] = safe_div(by["lost_value"], by["lost_value"].sum())
    by["cumulative_share"] = by["share"].cumsum()
    return by[cols]
