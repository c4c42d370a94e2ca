"""Customer value measured from the deal history: repeat purchase, logo retention, net
revenue retention, cross-sell, lifetime value with its interval, and a health score.

A **customer** is a lead with a won deal up to the cut-off; its **purchases** are its won
deals (the lead's own won date and amount when no deals table is given: one purchase
each, so nothing can be measured and every value is *assumed*). Months since the first
win count calendar months (a win in March is month 2 of a January customer).

- the **first purchase** is the won deals within ``first_purchase_days`` of the first
  win; any later won deal is a **repeat purchase**;
- a customer is **observed** for ``m`` months when its first win is at least ``m``
  calendar months before the cut-off; the rates over the horizon ``H`` count only the
  customers observed for ``H`` months (younger ones cannot have shown it yet);
- **repeat rate**: share of them with a repeat purchase in months ``0 .. H-1``;
  **cross-sell rate**: share that bought a second product line in those months;
- **churn**: a customer without a purchase for ``churn_months`` has churned at its last
  purchase; **logo retention at month m**: share of the customers observed for ``m``
  months that had not churned by month ``m`` (a last purchase in month ``m`` or later, or
  one within ``churn_months`` of the cut-off);
- **net revenue retention at month m**: the cohort's revenue in months ``0 .. m`` over its
  revenue in month 0 (1.0 = nothing bought after the first month);
- **measured CLV**: mean value (revenue, or gross margin with ``value.margin``) per
  customer in months ``0 .. H-1`` — measured, not extrapolated beyond the horizon — with
  a 95% normal interval of that mean (mean +- 1.96 sd / sqrt(n)). A group with fewer than
  ``min_customers`` observed customers, or data without a deal history, keeps the params
  assumption (average first purchase x ``value.repeat_purchases``): ``clv_basis`` says
  which; ``repeat_value`` is the part beyond the first purchase (measured: mean value
  minus mean first purchase of the same customers);
- **lifetime ROI** of a period: its first-deal ROI plus its customers' expected repeat
  value over the spend;
- **health score**: 0-3 points each for recency, frequency and value (thresholds in
  ``customer_value.health``).

Everything is aggregated in the engine; only per-group rows come back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import ibis
import numpy as np
import pandas as pd
from ibis.expr.types import Table, Value

from leadroi.engine import collect
from leadroi.intake.dataset import Dataset
from leadroi.metrics.cohort import UNKNOWN, cutoff
from leadroi.params import CustomerValueSettings, HealthSettings, ValueSettings
from leadroi.stats import Z95, safe_div, wilson_interval

__all__ = ["CUSTOMER_VALUE_COLUMNS", "CustomerValue", "customer_value", "purchases",
           "customers", "apply_measured", "HEALTH_BANDS"]

#: Columns of the ``customer_value`` sheet, in order.
CUSTOMER_VALUE_COLUMNS = [
    "dimension", "group", "customers", "observed", "repeat_rate", "repeat_rate_low",
    "repeat_rate_high", "retention_12m", "retention_12m_low", "retention_12m_high",
    "cross_sell_rate", "cross_sell_rate_low", "cross_sell_rate_high", "first_deal",
    "revenue_per_customer", "clv", "clv_low", "clv_high", "clv_basis", "repeat_value", "cac",
    "ltv_cac",
    "payback_months", "roi", "lifetime_roi", "too_few",
]
#: Health bands, healthiest first.
HEALTH_BANDS = ("healthy", "watch", "at_risk")


@dataclass
class CustomerValue:
    """Customer value of a dataset at a cut-off (see :func:`customer_value`)."""

    by_group: pd.DataFrame
    retention: pd.DataFrame
    curve: pd.DataFrame
    health: pd.DataFrame
    candidates: pd.DataFrame
    has_history: bool
    has_products: bool
    horizon_months: int
    settings: CustomerValueSettings = field(default_factory=CustomerValueSettings)

    @property
    def total(self) -> pd.Series:
        """The all-customers row of :attr:`by_group` (zeros and NaN without customers:
        a grouped query over no row returns no row)."""
        rows = self.by_group[self.by_group["dimension"] == "all"]
        if len(rows):
            return rows.iloc[0]
        return pd.Series({**{c: np.nan for c in CUSTOMER_VALUE_COLUMNS}, "dimension": "all",
                          "group": None, "customers": 0, "observed": 0,
                          "clv_basis": "assumed", "too_few": True})

    def group(self, dimension: str) -> pd.DataFrame:
        """The rows of one dimension (``group`` names the value)."""
        return self.by_group[self.by_group["dimension"] == dimension].reset_index(drop=True)


def _months(start: Value, end) -> Value:
    """Calendar months from ``start`` to ``end`` (timestamps or a date)."""
    if isinstance(end, dt.date):
        end_n = end.year * 12 + end.month
    else:
        end_n = end.year() * 12 + end.month()
    return (end_n - (start.year() * 12 + start.month())).cast("int64")


def purchases(data: Dataset, as_of: dt.date) -> tuple[Table, bool, bool]:
    """Won purchases up to the cut-off: ``lead_id, won_at, _amount, product``.

    Returns
    -------
    (table, has_history, has_products)
        ``has_history`` is False when there is no deals table (one purchase per customer,
        from the leads); ``has_products`` whether the deals carry a product line.
    """
    end = cutoff(as_of)
    deals = data.deals
    if deals is not None and "won_at" in deals.columns:
        d = deals.filter(deals.won_at.notnull() & (deals.won_at < end))
        has_products = "product" in d.columns
        product = d.product.strip() if has_products else ibis.null("string")
        amount = d.amount.fill_null(0.0) if "amount" in d.columns else ibis.literal(0.0)
        ids = data.leads.select(_id=data.leads.lead_id)
        d = d.semi_join(ids, d.lead_id == ids._id)  # the (segment's) leads only
        return d.select("lead_id", "won_at", _amount=amount.cast("float64"),
                        product=product), True, has_products
    leads = data.leads
    if "won_at" not in leads.columns:
        empty = leads.filter(ibis.literal(False))
        return empty.select("lead_id", won_at=ibis.null("timestamp"),
                            _amount=ibis.null("float64"), product=ibis.null("string")), \
            False, False
    won = leads.filter(leads.won_at.notnull() & (leads.won_at < end))
    amount = won.amount.fill_null(0.0) if "amount" in won.columns else ibis.literal(0.0)
    return won.select("lead_id", "won_at", _amount=amount.cast("float64"),
                      product=ibis.null("string")), False, False


def customers(p: Table, as_of: dt.date, *, horizon: int, churn_months: int,
              first_purchase_days: int = 30, margin: float | None = None) -> Table:
    """One row per customer: ``lead_id, first_at, last_at, purchases, first_value,
    value_h, revenue, repeat_h, products_h, products, last_month, age`` (months observed)
    and ``active`` (bought within ``churn_months`` of the cut-off)."""
    p = p.mutate(_first=p.won_at.min().over(group_by=p.lead_id))
    first_end = p._first + ibis.interval(days=first_purchase_days)
    p = p.mutate(_idx=_months(p._first, p.won_at), _in_first=p.won_at <= first_end,
                 _value=p._amount * margin if margin else p._amount)
    in_h = p._idx < horizon
    c = p.group_by("lead_id").aggregate(
        first_at=p._first.min(), last_at=p.won_at.max(), purchases=p.count(),
        first_value=ibis.ifelse(p._in_first, p._value, 0.0).sum(),
        value_h=ibis.ifelse(in_h, p._value, 0.0).sum(), revenue=p._amount.sum(),
        repeat_h=(~p._in_first & in_h).any(),
        products_h=ibis.ifelse(in_h, p.product, ibis.null("string")).nunique(),
        products=p.product.nunique(), last_month=p._idx.max())
    return c.mutate(age=_months(c.first_at, as_of),
                    active=_months(c.last_at, as_of) < churn_months)


def _retained(c: Table, m: int) -> Value:
    return (c.last_month >= m) | c.active


def _group_key(t: Table, dimension: str) -> Value:
    return t[dimension].cast("string").fill_null(UNKNOWN)


def _with_dims(c: Table, data: Dataset, dimensions: Sequence[str]) -> Table:
    leads = data.leads
    dims = {d: _group_key(leads, d) for d in dimensions if d in leads.columns}
    lk = leads.select(_lid=leads.lead_id, **dims)
    j = c.inner_join(lk, c.lead_id == lk._lid)
    return j.select(*c.columns, *dims)


def _group_sums(c: Table, dimensions: Sequence[str], horizon: int) -> pd.DataFrame:
    matured = c.age >= horizon
    seen12 = c.age >= 12

    def agg(grouped, dim: str) -> Table:
        return grouped.aggregate(
            dimension=ibis.literal(dim), customers=c.count(),
            observed=matured.sum().cast("int64"),
            repeaters=(matured & c.repeat_h).sum().cast("int64"),
            cross=(matured & (c.products_h > 1)).sum().cast("int64"),
            seen12=seen12.sum().cast("int64"),
            retained12=(seen12 & _retained(c, 12)).sum().cast("int64"),
            first_deal=c.first_value.mean(), revenue_per_customer=c.revenue.mean(),
            value_mean=ibis.ifelse(matured, c.value_h, ibis.null("float64")).mean(),
            first_observed=ibis.ifelse(matured, c.first_value, ibis.null("float64")).mean(),
            value_sd=ibis.ifelse(matured, c.value_h, ibis.null("float64")).std())
    parts = [agg(c.group_by(group=c[d]), d) for d in dimensions if d in c.columns]
    parts.append(agg(c.group_by(group=ibis.null("string")), "all"))
    return collect(ibis.union(*parts, distinct=False)).astype(
        {"dimension": object, "group": object})


def _derive(df: pd.DataFrame, *, has_history: bool, has_products: bool, min_customers: int,
            value: ValueSettings) -> pd.DataFrame:
    df = df.copy()
    for col in ("customers", "observed", "repeaters", "cross", "seen12", "retained12"):
        df[col] = df[col].fillna(0).astype(int)
    rates = [("repeat_rate", "repeaters", "observed"), ("retention_12m", "retained12", "seen12"),
             ("cross_sell_rate", "cross", "observed")]
    for rate, k, n in rates:
        df[rate] = safe_div(df[k], df[n])
        df[f"{rate}_low"], df[f"{rate}_high"] = wilson_interval(df[k], df[n])
        if not has_history or (rate == "cross_sell_rate" and not has_products):
            df[[rate, f"{rate}_low", f"{rate}_high"]] = np.nan
    judged = has_history & (df["observed"] >= min_customers)
    half = Z95 * df["value_sd"].fillna(0.0) / np.sqrt(df["observed"].clip(lower=1))
    assumed = df["first_deal"] * value.repeat_purchases
    df["clv"] = np.where(judged, df["value_mean"], assumed)
    df["clv_low"] = np.where(judged, np.maximum(df["value_mean"] - half, 0.0), np.nan)
    df["clv_high"] = np.where(judged, df["value_mean"] + half, np.nan)
    df["clv_basis"] = np.where(judged, "measured", "assumed")
    df["repeat_value"] = np.where(judged, df["value_mean"] - df["first_observed"],
                                  df["first_deal"] * (value.repeat_purchases - 1))
    df["too_few"] = ~judged
    for col in ("cac", "ltv_cac", "payback_months", "roi", "lifetime_roi"):
        df[col] = np.nan
    return df


def _cohort_table(c: Table, p: Table, months: int) -> pd.DataFrame:
    """Cohort (quarter of the first win) x months since the first win; ``min_age`` is the
    months its youngest customer has been observed (logo retention at month ``m`` is
    final once ``min_age >= m + churn_months``, provisional before)."""
    cohort = c.first_at.year().cast("string") + "-Q" + c.first_at.quarter().cast("string")
    cc = c.mutate(cohort=cohort)
    cols = {"customers": cc.count(), "min_age": cc.age.min()}
    for m in range(months + 1):
        seen = cc.age >= m
        cols[f"o{m}"] = seen.sum().cast("int64")
        cols[f"r{m}"] = (seen & _retained(cc, m)).sum().cast("int64")
    logo = collect(cc.group_by("cohort").aggregate(**cols)).set_index("cohort").sort_index()
    first = p.mutate(_first=p.won_at.min().over(group_by=p.lead_id))
    first = first.mutate(_idx=_months(first._first, first.won_at),
                         cohort=first._first.year().cast("string") + "-Q"
                         + first._first.quarter().cast("string"))
    rev = collect(first.filter(first._idx <= months).group_by(["cohort", "_idx"])
                  .aggregate(revenue=first._amount.sum()))
    rev = rev.pivot_table(index="cohort", columns="_idx", values="revenue", aggfunc="sum") \
        .reindex(index=logo.index, columns=range(months + 1)).fillna(0.0).cumsum(axis=1)
    rows = []
    for cohort, row in logo.iterrows():
        n = int(row["customers"])
        full = np.array([row[f"o{m}"] == n for m in range(months + 1)])
        logo_rate = np.array([row[f"r{m}"] / n for m in range(months + 1)])
        cum = rev.loc[cohort].to_numpy(float)
        base = cum[0] if cum[0] > 0 else np.nan
        for measure, values in (("logo_retention", logo_rate),
                                ("net_revenue_retention", cum / base),
                                ("revenue_per_customer", cum / n)):
            rows.append({"cohort": cohort, "measure": measure, "customers": n,
                         "min_age": int(row["min_age"]),
                         **{f"m{m}": (values[m] if full[m] else np.nan)
                            for m in range(months + 1)}})
    return pd.DataFrame(rows, columns=["cohort", "measure", "customers", "min_age"]
                        + [f"m{m}" for m in range(months + 1)])


def _curve(c: Table, months: int, min_customers: int) -> pd.DataFrame:
    """Logo retention by months since the first win, by channel, cohorts pooled."""
    cols = {}
    for m in range(months + 1):
        seen = c.age >= m
        cols[f"o{m}"] = seen.sum().cast("int64")
        cols[f"r{m}"] = (seen & _retained(c, m)).sum().cast("int64")
    parts = [c.group_by(channel=c.channel).aggregate(**cols),
             c.group_by(channel=ibis.null("string")).aggregate(**cols)]
    wide = collect(ibis.union(*parts, distinct=False))
    rows = []
    for _, row in wide.iterrows():
        for m in range(months + 1):
            o, r = int(row[f"o{m}"]), int(row[f"r{m}"])
            rows.append({"channel": row["channel"], "month": m, "observed": o,
                         "retained": r, "retention": r / o if o >= min_customers else np.nan})
    out = pd.DataFrame(rows, columns=["channel", "month", "observed", "retained",
                                      "retention"])
    return out.astype({"channel": object})


def _points(col: Value, thresholds: Sequence[float], *, falling: bool = False) -> Value:
    pts = ibis.literal(0)
    for t in thresholds:
        pts = pts + ibis.ifelse(col <= t if falling else col >= t, 1, 0)
    return pts


def _health(c: Table, as_of: dt.date, settings: HealthSettings, shown: int
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    end = cutoff(as_of)
    recency = (ibis.literal(end).cast("timestamp").epoch_seconds()
               - c.last_at.epoch_seconds()) / 86_400.0
    pts = (_points(recency, settings.recency_days, falling=True)
           + _points(c.purchases, settings.frequency) + _points(c.revenue, settings.value))
    band = ibis.cases((pts >= settings.healthy, "healthy"), (pts <= settings.at_risk, "at_risk"),
                      else_="watch")
    h = c.mutate(points=pts.cast("int64"), band=band)

    def agg(grouped) -> Table:
        return grouped.aggregate(
            customers=h.count(), healthy=(h.band == "healthy").sum().cast("int64"),
            watch=(h.band == "watch").sum().cast("int64"),
            at_risk=(h.band == "at_risk").sum().cast("int64"), mean_points=h.points.mean(),
            candidates=((h.band == "healthy") & (h.products == 1)).sum().cast("int64"))
    table = collect(ibis.union(agg(h.group_by(channel=h.channel)),
                               agg(h.group_by(channel=ibis.null("string"))), distinct=False))
    for band in HEALTH_BANDS:
        table[f"{band}_share"] = safe_div(table[band], table["customers"])
    table = table.astype({"channel": object}).sort_values(
        ["channel", "customers"], na_position="last").reset_index(drop=True)
    pick = h.filter((h.band == "healthy") & (h.products == 1))
    cand = collect(pick.order_by([ibis.desc(pick.revenue), pick.lead_id]).limit(shown).select(
        "lead_id", "channel", "purchases", "revenue", "points",
        last_purchase=pick.last_at.date()))
    return table, cand


def customer_value(data: Dataset, as_of: dt.date, *,
                   settings: CustomerValueSettings | None = None,
                   value: ValueSettings | None = None, first_purchase_days: int = 30,
                   shown: int = 50) -> CustomerValue:
    """Customer value of every customer won up to ``as_of`` (see the module docstring).

    Parameters
    ----------
    data : Dataset
    as_of : datetime.date
        The cut-off: purchases after it are not counted.
    settings : CustomerValueSettings, optional
    value : ValueSettings, optional
        ``margin`` (value basis of CLV) and ``repeat_purchases`` (the assumption).
    first_purchase_days : int
        Won deals within this many days of the first win make the first purchase.
    shown : int
        Cross-sell candidates listed (healthiest single-product customers by revenue).

    Returns
    -------
    CustomerValue
        ``by_group`` (:data:`CUSTOMER_VALUE_COLUMNS`, cost columns empty until
        :func:`apply_measured`), ``retention`` (cohort x measure x month), ``curve``
        (channel x month), ``health`` (bands by channel), ``candidates``.
    """
    settings = settings or CustomerValueSettings()
    value = value or ValueSettings()
    h = settings.horizon_months
    p, has_history, has_products = purchases(data, as_of)
    p = data.engine.store("_cv_purchases", p)
    c = customers(p, as_of, horizon=h, churn_months=settings.churn_months,
                  first_purchase_days=first_purchase_days, margin=value.margin)
    c = data.engine.store("_cv_customers", _with_dims(c, data, settings.dimensions))
    sums = _group_sums(c, settings.dimensions, h)
    by_group = _derive(sums, has_history=has_history, has_products=has_products,
                       min_customers=settings.min_customers, value=value)
    order = {d: i for i, d in enumerate(list(settings.dimensions) + ["all"])}
    by_group = by_group.assign(_o=by_group["dimension"].map(order)).sort_values(
        ["_o", "too_few", "customers", "group"], ascending=[True, True, False, True],
        kind="stable").drop(columns="_o").reset_index(drop=True)
    retention = _cohort_table(c, p, settings.months) if has_history else \
        pd.DataFrame(columns=["cohort", "measure", "customers", "min_age"])
    curve = _curve(c, settings.months, settings.min_customers)
    health, cand = _health(c, as_of, settings.health, shown)
    return CustomerValue(by_group=by_group[CUSTOMER_VALUE_COLUMNS], retention=retention,
                         curve=curve, health=health, candidates=cand,
                         has_history=has_history, has_products=has_products,
                         horizon_months=h, settings=settings)


def _key(dimension: str, group) -> tuple:
    return ("all", None) if dimension == "all" or pd.isna(group) else (dimension, group)


def apply_measured(cv: CustomerValue, drilldowns: dict[str, pd.DataFrame], *,
                   value: ValueSettings | None = None, fill: bool = True
                   ) -> dict[str, pd.DataFrame]:
    """Cost columns of ``cv.by_group`` from the period's drill-downs, and the measured
    CLV into the drill-downs (``clv``, ``ltv_cac``, ``payback_months``, ``clv_basis``).

    A group measured in ``cv`` gets its measured CLV, LTV/CAC = CLV / CAC and payback =
    CAC x horizon / CLV (months of the average customer's value over the horizon that
    earn its cost back); every other group keeps the assumption (``clv_basis``
    ``assumed``). ``lifetime_roi`` = first-deal ``roi`` + the period's customers x
    ``repeat_value`` (value per customer beyond its first purchase) / spend. Returns new
    drill-downs; with ``fill``, fills the cost
    columns of ``cv.by_group`` from them (the report period's, not an earlier one's).
    """
    value = value or ValueSettings()
    h = cv.horizon_months
    measured = {_key(r.dimension, r.group): r for r in cv.by_group.itertuples()
                if r.clv_basis == "measured"}
    out = {}
    for dim, drill in drilldowns.items():
        d = drill.copy()
        d["clv_basis"] = "assumed"
        for i, g in d["group"].items():
            src = measured.get(("all", None) if pd.isna(g) else (dim, g))
            if src is None:
                continue
            d.loc[i, "clv"] = src.clv
            d.loc[i, "ltv_cac"] = safe_div(src.clv, d.loc[i, "cac"])
            d.loc[i, "payback_months"] = safe_div(d.loc[i, "cac"] * h, src.clv)
            d.loc[i, "clv_basis"] = "measured"
        out[dim] = d
    if not fill:
        return out
    bg = cv.by_group.copy()
    for i, row in bg.iterrows():
        dim = "channel" if row["dimension"] == "all" else row["dimension"]
        drill = out.get(dim)
        if drill is None:
            continue
        match = drill[drill["group"].isna()] if row["dimension"] == "all" \
            else drill[drill["group"] == row["group"]]
        if match.empty:
            continue
        r = match.iloc[0]
        bg.loc[i, "cac"], bg.loc[i, "roi"] = r["cac"], r["roi"]
        bg.loc[i, "ltv_cac"] = safe_div(row["clv"], r["cac"])
        if row["clv_basis"] == "measured":
            bg.loc[i, "payback_months"] = safe_div(r["cac"] * h, row["clv"])
        else:
            bg.loc[i, "payback_months"] = safe_div(r["cac"] * value.contract_months,
                                                   row["first_deal"])
        bg.loc[i, "lifetime_roi"] = r["roi"] + safe_div(r["customers"] * row["repeat_value"],
                                                        r["spend"])
    cv.by_group = bg
    return out
