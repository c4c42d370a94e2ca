import numpy as np
import pytest

from leadroi.stats import safe_div, wilson_interval


@pytest.mark.parametrize("k, n, low, high", [
    # reference values of the Wilson score interval (z = 1.96), computed by hand
    (5, 10, 0.2366, 0.7634),
    (0, 10, 0.0, 0.2775),
    (10, 10, 0.7225, 1.0),
    (40, 500, 0.0593, 0.1071),
    (1, 1, 0.2065, 1.0),
])
def test_wilson_reference(k, n, low, high):
    lo, hi = wilson_interval([k], [n])
    assert lo[0] == pytest.approx(low, abs=1e-4)
    assert hi[0] == pytest.approx(high, abs=1e-4)


def test_wilson_zero_trials_is_nan():
    lo, hi = wilson_interval([0], [0])
    assert np.isnan(lo[0]) and np.isnan(hi[0])


def test_safe_div_never_infinite():
    out = safe_div(np.array([1.0, 0.0, 2.0]), np.array([0.0, 0.0, 4.0]))
    assert np.isnan(out[0]) and np.isnan(out[1]) and out[2] == 0.5
    assert np.isnan(safe_div(3.0, 0.0))
    assert safe_div(3.0, 2.0) == 1.5
