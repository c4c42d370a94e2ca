"""Charts of section 1 (input): spend by month and channel, leads by channel and month."""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from leadroi.i18n import Catalogue, catalogue
from leadroi.report.charts._base import GREY as _GREY
from leadroi.report.charts._base import _ax, _money_axis, _tidy
from leadroi.report.formats import Formatter


def plot_spend_by_month(spend: pd.DataFrame, *, palette: dict, fmt: Formatter | None = None,
                        t: Catalogue | None = None, ax: Axes | None = None) -> Axes:
    """Stacked bars: spend per month, one segment per channel.

    Parameters
    ----------
    spend : DataFrame
        ``month, channel, amount`` (cost types are summed).
    palette : dict
        Channel -> colour.
    """
    fmt, t, ax = fmt or Formatter(), t or catalogue("en"), _ax(ax)
    wide = spend.pivot_table(index="month", columns="channel", values="amount",
                             aggfunc="sum", fill_value=0.0)
    order = wide.sum().sort_values(ascending=False).index
    bottom = np.zeros(len(wide))
    for channel in order:
        ax.bar(wide.index, wide[channel], bottom=bottom, label=channel,
               color=palette.get(channel, _GREY), width=0.6)
        bottom += wide[channel].to_numpy()
    _money_axis(ax, fmt)
    ax.set_ylabel(t("chart.spend_axis"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    _tidy(ax)
    return ax


def plot_leads_heatmap(monthly: pd.DataFrame, *, value: str = "leads",
                       fmt: Formatter | None = None, t: Catalogue | None = None,
                       ax: Axes | None = None) -> Axes:
    """Heatmap of channel × month: leads (or conversion), each cell labelled.

    Parameters
    ----------
    monthly : DataFrame
        ``month, channel`` and ``value`` (:func:`leadroi.metrics.leads_by_month`).
    value : {"leads", "conversion_rate"}
        The number shown; channels are ordered by their total (largest on top).
    """
    fmt, t = fmt or Formatter(), t or catalogue("en")
    wide = monthly.pivot_table(index="channel", columns="month", values=value,
                               aggfunc="sum", fill_value=0.0)
    wide = wide.loc[wide.sum(axis=1).sort_values(ascending=False).index]
    ax = _ax(ax, (7.2, max(2.2, 0.3 * len(wide) + 1.0)))
    label = (lambda v: fmt.pct(v, 1)) if value == "conversion_rate" else fmt.number
    annot = np.array([[label(v) for v in row] for row in wide.to_numpy()])
    sns.heatmap(wide, ax=ax, cmap="Blues", annot=annot, fmt="", linewidths=0.6,
                linecolor="white", cbar=False, annot_kws={"fontsize": 7})
    ax.set_xlabel(t("chart.month_axis"))
    ax.set_ylabel("")
    ax.tick_params(axis="both", length=0, labelsize=8)
    ax.set_yticklabels(ax.get_yticklabels(), rotation=0)
    ax.set_title("")
    return ax
