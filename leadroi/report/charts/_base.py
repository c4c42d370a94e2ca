"""Shared pieces of the charts: the channel palette, axes and axis formatters."""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from leadroi.report.formats import Formatter

FIGSIZE = (7.2, 3.4)
GREY = "#9a9a9a"
ALERT = "#d55e00"


def channel_palette(channels: Iterable[str]) -> dict[str, tuple]:
    """A fixed colour per channel (sorted by name), from seaborn's colour-blind palette."""
    names = sorted(set(channels))
    base = sns.color_palette("colorblind", 10)
    colours = base if len(names) <= 10 else sns.color_palette("husl", len(names))
    return {name: colours[i % len(colours)] for i, name in enumerate(names)}


def _ax(ax: Axes | None, figsize=FIGSIZE) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def _money_axis(ax: Axes, fmt: Formatter, axis: str = "y") -> None:
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _: fmt.compact(v)))


def _pct_axis(ax: Axes, fmt: Formatter, axis: str = "y", digits: int = 0) -> None:
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _: fmt.pct(v, digits)))


def _tidy(ax: Axes) -> None:
    sns.despine(ax=ax)
    ax.set_title("")
