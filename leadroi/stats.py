"""Small statistics helpers: Wilson intervals and safe division."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["wilson_interval", "safe_div", "Z95"]

Z95 = 1.959963984540054


def wilson_interval(successes, trials, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial proportion.

    Parameters
    ----------
    successes, trials : array-like of int
        Counts; where ``trials`` is 0 the interval is NaN.
    z : float
        Normal quantile; the default gives a 95% interval.

    Returns
    -------
    (low, high) : tuple of numpy arrays

    Examples
    --------
    >>> low, high = wilson_interval([5], [10])
    >>> round(float(low[0]), 4), round(float(high[0]), 4)
    (0.2366, 0.7634)
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    low = np.where(n > 0, np.clip(centre - half, 0, 1), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0, 1), np.nan)
    return low, high


def safe_div(numerator, denominator):
    """``numerator / denominator``, NaN (never inf) where the denominator is 0 or missing."""
    num = pd.to_numeric(numerator, errors="coerce")
    den = pd.to_numeric(denominator, errors="coerce")
    if np.ndim(num) == 0 and np.ndim(den) == 0:
        return float(num) / float(den) if den and not pd.isna(den) else float("nan")
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    return np.where((den == 0) | np.isnan(den), np.nan, out)
