"""The quarterly trend: each quarter's cohort counted at the same age."""

from __future__ import annotations

import datetime as dt

import ibis
import numpy as np
import pandas as pd

from leadroi.engine import collect
from leadroi.intake.dataset import Dataset
from leadroi.metrics.cohort import cutoff, in_period, spend_in
from leadroi.periods import Period
from leadroi.stats import safe_div

__all__ = ["quarterly_trend", "same_age_by_quarter", "leads_by_month"]


def quarterly_trend(data: Dataset, period: Period, as_of: dt.date, *,
                    quarters: int = 8) -> pd.DataFrame:
    """Leads, customers, revenue, spend and ROI per quarter, each at the same age.

    Each quarter's outcomes are counted up to its end plus the lag that ``period`` has
    at ``as_of`` — the fair way to compare a young quarter with older ones. One grouped
    query for the leads and one for the spend, whatever the number of quarters.

    Returns
    -------
    pandas.DataFrame
        ``period, leads, customers, conversion_rate, revenue, spend, roi, cac``, oldest
        first; only quarters with leads or spend.
    """
    out = same_age_by_quarter(data, period, as_of, quarters=quarters)
    out["conversion_rate"] = safe_div(out["customers"], out["leads"])
    out["roi"] = safe_div(out["revenue"] - out["spend"], out["spend"])
    out["cac"] = safe_div(out["spend"], out["customers"])
    cols = ["period", "leads", "customers", "conversion_rate", "revenue", "spend", "roi", "cac"]
    return out[cols]


def same_age_by_quarter(data: Dataset, period: Period, as_of: dt.date, *, quarters: int,
                        by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Leads, customers, revenue and spend per quarter (and per ``by`` column), each
    quarter's outcomes counted up to its end plus the lag ``period`` has at ``as_of``.

    One grouped query for the leads and one for the spend, whatever the number of quarters.

    Returns
    -------
    pandas.DataFrame
        ``quarter, *by, leads, customers, revenue, spend, period``, oldest first; only
        groups with leads or spend.
    """
    first = period.shift(-(quarters - 1))
    window = Period(f"{first.label}..{period.label}", "range", first.start, period.end)
    lag_days = (as_of - period.last_day).days
    leads = data.leads.filter(in_period(data.leads.created_at, window))
    quarter = leads.created_at.truncate("Q")
    cut = ibis.least(quarter + ibis.interval(months=3) + ibis.interval(days=lag_days),
                     ibis.timestamp(cutoff(as_of)))
    won = (leads.won_at.notnull() & (leads.won_at < cut)) if "won_at" in leads.columns \
        else ibis.literal(False)
    amount = leads.amount.fill_null(0.0) if "amount" in leads.columns else ibis.literal(0.0)
    leads = leads.mutate(_won=won, _amount=amount)  # columns, even when literals
    keys = ["quarter", *by]
    out = collect(leads.group_by(quarter=leads.created_at.truncate("Q"),
                                 **{c: leads[c] for c in by}).aggregate(
        leads=leads.count(), customers=leads._won.sum().cast("int64"),
        revenue=ibis.ifelse(leads._won, leads._amount, 0.0).sum()))
    spend = spend_in(data, window)
    if spend is not None:
        sp = collect(spend.group_by(quarter=spend.date.truncate("Q"),
                                    **{c: spend[c] for c in by})
                     .aggregate(spend=spend.amount.sum()))
        out = out.merge(sp, on=keys, how="outer")
    else:
        out["spend"] = np.nan
    out = out.fillna({"leads": 0, "customers": 0, "revenue": 0.0})
    q = pd.to_datetime(out["quarter"])
    out["period"] = q.dt.year.astype(str) + "-Q" + q.dt.quarter.astype(str)
    return out.sort_values(keys).reset_index(drop=True)


def leads_by_month(facts) -> pd.DataFrame:
    """Cohort leads and customers by month of creation and channel (one grouped query).

    Parameters
    ----------
    facts : Facts
        :func:`leadroi.metrics.lead_facts` of the period.

    Returns
    -------
    pandas.DataFrame
        ``month`` (``YYYY-MM``), ``channel``, ``leads``, ``customers``,
        ``conversion_rate``; sorted by month and channel.
    """
    f = facts.table
    agg = f.group_by(month=f.created_at.truncate("M"), channel=f.channel).aggregate(
        leads=f.count(), customers=f._won.sum().cast("int64"))
    out = collect(agg)
    out["month"] = pd.to_datetime(out["month"]).dt.strftime("%Y-%m")
    out["conversion_rate"] = safe_div(out["customers"], out["leads"])
    return out.sort_values(["month", "channel"]).reset_index(drop=True)
