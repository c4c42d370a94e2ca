"""Period over period: every headline metric now, last period (QoQ), a year ago (YoY)
and against its target, with the significance of each rate change; the same by channel.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadroi.compare.significance import RATES, rate_test
from leadroi.stats import safe_div

__all__ = ["HEADLINE", "LOWER_IS_BETTER", "headline_comparison", "channel_comparison"]

#: Headline metrics of the comparison, in display order, with their kind.
HEADLINE = {"spend": "money", "leads": "int", "customers": "int", "conversion_rate": "pct",
            "win_rate": "pct", "mql_to_sql": "pct", "revenue": "money", "avg_deal": "money",
            "cpl": "money", "cac": "money", "roi": "pct"}
#: Metrics where a fall is an improvement.
LOWER_IS_BETTER = ("cpl", "cac")
#: Metrics whose change is shown in percentage points (not relative).
_POINTS = ("conversion_rate", "win_rate", "mql_to_sql", "roi")


def _target(targets: pd.DataFrame, metric: str, channel: str = "all") -> float:
    if targets is None or not len(targets):
        return np.nan
    rows = targets[(targets["channel"].astype(str).str.lower() == channel.lower())
                   & (targets["metric"] == metric)]
    return float(rows["value"].iloc[0]) if len(rows) else np.nan


def _change(metric: str, now, before) -> float:
    if metric in _POINTS:
        return float(now - before) if pd.notna(now) and pd.notna(before) else np.nan
    return float(safe_div(now - before, before)) if pd.notna(before) else np.nan


def _verdict(metric: str, now: pd.Series, before: pd.Series | None, min_n: int) -> str | None:
    if metric not in RATES or before is None:
        return None
    k, trials = RATES[metric]
    return rate_test(before[k], sum(before[c] for c in trials), now[k],
                     sum(now[c] for c in trials), min_n=min_n)["verdict"]


def headline_comparison(now: pd.Series, previous: pd.Series, year_ago: pd.Series | None,
                        targets: pd.DataFrame | None, *, min_n: int = 30) -> pd.DataFrame:
    """Each headline metric against the previous period, a year ago and its target.

    Parameters
    ----------
    now, previous, year_ago : Series
        All-leads rows of the channel drill-downs (``year_ago`` None when the data does
        not reach back a year).
    targets : DataFrame
        ``channel, metric, value`` (:func:`leadroi.metrics.targets_for`).

    Returns
    -------
    pandas.DataFrame
        ``metric, kind, now, previous, qoq, qoq_verdict, year_ago, yoy, yoy_verdict,
        target, vs_target, better`` — changes in points for rates and ROI, relative
        otherwise; ``vs_target`` is now / target (points above target for rates);
        ``better`` is +1 when a rise is good, −1 when a fall is.
    """
    rows = []
    for metric, kind in HEADLINE.items():
        value, before = now.get(metric, np.nan), previous.get(metric, np.nan)
        ago = year_ago.get(metric, np.nan) if year_ago is not None else np.nan
        goal = _target(targets, metric)
        vs = (value - goal if metric in _POINTS else safe_div(value, goal)) \
            if pd.notna(goal) else np.nan
        rows.append({"metric": metric, "kind": kind, "now": value, "previous": before,
                     "qoq": _change(metric, value, before),
                     "qoq_verdict": _verdict(metric, now, previous, min_n),
                     "year_ago": ago, "yoy": _change(metric, value, ago),
                     "yoy_verdict": _verdict(metric, now, year_ago, min_n),
                     "target": goal, "vs_target": vs,
                     "better": -1 if metric in LOWER_IS_BETTER else 1})
    return pd.DataFrame(rows)


def channel_comparison(now: pd.DataFrame, previous: pd.DataFrame,
                       year_ago: pd.DataFrame | None, targets: pd.DataFrame | None, *,
                       min_n: int = 30) -> pd.DataFrame:
    """Leads, customers, conversion, revenue and ROI by channel against the previous
    period, a year ago and the channel's targets, with the verdict on each conversion
    change.

    Returns
    -------
    pandas.DataFrame
        ``channel, leads, leads_previous, leads_qoq, leads_year_ago, leads_yoy,
        leads_target, customers, customers_previous, conversion_rate,
        conversion_previous, conversion_qoq, conversion_verdict, conversion_year_ago,
        conversion_yoy, conversion_yoy_verdict, revenue, revenue_previous, revenue_qoq,
        revenue_target, roi, roi_previous, roi_qoq, too_few``; most leads first.
    """
    cols = ["leads", "customers", "revenue", "roi", "conversion_rate", "too_few"]
    ago = year_ago if year_ago is not None else pd.DataFrame(columns=["channel"] + cols)
    frames = {"": now, "_previous": previous, "_year_ago": ago}
    channels = pd.Index(now["channel"]).union(pd.Index(previous["channel"]))
    base = pd.DataFrame({"channel": channels})
    for suffix, frame in frames.items():
        part = frame.set_index("channel").reindex(channels)[cols]
        base = base.join(part.add_suffix(suffix).reset_index(drop=True))
    out = pd.DataFrame({"channel": base["channel"]})
    for m in ("leads", "customers", "revenue", "roi"):
        out[m] = base[m]
        out[f"{m}_previous"] = base[f"{m}_previous"]
        out[f"{m}_year_ago"] = base[f"{m}_year_ago"]
        out[f"{m}_qoq"] = [_change(m, a, b) for a, b in zip(base[m], base[f"{m}_previous"])]
        out[f"{m}_yoy"] = [_change(m, a, b) for a, b in zip(base[m], base[f"{m}_year_ago"])]
        out[f"{m}_target"] = [_target(targets, m, c) for c in base["channel"]]
    c = "conversion_rate"
    out[c], out["conversion_previous"] = base[c], base[f"{c}_previous"]
    out["conversion_year_ago"] = base[f"{c}_year_ago"]
    out["conversion_qoq"] = out[c] - out["conversion_previous"]
    out["conversion_yoy"] = out[c] - out["conversion_year_ago"]
    for suffix, name in (("_previous", "conversion_verdict"),
                         ("_year_ago", "conversion_yoy_verdict")):
        out[name] = [rate_test(kb, nb, k, n, min_n=min_n)["verdict"] for k, n, kb, nb in zip(
            base["customers"].fillna(0), base["leads"].fillna(0),
            base[f"customers{suffix}"].fillna(0), base[f"leads{suffix}"].fillna(0))]
    out["too_few"] = base["too_few"].fillna(True).astype(bool)
    return out.sort_values("leads", ascending=False, na_position="last",
                           kind="stable").reset_index(drop=True)
