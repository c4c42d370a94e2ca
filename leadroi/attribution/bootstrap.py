"""Bootstrap intervals on the shares the data-driven models give each channel.

Journeys are resampled with replacement (Poisson bootstrap: each distinct journey type's
converting and non-converting counts are drawn from Poisson distributions with those
means, the usual large-sample form of resampling journeys, drawn ``CHUNK`` resamples at a
time so that memory does not grow with resamples x journey types), the chain is refitted
on every resample — all resamples solved together as one batch — and the 2.5% and 97.5%
quantiles of each channel's share give a 95% interval. A wide interval means the credit
rests on few journeys: read that channel's credit as unstable.

Values of converting journeys are resampled with their journey type (its mean value per
conversion). Shapley values on a resample are exact up to ``EXACT_MAX`` channels and
estimated from ``SAMPLED_ORDERS`` random orders beyond, which keeps the cost of a
resample near that of a point estimate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import numpy as np
import pandas as pd

from leadroi.attribution.chain import Chain
from leadroi.attribution.paths import Journeys, PathTypes, path_types
from leadroi.attribution.registry import Settings, resolve_models

__all__ = ["bootstrap_shares", "chain_batch", "EXACT_MAX", "SAMPLED_ORDERS"]

EXACT_MAX = 10
SAMPLED_ORDERS = 200
_COLUMNS = ["model", "channel", "metric", "low", "high"]


def chain_batch(types: PathTypes, converted: np.ndarray, lost: np.ndarray) -> Chain:
    """Chains fitted on weighted journey types, one per row of the weights.

    Parameters
    ----------
    types : PathTypes
    converted, lost : ndarray, shape (B, P)
        Weight of each type's converting and non-converting journeys.
    """
    return _chain(types, [_sums(_Layout(types), converted, lost)])


class _Layout:
    """Where each journey type's steps go in the transition counts (computed once for
    all resamples)."""

    def __init__(self, types: PathTypes) -> None:
        self.size = size = len(types.channels) + 1
        lengths = np.diff(types.offsets)
        owner = np.repeat(np.arange(len(types)), lengths)
        state = types.codes + 1
        prev = np.concatenate([[0], state[:-1]])
        prev[types.offsets[:-1][lengths > 0]] = 0  # every path starts from start
        moves = prev != state
        edge = prev[moves] * size + state[moves]
        key, self.mult = np.unique(edge * len(types) + owner[moves], return_counts=True)
        self.edge, self.owner = key // len(types), key % len(types)
        self.last = state[types.offsets[1:] - 1]
        self.per_conversion = np.divide(types.value, types.conversions,
                                        out=np.zeros_like(types.value),
                                        where=types.conversions > 0)


def _sums(lay: _Layout, converted: np.ndarray, lost: np.ndarray) -> tuple[np.ndarray, ...]:
    """Transition counts, conversions, value and nulls of each row of weights."""
    batch, size = converted.shape[0], lay.size
    counts = np.zeros((batch, size * size))
    conv, val, nulls = (np.zeros((batch, size)) for _ in range(3))
    for b in range(batch):
        both = converted[b] + lost[b]
        counts[b] = np.bincount(lay.edge, weights=lay.mult * both[lay.owner],
                                minlength=size * size)
        conv[b] = np.bincount(lay.last, weights=converted[b], minlength=size)
        val[b] = np.bincount(lay.last, weights=converted[b] * lay.per_conversion,
                             minlength=size)
        nulls[b] = np.bincount(lay.last, weights=lost[b], minlength=size)
    return counts.reshape(batch, size, size), conv, val, nulls


def _chain(types: PathTypes, parts: list[tuple[np.ndarray, ...]]) -> Chain:
    return Chain(types.channels, *(np.concatenate(arrays) for arrays in zip(*parts)))


#: Resamples drawn at a time: memory holds CHUNK x (journey types) weights, not all of them
CHUNK = 16


def bootstrap_shares(journeys: Journeys, *, models: Iterable[str] = ("markov", "shapley"),
                     resamples: int = 200, seed: int = 2026,
                     settings: Settings | None = None) -> pd.DataFrame:
    """95% bootstrap intervals of each chain model's share of credit per channel.

    Parameters
    ----------
    journeys : Journeys
    models : iterable of str
        Chain models to resample (touch models are left out: their credit is a sum over
        journeys, stable by construction).
    resamples : int
        Number of bootstrap resamples; 0 gives an empty frame.
    seed : int
    settings : Settings, optional

    Returns
    -------
    DataFrame
        ``model, channel, metric (conversions|value), low, high``.
    """
    settings = settings or Settings()
    names = list(models)
    chosen = [m for m in resolve_models(names) if m.kind == "chain"] if names else []
    if resamples <= 0 or not chosen:
        return pd.DataFrame(columns=_COLUMNS)
    types = path_types(journeys)
    if len(types) == 0 or types.conversions.sum() <= 0:
        return pd.DataFrame(columns=_COLUMNS)
    rng, lay, parts = np.random.default_rng(seed), _Layout(types), []
    for start in range(0, resamples, CHUNK):
        n = min(CHUNK, resamples - start)
        converted = rng.poisson(types.conversions, size=(n, len(types))).astype(float)
        lost = rng.poisson(types.nulls, size=(n, len(types))).astype(float)
        parts.append(_sums(lay, converted, lost))
    chains = _chain(types, parts)
    light = replace(settings, shapley_exact_max=min(settings.shapley_exact_max, EXACT_MAX),
                    shapley_samples=min(settings.shapley_samples, SAMPLED_ORDERS))
    frames = []
    for m in chosen:
        credit = m.func(chains, light)  # (B, n, 2)
        total = credit.sum(axis=1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(total > 0, credit / total, np.nan)
        low = np.nanquantile(share, 0.025, axis=0)
        high = np.nanquantile(share, 0.975, axis=0)
        for i, metric in enumerate(("conversions", "value")):
            frames.append(pd.DataFrame({"model": m.name, "channel": types.channels,
                                        "metric": metric, "low": low[:, i],
                                        "high": high[:, i]}))
    return pd.concat(frames, ignore_index=True)
