"""Where did a revenue change come from? Volume, conversion, deal size and channel mix.

Revenue is a product of factors, ``leads × Σ_c share_c × conversion_c × deal_c``. A change
between two periods is split with the Shapley value over the factors: each factor's effect
is its average contribution over every order in which the factors can change. The effects
sum *exactly* to the total change, whatever the sizes of the changes, with no residual
("interaction") term, and zeros (a new channel, a quarter without customers) need no
special case.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

__all__ = ["FACTORS", "shapley_effects", "revenue_decomposition"]

#: Factors of revenue in the decomposition, in display order.
FACTORS = ("volume", "mix", "conversion", "deal_size")


def shapley_effects(before: dict[str, np.ndarray], after: dict[str, np.ndarray],
                    value) -> dict[str, float]:
    """Shapley split of ``value(after) − value(before)`` over the factors.

    Parameters
    ----------
    before, after : dict of str to array
        Factor name -> values in each state (same keys).
    value : callable
        ``value(factors: dict) -> float``.

    Returns
    -------
    dict of str to float
        Factor -> effect; the effects sum to the total change.

    Examples
    --------
    >>> f = lambda x: float(x["a"] * x["b"])
    >>> shapley_effects({"a": 2, "b": 3}, {"a": 4, "b": 3}, f)
    {'a': 6.0, 'b': 0.0}
    """
    names = list(before)
    n = len(names)
    effects = dict.fromkeys(names, 0.0)
    for name in names:
        others = [x for x in names if x != name]
        for size in range(n):
            weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            for changed in itertools.combinations(others, size):
                state = {x: after[x] if x in changed else before[x] for x in names}
                without = value(state)
                state[name] = after[name]
                effects[name] += weight * (value(state) - without)
    return effects


def _factors(bc: pd.DataFrame, channels: pd.Index) -> dict[str, np.ndarray]:
    rows = bc.set_index("channel").reindex(channels)
    leads = rows["leads"].fillna(0).to_numpy(float)
    customers = rows["customers"].fillna(0).to_numpy(float)
    revenue = rows["revenue"].fillna(0).to_numpy(float)
    total = leads.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, leads / total, 0.0)
        conv = np.where(leads > 0, customers / leads, 0.0)
        deal = np.where(customers > 0, revenue / customers, 0.0)
    return {"volume": np.array(total), "mix": share, "conversion": conv, "deal_size": deal}


def _revenue(f: dict[str, np.ndarray]) -> float:
    return float(f["volume"] * np.sum(f["mix"] * f["conversion"] * f["deal_size"]))


def revenue_decomposition(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """Split the revenue change between two channel scorecards into effects.

    Parameters
    ----------
    now, before : DataFrame
        ``channel, leads, customers, revenue`` (e.g. :func:`leadroi.metrics.by_channel` of
        this and the comparison period), one row per channel.

    Returns
    -------
    pandas.DataFrame
        ``effect`` (``before``, the :data:`FACTORS`, ``now``), ``value`` (revenue for
        ``before``/``now``, the effect otherwise) and ``share`` (of the total change). The
        factor rows sum exactly to ``now − before``.
    """
    channels = pd.Index(now["channel"]).union(pd.Index(before["channel"]))
    f0, f1 = _factors(before, channels), _factors(now, channels)
    effects = shapley_effects(f0, f1, _revenue)
    start, end = _revenue(f0), _revenue(f1)
    change = end - start
    rows = [("before", start)] + [(k, effects[k]) for k in FACTORS] + [("now", end)]
    out = pd.DataFrame(rows, columns=["effect", "value"])
    factor = out["effect"].isin(FACTORS)
    out["share"] = np.where(factor & (change != 0), out["value"] / change if change else 0,
                            np.nan)
    return out
