"""Bootstrap intervals, ROI and CAC by model, the consensus and the robust verdict."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leadroi.attribution import attribute, journeys_from_paths
from leadroi.attribution.bootstrap import bootstrap_shares
from leadroi.attribution.credit import Credit
from leadroi.attribution.verdict import consensus, roi_by_model, verdict
from leadroi.engine import Engine


def _journeys(rows):
    frame = pd.DataFrame(rows, columns=["path", "conversions", "value", "nulls"])
    return journeys_from_paths(Engine().store("p", frame.astype(
        {"conversions": float, "value": float, "nulls": float})))


def _random_rows(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    names = np.array(["A", "B", "C", "D"])
    p = np.array([0.4, 0.3, 0.2, 0.1])
    rows = []
    for _ in range(n):
        path = rng.choice(names, rng.integers(1, 5), p=p)
        conv = float(rng.random() < 0.2 + 0.2 * ("A" in path))
        rows.append((" > ".join(path), conv, conv * float(rng.integers(50, 150)),
                     1.0 - conv))
    return rows


def test_bootstrap_is_seeded_and_brackets_the_estimate():
    j = _journeys(_random_rows(400))
    a = bootstrap_shares(j, resamples=60, seed=7)
    b = bootstrap_shares(j, resamples=60, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(bootstrap_shares(j, resamples=60, seed=8))
    assert set(a["model"]) == {"markov", "shapley"} and set(a["metric"]) == {
        "conversions", "value"}
    point = attribute(j, ["markov", "shapley"]).table.set_index(["model", "channel"])
    for row in a[a["metric"] == "conversions"].itertuples():
        share = point.loc[(row.model, row.channel), "conversions_share"]
        assert row.low <= share + 1e-9 and share - 1e-9 <= row.high
        assert 0 <= row.low < row.high <= 1


def test_more_journeys_give_narrower_intervals():
    small = bootstrap_shares(_journeys(_random_rows(150, 1)), resamples=80, seed=1)
    large = bootstrap_shares(_journeys(_random_rows(1500, 1)), resamples=80, seed=1)
    width = lambda f: float((f["high"] - f["low"]).mean())  # noqa: E731
    assert width(large) < width(small) / 2


def test_no_resamples_no_intervals():
    j = _journeys(_random_rows(50))
    assert bootstrap_shares(j, resamples=0).empty
    assert bootstrap_shares(j, models=["linear"], resamples=10).empty
    assert bootstrap_shares(j, models=[], resamples=10).empty


def _credit(rows: dict[str, dict[str, tuple[float, float]]]) -> Credit:
    """Credit from ``{model: {channel: (conversions, value)}}``."""
    table = pd.DataFrame([{"model": m, "channel": c, "conversions": v[0], "value": v[1]}
                          for m, by in rows.items() for c, v in by.items()])
    channels = sorted(table["channel"].unique())
    return Credit(table=table, models=list(rows), channels=channels,
                  totals={"conversions": table.groupby("model")["conversions"].sum().iloc[0],
                          "value": table.groupby("model")["value"].sum().iloc[0]})


CREDIT = _credit({
    # total value 1000 on total spend 400: overall ROI 150%
    "last_touch": {"X": (6, 600.0), "Y": (3, 300.0), "Z": (1, 100.0)},
    "linear": {"X": (4, 400.0), "Y": (4, 400.0), "Z": (2, 200.0)},
    "markov": {"X": (5, 500.0), "Y": (4, 400.0), "Z": (1, 100.0)},
})
SPEND = pd.Series({"X": 100.0, "Y": 200.0, "Z": 100.0})


def test_consensus_is_the_mean_and_adds_up():
    c = consensus(CREDIT).set_index("channel")
    assert c.loc["X", "conversions"] == pytest.approx(5.0)
    assert c.loc["Z", "value"] == pytest.approx(400 / 3)
    assert c["value"].sum() == pytest.approx(1000.0)
    assert c.loc["Y", "value_low"] == 300 and c.loc["Y", "value_high"] == 400


def test_roi_and_cac_by_model_by_hand():
    roi = roi_by_model(CREDIT, SPEND).set_index(["model", "channel"])
    assert roi.loc[("last_touch", "X"), "roi"] == pytest.approx(5.0)  # (600 - 100) / 100
    assert roi.loc[("linear", "Y"), "cac"] == pytest.approx(50.0)  # 200 / 4
    assert roi.loc[("consensus", "Z"), "roi"] == pytest.approx((400 / 3 - 100) / 100)
    assert np.isnan(roi_by_model(CREDIT, None)["roi"]).all()


def test_verdict_needs_most_models_to_agree():
    v = verdict(roi_by_model(CREDIT, SPEND), agreement=0.6).set_index("channel")
    # ROI vs overall 150%: X 500/300/400% (3 above) -> over;
    # Y 50/100/100% (3 below) -> under; Z 0/100/0% (3 below) -> under
    assert v["call"].to_dict() == {"X": "over", "Y": "under", "Z": "under"}
    assert v.loc["X", "over"] == 3 and v.loc["X", "models"] == 3
    assert v.loc["Z", "roi_baseline"] == pytest.approx(0.0)
    assert v.loc["Z", "roi_consensus"] == pytest.approx(1 / 3)
    assert v.loc["Z", "roi_change"] == pytest.approx(1 / 3)
    assert v.loc["X", "roi_low"] == pytest.approx(3.0) and v.loc["X", "roi_high"] == 5.0


def test_split_models_give_a_model_dependent_call():
    credit = _credit({
        "a": {"X": (6, 600.0), "Y": (4, 400.0)},
        "b": {"X": (4, 400.0), "Y": (6, 600.0)},
        "c": {"X": (5.5, 550.0), "Y": (4.5, 450.0)},
    })
    v = verdict(roi_by_model(credit, pd.Series({"X": 100.0, "Y": 100.0})), agreement=0.6)
    # overall ROI 400%: X above in a and c (2 of 3 = 0.67 > 0.6) -> over; a stricter
    # agreement leaves it model-dependent
    assert v.set_index("channel").loc["X", "call"] == "over"
    strict = verdict(roi_by_model(credit, pd.Series({"X": 100.0, "Y": 100.0})),
                     agreement=0.7).set_index("channel")
    assert strict.loc["X", "call"] == "mixed" and strict.loc["Y", "call"] == "mixed"


def test_channel_without_spend_is_not_judged():
    v = verdict(roi_by_model(CREDIT, pd.Series({"X": 100.0, "Y": 200.0})))
    assert v.set_index("channel").loc["Z", "call"] == "unjudged"
