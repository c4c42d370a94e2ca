"""Run the registered models on journeys: :func:`attribute` → :class:`Credit`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leadroi.attribution.chain import Chain
from leadroi.attribution.heuristics import touch_credit
from leadroi.attribution.paths import CONVERSION, NULL, START, Journeys, transition_counts
from leadroi.attribution.registry import Settings, resolve_models
from leadroi.stats import safe_div

__all__ = ["Credit", "attribute", "chain_credit"]


@dataclass
class Credit:
    """Credit of each model by channel.

    Attributes
    ----------
    table : DataFrame
        Long: ``model, channel, conversions, value, conversions_share, value_share``;
        every (model, channel) pair present, in model then channel order.
    models : list of str
    channels : list of str
    totals : dict
        ``journeys, touches, conversions, value, nulls, paths`` of the journeys.
    has_value : bool
        False when the input had no conversion value (``value`` is then NaN).
    chain : Chain or None
        The fitted journey chain, when a chain model ran.
    """

    table: pd.DataFrame
    models: list[str]
    channels: list[str]
    totals: dict
    has_value: bool = True
    chain: Chain | None = None

    def wide(self, column: str = "conversions") -> pd.DataFrame:
        """``column`` as channel rows × model columns."""
        out = self.table.pivot(index="channel", columns="model", values=column)
        return out.reindex(index=self.channels, columns=self.models)

    def to_dict(self) -> dict:
        """``{model: {channel: {"conversions": x, "value": y}}}`` (value None if absent)."""
        out: dict = {}
        for row in self.table.itertuples(index=False):
            value = float(row.value) if self.has_value else None
            out.setdefault(row.model, {})[row.channel] = {
                "conversions": float(row.conversions), "value": value}
        return out


def chain_credit(chain: Chain, models, settings: Settings) -> pd.DataFrame:
    """Credit of chain models (first chain of a batch) as a long frame."""
    frames = []
    for m in models:
        credit = m.func(chain, settings)[0]
        frames.append(pd.DataFrame({"model": m.name, "channel": chain.channels,
                                    "conversions": credit[:, 0], "value": credit[:, 1]}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["model", "channel", "conversions", "value"])


def attribute(journeys: Journeys, models: Iterable[str] | None = None,
              settings: Settings | None = None) -> Credit:
    """Credit conversions and value to channels under each model.

    Parameters
    ----------
    journeys : Journeys
    models : iterable of str, optional
        Registered model names; default all, in registry order.
    settings : Settings, optional

    Returns
    -------
    Credit
        Each model's credit adds up to the journeys' actual conversions and value.

    Raises
    ------
    ParamsError
        An unknown model name.
    """
    settings = settings or Settings()
    chosen = resolve_models(models)
    touch = [m for m in chosen if m.kind == "touch"]
    chained = [m for m in chosen if m.kind == "chain"]
    counts = transition_counts(journeys)
    chain = Chain.from_counts(counts) if len(counts) else None
    frames = [touch_credit(journeys, touch, settings)]
    if chained and chain is not None:
        frames.append(chain_credit(chain, chained, settings))
    long = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(
        len(f) for f in frames) else frames[0]
    channels = sorted((set(counts["from"]) | set(counts["to"])) - {START, CONVERSION, NULL})
    names = [m.name for m in chosen]
    grid = pd.MultiIndex.from_product([names, channels], names=["model", "channel"])
    table = long.groupby(["model", "channel"])[["conversions", "value"]].sum() \
        .reindex(grid, fill_value=0.0).reset_index()
    totals = journeys.totals()
    if not journeys.has_value:
        table["value"] = np.nan
    for col in ("conversions", "value"):
        table[f"{col}_share"] = safe_div(table[col], totals[col])
    return Credit(table=table, models=names, channels=channels, totals=totals,
                  has_value=journeys.has_value, chain=chain)
