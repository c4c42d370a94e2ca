"""Cost: spend by month, channel, campaign and cost type, and budget against actual.

CPL, CAC (blended and marketing-only) and cost per SQL are columns of every drill-down
(:mod:`leadroi.metrics.drilldown`).
"""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd

from leadroi.engine import collect
from leadroi.intake.dataset import Dataset
from leadroi.metrics.cohort import spend_in
from leadroi.periods import Period
from leadroi.stats import safe_div

__all__ = ["spend_by_month", "spend_by_campaign", "budget_vs_actual", "BUDGET_METRIC"]

#: The targets metric that holds a budget.
BUDGET_METRIC = "spend"


def spend_by_month(data: Dataset, period: Period) -> pd.DataFrame:
    """Spend in ``period`` by month, channel and cost type.

    Returns
    -------
    pandas.DataFrame
        ``month`` (``YYYY-MM``), ``channel``, ``cost_type``, ``amount``.
    """
    spend = spend_in(data, period)
    if spend is None:
        return pd.DataFrame(columns=["month", "channel", "cost_type", "amount"])
    cost_type = spend.cost_type if "cost_type" in spend.columns else ibis.literal("marketing")
    agg = spend.group_by(month=spend.date.truncate("M"), channel=spend.channel,
                         cost_type=cost_type).aggregate(amount=spend.amount.sum())
    out = collect(agg)
    out["month"] = pd.to_datetime(out["month"]).dt.strftime("%Y-%m")
    return out.sort_values(["month", "channel", "cost_type"]).reset_index(drop=True)


def spend_by_campaign(data: Dataset, period: Period) -> pd.DataFrame:
    """Spend in ``period`` by channel, campaign (None: not tied to a campaign) and cost
    type: ``channel, campaign, cost_type, amount``, largest first."""
    spend = spend_in(data, period)
    cols = ["channel", "campaign", "cost_type", "amount"]
    if spend is None:
        return pd.DataFrame(columns=cols)
    campaign = spend.campaign if "campaign" in spend.columns else ibis.null().cast("string")
    cost_type = spend.cost_type if "cost_type" in spend.columns else ibis.literal("marketing")
    out = collect(spend.group_by(channel=spend.channel, campaign=campaign, cost_type=cost_type)
                  .aggregate(amount=spend.amount.sum()))
    return out.sort_values(["amount", "channel"], ascending=[False, True])[cols] \
        .reset_index(drop=True)


def budget_vs_actual(targets: pd.DataFrame, by_channel: pd.DataFrame,
                     total_spend: float) -> pd.DataFrame:
    """Budget (targets with metric ``spend``) against actual spend, per channel and overall.

    Parameters
    ----------
    targets : DataFrame
        :func:`leadroi.metrics.targets_for` of the period.
    by_channel : DataFrame
        A channel drill-down or :func:`by_channel` (``channel`` or ``group``, ``spend``).
    total_spend : float
        All spend of the period.

    Returns
    -------
    pandas.DataFrame
        ``channel`` (None: all), ``budget``, ``actual``, ``variance`` (actual − budget),
        ``used`` (actual / budget); only channels with a budget, plus the overall row
        when an ``all`` budget is given. Empty when no budget is set.
    """
    cols = ["channel", "budget", "actual", "variance", "used"]
    if not len(targets):
        return pd.DataFrame(columns=cols)
    budgets = targets[targets["metric"] == BUDGET_METRIC]
    key = "channel" if "channel" in by_channel.columns else "group"
    actual = dict(zip(by_channel[key], by_channel["spend"]))
    rows = []
    for channel, budget in zip(budgets["channel"], budgets["value"]):
        overall = str(channel).lower() == "all"
        spent = total_spend if overall else actual.get(channel, 0.0)
        rows.append({"channel": None if overall else channel, "budget": float(budget),
                     "actual": float(np.nan_to_num(spent))})
    out = pd.DataFrame(rows, columns=["channel", "budget", "actual"])
    if out.empty:
        return pd.DataFrame(columns=cols)
    out["_all"] = out["channel"].isna()
    out = out.sort_values(["_all", "budget"], ascending=[True, False]).reset_index(drop=True)
    out["channel"] = out["channel"].astype(object).where(~out["_all"], None)
    out["variance"] = out["actual"] - out["budget"]
    out["used"] = safe_div(out["actual"], out["budget"])
    return out[cols]
