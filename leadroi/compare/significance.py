"""Is a change in a rate real? One test for any two groups: two quarters, two strategies,
two content assets, a campaign and its benchmark.

The two-proportion z-test (pooled variance) gives a p-value; the Beta(1, 1) posteriors of
both rates give the probability that B's rate is higher than A's. Both are turned into one
plain verdict: ``likely_real``, ``could_be_noise`` or ``too_few`` (a group under
``min_n`` trials is never judged).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["VERDICTS", "RATES", "rate_test", "rate_tests", "group_tests", "verdict_of"]

#: Verdicts, in the catalogue under ``compare.verdict.<name>``.
VERDICTS = ("likely_real", "could_be_noise", "too_few")
#: rate -> (successes column, trials column or sum of columns) of a drill-down row.
RATES = {"conversion_rate": ("customers", ("leads",)),
         "win_rate": ("customers", ("customers", "lost")),
         "mql_to_sql": ("sqls", ("mqls",))}


def _norm_sf(z: float) -> float:
    """P(Z > z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2))


def verdict_of(p_value: float, n_a: float, n_b: float, *, min_n: int = 30,
               alpha: float = 0.05) -> str:
    """``too_few`` under ``min_n`` trials in either group, else ``likely_real`` when
    ``p_value < alpha``, else ``could_be_noise``."""
    if not (n_a >= min_n and n_b >= min_n) or math.isnan(p_value):
        return "too_few"
    return "likely_real" if p_value < alpha else "could_be_noise"


def rate_test(k_a: float, n_a: float, k_b: float, n_b: float, *, min_n: int = 30,
              alpha: float = 0.05) -> dict:
    """Compare the rates ``k_a / n_a`` (A, e.g. last quarter) and ``k_b / n_b`` (B).

    Parameters
    ----------
    k_a, n_a, k_b, n_b : float
        Successes and trials of each group.
    min_n : int
        Fewer trials in either group: ``too_few`` whatever the numbers.
    alpha : float
        Two-sided significance level of ``likely_real``.

    Returns
    -------
    dict
        ``rate_a, rate_b, diff`` (B − A), ``z, p_value`` (two-sided), ``prob_b_better``
        (posterior probability that B's rate is higher) and ``verdict``.

    Examples
    --------
    >>> r = rate_test(50, 1000, 80, 1000)
    >>> round(r["p_value"], 4), r["verdict"]
    (0.0055, 'likely_real')
    """
    k_a, n_a, k_b, n_b = (float(x) for x in (k_a, n_a, k_b, n_b))
    nan = float("nan")
    rate_a = k_a / n_a if n_a > 0 else nan
    rate_b = k_b / n_b if n_b > 0 else nan
    z = p_value = prob = nan
    if n_a > 0 and n_b > 0:
        pooled = (k_a + k_b) / (n_a + n_b)
        se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
        z = (rate_b - rate_a) / se if se > 0 else 0.0
        p_value = 2 * _norm_sf(abs(z)) if se > 0 else 1.0
        prob = _prob_better(k_a, n_a, k_b, n_b)
    return {"rate_a": rate_a, "rate_b": rate_b, "diff": rate_b - rate_a, "z": z,
            "p_value": p_value, "prob_b_better": prob,
            "verdict": verdict_of(p_value, n_a, n_b, min_n=min_n, alpha=alpha)}


def _prob_better(k_a: float, n_a: float, k_b: float, n_b: float) -> float:
    """P(rate B > rate A) under Beta(1 + k, 1 + n − k) posteriors (normal approximation,
    accurate for the group sizes the verdict judges)."""
    def moments(k, n):
        a, b = 1 + k, 1 + n - k
        return a / (a + b), a * b / ((a + b) ** 2 * (a + b + 1))
    mean_a, var_a = moments(k_a, n_a)
    mean_b, var_b = moments(k_b, n_b)
    return 1 - _norm_sf((mean_b - mean_a) / math.sqrt(var_a + var_b))


def rate_tests(frame: pd.DataFrame, *, k_a: str, n_a: str, k_b: str, n_b: str,
               min_n: int = 30, alpha: float = 0.05) -> pd.DataFrame:
    """:func:`rate_test` on every row of ``frame`` (columns named by the arguments).

    Returns
    -------
    pandas.DataFrame
        ``frame`` with ``diff, p_value, prob_b_better, verdict`` added.
    """
    rows = [rate_test(r[k_a], r[n_a], r[k_b], r[n_b], min_n=min_n, alpha=alpha)
            for _, r in frame.fillna({k_a: 0, n_a: 0, k_b: 0, n_b: 0}).iterrows()]
    cols = ["diff", "p_value", "prob_b_better", "verdict"]
    out = pd.DataFrame(rows, index=frame.index, columns=["rate_a", "rate_b", "z"] + cols)
    return frame.assign(**{c: out[c] for c in cols})


def _counts(row: pd.Series, rate: str) -> tuple[float, float]:
    k, trials = RATES[rate]
    return float(row[k]), float(sum(row[c] for c in trials))


def group_tests(drill: pd.DataFrame, *, rate: str = "conversion_rate", min_n: int = 30,
                alpha: float = 0.05) -> pd.DataFrame:
    """Each group of a drill-down against all the other groups of the same dimension.

    Parameters
    ----------
    drill : DataFrame
        A :func:`leadroi.metrics.drilldown` (last row: all leads).
    rate : str
        A key of :data:`RATES`.

    Returns
    -------
    pandas.DataFrame
        ``group, successes, trials, rate, rest_rate, diff, lift`` (relative), ``p_value,
        prob_better, verdict``; best rate first. Groups without trials are left out.
    """
    body, total = drill.iloc[:-1], drill.iloc[-1]
    k_all, n_all = _counts(total, rate)
    rows = []
    for _, row in body.iterrows():
        k, n = _counts(row, rate)
        if n <= 0:
            continue
        test = rate_test(k_all - k, n_all - n, k, n, min_n=min_n, alpha=alpha)
        rows.append({"group": row["group"], "successes": k, "trials": n,
                     "rate": test["rate_b"], "rest_rate": test["rate_a"],
                     "diff": test["diff"], "lift": test["diff"] / test["rate_a"]
                     if test["rate_a"] else np.nan, "p_value": test["p_value"],
                     "prob_better": test["prob_b_better"], "verdict": test["verdict"]})
    cols = ["group", "successes", "trials", "rate", "rest_rate", "diff", "lift", "p_value",
            "prob_better", "verdict"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values("rate", ascending=False, kind="stable").reset_index(drop=True)
