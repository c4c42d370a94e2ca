"""Trend lines over every available quarter, by channel, each quarter at the same age;
and what they say about a channel's room to grow (saturation) and its returns to spend.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from leadroi.engine import collect
from leadroi.intake.dataset import Dataset
from leadroi.metrics.trend import same_age_by_quarter
from leadroi.periods import Period
from leadroi.stats import safe_div

__all__ = ["available_quarters", "channel_trend", "saturation", "elasticity"]


def available_quarters(data: Dataset, period: Period, *, limit: int = 20) -> int:
    """How many quarters, ending with ``period``, hold leads (at most ``limit``)."""
    first = collect(data.leads.aggregate(first=data.leads.created_at.min()))["first"].iloc[0]
    if pd.isna(first):
        return 1
    first = pd.Timestamp(first)
    quarters = (period.start.year - first.year) * 4 + (period.start.month - 1) // 3 \
        - (first.month - 1) // 3 + 1
    return int(min(max(quarters, 1), limit))


def channel_trend(data: Dataset, period: Period, as_of: dt.date, *,
                  quarters: int | None = None) -> pd.DataFrame:
    """Leads, customers, revenue and spend per quarter and channel, at the same age.

    Each quarter's outcomes are counted up to its end plus the lag ``period`` has at
    ``as_of`` (as :func:`leadroi.metrics.quarterly_trend` does); one grouped query for
    the leads and one for the spend.

    Returns
    -------
    pandas.DataFrame
        ``period, channel, leads, customers, revenue, spend, conversion_rate, cpl, roi``,
        oldest quarter first.
    """
    quarters = quarters or available_quarters(data, period)
    out = same_age_by_quarter(data, period, as_of, quarters=quarters, by=("channel",))
    out["conversion_rate"] = safe_div(out["customers"], out["leads"])
    out["cpl"] = safe_div(out["spend"], out["leads"])
    out["roi"] = safe_div(out["revenue"] - out["spend"], out["spend"])
    return out[["period", "channel", "leads", "customers", "revenue", "spend",
                "conversion_rate", "cpl", "roi"]]


def saturation(trend: pd.DataFrame, *, recent: int = 3, growth: float = 0.1,
               cpl_rise: float = 0.15) -> pd.DataFrame:
    """Signs that a channel is running out of room in its recent quarters.

    A channel shows a saturation sign when, over its last ``recent`` quarters, its spend
    grew by at least ``growth`` while its cost per lead rose by at least ``cpl_rise`` or
    its leads did not grow with the spend (lead growth under half the spend growth).

    Returns
    -------
    pandas.DataFrame
        ``channel, quarters, spend_growth, lead_growth, cpl_change, saturated`` (bool);
        ``saturated`` is False when there are fewer than two quarters with spend.
    """
    rows = []
    for channel, g in trend.groupby("channel", sort=True):
        g = g[g["spend"] > 0].tail(recent)
        if len(g) < 2:
            rows.append((channel, len(g), np.nan, np.nan, np.nan, False))
            continue
        a, b = g.iloc[0], g.iloc[-1]
        spend_g = b["spend"] / a["spend"] - 1
        lead_g = safe_div(b["leads"] - a["leads"], a["leads"])
        cpl_c = safe_div(b["cpl"] - a["cpl"], a["cpl"])
        saturated = bool(spend_g >= growth and (cpl_c >= cpl_rise or lead_g < spend_g / 2))
        rows.append((channel, len(g), spend_g, lead_g, cpl_c, saturated))
    return pd.DataFrame(rows, columns=["channel", "quarters", "spend_growth", "lead_growth",
                                       "cpl_change", "saturated"])


def elasticity(trend: pd.DataFrame, *, min_quarters: int = 4, floor: float = 0.3
               ) -> pd.DataFrame:
    """Diminishing returns per channel: the exponent ``b`` of ``leads ∝ spend^b``, fitted
    by least squares on logs over the quarters with spend and leads.

    Channels with fewer than ``min_quarters`` such quarters, or whose spend barely varied,
    get no fit (``b`` NaN: the what-if then assumes constant returns up to a cap). A fitted
    ``b`` is clipped to ``[floor, 1]``.

    Returns
    -------
    pandas.DataFrame
        ``channel, quarters, b, fitted`` (bool).
    """
    rows = []
    for channel, g in trend.groupby("channel", sort=True):
        g = g[(g["spend"] > 0) & (g["leads"] > 0)]
        x, y = np.log(g["spend"].to_numpy(float)), np.log(g["leads"].to_numpy(float))
        if len(g) < min_quarters or np.ptp(x) < 0.05:
            rows.append((channel, len(g), np.nan, False))
            continue
        slope = float(np.polyfit(x, y, 1)[0])
        rows.append((channel, len(g), float(np.clip(slope, floor, 1.0)), True))
    return pd.DataFrame(rows, columns=["channel", "quarters", "b", "fitted"])
