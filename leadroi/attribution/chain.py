"""The journey Markov chain (order 1), solved exactly as an absorbing chain.

States: ``start``, one per channel, and the absorbing ``conversion`` and ``null``. The
transition probabilities are the maximum-likelihood estimates from transition counts.
With ``Q`` the transitions among transient states (start and channels) and ``r`` the
probability of stepping into conversion, the fundamental matrix ``N = (I - Q)^-1`` gives
everything at once:

* the probability of converting from state ``i`` is ``(N r)_i``; from ``start`` it equals
  the observed conversions per journey exactly (the estimated chain reproduces them);
* the probability of ever visiting channel ``k`` from start is ``h_k = N[start, k] /
  N[k, k]``;
* a journey only converts at its end, so the conversions lost when ``k`` is removed
  (its visits redirected to null) are those of journeys visiting ``k``:
  ``h_k (N r)_k``. The removal effect is that share of all conversions.

Conversion value works the same way with ``r_i`` = probability of converting from ``i``
times the mean value of conversions whose last touch is ``i``. ChannelAttribution
estimates the same quantities by simulating journeys; here they are solved, so there is
no simulation noise and no cap on journey length.

Every array carries a leading batch axis (bootstrap resamples solve in one call).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadroi.attribution.paths import CONVERSION, NULL, START

__all__ = ["Chain"]


class Chain:
    """An absorbing journey chain, possibly a batch of them over the same channels.

    Parameters
    ----------
    channels : list of str
        Channel names; state ``i + 1`` is ``channels[i]``, state 0 is start.
    counts : ndarray, shape (B, S, S)
        Transition counts among start and channels, ``S = len(channels) + 1``.
    conversions, value, nulls : ndarray, shape (B, S)
        Counts of steps into conversion, their total value, and steps into null.
    """

    def __init__(self, channels: list[str], counts: np.ndarray, conversions: np.ndarray,
                 value: np.ndarray, nulls: np.ndarray) -> None:
        counts = np.array(counts, dtype=float, ndmin=3)
        size = counts.shape[-1]
        counts[:, np.arange(size), np.arange(size)] = 0.0  # self-loops do not matter
        conversions = np.array(conversions, dtype=float, ndmin=2)
        value = np.array(value, dtype=float, ndmin=2)
        nulls = np.array(nulls, dtype=float, ndmin=2)
        out = counts.sum(axis=-1) + conversions + nulls
        safe = np.where(out > 0, out, 1.0)
        self.channels = list(channels)
        self.P = counts / safe[..., None]
        self.r = np.stack([conversions / safe, value / safe], axis=-1)
        self.journeys = out[:, 0]

    @property
    def n(self) -> int:
        """Number of channels."""
        return len(self.channels)

    @property
    def batch(self) -> int:
        return self.P.shape[0]

    @classmethod
    def from_counts(cls, counts: pd.DataFrame) -> Chain:
        """The chain of a :func:`~leadroi.attribution.paths.transition_counts` frame."""
        names = set(counts["from"]) | set(counts["to"])
        channels = sorted(names - {START, CONVERSION, NULL})
        index = {START: 0, **{c: i + 1 for i, c in enumerate(channels)}}
        size = len(channels) + 1
        mat = np.zeros((size, size))
        conv, val, nul = np.zeros(size), np.zeros(size), np.zeros(size)
        src = counts["from"].map(index).to_numpy()
        moves = ~counts["to"].isin([CONVERSION, NULL]).to_numpy()
        dst = counts.loc[moves, "to"].map(index).to_numpy()
        np.add.at(mat, (src[moves], dst), counts.loc[moves, "count"].to_numpy(float))
        into = (counts["to"] == CONVERSION).to_numpy()
        np.add.at(conv, src[into], counts.loc[into, "count"].to_numpy(float))
        np.add.at(val, src[into], counts.loc[into, "value"].to_numpy(float))
        lost = (counts["to"] == NULL).to_numpy()
        np.add.at(nul, src[lost], counts.loc[lost, "count"].to_numpy(float))
        return cls(channels, mat, conv, val, nul)

    def totals(self) -> np.ndarray:
        """Expected conversions and value of all journeys, shape (B, 2).

        Equal to the observed totals for a chain fitted from complete journeys.
        """
        size = self.P.shape[-1]
        x = np.linalg.solve(np.eye(size) - self.P, self.r)
        return x[:, 0, :] * self.journeys[:, None]

    def removal_effects(self) -> np.ndarray:
        """Share of conversions (and of value) lost when each channel is removed.

        Returns
        -------
        ndarray, shape (B, n, 2)
            ``[..., 0]`` on conversions, ``[..., 1]`` on value; 0 where nothing converts.
        """
        size = self.P.shape[-1]
        fundamental = np.linalg.inv(np.eye(size) - self.P)
        diag = np.diagonal(fundamental, axis1=1, axis2=2)
        visit = fundamental[:, 0, :] / diag
        worth = fundamental @ self.r  # (B, S, 2)
        total = worth[:, 0, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            effect = visit[..., None] * worth / total[:, None, :]
        effect = np.where(total[:, None, :] > 0, effect, 0.0)
        return np.clip(effect[:, 1:, :], 0.0, 1.0)

    def coalition_values(self, members: np.ndarray) -> np.ndarray:
        """Expected conversions and value when only some channels exist.

        The channels left out are removed (journeys reaching them end in null).

        Parameters
        ----------
        members : ndarray of bool, shape (M, n)
            Each row a coalition of channels.

        Returns
        -------
        ndarray, shape (B, M, 2)
            Expected conversions and value of all journeys under each coalition.
        """
        members = np.asarray(members, dtype=bool)
        out = np.zeros((self.batch, len(members), 2))
        sizes = members.sum(axis=1)
        for k in np.unique(sizes):
            if k == 0:
                continue
            rows = np.flatnonzero(sizes == k)
            chosen = np.nonzero(members[rows])[1].reshape(len(rows), k) + 1
            states = np.concatenate([np.zeros((len(rows), 1), dtype=int), chosen], axis=1)
            out[:, rows, :] = self._solve_from_start(states)
        return out * self.journeys[:, None, None]

    def _solve_from_start(self, states: np.ndarray) -> np.ndarray:
        """Conversion probability and value per journey from start, restricted to
        ``states`` (shape (M, k)), for every chain of the batch: shape (B, M, 2)."""
        sub = self.P[:, states[:, :, None], states[:, None, :]]  # (B, M, k, k)
        rhs = self.r[:, states, :]  # (B, M, k, 2)
        k = states.shape[1]
        x = np.linalg.solve(np.eye(k) - sub, rhs)
        return x[:, :, 0, :]

    def ordered_values(self, orders: np.ndarray) -> np.ndarray:
        """Values of growing coalitions along channel orders.

        Parameters
        ----------
        orders : ndarray of int, shape (M, n)
            Each row a permutation of channel indices.

        Returns
        -------
        ndarray, shape (B, M, n + 1, 2)
            ``[:, m, k]``: value of the first ``k`` channels of order ``m`` (0 for none).
        """
        orders = np.asarray(orders, dtype=int)
        m, n = orders.shape
        out = np.zeros((self.batch, m, n + 1, 2))
        for k in range(1, n + 1):
            states = np.concatenate([np.zeros((m, 1), dtype=int), orders[:, :k] + 1], axis=1)
            out[:, :, k, :] = self._solve_from_start(states)
        return out * self.journeys[:, None, None, None]
