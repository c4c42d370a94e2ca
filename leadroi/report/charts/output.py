"""Charts of section 2 (output): funnel, stage timeline, lead score calibration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from leadroi.i18n import Catalogue, catalogue
from leadroi.report.charts._base import ALERT as _ALERT
from leadroi.report.charts._base import _ax, _pct_axis, _tidy
from leadroi.report.formats import Formatter


def plot_funnel(funnel: pd.DataFrame, *, highlight: str | None = None,
                fmt: Formatter | None = None, t: Catalogue | None = None,
                ax: Axes | None = None) -> Axes:
    """Horizontal funnel bars with each stage's conversion from the previous stage.

    Parameters
    ----------
    funnel : DataFrame
        :func:`leadroi.metrics.funnel.funnel` output.
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


def plot_model_calibration(calibration: pd.DataFrame, *, fmt: Formatter | None = None,
                           t: Catalogue | None = None, ax: Axes | None = None) -> Axes:
    """Predictive score calibration on the test quarter: predicted (bars) against actual
    conversion with its 95% interval (points and whiskers) for each decile, highest
    first."""
    fmt, t, ax = fmt or Formatter(), t or catalogue("en"), _ax(ax)
    x = np.arange(len(calibration))
    ax.bar(x, calibration["predicted"], color="#c6dbef", width=0.6,
           label=t("chart.predicted_axis"))
    actual = calibration["actual"].to_numpy(float)
    err = np.vstack([(actual - calibration["actual_low"]).clip(lower=0),
                     (calibration["actual_high"] - actual).clip(lower=0)])
    ax.errorbar(x, actual, yerr=err, fmt="o", color=_ALERT, ecolor=_ALERT, capsize=3,
                label=t("chart.actual_axis"))
    ax.set_xticks(x, [str(d) for d in calibration["decile"]])
    ax.set_xlabel(t("chart.decile_axis"))
    _pct_axis(ax, fmt, "y", 0)
    ax.set_ylabel(t("chart.conversion_axis"))
    ax.legend(frameon=False, fontsize=8)
    sns.despine(ax=ax)
    return ax


def plot_model_effects(effects: pd.DataFrame, labels: list[str], *,
                       fmt: Formatter | None = None, t: Catalogue | None = None,
                       ax: Axes | None = None) -> Axes:
    """What raises or lowers the predicted probability: the logistic model's strongest
    terms as horizontal bars (log-odds; right of zero raises it)."""
    fmt, t, ax = fmt or Formatter(), t or catalogue("en"), _ax(ax)
    coef = effects["coefficient"].to_numpy(float)
    y = np.arange(len(effects))[::-1]
    ax.barh(y, coef, color=["#0173b2" if c > 0 else _ALERT for c in coef], height=0.65)
    ax.axvline(0, color="#555555", lw=0.8)
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel(t("chart.log_odds_axis"))
    sns.despine(ax=ax)
    ax.set_title("")
    return ax
