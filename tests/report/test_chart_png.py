"""A chart's PNG is cropped to the box ``bbox_inches="tight"`` would give, drawn once.

The view measures the box instead of drawing the figure a first time; the PNGs must be
the same bytes as savefig's own tight crop, for the kinds of figures the report draws.
"""

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from leadroi.i18n import catalogue  # noqa: E402
from leadroi.report import charts  # noqa: E402
from leadroi.report.fonts import configure_matplotlib  # noqa: E402
from leadroi.report.view import CHART_DPI, _tight_box  # noqa: E402


def _png(fig, bbox) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=CHART_DPI, bbox_inches=bbox,
                metadata={"Software": None})
    return buf.getvalue()


def _outside_legend():
    fig, ax = plt.subplots(figsize=(7.2, 3.6))
    for k in range(4):
        ax.plot(np.arange(12), np.arange(12) * (k + 1), label=f"channel {k}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))
    ax.set_title("a long title that reaches past the axes on the right side of the chart")
    return fig


def _best_legend_zh():
    configure_matplotlib("zh")
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.bar(["官网", "展会", "领英广告"], [3, 5, 2], label="线索")
    ax.plot([0, 1, 2], [1, 4, 2], color="k", label="成交")
    ax.legend(loc="best")
    ax.set_xlabel("渠道")
    return fig


def _constrained():
    fig, axes = plt.subplots(1, 2, figsize=(7, 3), layout="constrained")
    axes[0].barh(["a", "b"], [1, 2])
    axes[1].scatter([1, 2, 3], [3, 1, 2])
    fig.suptitle("two panels")
    return fig


def _spend():
    spend = pd.DataFrame({"month": ["2026-07", "2026-07", "2026-08", "2026-09"],
                          "channel": ["A", "B", "A", "B"], "amount": [100.0, 50.0, 70.0, 9.0]})
    return charts.plot_spend_by_month(spend, palette=charts.channel_palette(["A", "B"])).figure


def _funnel():
    f = pd.DataFrame({"stage": ["created", "mql", "won"], "leads": [100, 40, 8],
                      "conversion_from_previous": [np.nan, 0.4, 0.2]})
    return charts.plot_funnel(f, highlight="won", t=catalogue("zh")).figure


@pytest.mark.parametrize("make", [_outside_legend, _best_legend_zh, _constrained, _spend,
                                  _funnel])
def test_measured_box_gives_the_tight_png(make):
    fig = make()
    try:
        measured = _png(fig, _tight_box(fig))
        assert measured == _png(fig, "tight")
    finally:
        plt.close(fig)
