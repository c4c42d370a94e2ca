"""The attribution subsection (en, zh, without touchpoints, without spend), its charts and
its params."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from conftest import lead  # noqa: E402

import leadroi  # noqa: E402
from leadroi.attribution import analyse  # noqa: E402
from leadroi.errors import ParamsError  # noqa: E402
from leadroi.params import params_from_dict  # noqa: E402
from leadroi.render.run import check_inputs  # noqa: E402
from leadroi.report import charts  # noqa: E402
from leadroi.report.sections.attribution import attribution_section  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _leads_and_touches(n: int = 40):
    rng = np.random.default_rng(5)
    leads, touches = [], []
    for i in range(n):
        source = ["SEO", "Ads", "Email"][i % 3]
        won = rng.random() < 0.4
        leads.append(lead(f"L{i}", source, "2026-07-05 09:00",
                          won="2026-08-20 09:00" if won else None,
                          amount=float(rng.integers(10, 100)) * 100 if won else None))
        for k, ch in enumerate(rng.choice(["SEO", "Ads", "Email", "Events"], 3)):
            touches.append({"lead_id": f"L{i}", "touched_at": f"2026-07-{10 + k} 10:00",
                            "channel": ch})
    # one lead in the previous quarter: the funnel of an empty quarter fails (funnel.py)
    leads.append(lead("P1", "SEO", "2026-05-05 09:00"))
    return leads, touches


SPEND = [{"date": "2026-07-15", "channel": c, "amount": a, "cost_type": "marketing"}
         for c, a in (("SEO", 5000), ("Ads", 9000), ("Email", 2000), ("Events", 8000))]


def _render(case, *, language="en", spend=True, touches=True):
    leads, tp = _leads_and_touches()
    params, data = case(leads=leads, touchpoints=tp if touches else None,
                        spend=SPEND if spend else None, language=language,
                        attribution={"resamples": 30})
    results = leadroi.analyse(data, params)
    view = leadroi.ReportView(params, channels=data.channels())
    att = analyse(data, params, spend=results.by_channel)
    return str(attribution_section(view, att)), view, att, results


def test_section_en_credit_consensus_intervals_verdict(case):
    html, view, att, results = _render(case)
    assert "Multi-touch attribution" in html
    assert html.count("<img") == 2 and "rt-attribution_shares" in html
    assert "rt-attribution_verdict" in html and "Markov share (95%)" in html
    assert re.search(r"\d+\.\d% \(\d+\.\d% – \d+\.\d%\)", html)  # a share with its interval
    assert "Consensus" in html and ("Over-performer" in html or "Under-performer" in html)
    # credit adds up to the report's customers and revenue
    tot = att.credit.totals
    assert tot["conversions"] == results.totals["customers"]
    assert tot["value"] == pytest.approx(results.totals["revenue"])
    names = {t.name for t in view.tables}
    assert {"attribution_shares", "attribution_credit", "attribution_intervals",
            "attribution_roi", "attribution_verdict"} <= names


def test_section_zh(case):
    html, *_ = _render(case, language="zh")
    assert "多触点归因" in html and "马尔可夫" in html and "共识" in html
    assert "Multi-touch" not in html


def test_without_touchpoints_one_sentence(case):
    html, view, att, _ = _render(case, touches=False)
    assert not att.available
    text = re.sub(r"<[^>]+>", " ", html)
    assert "No touchpoints table was given" in text and "<table" not in html
    assert len(re.findall(r"[.!?](\s|$)", text.strip())) == 1


def test_without_spend_no_verdict(case):
    html, view, att, _ = _render(case, spend=False)
    assert "rt-attribution_shares" in html and "rt-attribution_verdict" not in html
    assert "No spend table was given" in html and html.count("<img") == 1


def test_plot_attribution_models_artists():
    shares = pd.DataFrame({"channel": ["A", "A", "B", "B"], "model": ["m1", "m2"] * 2,
                           "share": [0.7, 0.6, 0.3, 0.4]})
    intervals = pd.DataFrame({"channel": ["A", "B"], "model": ["m2", "m2"],
                              "low": [0.5, 0.3], "high": [0.7, 0.5]})
    ax = charts.plot_attribution_models(shares, intervals=intervals,
                                        labels={"m1": "One", "m2": "Two"})
    points = [c for c in ax.collections if c.get_offsets().shape[0] == 2]
    xs = sorted(tuple(np.round(p.get_offsets()[:, 0], 6)) for p in points)
    assert xs == [(0.6, 0.4), (0.7, 0.3)]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["One", "Two"]
    ticks = {t.get_text(): y for t, y in zip(ax.get_yticklabels(), ax.get_yticks())}
    assert ticks["A"] > ticks["B"]  # first channel on top


def test_plot_roi_by_model_points():
    v = pd.DataFrame({"channel": ["A", "B"], "roi_baseline": [1.0, 2.0],
                      "roi_consensus": [1.5, 1.0], "roi_low": [0.8, 0.9],
                      "roi_high": [1.6, 2.0]})
    ax = charts.plot_roi_by_model(v, palette=charts.channel_palette(["A", "B"]),
                                  overall=1.2)
    xs = [sorted(np.round(c.get_offsets()[:, 0], 6)) for c in ax.collections
          if c.get_offsets().shape[0] == 2]
    assert [1.0, 2.0] in xs and [1.0, 1.5] in xs
    assert any(abs(line.get_xdata()[0] - 1.2) < 1e-9 for line in ax.lines)


def _params(**attribution):
    return params_from_dict({"period": "2026-Q3", "data": {"leads": {"path": "l.csv"}},
                             "attribution": attribution})


def test_params_defaults_and_validation():
    a = params_from_dict({"period": "2026-Q3", "data": {"leads": {"path": "l.csv"}}}
                         ).attribution
    assert (a.lookback_days, a.half_life_days, a.resamples, a.models) == (90, 7.0, 200, None)
    assert _params(models=["markov", "linear"]).attribution.models == ["markov", "linear"]
    with pytest.raises(ParamsError, match="markow.*Did you mean 'markov'") as err:
        check_inputs(_params(models=["markow"]))  # before any file is looked for
    assert err.value.key == "attribution.models"
    with pytest.raises(ParamsError, match="Did you mean 'lookback_days'"):
        _params(lookback=30)
    with pytest.raises(ParamsError, match="resamples"):
        _params(resamples=-1)


def test_baseline_last_touch_even_when_not_compared(case):
    leads, tp = _leads_and_touches()
    params, data = case(leads=leads, touchpoints=tp, spend=SPEND,
                        attribution={"resamples": 0, "models": ["linear", "markov"]})
    results = leadroi.analyse(data, params)
    att = analyse(data, params, spend=results.by_channel)
    assert att.credit.models == ["linear", "markov"] and att.intervals.empty
    v = att.verdict.set_index("channel")
    assert v["roi_baseline"].notna().all() and (v["models"] == 2).all()
    html = str(attribution_section(leadroi.ReportView(params, data.channels()), att))
    assert "Against last touch" in html
