"""Charts of the attribution section: model comparison and ROI by model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from leadroi.i18n import Catalogue, catalogue
from leadroi.report.charts._base import ALERT as _ALERT
from leadroi.report.charts._base import GREY as _GREY
from leadroi.report.charts._base import _ax, _pct_axis, _tidy
from leadroi.report.formats import Formatter


def plot_attribution_models(shares: pd.DataFrame, *, intervals: pd.DataFrame | None = None,
                            labels: dict[str, str] | None = None,
                            fmt: Formatter | None = None, t: Catalogue | None = None,
                            ax: Axes | None = None) -> Axes:
    """Share of credit each model gives each channel: one row per channel, one marker
    per model, a grey bar from the lowest to the highest share, 95% whiskers where the
    bootstrap gave an interval.

    Parameters
    ----------
    shares : DataFrame
        ``channel, model, share``; channels are drawn in the given order, top first.
    intervals : DataFrame, optional
        ``channel, model, low, high``.
    labels : dict, optional
        Model name -> legend label.
    """
    fmt, t = fmt or Formatter(), t or catalogue("en")
    channels = list(dict.fromkeys(shares["channel"]))
    ax = _ax(ax, figsize=(7.2, max(2.4, 0.34 * len(channels) + 1.0)))
    models = list(dict.fromkeys(shares["model"]))
    y = {c: len(channels) - 1 - i for i, c in enumerate(channels)}
    spread = shares.groupby("channel")["share"].agg(["min", "max"])
    for c in channels:
        ax.plot([spread.loc[c, "min"], spread.loc[c, "max"]], [y[c], y[c]], color="#dddddd",
                lw=7, solid_capstyle="round", zorder=1)
    # models with intervals (the data-driven ones) in dark tones, the others in colour
    emphasis = [] if intervals is None else list(dict.fromkeys(intervals["model"]))
    base = [c for i, c in enumerate(sns.color_palette("colorblind", 10)) if i not in (7, 8)]
    dark = ["#222222", "#777777", "#444444"]
    colours, k = [], 0
    for m in models:
        if m in emphasis:
            colours.append(dark[emphasis.index(m) % len(dark)])
        else:
            colours.append(base[k % len(base)])
            k += 1
    markers = "oDs^vP*XhpH"
    step = 0.5 / max(len(models), 1)
    for i, m in enumerate(models):
        rows = shares[shares["model"] == m]
        ys = np.array([y[c] for c in rows["channel"]]) + (i - (len(models) - 1) / 2) * step
        ax.scatter(rows["share"], ys, s=34 if m in emphasis else 22,
                   marker=markers[i % len(markers)], color=colours[i], zorder=3,
                   label=(labels or {}).get(m, m))
        if intervals is not None and len(intervals):
            iv = intervals[intervals["model"] == m].set_index("channel").reindex(rows["channel"])
            ok = iv["low"].notna().to_numpy()
            if ok.any():
                lo = (rows["share"].to_numpy() - iv["low"].to_numpy()).clip(min=0)
                hi = (iv["high"].to_numpy() - rows["share"].to_numpy()).clip(min=0)
                ax.errorbar(rows["share"].to_numpy()[ok], ys[ok],
                            xerr=np.vstack([lo[ok], hi[ok]]), fmt="none",
                            ecolor=colours[i], elinewidth=1, capsize=2, zorder=2)
    ax.set_yticks([y[c] for c in channels], channels)
    ax.set_ylim(-0.7, len(channels) - 0.3)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    _pct_axis(ax, fmt, "x")
    ax.set_xlabel(t("chart.attribution_share_axis"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=7)
    _tidy(ax)
    return ax


def plot_roi_by_model(verdict: pd.DataFrame, *, palette: dict, overall: float | None = None,
                      fmt: Formatter | None = None, t: Catalogue | None = None,
                      ax: Axes | None = None) -> Axes:
    """ROI per channel under last touch (hollow) and the consensus of the models (filled),
    an arrow between them and a grey bar over the range the models give.

    Parameters
    ----------
    verdict : DataFrame
        ``channel, roi_baseline, roi_consensus, roi_low, roi_high``
        (:func:`leadroi.attribution.verdict.verdict`); channels drawn in the given order,
        top first.
    overall : float, optional
        ROI of all channels together, drawn as a dashed line.
    """
    fmt, t = fmt or Formatter(), t or catalogue("en")
    data = verdict[verdict["roi_consensus"].notna()]
    ax = _ax(ax, figsize=(7.2, max(2.4, 0.34 * len(data) + 1.0)))
    y = np.arange(len(data))[::-1]
    ax.hlines(y, data["roi_low"], data["roi_high"], color="#dddddd", lw=7, zorder=1)
    colours = [palette.get(c, _GREY) for c in data["channel"]]
    for yi, a, b in zip(y, data["roi_baseline"], data["roi_consensus"]):
        if np.isfinite(a) and np.isfinite(b) and abs(b - a) > 1e-9:
            ax.annotate("", xy=(b, yi), xytext=(a, yi), zorder=2,
                        arrowprops={"arrowstyle": "->", "color": "#555555", "lw": 1})
    ax.scatter(data["roi_baseline"], y, s=36, facecolors="white", edgecolors="#333333",
               zorder=3, label=t("chart.attribution_last_touch"))
    ax.scatter(data["roi_consensus"], y, s=46, c=colours, edgecolors="#333333", zorder=4,
               label=t("chart.attribution_consensus"))
    ax.axvline(0, color="#333333", lw=0.8)
    if overall is not None and np.isfinite(overall):
        ax.axvline(overall, color=_ALERT, lw=0.8, ls="--")
        ax.text(overall, len(data) - 0.45, " " + t("chart.attribution_overall"), fontsize=7,
                color=_ALERT)
    ax.set_yticks(y, data["channel"])
    ax.set_ylim(-0.7, len(data) - 0.1)
    _pct_axis(ax, fmt, "x")
    ax.set_xlabel(t("chart.roi_axis"))
    ax.legend(loc="lower right", frameon=False, fontsize=7)
    _tidy(ax)
    return ax
