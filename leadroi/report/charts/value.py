"""Charts of value and comparison: revenue vs spend, ROI, the cost-to-revenue bridge,
LTV/CAC, lost-reason Pareto, the quarterly trend."""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from leadroi.i18n import Catalogue, catalogue
from leadroi.report.charts._base import ALERT as _ALERT
from leadroi.report.charts._base import GREY as _GREY
from leadroi.report.charts._base import _ax, _money_axis, _pct_axis, _tidy
from leadroi.report.formats import Formatter


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


def plot_roi_bridge(by_channel: pd.DataFrame, *, palette: dict,
                    fmt: Formatter | None = None, t: Catalogue | None = None,
                    ax: Axes | None = None) -> Axes:
    """From cost to revenue: a waterfall that starts at the total spend, adds each
    channel's net return (revenue − spend; gains up, losses down, largest first) and
    ends at the total revenue.

    Parameters
    ----------
    by_channel : DataFrame
        ``channel, spend, revenue`` (channels without spend count it as 0).
    """
    fmt, t, ax = fmt or Formatter(), t or catalogue("en"), _ax(ax)
    data = by_channel.assign(spend=by_channel["spend"].fillna(0.0),
                             revenue=by_channel["revenue"].fillna(0.0))
    data = data.assign(net=data["revenue"] - data["spend"]).sort_values("net",
                                                                       ascending=False)
    total_spend, level = float(data["spend"].sum()), float(data["spend"].sum())
    labels = [t("chart.spend")] + list(data["channel"]) + [t("chart.revenue")]
    ax.bar(0, total_spend, color=_GREY, width=0.62)
    for i, (channel, net) in enumerate(zip(data["channel"], data["net"]), start=1):
        bar = ax.bar(i, net, bottom=level, width=0.62, color=palette.get(channel, _GREY),
                     edgecolor=_ALERT if net < 0 else "none", lw=1.2)[0]
        bar.set_hatch("//" if net < 0 else None)
        ax.plot([i - 1.31, i + 0.31], [level, level], color="#555555", lw=0.6, zorder=1)
        level += net
    ax.bar(len(labels) - 1, float(data["revenue"].sum()), color="#0173b2", width=0.62)
    ax.plot([len(labels) - 2 - 0.31, len(labels) - 1 + 0.31], [level, level],
            color="#555555", lw=0.6, zorder=1)
    ax.set_xticks(np.arange(len(labels)), labels, rotation=30, ha="right")
    _money_axis(ax, fmt)
    ax.set_ylabel(t("chart.money_axis"))
    _tidy(ax)
    return ax


def plot_retention_curve(curve: pd.DataFrame, *, palette: dict,
                         fmt: Formatter | None = None, t: Catalogue | None = None,
                         ax: Axes | None = None) -> Axes:
    """Logo retention by months since the first win, one line per channel (cohorts
    pooled), all customers as a dashed grey line; months with too few customers
    observed are left out."""
    fmt, t, ax = fmt or Formatter(), t or catalogue("en"), _ax(ax)
    data = curve[curve["retention"].notna()]
    for channel, g in data.groupby("channel", dropna=False, sort=True):
        if pd.isna(channel):
            ax.plot(g["month"], g["retention"], color=_GREY, lw=2.2, ls="--",
                    label=t("total"))
            continue
        ax.plot(g["month"], g["retention"], color=palette.get(channel, _GREY), lw=1.4,
                label=channel)
    ax.set_xlabel(t("chart.months_since_first_win"))
    ax.set_ylabel(t("chart.retention_axis"))
    ax.set_ylim(0, 1.02)
    _pct_axis(ax, fmt, "y", 0)
    ax.legend(frameon=False, fontsize=7, ncol=2, loc="upper right")
    sns.despine(ax=ax)
    return ax
