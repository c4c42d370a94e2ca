"""Everything a quarterly report shows, computed once: :func:`analyse`.

The notebook calls it in one cell; the sections then only present what it returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from leadroi import funnel as funnel_mod
from leadroi import metrics
from leadroi.dataset import Dataset
from leadroi.params import Params
from leadroi.periods import Period
from leadroi.recommend import Context, Recommendation, recommend

__all__ = ["QuarterResults", "analyse"]


@dataclass
class QuarterResults:
    """Small frames with every number of a quarterly report (see :func:`analyse`)."""

    period: Period
    previous: Period
    as_of: dt.date
    previous_as_of: dt.date
    by_channel: pd.DataFrame
    by_channel_previous: pd.DataFrame
    totals: pd.Series
    totals_previous: pd.Series
    funnel: pd.DataFrame
    funnel_previous: pd.DataFrame
    bottleneck: dict | None
    spend: pd.DataFrame
    trend: pd.DataFrame
    response: pd.DataFrame
    targets: pd.DataFrame
    recommendations: list[Recommendation] = field(default_factory=list)
    has_spend: bool = True

    @property
    def cohort_days(self) -> int:
        """Days between the middle of the period and the cut-off (the cohort's age)."""
        middle = self.period.start + (self.period.end - self.period.start) / 2
        return (self.as_of - middle).days


def analyse(data: Dataset, params: Params) -> QuarterResults:
    """Compute the quarterly report's numbers for ``params.period`` at ``data.as_of``.

    The comparison period is the previous one, counted at the same age.
    """
    period, as_of, n = params.window, data.as_of, params.min_leads
    previous = period.previous()
    previous_as_of = metrics.same_age_as_of(period, as_of, previous)
    bc = metrics.by_channel(data, period, as_of, min_leads=n)
    bc_prev = metrics.by_channel(data, previous, previous_as_of, min_leads=n)
    fun = funnel_mod.funnel(data, period, as_of)
    fun_prev = funnel_mod.funnel(data, previous, previous_as_of)
    neck = funnel_mod.bottleneck(fun, fun_prev, min_leads=n)
    response = metrics.response_times(data, period, as_of, sla_hours=params.response_sla_hours)
    ctx = Context(period=period, by_channel=bc, by_channel_previous=bc_prev, funnel=fun,
                  funnel_previous=fun_prev, bottleneck=neck, response=response,
                  settings=params.recommend, min_leads=n)
    return QuarterResults(
        period=period, previous=previous, as_of=as_of, previous_as_of=previous_as_of,
        by_channel=bc, by_channel_previous=bc_prev,
        totals=metrics.totals(bc, min_leads=n), totals_previous=metrics.totals(bc_prev,
                                                                               min_leads=n),
        funnel=fun, funnel_previous=fun_prev, bottleneck=neck,
        spend=metrics.spend_by_month(data, period),
        trend=metrics.quarterly_trend(data, period, as_of),
        response=response, targets=metrics.targets_for(data, period),
        recommendations=recommend(ctx), has_spend=data.spend is not None,
    )
