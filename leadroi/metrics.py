"""Cost, output and value metrics by channel, as Ibis expressions on the engine.

Default view is the **cohort**: leads created in the period, with outcomes (won, revenue)
observed up to the data cut-off ``as_of``. Comparisons with earlier periods count their
outcomes at the *same age* (the same number of days after their period ended), so a
quarter that has had less time to close is not compared with one that has had more.

Only aggregated, small tables come back to pandas (:func:`leadroi.engine.collect`).
"""

from __future__ import annotations

import datetime as dt

import ibis
import numpy as np
import pandas as pd
from ibis.expr.types import BooleanValue, Table

from leadroi.dataset import Dataset
from leadroi.engine import collect
from leadroi.periods import Period, parse_period
from leadroi.stats import safe_div, wilson_interval

__all__ = [
    "cohort",
    "cutoff",
    "same_age_as_of",
    "channel_counts",
    "by_channel",
    "totals",
    "kpis",
    "spend_by_month",
    "quarterly_trend",
    "response_times",
    "targets_for",
    "BY_CHANNEL_COLUMNS",
]

#: Columns of :func:`by_channel`, in order (also the Excel sheet's headers).
BY_CHANNEL_COLUMNS = [
    "channel", "leads", "customers", "conversion_rate", "conversion_rate_low",
    "conversion_rate_high", "spend", "marketing_spend", "cpl", "cac", "revenue", "avg_deal",
    "roi", "roi_low", "roi_high", "roas", "too_few",
]


def cutoff(as_of: dt.date) -> dt.datetime:
    """The first instant after the cut-off day (events before it are counted)."""
    return dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())


def same_age_as_of(period: Period, as_of: dt.date, other: Period) -> dt.date:
    """Cut-off for ``other`` giving its cohort the same age ``period``'s has at ``as_of``."""
    lag = as_of - period.last_day
    return min(other.last_day + lag, as_of)


def _in_period(col, period: Period) -> BooleanValue:
    start = dt.datetime.combine(period.start, dt.time())
    end = dt.datetime.combine(period.end, dt.time())
    return (col >= start) & (col < end)


def cohort(leads: Table, period: Period, as_of: dt.date) -> Table:
    """Leads created in ``period`` with ``_won`` and ``_revenue`` as known at ``as_of``.

    Parameters
    ----------
    leads : ibis Table
        Canonical leads.
    period : Period
    as_of : datetime.date
        Outcomes after this day are not counted.

    Returns
    -------
    ibis Table
        The leads plus ``_won`` (bool) and ``_revenue`` (deal amount if won, else 0).
    """
    c = leads.filter(_in_period(leads.created_at, period))
    if "won_at" in c.columns:
        won = c.won_at.notnull() & (c.won_at < cutoff(as_of))
    else:
        won = ibis.literal(False)
    amount = c.amount.fill_null(0.0) if "amount" in c.columns else ibis.literal(0.0)
    return c.mutate(_won=won, _revenue=ibis.ifelse(won, amount, 0.0))


def _spend_in(data: Dataset, period: Period) -> Table | None:
    if data.spend is None:
        return None
    return data.spend.filter(_in_period(data.spend.date, period))


def channel_counts(data: Dataset, period: Period, as_of: dt.date,
                   dimension: str = "channel") -> pd.DataFrame:
    """Raw sums by channel: leads, customers, revenue, spend, marketing_spend.

    Channels with spend but no leads, and leads but no spend, are both kept (zeros).
    """
    co = cohort(data.leads, period, as_of)
    agg = co.group_by(key=co[dimension]).aggregate(
        leads=co.count(), customers=co._won.sum().cast("int64"), revenue=co._revenue.sum())
    spend = _spend_in(data, period)
    if spend is not None and dimension == "channel":
        sp = spend.group_by(key=spend.channel).aggregate(
            spend=spend.amount.sum(),
            marketing_spend=ibis.ifelse(spend.cost_type == "marketing", spend.amount, 0.0)
            .sum())
        j = agg.outer_join(sp, agg.key == sp.key)
        agg = j.select(key=ibis.coalesce(j.key, j.key_right), leads=j.leads.fill_null(0),
                       customers=j.customers.fill_null(0), revenue=j.revenue.fill_null(0.0),
                       spend=j.spend.fill_null(0.0),
                       marketing_spend=j.marketing_spend.fill_null(0.0))
    out = collect(agg).rename(columns={"key": dimension})
    if "spend" not in out:
        out["spend"] = np.nan
        out["marketing_spend"] = np.nan
    out[dimension] = out[dimension].fillna("(unknown)")
    return out.sort_values([dimension]).reset_index(drop=True)


def _derive(df: pd.DataFrame, min_leads: int, overall_deal: float) -> pd.DataFrame:
    df = df.copy()
    df["leads"] = df["leads"].astype(int)
    df["customers"] = df["customers"].astype(int)
    df["conversion_rate"] = safe_div(df["customers"], df["leads"])
    low, high = wilson_interval(df["customers"], df["leads"])
    df["conversion_rate_low"], df["conversion_rate_high"] = low, high
    df["cpl"] = safe_div(df["marketing_spend"], df["leads"])
    df["cac"] = safe_div(df["spend"], df["customers"])
    df["avg_deal"] = safe_div(df["revenue"], df["customers"])
    df["roi"] = safe_div(df["revenue"] - df["spend"], df["spend"])
    deal = np.where(np.isnan(df["avg_deal"]), overall_deal, df["avg_deal"])
    df["roi_low"] = safe_div(df["leads"] * low * deal - df["spend"], df["spend"])
    df["roi_high"] = safe_div(df["leads"] * high * deal - df["spend"], df["spend"])
    df["roas"] = safe_div(df["revenue"], df["marketing_spend"])
    df["too_few"] = df["leads"] < min_leads
    return df


def by_channel(data: Dataset, period: Period, as_of: dt.date, *, min_leads: int = 30,
               dimension: str = "channel") -> pd.DataFrame:
    """Leads, customers, conversion (95% Wilson interval), spend, CPL, CAC, revenue, ROI.

    Parameters
    ----------
    data : Dataset
    period : Period
    as_of : datetime.date
    min_leads : int
        Groups with fewer leads get ``too_few = True`` ("too few to judge").
    dimension : str
        Lead column to group by; spend is only joined for ``channel``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`BY_CHANNEL_COLUMNS` (with ``dimension`` first), one row per group,
        sorted by revenue, largest first. ``roi_low``/``roi_high`` recompute ROI at the
        ends of the conversion interval with the observed average deal (the overall
        average where a group has no customer yet). Ratios with a zero denominator are
        NaN, never infinite.
    """
    counts = channel_counts(data, period, as_of, dimension)
    overall = safe_div(counts["revenue"].sum(), counts["customers"].sum())
    df = _derive(counts, min_leads, overall)
    cols = [dimension] + BY_CHANNEL_COLUMNS[1:]
    return df[cols].sort_values(["revenue", "leads"], ascending=False).reset_index(drop=True)


def totals(table: pd.DataFrame, *, min_leads: int = 30, label: str = "All") -> pd.Series:
    """One row summing a :func:`by_channel` table, with ratios recomputed from the sums."""
    sums = table[["leads", "customers", "revenue", "spend", "marketing_spend"]].sum(
        min_count=1).to_frame().T
    sums.insert(0, table.columns[0], label)
    overall = safe_div(sums["revenue"].iloc[0], sums["customers"].iloc[0])
    return _derive(sums.fillna({"leads": 0, "customers": 0}), min_leads, overall).iloc[0]


def kpis(data: Dataset, period: Period, as_of: dt.date, *, min_leads: int = 30) -> pd.Series:
    """Headline numbers of a period: spend, leads, customers, revenue, ROI, CAC, CPL ...

    Returns
    -------
    pandas.Series
        Indexed by ``leads, customers, conversion_rate, spend, marketing_spend, cpl, cac,
        revenue, avg_deal, roi, roas`` (and their intervals).
    """
    return totals(by_channel(data, period, as_of, min_leads=min_leads), min_leads=min_leads)


def spend_by_month(data: Dataset, period: Period) -> pd.DataFrame:
    """Spend in ``period`` by month, channel and cost type.

    Returns
    -------
    pandas.DataFrame
        ``month`` (``YYYY-MM``), ``channel``, ``cost_type``, ``amount``.
    """
    spend = _spend_in(data, period)
    if spend is None:
        return pd.DataFrame(columns=["month", "channel", "cost_type", "amount"])
    month = spend.date.truncate("M")
    agg = spend.group_by(month=month, channel=spend.channel, cost_type=spend.cost_type) \
        .aggregate(amount=spend.amount.sum())
    out = collect(agg)
    out["month"] = pd.to_datetime(out["month"]).dt.strftime("%Y-%m")
    return out.sort_values(["month", "channel", "cost_type"]).reset_index(drop=True)


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
    first = period.shift(-(quarters - 1))
    window = Period(f"{first.label}..{period.label}", "range", first.start, period.end)
    lag_days = (as_of - period.last_day).days
    leads = data.leads.filter(_in_period(data.leads.created_at, window))
    quarter = leads.created_at.truncate("Q")
    cut = ibis.least(quarter + ibis.interval(months=3) + ibis.interval(days=lag_days),
                     ibis.timestamp(cutoff(as_of)))
    won = (leads.won_at.notnull() & (leads.won_at < cut)) if "won_at" in leads.columns \
        else ibis.literal(False)
    amount = leads.amount.fill_null(0.0) if "amount" in leads.columns else ibis.literal(0.0)
    leads = leads.mutate(_won=won, _amount=amount)  # columns, even when literals
    agg = leads.group_by(quarter=leads.created_at.truncate("Q")).aggregate(
        leads=leads.count(), customers=leads._won.sum().cast("int64"),
        revenue=ibis.ifelse(leads._won, leads._amount, 0.0).sum())
    out = collect(agg)
    spend = _spend_in(data, window)
    if spend is not None:
        sp = collect(spend.group_by(quarter=spend.date.truncate("Q"))
                     .aggregate(spend=spend.amount.sum()))
        out = out.merge(sp, on="quarter", how="outer")
    else:
        out["spend"] = np.nan
    out = out.fillna({"leads": 0, "customers": 0, "revenue": 0.0})
    q = pd.to_datetime(out["quarter"])
    out["period"] = q.dt.year.astype(str) + "-Q" + q.dt.quarter.astype(str)
    out = out.sort_values("quarter").reset_index(drop=True)
    out["conversion_rate"] = safe_div(out["customers"], out["leads"])
    out["roi"] = safe_div(out["revenue"] - out["spend"], out["spend"])
    out["cac"] = safe_div(out["spend"], out["customers"])
    cols = ["period", "leads", "customers", "conversion_rate", "revenue", "spend", "roi", "cac"]
    return out[cols]


def response_times(data: Dataset, period: Period, as_of: dt.date, *,
                   sla_hours: float = 24.0) -> pd.DataFrame:
    """Lead response time (created -> first contact) and SLA attainment by channel.

    A lead counts against the SLA when it was contacted later than ``sla_hours`` after
    creation, or not at all although it is older than ``sla_hours`` at the cut-off.

    Returns
    -------
    pandas.DataFrame
        ``channel, leads, contacted, median_hours, p75_hours, within_sla, sla_rate``,
        plus a last row for all channels (``channel`` = None). Empty when the leads have
        no ``first_contact_at``.
    """
    cols = ["channel", "leads", "contacted", "median_hours", "p75_hours", "within_sla",
            "sla_rate"]
    if not data.has("leads", "first_contact_at"):
        return pd.DataFrame(columns=cols)
    co = cohort(data.leads, period, as_of)
    cut = cutoff(as_of)
    contacted = co.first_contact_at.notnull() & (co.first_contact_at < cut)
    hours = ibis.ifelse(contacted, (co.first_contact_at.epoch_seconds()
                                    - co.created_at.epoch_seconds()) / 3600.0, None)
    due = co.created_at + ibis.interval(minutes=int(sla_hours * 60))
    judged = contacted | (due < cut)
    within = contacted & (hours <= sla_hours)
    co = co.mutate(_hours=hours, _judged=judged, _within=within, _contacted=contacted)

    def agg(t: Table, **group) -> Table:
        grouped = t.group_by(**group) if group else t
        return grouped.aggregate(
            leads=t._judged.sum().cast("int64"), contacted=t._contacted.sum().cast("int64"),
            median_hours=t._hours.median(), p75_hours=t._hours.quantile(0.75),
            within_sla=t._within.sum().cast("int64"))

    per = collect(agg(co, channel=co.channel)).sort_values("channel")
    overall = collect(agg(co)).assign(channel=None)
    out = pd.concat([per, overall], ignore_index=True)
    out["sla_rate"] = safe_div(out["within_sla"], out["leads"])
    return out[cols]


def targets_for(data: Dataset, period: Period) -> pd.DataFrame:
    """Targets of ``period``: ``channel`` (``all`` for the whole), ``metric``, ``value``."""
    if data.targets is None:
        return pd.DataFrame(columns=["channel", "metric", "value"])
    t = data.targets
    label = parse_period(period.label).label.upper()
    return collect(t.filter(t.period == label).select("channel", "metric", "value"))
