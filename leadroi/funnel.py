"""The lead funnel: how many leads reach each stage, conversion between stages, and the
bottleneck (the stage transition that loses the largest share of leads)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from leadroi.dataset import Dataset
from leadroi.engine import collect
from leadroi.metrics import cohort, cutoff
from leadroi.periods import Period
from leadroi.stats import safe_div, wilson_interval

__all__ = ["DEFAULT_STAGES", "funnel", "bottleneck", "stage_name"]

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
        reached[stage_name(col)] = any_later.sum().cast("int64").fill_null(0)  # no leads
    row = collect(co.aggregate(created=co.count(), **reached)).iloc[0]
    names = ["created"] + [stage_name(c) for c in present]
    counts = np.array([int(row[n]) for n in names])
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


def bottleneck(current: pd.DataFrame, previous: pd.DataFrame | None = None,
               *, min_leads: int = 30) -> dict | None:
    """The stage transition that loses the largest share of the leads entering it.

    Parameters
    ----------
    current, previous : DataFrame
        :func:`funnel` of this and (optionally) the comparison period.
    min_leads : int
        Transitions entered by fewer leads are not judged.

    Returns
    -------
    dict or None
        ``from_stage, to_stage, entered, drop_off, previous_drop_off, change`` (change in
        drop-off vs the previous period, NaN without one); None when nothing is judged.
    """
    entered = current["leads"].shift(1)
    judged = current[(entered >= min_leads) & current["drop_off"].notna()]
    if judged.empty:
        return None
    i = judged["drop_off"].idxmax()
    prev_drop = np.nan
    if previous is not None:
        match = previous[previous["stage"] == current.loc[i, "stage"]]
        if not match.empty:
            prev_drop = float(match["drop_off"].iloc[0])
    drop = float(current.loc[i, "drop_off"])
    return {"from_stage": current.loc[i - 1, "stage"], "to_stage": current.loc[i, "stage"],
            "entered": int(entered[i]), "drop_off": drop,
            "previous_drop_off": prev_drop, "change": drop - prev_drop}


