"""Comparison: significance verdicts and their wording, the revenue change decomposition
(effects sum exactly to the change; hand-computed cases), period comparison."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from leadroi.compare import (
    group_tests,
    headline_comparison,
    rate_test,
    revenue_decomposition,
    saturation,
    shapley_effects,
)
from leadroi.i18n import catalogue
from leadroi.report.decisions import verdict_text


def test_rate_test_matches_hand_computed_z():
    # pooled p = 130/2000 = 0.065; se = sqrt(.065*.935*(2/1000)) = 0.011025
    r = rate_test(50, 1000, 80, 1000)
    se = math.sqrt(0.065 * 0.935 * 0.002)
    assert r["z"] == pytest.approx(0.03 / se)
    assert r["p_value"] == pytest.approx(math.erfc(0.03 / se / math.sqrt(2)))
    assert r["verdict"] == "likely_real" and r["prob_b_better"] > 0.99


@pytest.mark.parametrize("k_a, n_a, k_b, n_b, verdict", [
    (50, 1000, 80, 1000, "likely_real"),
    (50, 1000, 55, 1000, "could_be_noise"),
    (2, 20, 9, 20, "too_few"),  # big difference, but too few leads to judge
    (0, 0, 5, 100, "too_few"),
])
def test_verdicts(k_a, n_a, k_b, n_b, verdict):
    assert rate_test(k_a, n_a, k_b, n_b, min_n=30)["verdict"] == verdict


@pytest.mark.parametrize("lang, verdict, p, text", [
    ("en", "likely_real", 0.0004, "likely real (p = < 0.001)"),
    ("en", "likely_real", 0.012, "likely real (p = 0.01)"),
    ("en", "could_be_noise", 0.4123, "could be noise (p = 0.41)"),
    ("en", "too_few", 0.01, "too few to judge"),
    ("zh", "could_be_noise", 0.4123, "可能只是随机波动(p = 0.41)"),
    ("zh", "too_few", float("nan"), "样本太少,无法判断"),
])
def test_verdict_wording(lang, verdict, p, text):
    assert verdict_text(verdict, p, catalogue(lang)) == text


def test_group_tests_compare_each_group_with_the_rest():
    drill = pd.DataFrame({"group": ["White paper", "Product page", "Tiny", None],
                          "customers": [60, 30, 1, 91], "leads": [500, 500, 10, 1010],
                          "lost": [0, 0, 0, 0]})
    out = group_tests(drill, min_n=30).set_index("group")
    wp = out.loc["White paper"]
    assert wp["rate"] == pytest.approx(0.12) and wp["rest_rate"] == pytest.approx(31 / 510)
    assert wp["verdict"] == "likely_real"
    assert out.loc["Tiny", "verdict"] == "too_few"
    assert list(out.index) == ["White paper", "Tiny", "Product page"]


def _bc(rows):
    return pd.DataFrame(rows, columns=["channel", "leads", "customers", "revenue"])


def test_decomposition_volume_only_by_hand():
    before = _bc([("A", 100, 10, 1000.0)])
    now = _bc([("A", 200, 20, 2000.0)])
    d = revenue_decomposition(now, before).set_index("effect")["value"]
    assert d["volume"] == pytest.approx(1000) and d["conversion"] == pytest.approx(0)
    assert d["deal_size"] == pytest.approx(0) and d["mix"] == pytest.approx(0)


def test_decomposition_two_factors_by_hand():
    # leads 100 -> 200, conversion 10% -> 20%, deal 100 fixed: revenue 1000 -> 4000.
    # Shapley: volume = (200-100)*(0.1+0.2)/2*100 = 1500, conversion = 1500.
    d = revenue_decomposition(_bc([("A", 200, 40, 4000.0)]), _bc([("A", 100, 10, 1000.0)]))
    d = d.set_index("effect")["value"]
    assert d["volume"] == pytest.approx(1500) and d["conversion"] == pytest.approx(1500)


def test_decomposition_pure_mix_shift():
    # same leads; 50 leads move from the poor channel to the good one
    before = _bc([("Good", 100, 20, 2000.0), ("Poor", 100, 5, 500.0)])
    now = _bc([("Good", 150, 30, 3000.0), ("Poor", 50, 2.5, 250.0)])
    d = revenue_decomposition(now, before).set_index("effect")["value"]
    assert d["mix"] == pytest.approx(750) and d["volume"] == pytest.approx(0)
    assert d["conversion"] == pytest.approx(0) and d["deal_size"] == pytest.approx(0)


@pytest.mark.parametrize("seed", range(20))
def test_decomposition_effects_sum_exactly_to_the_change(seed):
    rng = np.random.default_rng(seed)
    names = ["A", "B", "C", "D"]

    def frame(drop):
        leads = rng.integers(0, 500, 4).astype(float)
        customers = np.floor(leads * rng.random(4) * 0.2)
        revenue = customers * rng.uniform(1e3, 1e5, 4)
        return _bc(list(zip(names, leads, customers, revenue))).drop(index=drop)

    before, now = frame([0] if seed % 3 == 0 else []), frame([3] if seed % 4 == 0 else [])
    d = revenue_decomposition(now, before).set_index("effect")["value"]
    total = now["revenue"].sum() - before["revenue"].sum()
    assert d["now"] - d["before"] == pytest.approx(total)
    assert d[["volume", "mix", "conversion", "deal_size"]].sum() == pytest.approx(total,
                                                                                  abs=1e-6)


def test_shapley_against_enumerated_orders():
    before, after = {"a": 2.0, "b": 3.0, "c": 5.0}, {"a": 4.0, "b": 1.0, "c": 6.0}

    def value(x):
        return x["a"] * x["b"] * x["c"]

    expected = dict.fromkeys(before, 0.0)
    orders = list(itertools.permutations(before))
    for order in orders:  # the definition: average marginal contribution over orders
        state = dict(before)
        for name in order:
            prev = value(state)
            state[name] = after[name]
            expected[name] += (value(state) - prev) / len(orders)
    assert shapley_effects(before, after, value) == pytest.approx(expected)


def test_headline_comparison_changes_and_targets():
    now = pd.Series({"leads": 1100, "customers": 88, "conversion_rate": 0.08, "lost": 100,
                     "win_rate": 0.468, "sqls": 300, "mqls": 600, "mql_to_sql": 0.5,
                     "revenue": 5e6, "spend": 1e6, "roi": 4.0, "cac": 11363.6})
    prev = now.copy()
    prev[["leads", "customers", "conversion_rate", "revenue"]] = [1000, 50, 0.05, 4e6]
    targets = pd.DataFrame({"channel": ["all", "all"], "metric": ["leads", "roi"],
                            "value": [1000, 3.0]})
    h = headline_comparison(now, prev, None, targets).set_index("metric")
    assert h.loc["leads", "qoq"] == pytest.approx(0.1)
    assert h.loc["conversion_rate", "qoq"] == pytest.approx(0.03)
    assert h.loc["conversion_rate", "qoq_verdict"] == "likely_real"
    assert pd.isna(h.loc["leads", "yoy"]) and h.loc["conversion_rate", "yoy_verdict"] is None
    assert h.loc["leads", "vs_target"] == pytest.approx(1.1)
    assert h.loc["roi", "vs_target"] == pytest.approx(1.0)  # points above target
    assert h.loc["cac", "better"] == -1


def test_saturation_sign():
    rows = []
    for q, (spend, leads) in enumerate([(100, 100), (130, 105), (170, 108)]):
        rows.append({"period": f"2026-Q{q + 1}", "channel": "Full", "spend": spend,
                     "leads": leads, "cpl": spend / leads})
    for q, (spend, leads) in enumerate([(100, 100), (130, 130), (170, 172)]):
        rows.append({"period": f"2026-Q{q + 1}", "channel": "Room", "spend": spend,
                     "leads": leads, "cpl": spend / leads})
    sat = saturation(pd.DataFrame(rows)).set_index("channel")
    assert bool(sat.loc["Full", "saturated"]) and not bool(sat.loc["Room", "saturated"])
