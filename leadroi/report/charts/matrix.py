"""The cost-versus-quality matrix (CPL against conversion, bubble = revenue)."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from leadroi.i18n import Catalogue, catalogue
from leadroi.report.charts._base import GREY as _GREY
from leadroi.report.charts._base import _ax, _pct_axis, _tidy
from leadroi.report.formats import Formatter


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
