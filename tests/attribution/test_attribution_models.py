"""Every attribution model on journeys small enough to check by hand.

The Markov and Shapley figures are also checked against an independent computation:
conversion probabilities found by value iteration on the chain (not by the fundamental
matrix the code uses), channels removed by editing the transition table, and Shapley
values by enumerating every order of the channels.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from leadroi.attribution import Settings, attribute, journeys_from_paths, model_names
from leadroi.attribution.chain import Chain
from leadroi.attribution.chain_models import shapley_values
from leadroi.attribution.paths import transition_counts
from leadroi.engine import Engine
from leadroi.errors import ParamsError

_ENGINE: list[Engine] = []


def paths(rows: list[tuple[str, float, float, float]], **kwargs):
    """Journeys of ``(path, conversions, value, nulls)`` rows (one engine for the module)."""
    if not _ENGINE:
        _ENGINE.append(Engine())
    engine = _ENGINE[0]
    frame = pd.DataFrame(rows, columns=["path", "conversions", "value", "nulls"])
    table = engine.store("paths", frame.astype({"conversions": float, "value": float,
                                                "nulls": float}))
    return journeys_from_paths(table, **kwargs)


def credit(rows, models=None, **settings) -> pd.DataFrame:
    out = attribute(paths(rows), models, Settings(**settings))
    return out.table.set_index(["model", "channel"])


# "A > B > conversion" twice (worth 100 each), "B > null" once.
SIMPLE = [("A > B", 2, 200.0, 0), ("B", 0, 0.0, 1)]

# model -> (credit to A, credit to B) in conversions, worked out by hand (see each test)
EXPECTED = {
    "first_touch": (2, 0),
    "last_touch": (0, 2),
    "linear": (1, 1),
    "time_decay": (2 / 3, 4 / 3),  # half-life 1 touch: weights 1/2 and 1, so 1/3 and 2/3
    "u_shaped": (1, 1),  # two touches: 50/50
    "w_shaped": (1, 1),  # two touches, no middle: first and last 50/50
    "full_path": (1, 1),  # milestones fall on first and last: 50/50
    # Chain: start->A 2/3, start->B 1/3, A->B 1, B->conv 2/3, B->null 1/3.
    # P(conv) = 2/3. Without A: 1/3 * 2/3 = 2/9, effect 2/3. Without B: 0, effect 1.
    # Shares 0.4 / 0.6 of 2 conversions.
    "markov": (0.8, 1.2),
    # v({}) = 0, v({A}) = 0, v({B}) = 3 journeys * 2/9 = 2/3, v({A,B}) = 2.
    # phi_A = (0 + (2 - 2/3)) / 2 = 2/3, phi_B = (2/3 + 2) / 2 = 4/3.
    "shapley": (2 / 3, 4 / 3),
}


def test_every_registered_model_has_a_hand_check():
    assert set(model_names()) == set(EXPECTED)


@pytest.mark.parametrize("model", sorted(EXPECTED))
def test_simple_journeys_by_hand(model):
    got = credit(SIMPLE, [model], half_life=1.0)
    a, b = EXPECTED[model]
    assert got.loc[(model, "A"), "conversions"] == pytest.approx(a, abs=1e-12)
    assert got.loc[(model, "B"), "conversions"] == pytest.approx(b, abs=1e-12)
    # value: every conversion is worth 100, so value credit is 100 x conversion credit
    assert got.loc[(model, "A"), "value"] == pytest.approx(100 * a, abs=1e-9)
    assert got.loc[(model, "B"), "value"] == pytest.approx(100 * b, abs=1e-9)


FIVE = [("A > B > C > D > E", 1, 10.0, 0)]


@pytest.mark.parametrize("model, shares", [
    ("first_touch", [1, 0, 0, 0, 0]),
    ("last_touch", [0, 0, 0, 0, 1]),
    ("linear", [0.2] * 5),
    # weights 1/16, 1/8, 1/4, 1/2, 1 over their sum 31/16
    ("time_decay", [1 / 31, 2 / 31, 4 / 31, 8 / 31, 16 / 31]),
    ("u_shaped", [0.4, 0.2 / 3, 0.2 / 3, 0.2 / 3, 0.4]),
    # opportunity unknown: the middle touch (5 // 2 = C) is the third anchor
    ("w_shaped", [0.3, 0.05, 0.3, 0.05, 0.3]),
    # lead creation at round(4/3) = B, opportunity at round(8/3) = D
    ("full_path", [0.225, 0.225, 0.1, 0.225, 0.225]),
])
def test_five_touches_by_hand(model, shares):
    got = credit(FIVE, [model], half_life=1.0).loc[model]
    np.testing.assert_allclose(got.loc[list("ABCDE"), "conversions"], shares, atol=1e-12)
    np.testing.assert_allclose(got.loc[list("ABCDE"), "value"], np.array(shares) * 10,
                               atol=1e-9)


def test_repeated_channel_counts_per_touch_and_does_not_loop_the_chain():
    got = credit([("A > A > B", 3, 30.0, 1)], ["linear", "markov"])
    assert got.loc[("linear", "A"), "conversions"] == pytest.approx(2.0)
    assert got.loc[("linear", "B"), "conversions"] == pytest.approx(1.0)
    # the chain ignores A -> A: A and B are each visited by every journey
    assert got.loc[("markov", "A"), "conversions"] == pytest.approx(1.5)
    assert got.loc[("markov", "B"), "conversions"] == pytest.approx(1.5)


def test_single_touch_models_give_it_everything():
    got = credit([("A", 2, 5.0, 0)])
    assert (got["conversions"] == 2).all() and (got["value"] == 5).all()


def test_unknown_model_names_the_closest():
    with pytest.raises(ParamsError, match="did you mean 'markov'|Did you mean 'markov'"):
        credit(SIMPLE, ["markow"])


# ---- Markov and Shapley against an independent computation -------------------------

RICHER = [("A > B", 3, 300.0, 1), ("B > A > C", 1, 50.0, 2), ("C", 0, 0.0, 4),
          ("A > C > A", 2, 80.0, 0), ("C > B", 1, 10.0, 3)]


def _transitions(rows):
    """Transition counts from the rows, in plain Python."""
    moves, conv, val, nul = {}, {}, {}, {}
    for path, c, v, u in rows:
        states = ["start"] + [x.strip() for x in path.split(">")]
        for a, b in zip(states, states[1:]):
            if a != b:
                moves[(a, b)] = moves.get((a, b), 0) + c + u
        last = states[-1]
        conv[last] = conv.get(last, 0) + c
        val[last] = val.get(last, 0) + v
        nul[last] = nul.get(last, 0) + u
    return moves, conv, val, nul


def _converts(rows, keep: set[str], value: bool = False) -> float:
    """Expected conversions (or value) of all journeys when only ``keep`` channels
    exist, by value iteration on the chain."""
    moves, conv, val, nul = _transitions(rows)
    states = {"start"} | {b for _, b in moves}
    out = {s: sum(n for (a, _), n in moves.items() if a == s) + conv.get(s, 0)
           + nul.get(s, 0) for s in states}
    worth = dict.fromkeys(states, 0.0)
    for _ in range(10_000):
        new = {}
        for s in states:
            if s != "start" and s not in keep:
                new[s] = 0.0
                continue
            gain = (val if value else conv).get(s, 0) / out[s]
            gain += sum(n / out[s] * worth[b] for (a, b), n in moves.items() if a == s)
            new[s] = gain
        done = max(abs(new[s] - worth[s]) for s in states) < 1e-15
        worth = new
        if done:
            break
    journeys = sum(c + u for _, c, _, u in rows)
    return worth["start"] * journeys


def test_markov_equals_removal_by_value_iteration():
    channels = {"A", "B", "C"}
    got = credit(RICHER, ["markov"]).loc["markov"]
    for col, value in (("conversions", False), ("value", True)):
        full = _converts(RICHER, channels, value)
        effect = {c: 1 - _converts(RICHER, channels - {c}, value) / full for c in channels}
        total = sum(effect.values())
        for c in channels:
            assert got.loc[c, col] == pytest.approx(effect[c] / total * full, rel=1e-9)


def test_shapley_equals_enumeration_of_orders():
    channels = ["A", "B", "C"]
    got = credit(RICHER, ["shapley"]).loc["shapley"]
    for col, value in (("conversions", False), ("value", True)):
        phi = dict.fromkeys(channels, 0.0)
        for order in itertools.permutations(channels):
            seen: set[str] = set()
            for c in order:
                before = _converts(RICHER, seen, value) if seen else 0.0
                seen.add(c)
                phi[c] += _converts(RICHER, seen, value) - before
        for c in channels:
            assert got.loc[c, col] == pytest.approx(phi[c] / math.factorial(3), rel=1e-9)


def test_chain_reproduces_observed_totals():
    chain = Chain.from_counts(transition_counts(paths(RICHER)))
    conversions, value = chain.totals()[0]
    assert conversions == pytest.approx(7) and value == pytest.approx(440)


def test_sampled_shapley_is_close_and_still_adds_up():
    rng = np.random.default_rng(3)
    names = list("ABCDEF")
    rows = []
    for _ in range(300):
        k = rng.integers(1, 6)
        rows.append((" > ".join(rng.choice(names, k)), float(rng.integers(0, 3)),
                     float(rng.integers(0, 500)), float(rng.integers(0, 3))))
    chain = Chain.from_counts(transition_counts(paths(rows)))
    exact = shapley_values(chain, exact_max=15)
    sampled = shapley_values(chain, exact_max=3, samples=4000, seed=1)
    np.testing.assert_allclose(sampled.sum(axis=1), exact.sum(axis=1), rtol=1e-9)
    np.testing.assert_allclose(sampled, exact, rtol=0.05, atol=0.02 * exact.max())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_model_adds_up_to_the_totals(seed):
    rng = np.random.default_rng(seed)
    names = ["alpha", "beta", "gamma", "delta", "eps"]
    rows = []
    for _ in range(200):
        k = rng.integers(1, 8)
        rows.append((" > ".join(rng.choice(names, k)), float(rng.integers(0, 4)),
                     float(rng.gamma(2, 50)), float(rng.integers(0, 4))))
    rows[0] = (rows[0][0], 1.0, rows[0][2], rows[0][3])  # at least one conversion
    frame = pd.DataFrame(rows, columns=["path", "c", "v", "u"])
    conversions = frame["c"].sum()
    value = frame.loc[frame["c"] > 0, "v"].sum()
    rows = [(p, c, v if c > 0 else 0.0, u) for p, c, v, u in rows]
    got = credit(rows, half_life=2.0).groupby("model")[["conversions", "value"]].sum()
    np.testing.assert_allclose(got["conversions"], conversions, rtol=1e-9)
    np.testing.assert_allclose(got["value"], value, rtol=1e-9)
