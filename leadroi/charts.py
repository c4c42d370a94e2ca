"""Charts of the report, one function each: data in, ``ax`` in, ``Axes`` out.

Functions never call ``plt.show()`` or ``savefig``; the view renders figures. Channels
keep one colour across every chart (:func:`channel_palette`, colour-blind-safe). Labels
come from the catalogue ``t`` and numbers from the formatter ``fmt``.
"""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from leadroi.formats import Formatter
from leadroi.i18n import Catalogue, catalogue

__all__ = ["channel_palette", "plot_spend_by_month", "plot_funnel", "plot_revenue_spend",
           "plot_roi", "plot_cost_quality", "plot_trend", "plot_stage_timeline",
           "plot_score_calibration", "plot_lost_pareto", "plot_ltv_cac",
           "plot_attribution_models", "plot_roi_by_model", "FIGSIZE"]

FIGSIZE = (7.2, 3.4)
_GREY = "#9a9a9a"
_ALERT = "#d55e00"


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


def plot_funnel(funnel: pd.DataFrame, *, highlight: str | None = None,
                fmt: Formatter | None = None, t: Catalogue | None = None,
                ax: Axes | None = None) -> Axes:
    """Horizontal funnel bars with each stage's conversion from the previous stage.

    Parameters
    ----------
    funnel : DataFrame
        :func:`leadroi.funnel.funnel` output.
    highlight : str, optional
        Stage to mark (the bottleneck's ``to_stage``).
    """
    fmt, t, ax = fmt or Formatter(), t or catalogue("en"), _ax(ax)
    labels = [t.get(f"stage.{s}", s) for s in funnel["stage"]]
    y = np.arange(len(funnel))[::-1]
    colours = [_ALERT if s == highlight else "#0173b2" for s in funnel["stage"]]
    ax.barh(y, funnel["leads"], color=colours, height=0.65)
    top = float(funnel["leads"].max() or 1)
    for yi, n, conv in zip(y, funnel["leads"], funnel["conversion_from_previous"]):
        text = fmt.number(n) if np.isnan(conv) else f"{fmt.number(n)}  ({fmt.pct(conv, 0)})"
        ax.text(n + top * 0.01, yi, text, va="center", fontsize=8)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, top * 1.25)
    ax.set_xlabel(t("chart.leads_axis"))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.compact(v)))
    _tidy(ax)
    return ax


def plot_revenue_spend(by_channel: pd.DataFrame, *, palette: dict,
                       fmt: Formatter | None = None, t: Catalogue | None = None,
                       ax: Axes | None = None) -> Axes:
    """Per channel, revenue (channel colour) beside spend (grey), largest revenue on top."""
    fmt, t, ax = fmt or Formatter(), t or catalogue("en"), _ax(ax)
    data = by_channel.sort_values("revenue")
    y = np.arange(len(data))
    ax.barh(y + 0.2, data["revenue"], height=0.38,
            color=[palette.get(c, _GREY) for c in data["channel"]], label=t("chart.revenue"))
    ax.barh(y - 0.2, data["spend"].fillna(0), height=0.38, color=_GREY,
            label=t("chart.spend"))
    ax.set_yticks(y, data["channel"])
    _money_axis(ax, fmt, "x")
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    _tidy(ax)
    return ax


def plot_roi(by_channel: pd.DataFrame, *, palette: dict, target: float = 0.0,
             fmt: Formatter | None = None, t: Catalogue | None = None,
             ax: Axes | None = None) -> Axes:
    """ROI per channel with its range as whiskers; channels too few to judge are faded."""
    fmt, t, ax = fmt or Formatter(), t or catalogue("en"), _ax(ax)
    data = by_channel[by_channel["roi"].notna()].sort_values("roi")
    y = np.arange(len(data))
    colours = [palette.get(c, _GREY) for c in data["channel"]]
    bars = ax.barh(y, data["roi"], color=colours, height=0.6)
    for bar, few in zip(bars, data["too_few"]):
        if few:
            bar.set_alpha(0.35)
            bar.set_hatch("//")
    err = np.vstack([(data["roi"] - data["roi_low"]).clip(lower=0),
                     (data["roi_high"] - data["roi"]).clip(lower=0)])
    ax.errorbar(data["roi"], y, xerr=err, fmt="none", ecolor="#333333", capsize=3, lw=1)
    ax.axvline(0, color="#333333", lw=0.8)
    ax.text(0, len(data) - 0.4, " " + t("chart.break_even"), fontsize=7, color="#333333")
    if target:
        ax.axvline(target, color=_ALERT, lw=0.8, ls="--")
        ax.text(target, -0.9, " " + t("chart.target"), fontsize=7, color=_ALERT)
    ax.set_yticks(y, data["channel"])
    _pct_axis(ax, fmt, "x")
    ax.set_xlabel(t("chart.roi_axis"))
    _tidy(ax)
    return ax


def plot_cost_quality(by_channel: pd.DataFrame, *, palette: dict,
                      fmt: Formatter | None = None, t: Catalogue | None = None,
                      ax: Axes | None = None) -> Axes:
    """Cost per lead against conversion; bubble area = revenue; median lines split the
    plane into four labelled quadrants."""
    fmt, t, ax = fmt or Formatter(), t or catalogue("en"), _ax(ax)
    data = by_channel[by_channel["cpl"].notna() & (by_channel["leads"] > 0)]
    if data.empty:
        return ax
    size = 60 + 1400 * data["revenue"] / max(float(data["revenue"].max()), 1.0)
    ax.scatter(data["cpl"], data["conversion_rate"], s=size, alpha=0.75,
               c=[palette.get(c, _GREY) for c in data["channel"]], edgecolor="white")
    labels = [ax.annotate(row["channel"], (row["cpl"], row["conversion_rate"]), fontsize=7,
                          xytext=(6, 6), textcoords="offset points", zorder=4)
              for _, row in data.iterrows()]
    xm, ym = float(data["cpl"].median()), float(data["conversion_rate"].median())
    ax.axvline(xm, color=_GREY, lw=0.8, ls=":")
    ax.axhline(ym, color=_GREY, lw=0.8, ls=":")
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.money(v)))
    ax.xaxis.set_minor_formatter(NullFormatter())
    _pct_axis(ax, fmt, "y", 1)
    ax.set_xlabel(t("chart.cpl_axis"))
    ax.set_ylabel(t("chart.conversion_axis"))
    corners = (("quadrant_cheap_good", 0.02, 0.97, "left", "top"),
               ("quadrant_costly_good", 0.98, 0.97, "right", "top"),
               ("quadrant_cheap_poor", 0.02, 0.03, "left", "bottom"),
               ("quadrant_costly_poor", 0.98, 0.03, "right", "bottom"))
    ax.margins(x=0.08, y=0.15)
    quadrants = [ax.text(x, yy, t(f"chart.{key}"), transform=ax.transAxes, ha=ha, va=va,
                         fontsize=7, color="#888888", zorder=1)
                 for key, x, yy, ha, va in corners]
    _dodge(ax, labels, fixed=quadrants)
    _tidy(ax)
    return ax


def _dodge(ax: Axes, labels: list, *, fixed: list = (), step: float = 9.0,
           rounds: int = 12) -> None:
    """Move point labels (vertically, in points) off each other and off ``fixed`` texts."""
    renderer = ax.figure.canvas.get_renderer()
    obstacles = [text.get_window_extent(renderer) for text in fixed]
    for label in labels:
        for _ in range(rounds):
            box = label.get_window_extent(renderer)
            hit = next((o for o in obstacles if box.overlaps(o)), None)
            if hit is None:
                break
            x, y = label.xyann
            label.xyann = (x, y + step if hit.y0 < ax.bbox.y0 + ax.bbox.height / 2
                           else y - step)
    for _ in range(rounds):
        boxes = [label.get_window_extent(renderer) for label in labels]
        moved = False
        for i in range(len(labels)):
            for j in range(i):
                if boxes[i].overlaps(boxes[j]):
                    lower = i if boxes[i].y0 <= boxes[j].y0 else j
                    x, y = labels[lower].xyann
                    labels[lower].xyann = (x, y - step)
                    boxes[lower] = labels[lower].get_window_extent(renderer)
                    moved = True
        if not moved:
            return


def plot_trend(trend: pd.DataFrame, *, target_roi: float | None = None,
               fmt: Formatter | None = None, t: Catalogue | None = None,
               ax: Axes | None = None) -> Axes:
    """Customers per quarter (bars) and ROI (line, right axis), each at the same age."""
    fmt, t, ax = fmt or Formatter(), t or catalogue("en"), _ax(ax)
    x = np.arange(len(trend))
    ax.bar(x, trend["customers"], color="#56b4e9", width=0.6, label=t("chart.customers"))
    ax.set_xticks(x, trend["period"])
    ax.set_ylabel(t("chart.customers"))
    handles = ax.get_legend_handles_labels()[0]
    if trend["roi"].notna().any():  # no spend, no ROI: customers only
        right = ax.twinx()
        right.plot(x, trend["roi"], color=_ALERT, marker="o", lw=1.8,
                   label=t("chart.roi_axis"))
        if target_roi is not None:
            right.axhline(target_roi, color=_ALERT, lw=0.8, ls="--")
        _pct_axis(right, fmt, "y")
        right.set_ylabel(t("chart.roi_axis"))
        low = min(0.0, float(np.nanmin(trend["roi"])) * 1.2)
        right.set_ylim(low, max(float(np.nanmax(trend["roi"])) * 1.2, 0.1))
        handles += right.get_legend_handles_labels()[0]
    sns.despine(ax=ax, right=False)
    ax.legend(handles, [h.get_label() for h in handles], frameon=False, fontsize=8,
              loc="upper left")
    ax.set_title("")
    return ax


def plot_stage_timeline(stage_times: pd.DataFrame, *, fmt: Formatter | None = None,
                        t: Catalogue | None = None, ax: Axes | None = None) -> Axes:
    """Stage timeline: per channel, median days spent in each stage, stacked in funnel
    order (one colour per stage); the all-channels row on top, longest channels next.

    Parameters
    ----------
    stage_times : DataFrame
        :func:`leadroi.metrics.stage_times` (``channel`` None: all channels).
    """
    fmt, t, ax = fmt or Formatter(), t or catalogue("en"), _ax(ax, (7.2, 3.8))
    data = stage_times.copy()
    data["channel"] = data["channel"].fillna(t("total"))
    wide = data.pivot_table(index="channel", columns="stage", values="median_days",
                            aggfunc="sum", fill_value=0.0, sort=False)
    order = list(dict.fromkeys(data["stage"]))
    wide = wide[order]
    total = t("total")
    body = wide.drop(index=total, errors="ignore").assign(_sum=lambda w: w.sum(axis=1))
    body = body.sort_values("_sum").drop(columns="_sum")
    wide = pd.concat([body, wide.loc[[total]]]) if total in wide.index else body
    colours = sns.color_palette("crest", len(order))
    left = np.zeros(len(wide))
    y = np.arange(len(wide))
    for colour, stage in zip(colours, order):
        ax.barh(y, wide[stage], left=left, color=colour, height=0.62,
                label=t.get(f"stage.{stage}", stage))
        left += wide[stage].to_numpy()
    for yi, total_days in zip(y, left):
        ax.text(total_days, yi, f" {fmt.number(total_days, 0)}", va="center", fontsize=7)
    labels = list(wide.index)
    ax.set_yticks(y, labels)
    for tick in ax.get_yticklabels():
        if tick.get_text() == total:
            tick.set_fontweight("bold")
    ax.set_xlabel(t("chart.days_axis"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=7,
              title=t("chart.stage_waited"), title_fontsize=7)
    _tidy(ax)
    return ax


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


def plot_score_calibration(calibration: pd.DataFrame, *, fmt: Formatter | None = None,
                           t: Catalogue | None = None, ax: Axes | None = None) -> Axes:
    """Lead score calibration: leads per score band (bars) and their conversion with the
    95% interval (points and whiskers, right axis). Bands too few to judge are faded."""
    fmt, t, ax = fmt or Formatter(), t or catalogue("en"), _ax(ax)
    x = np.arange(len(calibration))
    bars = ax.bar(x, calibration["leads"], color="#c6dbef", width=0.6,
                  label=t("chart.leads_axis"))
    ax.set_xticks(x, calibration["band"])
    ax.set_xlabel(t("chart.score_axis"))
    ax.set_ylabel(t("chart.leads_axis"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.compact(v)))
    right = ax.twinx()
    conv = calibration["conversion_rate"].to_numpy(float)
    err = np.vstack([(conv - calibration["conversion_rate_low"]).clip(lower=0),
                     (calibration["conversion_rate_high"] - conv).clip(lower=0)])
    right.errorbar(x, conv, yerr=err, fmt="o-", color=_ALERT, ecolor=_ALERT, capsize=3, lw=1.4,
                   label=t("chart.conversion_axis"))
    for bar, few in zip(bars, calibration["too_few"]):
        if few:
            bar.set_alpha(0.35)
            bar.set_hatch("//")
    right.set_ylim(0, max(float(np.nanmax(calibration["conversion_rate_high"]))
                          if np.isfinite(calibration["conversion_rate_high"]).any() else 0.1,
                          0.01) * 1.15)
    _pct_axis(right, fmt, "y", 1)
    right.set_ylabel(t("chart.conversion_axis"))
    sns.despine(ax=ax, right=False)
    ax.set_title("")
    return ax


def plot_lost_pareto(lost: pd.DataFrame, *, palette: dict, fmt: Formatter | None = None,
                     t: Catalogue | None = None, ax: Axes | None = None,
                     top: int = 8) -> Axes:
    """Pareto of lost reasons: lost pipeline value per reason (largest first), each bar
    split by channel, with the cumulative share as a line (right axis).

    Parameters
    ----------
    lost : DataFrame
        :func:`leadroi.metrics.lost_by_reason_channel` (``reason, channel, lost_value``).
    top : int
        Reasons shown; the rest are summed into the last bar.
    """
    fmt, t, ax = fmt or Formatter(), t or catalogue("en"), _ax(ax)
    wide = lost.pivot_table(index="reason", columns="channel", values="lost_value",
                            aggfunc="sum", fill_value=0.0)
    wide = wide.loc[wide.sum(axis=1).sort_values(ascending=False).index]
    if len(wide) > top:
        rest = wide.iloc[top - 1:].sum().to_frame(t("chart.other_reasons")).T
        wide = pd.concat([wide.iloc[:top - 1], rest])
    x = np.arange(len(wide))
    bottom = np.zeros(len(wide))
    for channel in wide.sum().sort_values(ascending=False).index:
        ax.bar(x, wide[channel], bottom=bottom, color=palette.get(channel, _GREY), width=0.62,
               label=channel)
        bottom += wide[channel].to_numpy()
    ax.set_xticks(x, wide.index, rotation=20, ha="right")
    _money_axis(ax, fmt)
    ax.set_ylabel(t("chart.lost_value_axis"))
    right = ax.twinx()
    share = np.cumsum(bottom) / bottom.sum() if bottom.sum() else np.zeros(len(bottom))
    right.plot(x, share, color="#333333", marker="o", lw=1.2, ms=3)
    right.set_ylim(0, 1.05)
    _pct_axis(right, fmt, "y")
    right.set_ylabel(t("chart.cumulative_axis"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.12, 1.0), frameon=False, fontsize=7)
    sns.despine(ax=ax, right=False)
    ax.set_title("")
    return ax


def plot_ltv_cac(unit: pd.DataFrame, *, palette: dict, healthy: float = 3.0,
                 fmt: Formatter | None = None, t: Catalogue | None = None,
                 ax: Axes | None = None) -> Axes:
    """LTV/CAC per channel (bars, highest on top) with the health line (default 3×);
    channels too few to judge are faded, channels without a value left out."""
    fmt, t, ax = fmt or Formatter(), t or catalogue("en"), _ax(ax)
    data = unit[unit["ltv_cac"].notna()].sort_values("ltv_cac")
    y = np.arange(len(data))
    bars = ax.barh(y, data["ltv_cac"], color=[palette.get(c, _GREY) for c in data["channel"]],
                   height=0.6)
    for bar, few in zip(bars, data["too_few"]):
        if few:
            bar.set_alpha(0.35)
            bar.set_hatch("//")
    for yi, v in zip(y, data["ltv_cac"]):
        ax.text(v, yi, f" {v:.1f}×", va="center", fontsize=7)
    ax.axvline(healthy, color=_ALERT, lw=0.9, ls="--")
    ax.text(healthy, len(data) - 0.4, " " + t("chart.healthy", ratio=f"{healthy:g}"),
            fontsize=7, color=_ALERT)
    ax.set_yticks(y, data["channel"])
    ax.set_xlabel(t("chart.ltv_cac_axis"))
    ax.set_xlim(0, max(float(data["ltv_cac"].max()) if len(data) else 0, healthy) * 1.15)
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
