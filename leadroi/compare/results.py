"""Everything the comparison and recommendation parts of a quarterly report need, computed
once by :func:`compare`: headline and channel comparison (QoQ, YoY, targets), revenue
change decompositions, group tests (strategy, content, seniority), channel trends with
saturation and diminishing-returns fits, and the executive-lead pool.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import ibis
import pandas as pd

from leadroi import metrics
from leadroi.compare.decompose import revenue_decomposition
from leadroi.compare.periods import channel_comparison, headline_comparison
from leadroi.compare.significance import group_tests
from leadroi.compare.trend import available_quarters, channel_trend, elasticity, saturation
from leadroi.engine import collect
from leadroi.intake.dataset import Dataset
from leadroi.params import Params
from leadroi.periods import Period

__all__ = ["Comparison", "compare", "exec_pool"]


@dataclass
class Comparison:
    """The comparison of one report period (see :func:`compare`)."""

    year_ago: Period | None
    headline: pd.DataFrame
    by_channel: pd.DataFrame
    decomposition: pd.DataFrame
    decomposition_yoy: pd.DataFrame | None
    groups: dict[str, pd.DataFrame] = field(default_factory=dict)
    channel_trend: pd.DataFrame = field(default_factory=pd.DataFrame)
    saturation: pd.DataFrame = field(default_factory=pd.DataFrame)
    elasticity: pd.DataFrame = field(default_factory=pd.DataFrame)
    exec_pool: dict = field(default_factory=dict)
    quarters: int = 1


def exec_pool(facts: metrics.Facts, high_ratings: tuple[str, ...]) -> dict:
    """Executive (VP and up) leads against the others, and the executive leads with a high
    sales rating that were not won (the nurture pool candidates).

    Returns
    -------
    dict
        ``exec_leads, exec_customers, exec_revenue, other_leads, other_customers,
        other_revenue, pool, pool_open, pool_value`` (open pipeline value of the pool).
    """
    f = facts.table
    high = f.rating.upper().isin([r.upper() for r in high_ratings]).fill_null(False)
    pool = f._exec & high & ~f._won
    row = collect(f.aggregate(
        exec_leads=f._exec.sum().cast("int64"),
        exec_customers=(f._exec & f._won).sum().cast("int64"),
        exec_revenue=ibis.ifelse(f._exec & f._won, f._revenue.fill_null(0.0), 0.0).sum(),
        other_leads=(~f._exec).sum().cast("int64"),
        other_customers=(~f._exec & f._won).sum().cast("int64"),
        other_revenue=ibis.ifelse(~f._exec & f._won, f._revenue.fill_null(0.0), 0.0).sum(),
        pool=pool.sum().cast("int64"), pool_open=(pool & f._open).sum().cast("int64"),
        pool_value=ibis.ifelse(pool & f._open, f._pipeline.fill_null(0.0), 0.0).sum(),
    )).iloc[0]
    return {k: (float(v) if pd.notna(v) else 0.0) for k, v in row.items()}


def _year_ago(data: Dataset, params: Params, period: Period, as_of: dt.date,
              quarters: int) -> tuple[Period | None, pd.DataFrame | None]:
    if period.kind != "quarter" or quarters < 5:
        return None, None
    ago = period.year_ago()
    ago_as_of = metrics.same_age_as_of(period, as_of, ago)
    facts = metrics.lead_facts(data, ago, ago_as_of, funnel=params.funnel,
                               scoring=params.scoring, value=params.value,
                               stale_days=params.stale_days, tag=params.segment,
                               history=False)
    drill = metrics.drilldown(facts, data, "channel", min_leads=params.min_leads,
                              value=params.value)
    return ago, drill.drop(columns="dimension").rename(columns={"group": "channel"})


def compare(data: Dataset, params: Params, *, facts: metrics.Facts, drilldowns: dict,
            by_channel_previous: pd.DataFrame, totals_previous: pd.Series,
            targets: pd.DataFrame) -> Comparison:
    """Compare the report period with the previous one, a year ago and the targets.

    Parameters
    ----------
    data : Dataset
    params : Params
    facts : Facts
        The period's lead facts.
    drilldowns : dict
        The period's drill-downs (``channel`` at least).
    by_channel_previous, totals_previous
        The previous period's channel drill-down without / as its all-leads row.
    targets : DataFrame
        :func:`leadroi.metrics.targets_for` of the period.
    """
    period, as_of, n = params.window, facts.as_of, params.min_leads
    s = params.compare
    quarters = available_quarters(data, period) if period.kind == "quarter" else 1
    ago, ago_drill = _year_ago(data, params, period, as_of, quarters)
    named = drilldowns["channel"].drop(columns="dimension").rename(columns={"group": "channel"})
    now, total = named.iloc[:-1], named.iloc[-1]
    ago_body = ago_drill.iloc[:-1] if ago_drill is not None else None
    trend = channel_trend(data, period, as_of, quarters=quarters) \
        if period.kind == "quarter" else pd.DataFrame()
    groups = {d: group_tests(drilldowns[d], min_n=n, alpha=s.alpha)
              for d in s.group_dimensions if d in drilldowns}
    return Comparison(
        year_ago=ago,
        headline=headline_comparison(total, totals_previous, ago_drill.iloc[-1]
                                     if ago_drill is not None else None, targets, min_n=n),
        by_channel=channel_comparison(now, by_channel_previous, ago_body, targets, min_n=n),
        decomposition=revenue_decomposition(now, by_channel_previous),
        decomposition_yoy=revenue_decomposition(now, ago_body) if ago_body is not None
        else None,
        groups=groups, channel_trend=trend,
        saturation=saturation(trend, recent=s.saturation_quarters, growth=s.spend_growth,
                              cpl_rise=s.cpl_rise) if len(trend) else pd.DataFrame(),
        elasticity=elasticity(trend, min_quarters=params.whatif.min_quarters)
        if len(trend) else pd.DataFrame(),
        exec_pool=exec_pool(facts, params.executive.high_ratings), quarters=quarters)
