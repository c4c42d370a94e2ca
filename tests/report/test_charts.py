"""Charts asserted on their artists, not on pixels."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from leadroi.i18n import catalogue  # noqa: E402
from leadroi.report import charts  # noqa: E402

BC = pd.DataFrame({
    "channel": ["A", "B", "C"], "leads": [100, 50, 10], "customers": [10, 2, 1],
    "conversion_rate": [0.1, 0.04, 0.1], "cpl": [100.0, 50.0, 300.0],
    "spend": [2000.0, 5000.0, 300.0], "revenue": [9000.0, 1000.0, 900.0],
    "roi": [3.5, -0.8, 2.0], "roi_low": [2.0, -0.9, -0.5], "roi_high": [5.0, -0.5, 6.0],
    "too_few": [False, False, True]})


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_palette_is_stable_and_distinct():
    p1 = charts.channel_palette(["b", "a", "c"])
    p2 = charts.channel_palette(["c", "a", "b", "a"])
    assert p1 == p2 and len(set(p1.values())) == 3


def test_spend_by_month_stacks():
    spend = pd.DataFrame({"month": ["2026-07", "2026-07", "2026-08"],
                          "channel": ["A", "B", "A"], "amount": [100.0, 50.0, 70.0]})
    ax = charts.plot_spend_by_month(spend, palette=charts.channel_palette(["A", "B"]))
    heights = sorted(round(p.get_height()) for p in ax.patches if p.get_height() > 0)
    assert heights == [50, 70, 100]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B"]


def test_funnel_bars_and_labels():
    f = pd.DataFrame({"stage": ["created", "won"], "leads": [100, 8],
                      "conversion_from_previous": [np.nan, 0.08]})
    ax = charts.plot_funnel(f, highlight="won", t=catalogue("zh"))
    assert sorted(p.get_width() for p in ax.patches) == [8, 100]
    by_y = {t.get_position()[1]: t.get_text() for t in ax.get_yticklabels()}
    assert by_y[max(by_y)] == "线索获取" and by_y[min(by_y)] == "成交"  # created on top
    assert any("8%" in t.get_text() for t in ax.texts)


def test_roi_whiskers_and_thin_bars():
    ax = charts.plot_roi(BC, palette=charts.channel_palette(BC["channel"]))
    widths = sorted(round(p.get_width(), 2) for p in ax.patches)
    assert widths == [-0.8, 2.0, 3.5]
    faded = [p for p in ax.patches if p.get_alpha() is not None and p.get_alpha() < 1]
    assert len(faded) == 1 and faded[0].get_width() == 2.0
    assert [t.get_text() for t in ax.get_yticklabels()] == ["B", "C", "A"]


def test_cost_quality_and_revenue():
    ax = charts.plot_cost_quality(BC, palette=charts.channel_palette(BC["channel"]))
    assert len(ax.collections[0].get_offsets()) == 3
    assert {t.get_text() for t in ax.texts} >= {"A", "B", "C"}
    ax = charts.plot_revenue_spend(BC, palette=charts.channel_palette(BC["channel"]))
    assert sorted(p.get_width() for p in ax.patches) == sorted(
        list(BC["revenue"]) + list(BC["spend"]))


def test_trend_line_and_bars():
    trend = pd.DataFrame({"period": ["2026-Q1", "2026-Q2"], "customers": [30, 40],
                          "roi": [1.0, 1.5]})
    ax = charts.plot_trend(trend, target_roi=0.0)
    assert [p.get_height() for p in ax.patches] == [30, 40]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2026-Q1", "2026-Q2"]


def test_stage_timeline_stacks_median_days():
    st = pd.DataFrame({"channel": ["A", "A", None, None], "stage": ["created", "proposal"] * 2,
                       "median_days": [1.0, 4.0, 2.0, 3.0]})
    ax = charts.plot_stage_timeline(st)
    widths = sorted(round(p.get_width(), 1) for p in ax.patches)
    assert widths == [1.0, 2.0, 3.0, 4.0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "All channels"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Lead created", "Proposal"]


def test_score_calibration_bars_and_line():
    cal = pd.DataFrame({"band": ["0–14", "15+"], "leads": [80, 20],
                        "conversion_rate": [0.05, 0.2], "conversion_rate_low": [0.02, 0.08],
                        "conversion_rate_high": [0.12, 0.4], "too_few": [False, True]})
    ax = charts.plot_score_calibration(cal)
    assert [p.get_height() for p in ax.patches] == [80, 20]
    assert ax.patches[1].get_alpha() < 1
    line = ax.figure.axes[1].lines[0]
    assert list(line.get_ydata()) == [0.05, 0.2]


def test_lost_pareto_bars_and_cumulative_line():
    lost = pd.DataFrame({"reason": ["x", "y", "y"], "channel": ["A", "A", "B"],
                         "lost_value": [10.0, 30.0, 20.0]})
    ax = charts.plot_lost_pareto(lost, palette=charts.channel_palette(["A", "B"]))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["y", "x"]
    tops = {}
    for p in ax.patches:
        x = round(p.get_x() + p.get_width() / 2)
        tops[x] = max(tops.get(x, 0), p.get_y() + p.get_height())
    assert tops == {0: 50, 1: 10}
    assert list(ax.figure.axes[1].lines[0].get_ydata()) == pytest.approx([50 / 60, 1.0])


def test_ltv_cac_bars_and_health_line():
    unit = pd.DataFrame({"channel": ["A", "B", "C"], "ltv_cac": [5.0, 1.5, np.nan],
                         "too_few": [False, True, False]})
    ax = charts.plot_ltv_cac(unit, palette=charts.channel_palette(unit["channel"]))
    assert sorted(p.get_width() for p in ax.patches) == [1.5, 5.0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["B", "A"]
    assert any(line.get_xdata()[0] == 3.0 for line in ax.lines)


def test_leads_heatmap_cells_and_order():
    monthly = pd.DataFrame({"month": ["2026-07", "2026-07", "2026-08", "2026-08"],
                            "channel": ["A", "B", "A", "B"], "leads": [5, 40, 7, 30]})
    ax = charts.plot_leads_heatmap(monthly, t=catalogue("zh"))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["B", "A"]  # most leads on top
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2026-07", "2026-08"]
    assert sorted(t.get_text() for t in ax.texts) == ["30", "40", "5", "7"]
    assert ax.get_xlabel() == "线索获取月份"
    mesh = ax.collections[0].get_array().reshape(2, 2)
    assert mesh.tolist() == [[40, 30], [5, 7]]


def test_roi_bridge_steps_from_spend_to_revenue():
    ax = charts.plot_roi_bridge(BC, palette=charts.channel_palette(BC["channel"]))
    bars = ax.patches
    labels = [t.get_text() for t in ax.get_xticklabels()]
    # spend, then channels by net return (A +7000, C +600, B -4000), then revenue
    assert labels == ["Spend", "A", "C", "B", "Revenue"]
    assert [round(b.get_height()) for b in bars] == [7300, 7000, 600, -4000, 10900]
    assert [round(b.get_y()) for b in bars] == [0, 7300, 14300, 14900, 0]
    assert bars[3].get_hatch() == "//" and bars[1].get_hatch() is None
    assert 7300 + 7000 + 600 - 4000 == bars[-1].get_height()  # the bridge closes


def test_every_chart_uses_the_channel_colour():
    palette = charts.channel_palette(BC["channel"])
    ax = charts.plot_roi(BC, palette=palette)
    by_label = dict(zip([t.get_text() for t in ax.get_yticklabels()], ax.patches))
    ax2 = charts.plot_roi_bridge(BC, palette=palette)
    by_label2 = dict(zip([t.get_text() for t in ax2.get_xticklabels()], ax2.patches))
    for channel in BC["channel"]:
        assert by_label[channel].get_facecolor()[:3] == pytest.approx(palette[channel])
        assert by_label2[channel].get_facecolor()[:3] == pytest.approx(palette[channel])
