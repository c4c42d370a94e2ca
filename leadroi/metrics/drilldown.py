"""Drill-downs: the same scorecard for any dimension (channel, campaign, strategy, content,
industry, region, owner, seniority ...), one function, same columns.

Counts come from the cohort (:mod:`leadroi.metrics.facts`); bookings and the sales cycle
from the deals won in the period (the bookings view); spend is the channel's own for
``channel`` and the leads' allocated share for every other dimension, so that every
drill-down adds up to the same total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import ibis
import numpy as np
import pandas as pd
from ibis.expr.types import Table

from leadroi.engine import collect
from leadroi.intake.dataset import Dataset
from leadroi.metrics.cohort import UNKNOWN, days_between, in_period, reached, spend_in
from leadroi.metrics.facts import Facts, lead_facts
from leadroi.metrics.quality import seniority
from leadroi.params import ValueSettings
from leadroi.periods import Period
from leadroi.stats import safe_div, wilson_interval

__all__ = ["DRILLDOWN_COLUMNS", "BY_CHANNEL_COLUMNS", "NO_LEADS", "drilldown", "drilldowns",
           "derive", "by_channel", "kpis", "totals"]

#: Columns of every drill-down, in order (also the headers of the ``by_<dimension>``
#: sheets). ``dimension`` names the dimension, ``group`` the value.
DRILLDOWN_COLUMNS = [
    "dimension", "group", "leads", "customers", "conversion_rate", "conversion_rate_low",
    "conversion_rate_high", "lost", "win_rate", "win_rate_low", "win_rate_high", "mqls",
    "sqls", "mql_to_sql", "mql_to_sql_low", "mql_to_sql_high", "execs", "exec_share",
    "exec_share_low", "exec_share_high", "spend", "marketing_spend", "cpl", "cac",
    "cac_marketing", "cost_per_sql", "revenue", "gross_margin", "avg_deal", "roi", "roi_low",
    "roi_high", "roas", "clv", "clv_basis", "ltv_cac", "payback_months", "open_leads",
    "expected_revenue",
    "expected_roi", "bookings_customers", "bookings_revenue", "bookings_roi",
    "cycle_median_days", "cycle_p75_days", "immature", "too_few",
]
#: Columns of :func:`by_channel` (a channel drill-down with ``channel`` for ``group``).
BY_CHANNEL_COLUMNS = ["channel"] + DRILLDOWN_COLUMNS[2:]
#: Group label of spend that no lead could carry (its channel had no leads).
NO_LEADS = "(no leads)"
_SUMS = ["leads", "customers", "lost", "mqls", "sqls", "execs", "revenue", "value", "spend",
         "marketing_spend", "open_leads", "expected"]
_BOOKED = ["bookings_customers", "bookings_revenue", "bookings_value", "cycle_median_days",
           "cycle_p75_days"]


def _group_key(t: Table, dimension: str):
    return t[dimension].cast("string").fill_null(UNKNOWN)


def _cohort_sums(f: Table, dimensions: Sequence[str]) -> pd.DataFrame:
    def agg(grouped, dim: str) -> Table:
        return grouped.aggregate(
            dimension=ibis.literal(dim), leads=f.count(), customers=f._won.sum().cast("int64"),
            lost=f._lost.sum().cast("int64"), mqls=f._mql.sum().cast("int64"),
            sqls=f._sql.sum().cast("int64"), execs=f._exec.sum().cast("int64"),
            revenue=f._revenue.sum(), value=f._value.sum(), spend=f._cost.sum(),
            marketing_spend=f._mcost.sum(), open_leads=f._open.sum().cast("int64"),
            expected=f._expected.sum())
    parts = [agg(f.group_by(group=_group_key(f, d)), d) for d in dimensions]
    parts.append(agg(f.group_by(group=ibis.null().cast("string")), "__total__"))
    return _keys_as_objects(collect(ibis.union(*parts, distinct=False)))


def _keys_as_objects(df: pd.DataFrame) -> pd.DataFrame:
    """Plain object keys, so empty results merge like full ones."""
    return df.astype({"dimension": object, "group": object})


def _bookings(data: Dataset, period: Period, as_of: dt.date, dimensions: Sequence[str],
              margin: float | None) -> pd.DataFrame:
    """Deals won in the period (whenever the lead was created): count, revenue, cycle."""
    leads = data.leads
    if "won_at" not in leads.columns:
        return pd.DataFrame(columns=["dimension", "group"] + _BOOKED).astype(
            {"dimension": object, "group": object})
    won = leads.filter(in_period(leads.won_at, period) & reached(leads, "won_at", as_of))
    amount = won.amount.fill_null(0.0) if "amount" in won.columns else ibis.literal(0.0)
    cols = {d: _group_key(won, d) for d in dimensions if d in won.columns}
    if "seniority" in dimensions:
        title = won.title if "title" in won.columns else ibis.null().cast("string")
        cols["seniority"] = seniority(title)
    b = won.select(**cols, _amount=amount, _days=days_between(won.created_at, won.won_at))

    def agg(grouped, dim: str) -> Table:
        return grouped.aggregate(
            dimension=ibis.literal(dim), bookings_customers=b.count(),
            bookings_revenue=b._amount.sum(),
            bookings_value=(b._amount * margin if margin else b._amount).sum(),
            cycle_median_days=b._days.median(), cycle_p75_days=b._days.quantile(0.75))
    parts = [agg(b.group_by(group=b[d]), d) for d in cols]
    parts.append(agg(b.group_by(group=ibis.null().cast("string")), "__total__"))
    return _keys_as_objects(collect(ibis.union(*parts, distinct=False)))


def _channel_spend(data: Dataset, period: Period) -> pd.DataFrame:
    spend = spend_in(data, period)
    mkt = ibis.ifelse(spend.cost_type == "marketing", spend.amount, 0.0) \
        if "cost_type" in spend.columns else spend.amount
    out = collect(spend.group_by(group=spend.channel).aggregate(
        spend=spend.amount.sum(), marketing_spend=mkt.sum()))
    return out.astype({"group": object})


def derive(df: pd.DataFrame, *, min_leads: int = 30, value: ValueSettings | None = None,
           cohort_days: float | None = None, overall_deal: float = np.nan,
           overall_p75: float = np.nan) -> pd.DataFrame:
    """Rates, intervals and ratios of a drill-down from its sums (see the glossary).

    Ratios with a zero or missing denominator are NaN, never infinite. ``overall_deal``
    (value per customer) stands in for a group without customers in the ROI range, and
    ``overall_p75`` for a group without a measured cycle in the maturity flag.
    """
    value = value or ValueSettings()
    df = df.copy()
    for col in ("leads", "customers", "lost", "mqls", "sqls", "execs", "open_leads",
                "bookings_customers"):
        df[col] = df[col].fillna(0).astype(int)
    for rate, k, n in (("conversion_rate", df["customers"], df["leads"]),
                       ("win_rate", df["customers"], df["customers"] + df["lost"]),
                       ("mql_to_sql", df["sqls"], df["mqls"]),
                       ("exec_share", df["execs"], df["leads"])):
        df[rate] = safe_div(k, n)
        df[f"{rate}_low"], df[f"{rate}_high"] = wilson_interval(k, n)
    df["cpl"] = safe_div(df["marketing_spend"], df["leads"])
    df["cac"] = safe_div(df["spend"], df["customers"])
    df["cac_marketing"] = safe_div(df["marketing_spend"], df["customers"])
    df["cost_per_sql"] = safe_div(df["marketing_spend"], df["sqls"])
    df["avg_deal"] = safe_div(df["revenue"], df["customers"])
    df["gross_margin"] = df["value"] if value.margin else np.nan
    deal_value = safe_div(df["value"], df["customers"])
    df["roi"] = safe_div(df["value"] - df["spend"], df["spend"])
    deal = np.where(np.isnan(deal_value), overall_deal, deal_value)
    df["roi_low"] = safe_div(df["leads"] * df["conversion_rate_low"] * deal - df["spend"],
                             df["spend"])
    df["roi_high"] = safe_div(df["leads"] * df["conversion_rate_high"] * deal - df["spend"],
                              df["spend"])
    df["roas"] = safe_div(df["value"], df["marketing_spend"])
    df["clv"] = deal_value * value.repeat_purchases
    df["clv_basis"] = "assumed"  # measured values: leadroi.metrics.customer_value
    df["ltv_cac"] = safe_div(df["clv"], df["cac"])
    df["payback_months"] = safe_div(df["cac"] * value.contract_months, deal_value)
    df["expected_revenue"] = df["expected"]
    df["expected_roi"] = safe_div(df["expected"] - df["spend"], df["spend"])
    df["bookings_roi"] = safe_div(df["bookings_value"] - df["spend"], df["spend"])
    p75 = df["cycle_p75_days"].fillna(overall_p75)
    df["immature"] = (p75 > cohort_days) & (df["leads"] > 0) if cohort_days is not None \
        else False
    df["too_few"] = df["leads"] < min_leads
    return df


def _order(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(["too_few", "revenue", "leads", "group"],
                          ascending=[True, False, False, True]).reset_index(drop=True)


def drilldowns(facts: Facts, data: Dataset, dimensions: Sequence[str], *,
               min_leads: int = 30, value: ValueSettings | None = None,
               cohort_days: float | None = None) -> dict[str, pd.DataFrame]:
    """Drill-downs of several dimensions at once (two queries, whatever their number).

    Parameters
    ----------
    facts : Facts
        :func:`leadroi.metrics.facts.lead_facts` of the period.
    data : Dataset
        The (segment's) data, for the bookings view and the channel spend.
    dimensions : sequence of str
        Lead columns (or ``seniority``); those the data lacks are left out.
    min_leads : int
        Groups with fewer leads are ``too_few`` ("too few to judge"), listed after the
        judged ones.
    value : ValueSettings, optional
    cohort_days : float, optional
        Age of the cohort; a group whose p75 sales cycle is longer is ``immature``.

    Returns
    -------
    dict of str to pandas.DataFrame
        Dimension -> :data:`DRILLDOWN_COLUMNS` frame, judged groups first (by revenue),
        with a last row for all leads (``group`` None). Spend of a channel without leads
        is its own row in the channel drill-down and a :data:`NO_LEADS` row elsewhere.
    """
    value = value or ValueSettings()
    cols = set(data.leads.columns) | {"seniority"}
    dims = [d for d in dimensions if d in cols]
    sums = _cohort_sums(facts.table, dims)
    booked = _bookings(data, facts.period, facts.as_of, dims, value.margin)
    has_spend = data.spend is not None
    chan_spend = _channel_spend(data, facts.period) if has_spend else None
    total = sums[sums["dimension"] == "__total__"]
    if total.empty:  # no lead in the period
        total = pd.DataFrame([{"dimension": "__total__", "group": None,
                               **{c: 0 for c in _SUMS}}])
        total[["spend", "marketing_spend"]] = np.nan
    total = total.merge(booked[booked["dimension"] == "__total__"], how="left",
                        on=["dimension", "group"])
    if has_spend:
        total["spend"] = float(chan_spend["spend"].sum())
        total["marketing_spend"] = float(chan_spend["marketing_spend"].sum())
    total = derive(total, min_leads=min_leads, value=value, cohort_days=cohort_days)
    overall_deal = safe_div(total["value"].iloc[0], total["customers"].iloc[0])
    overall_p75 = float(total["cycle_p75_days"].iloc[0])
    out = {}
    for dim in dims:
        df = sums[sums["dimension"] == dim].merge(
            booked[booked["dimension"] == dim], how="outer", on=["dimension", "group"])
        if has_spend and dim == "channel":
            df = df.drop(columns=["spend", "marketing_spend"]).merge(
                chan_spend, how="outer", on="group")
        elif has_spend and facts.unallocated["spend"].sum() > 0:
            extra = {"group": NO_LEADS, "spend": facts.unallocated["spend"].sum(),
                     "marketing_spend": facts.unallocated["marketing_spend"].sum()}
            df = pd.concat([df, pd.DataFrame([extra])], ignore_index=True)
        df["dimension"] = dim
        df = df.fillna({c: 0 for c in _SUMS if c not in ("spend", "marketing_spend")})
        if has_spend:
            df = df.fillna({"spend": 0.0, "marketing_spend": 0.0})
        df = derive(df, min_leads=min_leads, value=value, cohort_days=cohort_days,
                    overall_deal=overall_deal, overall_p75=overall_p75)
        df = _order(df)
        out[dim] = pd.concat([df, total.assign(dimension=dim, group=None)],
                             ignore_index=True)[DRILLDOWN_COLUMNS]
    return out


def drilldown(facts: Facts, data: Dataset, dimension: str, **kwargs) -> pd.DataFrame:
    """The drill-down of one dimension (see :func:`drilldowns` for the arguments).

    Examples
    --------
    >>> by_industry = drilldown(facts, data, "industry", min_leads=30)  # doctest: +SKIP
    >>> list(by_industry.columns) == DRILLDOWN_COLUMNS  # doctest: +SKIP
    True
    """
    return drilldowns(facts, data, [dimension], **kwargs)[dimension]


def by_channel(data: Dataset, period: Period, as_of: dt.date, *, min_leads: int = 30,
               dimension: str = "channel", value: ValueSettings | None = None
               ) -> pd.DataFrame:
    """Leads, customers, conversion (95% Wilson interval), spend, CPL, CAC, revenue, ROI
    ... by channel (or another ``dimension``, named as such), without the total row.

    Returns
    -------
    pandas.DataFrame
        :data:`BY_CHANNEL_COLUMNS` with ``dimension`` first. ``roi_low``/``roi_high``
        recompute ROI at the ends of the conversion interval with the observed average
        deal (the overall average where a group has no customer yet).
    """
    facts = lead_facts(data, period, as_of, value=value)
    df = drilldown(facts, data, dimension, min_leads=min_leads, value=value)
    return _named(df.iloc[:-1], dimension)


def _named(df: pd.DataFrame, dimension: str) -> pd.DataFrame:
    return df.drop(columns="dimension").rename(columns={"group": dimension}) \
        .reset_index(drop=True)


def kpis(data: Dataset, period: Period, as_of: dt.date, *, min_leads: int = 30,
         value: ValueSettings | None = None) -> pd.Series:
    """Headline numbers of a period: the all-leads row of the channel drill-down."""
    facts = lead_facts(data, period, as_of, value=value)
    df = drilldown(facts, data, "channel", min_leads=min_leads, value=value)
    return _named(df.iloc[[-1]], "channel").iloc[0]


def totals(drill: pd.DataFrame) -> pd.Series:
    """The all-leads row of a drill-down (its last row), with ``channel`` for ``group``."""
    row = drill.iloc[-1].copy()
    return row.rename({"group": "channel"}).drop("dimension", errors="ignore")
