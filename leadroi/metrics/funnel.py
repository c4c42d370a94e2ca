"""The lead funnel: how many leads reach each stage, conversion between stages, and the
bottleneck (the stage transition that loses the largest share of leads), compared with
the previous period and with the stage targets of the params."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from leadroi.engine import collect
from leadroi.intake.dataset import Dataset
from leadroi.metrics.cohort import cohort, cutoff
from leadroi.periods import Period
from leadroi.stats import safe_div, wilson_interval

__all__ = ["DEFAULT_STAGES", "funnel", "funnel_from_counts", "compare_stages", "bottleneck",
           "stage_name", "funnel_rates"]

#: Default stages (seed 002): creation, then these timestamp columns in order.
DEFAULT_STAGES = ("first_contact_at", "needs_confirmed_at", "proposal_at", "negotiation_at",
                  "won_at")


def stage_name(column: str) -> str:
    """Stage key of a timestamp column: ``needs_confirmed_at`` -> ``needs_confirmed``."""
    return column.removesuffix("_at")


def funnel(data: Dataset, period: Period, as_of: dt.date,
           stages: tuple[str, ...] = DEFAULT_STAGES) -> pd.DataFrame:
    """Leads of the period's cohort reaching each stage by ``as_of``.

    A lead that skipped a stage but reached a later one counts as having passed it.

    Parameters
    ----------
    data : Dataset
    period : Period
    as_of : datetime.date
    stages : tuple of str
        Stage timestamp columns in funnel order; those absent from the data are skipped.

    Returns
    -------
    pandas.DataFrame
        ``stage`` (``created``, ``first_contact`` ...), ``leads``,
        ``conversion_from_previous`` (with ``_low``/``_high`` 95% bounds), ``drop_off``,
        ``conversion_from_start``.
    """
    present = [s for s in stages if s in data.columns["leads"]]
    co = cohort(data.leads, period, as_of)
    cut = cutoff(as_of)
    seen = [co[s].notnull() & (co[s] < cut) for s in present]
    reached = {}
    for k, col in enumerate(present):
        any_later = seen[k]
        for later in seen[k + 1:]:
            any_later = any_later | later
        reached[stage_name(col)] = any_later.sum().cast("int64").fill_null(0)
    row = collect(co.aggregate(created=co.count(), **reached)).iloc[0]
    names = ["created"] + [stage_name(c) for c in present]
    return funnel_from_counts(names, [int(row[n]) for n in names])


def funnel_from_counts(names: list[str], counts) -> pd.DataFrame:
    """The :func:`funnel` frame of stage ``names`` (``created`` first) reached by
    ``counts`` leads."""
    counts = np.asarray(counts, dtype=float).astype(int)
    prev = np.concatenate([[np.nan], counts[:-1]])
    conv = safe_div(counts, prev)
    low, high = wilson_interval(counts[1:], counts[:-1])
    return pd.DataFrame({
        "stage": names, "leads": counts,
        "conversion_from_previous": conv,
        "conversion_from_previous_low": np.concatenate([[np.nan], low]),
        "conversion_from_previous_high": np.concatenate([[np.nan], high]),
        "drop_off": 1 - conv,
        "conversion_from_start": safe_div(counts, counts[0]),
    })


def compare_stages(current: pd.DataFrame, previous: pd.DataFrame | None = None,
                   targets: dict[str, float] | None = None) -> pd.DataFrame:
    """The funnel with each stage's conversion in the previous period and its target.

    Parameters
    ----------
    current, previous : DataFrame
        :func:`funnel` of this and (optionally) the comparison period.
    targets : dict, optional
        Stage -> target conversion from the previous stage.

    Returns
    -------
    pandas.DataFrame
        ``current``'s columns plus ``previous_conversion``, ``change`` (this minus
        previous, in shares), ``target``, ``gap_to_target`` (this minus target; negative
        is short of it).
    """
    out = current.copy()
    conv = 1 - out["drop_off"]
    prev = (1 - previous.set_index("stage")["drop_off"]) if previous is not None \
        else pd.Series(dtype=float)
    out["previous_conversion"] = out["stage"].map(prev).astype(float)
    out["change"] = conv - out["previous_conversion"]
    out["target"] = out["stage"].map(targets or {}).astype(float)
    out["gap_to_target"] = conv - out["target"]
    return out


def bottleneck(current: pd.DataFrame, previous: pd.DataFrame | None = None,
               *, min_leads: int = 30, targets: dict[str, float] | None = None
               ) -> dict | None:
    """The stage transition that loses the largest share of the leads entering it,
    with how that loss compares with the previous period and the target.

    Parameters
    ----------
    current, previous : DataFrame
        :func:`funnel` of this and (optionally) the comparison period.
    min_leads : int
        Transitions entered by fewer leads are not judged.
    targets : dict, optional
        Stage -> target conversion from the previous stage.

    Returns
    -------
    dict or None
        ``from_stage, to_stage, entered, drop_off, previous_drop_off, change`` (change in
        drop-off vs the previous period, NaN without one), ``target`` (target conversion,
        NaN without one), ``gap_to_target`` (conversion minus target),
        ``most_worsened`` (the judged stage whose drop-off grew the most vs the previous
        period, or None) and ``most_short`` (the judged stage furthest below its
        target, or None); None when nothing is judged.
    """
    entered = current["leads"].shift(1)
    judged = current[(entered >= min_leads) & current["drop_off"].notna()]
    if judged.empty:
        return None
    table = compare_stages(current, previous, targets)
    i = judged["drop_off"].idxmax()
    prev_drop = 1 - table.loc[i, "previous_conversion"]
    drop = float(current.loc[i, "drop_off"])
    worse = table.loc[judged.index].dropna(subset=["change"])
    worse = worse[worse["change"] < 0]
    short = table.loc[judged.index].dropna(subset=["gap_to_target"])
    short = short[short["gap_to_target"] < 0]
    return {"from_stage": current.loc[i - 1, "stage"], "to_stage": current.loc[i, "stage"],
            "entered": int(entered[i]), "drop_off": drop,
            "previous_drop_off": float(prev_drop), "change": drop - float(prev_drop),
            "target": float(table.loc[i, "target"]),
            "gap_to_target": float(table.loc[i, "gap_to_target"]),
            "most_worsened": worse.loc[worse["change"].idxmin(), "stage"] if len(worse)
            else None,
            "most_short": short.loc[short["gap_to_target"].idxmin(), "stage"] if len(short)
            else None}


def funnel_rates(total: pd.Series) -> pd.DataFrame:
    """Lead → customer, MQL → SQL and win rate of a drill-down's all-leads row.

    Returns
    -------
    pandas.DataFrame
        ``metric`` (``conversion_rate``, ``mql_to_sql``, ``win_rate``), ``successes``,
        ``trials``, ``rate``, ``rate_low``, ``rate_high``.
    """
    rows = [("conversion_rate", total["customers"], total["leads"]),
            ("mql_to_sql", total["sqls"], total["mqls"]),
            ("win_rate", total["customers"], total["customers"] + total["lost"])]
    out = pd.DataFrame(rows, columns=["metric", "successes", "trials"])
    out[["successes", "trials"]] = out[["successes", "trials"]].astype(int)
    out["rate"] = [total[m] for m in out["metric"]]
    out["rate_low"] = [total[f"{m}_low"] for m in out["metric"]]
    out["rate_high"] = [total[f"{m}_high"] for m in out["metric"]]
    return out
