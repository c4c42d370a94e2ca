"""The cohort view and the small building blocks every metric uses.

Default view is the **cohort**: leads created in the period, with outcomes (won, lost,
revenue) observed up to the data cut-off ``as_of``. Comparisons with earlier periods
count their outcomes at the *same age* (the same number of days after their period
ended), so a quarter that has had less time to close is not compared with one that has
had more.
"""

from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd
from ibis.expr.types import BooleanValue, Table, Value

from leadroi.engine import collect
from leadroi.intake.dataset import Dataset
from leadroi.periods import Period, parse_period

__all__ = ["cutoff", "same_age_as_of", "in_period", "cohort", "spend_in", "targets_for",
           "reached", "column_or_null", "hours_between", "days_between", "UNKNOWN"]

#: Group label of leads whose dimension value is missing.
UNKNOWN = "(unknown)"


def cutoff(as_of: dt.date) -> dt.datetime:
    """The first instant after the cut-off day (events before it are counted)."""
    return dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())


def same_age_as_of(period: Period, as_of: dt.date, other: Period) -> dt.date:
    """Cut-off for ``other`` giving its cohort the same age ``period``'s has at ``as_of``."""
    lag = as_of - period.last_day
    return min(other.last_day + lag, as_of)


def in_period(col: Value, period: Period) -> BooleanValue:
    """``col`` (a timestamp) falls in ``period``."""
    start = dt.datetime.combine(period.start, dt.time())
    end = dt.datetime.combine(period.end, dt.time())
    return (col >= start) & (col < end)


def column_or_null(t: Table, name: str, dtype: str = "timestamp") -> Value:
    """Column ``name`` of ``t``, or a typed NULL when the export lacks it."""
    return t[name] if name in t.columns else ibis.null().cast(dtype)


def reached(t: Table, name: str, as_of: dt.date) -> BooleanValue:
    """The stage timestamp ``name`` is set and on or before the cut-off day."""
    if name not in t.columns:
        return ibis.literal(False)
    return t[name].notnull() & (t[name] < cutoff(as_of))


def hours_between(start: Value, end: Value) -> Value:
    """Hours from ``start`` to ``end`` (timestamps), as a float."""
    return (end.epoch_seconds() - start.epoch_seconds()) / 3600.0


def days_between(start: Value, end: Value) -> Value:
    """Days from ``start`` to ``end`` (timestamps), as a float."""
    return (end.epoch_seconds() - start.epoch_seconds()) / 86400.0


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
    c = leads.filter(in_period(leads.created_at, period))
    won = reached(c, "won_at", as_of)
    amount = c.amount.fill_null(0.0) if "amount" in c.columns else ibis.literal(0.0)
    return c.mutate(_won=won, _revenue=ibis.ifelse(won, amount, 0.0))


def spend_in(data: Dataset, period: Period) -> Table | None:
    """Spend rows dated in ``period`` (None without a spend table)."""
    if data.spend is None:
        return None
    return data.spend.filter(in_period(data.spend.date, period))


def targets_for(data: Dataset, period: Period) -> pd.DataFrame:
    """Targets of ``period``: ``channel`` (``all`` for the whole), ``metric``, ``value``."""
    if data.targets is None:
        return pd.DataFrame(columns=["channel", "metric", "value"])
    t = data.targets
    label = parse_period(period.label).label.upper()
    channel = t.channel if "channel" in t.columns else ibis.literal("all")
    return collect(t.filter(t.period == label).select(channel=channel, metric=t.metric,
                                                      value=t.value))
