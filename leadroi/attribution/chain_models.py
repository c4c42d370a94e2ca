"""Data-driven models on the journey chain: Markov removal effect and Shapley value.

Both receive a :class:`~leadroi.attribution.chain.Chain` (possibly a batch of bootstrap
chains) and return credit of shape ``(B, n_channels, 2)`` (conversions, value) that adds
up to the chain's totals, which equal the observed totals.

**Shapley value.** The cooperative game is the journey chain itself: the worth ``v(S)`` of
a set of channels ``S`` is the number of conversions (or the value) the chain predicts
when only the channels of ``S`` exist, every other channel's visits ending in null. A
channel's Shapley value is its marginal contribution ``v(S + k) - v(S)`` averaged over all
orders in which channels can join; the values add up to ``v(all)``, the actual total, with
no renormalisation (unlike removal effects, which overlap and must be rescaled). This game
uses what simple "path-subset" games ignore — journeys that did not convert and the order
of touches (a path-subset game reduces algebraically to linear credit over the distinct
channels of each path).

Exact: ``v`` is solved for all ``2^n`` coalitions (batched small linear systems), up to
``Settings.shapley_exact_max`` channels (15 by default: 32,768 coalitions, well under a
second). Beyond, the value is estimated from ``Settings.shapley_samples`` random channel
orders (seeded): each order's marginal contributions add up exactly to the total, so the
credit still sums to the actuals; the estimate of a channel's credit has a standard error
of about its spread over orders divided by the square root of the number of orders.
"""

from __future__ import annotations

import math

import numpy as np

from leadroi.attribution.chain import Chain
from leadroi.attribution.registry import Settings, register

__all__ = ["markov", "shapley", "shapley_values"]


@register("markov", kind="chain")
def markov(chain: Chain, settings: Settings) -> np.ndarray:
    """Markov chain removal effect (exact), scaled so credit adds up to the totals."""
    effect = chain.removal_effects()
    total = effect.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, effect / total, 0.0)
    return share * chain.totals()[:, None, :]


@register("shapley", kind="chain")
def shapley(chain: Chain, settings: Settings) -> np.ndarray:
    """Shapley value of the journey chain: average marginal conversions of a channel."""
    return shapley_values(chain, exact_max=settings.shapley_exact_max,
                          samples=settings.shapley_samples, seed=settings.seed)


def shapley_values(chain: Chain, *, exact_max: int = 15, samples: int = 1000,
                   seed: int = 0) -> np.ndarray:
    """Shapley values of the chain game, exact or from random orders.

    Parameters
    ----------
    chain : Chain
    exact_max : int
        Largest number of channels solved exactly over all coalitions.
    samples : int
        Random orders used beyond ``exact_max`` channels.
    seed : int

    Returns
    -------
    ndarray, shape (B, n, 2)
    """
    n = chain.n
    if n == 0:
        return np.zeros((chain.batch, 0, 2))
    if n <= exact_max:
        return _exact(chain)
    return _sampled(chain, samples, seed)


def _exact(chain: Chain) -> np.ndarray:
    n = chain.n
    masks = np.arange(1 << n)
    bits = ((masks[:, None] >> np.arange(n)) & 1).astype(bool)
    worth = chain.coalition_values(bits)  # (B, 2^n, 2)
    size = bits.sum(axis=1)
    fact = [math.factorial(i) for i in range(n + 1)]
    weight = np.array([fact[s] * fact[n - s - 1] / fact[n] if s < n else 0.0
                       for s in range(n + 1)])
    out = np.zeros((chain.batch, n, 2))
    for k in range(n):
        without = masks[~bits[:, k]]
        gain = worth[:, without | (1 << k), :] - worth[:, without, :]
        out[:, k, :] = np.einsum("m,bmc->bc", weight[size[without]], gain)
    return out


def _sampled(chain: Chain, samples: int, seed: int) -> np.ndarray:
    n = chain.n
    rng = np.random.default_rng(seed)
    orders = np.argsort(rng.random((max(int(samples), 1), n)), axis=1)
    worth = chain.ordered_values(orders)  # (B, M, n + 1, 2)
    gain = np.diff(worth, axis=2)  # (B, M, n, 2): gain of the k-th channel of each order
    out = np.zeros((chain.batch, n, 2))
    for k in range(n):
        out[:, :, :] += _scatter(gain[:, :, k, :], orders[:, k], n)
    return out / len(orders)


def _scatter(gain: np.ndarray, channel: np.ndarray, n: int) -> np.ndarray:
    """Sum ``gain`` (B, M, 2) into channels ``channel`` (M,): shape (B, n, 2)."""
    onehot = np.zeros((len(channel), n))
    onehot[np.arange(len(channel)), channel] = 1.0
    return np.einsum("bmc,mn->bnc", gain, onehot)
