"""The predictive lead score (issue 16): leakage guard, out-of-time split, calibration
table against an independent computation, guardrails, determinism, and that it finds
the sample generator's strongest effect."""

from __future__ import annotations

import datetime as dt

import ibis
import numpy as np
import pandas as pd
import pytest

from leadroi.metrics import predict
from leadroi.metrics.predict import (
    FEATURES,
    Feature,
    LeakageError,
    calibration_table,
    check_features,
    score_model,
    time_split,
)
from leadroi.params import ModelSettings, ScoringSettings
from leadroi.periods import parse_period
from leadroi.sample.vocab import CHANNELS
from leadroi.stats import Z95
from tests.conftest import lead


def test_the_shipped_features_pass_the_leakage_guard():
    check_features()
    reads = {c for f in FEATURES for c in f.reads}
    assert not reads & predict.POST_CREATION


@pytest.mark.parametrize("column", ["won_at", "lost_at", "proposal_at", "lost_reason",
                                    "amount", "rating", "deals"])
def test_a_feature_read_after_creation_fails_the_feature_set(column, monkeypatch):
    leaky = Feature("leaky", "number", ("created_at", column),
                    lambda t, _w: ibis.literal(1.0))
    with pytest.raises(LeakageError, match=f"'leaky' reads '{column}'"):
        check_features(FEATURES + (leaky,))
    # and it stops the build of the feature table, not only a direct call
    monkeypatch.setattr(predict, "FEATURES", FEATURES + (leaky,))
    t = ibis.memtable({"lead_id": ["x"], "created_at": [dt.datetime(2026, 7, 1)],
                       "channel": ["A"]})
    with pytest.raises(LeakageError):
        predict.feature_table(t, None, ScoringSettings(), dt.date(2026, 10, 31),
                              parse_period("2026-Q3"))


def test_out_of_time_split_boundaries():
    s = time_split(parse_period("2026-Q3"), ModelSettings(train_quarters=4))
    assert (s.test.start, s.test.end) == (dt.date(2026, 4, 1), dt.date(2026, 7, 1))
    assert (s.train.start, s.train.end) == (dt.date(2025, 4, 1), dt.date(2026, 4, 1))
    assert (s.select.start, s.select.end) == (dt.date(2026, 1, 1), dt.date(2026, 4, 1))
    assert (s.fit.start, s.fit.end) == (dt.date(2025, 4, 1), dt.date(2026, 1, 1))
    assert s.train.end == s.test.start and s.test.end == s.use.start


def test_window_features_ignore_what_happens_after_the_window():
    """A first contact or a touch after created + window_days is not seen."""
    leads = pd.DataFrame({
        "lead_id": ["a", "b"], "channel": ["A", "A"],
        "created_at": pd.to_datetime(["2026-07-01 00:00", "2026-07-01 00:00"]),
        "first_contact_at": pd.to_datetime(["2026-07-01 05:00", "2026-07-20 00:00"])})
    touch = pd.DataFrame({"lead_id": ["a", "a", "b"], "channel": ["A", "B", "A"],
                          "touched_at": pd.to_datetime(["2026-07-02", "2026-07-30",
                                                        "2026-06-30"])})
    scoring = ScoringSettings(model=ModelSettings(window_days=7))
    ft = predict.feature_table(ibis.memtable(leads), ibis.memtable(touch), scoring,
                               dt.date(2026, 10, 31), parse_period("2026-Q3"))
    out = ft.order_by("lead_id").to_pandas().set_index("lead_id")
    assert out.loc["a", "response_hours"] == pytest.approx(5.0)
    assert out.loc["b", "response_hours"] == pytest.approx(7 * 24.0)  # censored
    assert out.loc["a", "window_touches"] == 1 and out.loc["b", "window_touches"] == 0
    assert out.loc["a", "days_since_touch"] == pytest.approx(6.0)


def test_calibration_table_equals_an_independent_computation():
    rng = np.random.default_rng(7)
    p = rng.uniform(0, 0.3, 1000)
    y = (rng.uniform(size=1000) < p).astype(int)
    got = calibration_table(y, p)
    df = pd.DataFrame({"p": p, "y": y}).sort_values("p", ascending=False)
    df["decile"] = np.arange(1000) // 100 + 1
    g = df.groupby("decile")
    n, k = g.size().to_numpy(), g["y"].sum().to_numpy()
    phat = k / n
    centre = (phat + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * np.sqrt(phat * (1 - phat) / n + Z95**2 / (4 * n**2)) / (1 + Z95**2 / n)
    assert got["decile"].tolist() == list(range(1, 11))
    assert got["leads"].tolist() == [100] * 10
    np.testing.assert_allclose(got["predicted"], g["p"].mean())
    np.testing.assert_allclose(got["actual"], phat)
    np.testing.assert_allclose(got["actual_low"], centre - half, atol=1e-12)
    np.testing.assert_allclose(got["actual_high"], centre + half, atol=1e-12)


def test_top_decile_lift_by_hand():
    y = np.array([1, 0, 0, 0, 0, 0, 0, 0, 0, 1] * 2)
    p = np.linspace(1, 0, 20)  # the first two rows are the top tenth
    assert predict.top_decile_lift(y, p) == pytest.approx((1 / 2) / (4 / 20))


def test_too_small_a_history_is_not_used(case):
    leads = [lead(f"h{i}", "A", f"2025-{5 + i % 6:02d}-10 10:00",
                  won="2025-12-20 10:00" if i % 4 == 0 else None, amount=1000)
             for i in range(40)]
    leads += [lead("n1", "A", "2026-07-10 10:00")]
    params, data = case(leads=leads)
    m = score_model(data, params.window, data.as_of, params.scoring)
    assert m.status == "too_few" and not m.used
    assert m.why == {"conversions": 10, "min_conversions": 50}
    assert m.priority.empty


def test_model_off_by_params(case):
    params, data = case(leads=[lead("n1", "A")], scoring={"model": False})
    assert score_model(data, params.window, data.as_of, params.scoring).status == "off"


def test_a_weak_model_is_not_used(case):
    """Outcomes unrelated to every attribute: the validation AUC is near 0.5, below
    min_auc, so no priority list and no recommendation."""
    rng = np.random.default_rng(3)
    leads = []
    for i in range(3000):
        day = dt.date(2025, 4, 1) + dt.timedelta(days=int(rng.integers(0, 450)))
        won = rng.uniform() < 0.15
        leads.append(lead(f"l{i}", str(rng.choice(["A", "B", "C"])), f"{day} 10:00",
                          won=f"{day + dt.timedelta(days=20)} 10:00" if won else None,
                          amount=1000, industry=str(rng.choice(["x", "y"]))))
    params, data = case(leads=leads, scoring={"model": {"min_auc": 0.65}})
    m = score_model(data, params.window, data.as_of, params.scoring)
    assert m.status == "weak" and m.why["auc"] < 0.65
    assert m.priority.empty and not m.validation.empty


@pytest.fixture(scope="module")
def sample_model(sample_data, sample_params):
    return score_model(sample_data, sample_params.window, sample_data.as_of,
                       sample_params.scoring, margin=sample_params.value.margin)


def test_sample_model_beats_the_rules_and_finds_the_best_channel(sample_model):
    m = sample_model
    assert m.used
    val = m.validation.set_index("model")
    assert val.loc["model", "auc"] > val.loc["rules", "auc"] + 0.05
    assert val.loc["model", "leads"] == val.loc["rules", "leads"]  # the same test leads
    assert val.loc["model", "top_decile_lift"] > val.loc["rules", "top_decile_lift"]
    # the generator's strongest effect: the channel whose leads pass every stage most
    # often (vocab.CHANNELS) has the largest positive channel coefficient
    best = max(CHANNELS, key=lambda c: np.prod(c.stage_p)).en
    ch = m.effects[(m.effects["feature"] == "channel") & (m.effects["coefficient"] > 0)]
    assert ch.iloc[0]["value"] == best
    # calibrated: the predicted mean is within a point of the actual rate overall
    cal = m.calibration
    assert abs((cal["predicted"] * cal["leads"]).sum() - (cal["actual"] * cal["leads"]).sum()) \
        / cal["leads"].sum() < 0.01


def test_priority_leads_are_open_period_leads_ranked_by_expected_value(sample_model,
                                                                      sample_data):
    pri = sample_model.priority
    assert len(pri) == 20
    assert pri["expected_value"].is_monotonic_decreasing
    leads = sample_data.leads
    rows = leads.filter(leads.lead_id.isin(pri["lead_id"].tolist())).to_pandas()
    assert len(rows) == 20
    cut = pd.Timestamp("2026-11-01")
    assert (rows["created_at"] >= pd.Timestamp("2026-07-01")).all()
    assert (rows["created_at"] < pd.Timestamp("2026-10-01")).all()
    assert not ((rows["won_at"] < cut) | (rows["lost_at"] < cut)).any()


def test_same_inputs_give_the_same_model(sample_model, sample_data, sample_params):
    again = score_model(sample_data, sample_params.window, sample_data.as_of,
                        sample_params.scoring, margin=sample_params.value.margin)
    for name in ("validation", "selection", "calibration", "effects", "suggested_rules",
                 "priority", "channels"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(sample_model, name))
