"""Comparison: period over period (QoQ, YoY, vs target), the significance of a rate
change between any two groups, the split of a revenue change into volume, mix,
conversion and deal-size effects, and trends over every available quarter.

- :mod:`~leadroi.compare.significance` — two-proportion test, plain verdicts;
- :mod:`~leadroi.compare.decompose` — exact (Shapley) revenue change decomposition;
- :mod:`~leadroi.compare.periods` — headline and by-channel period comparison;
- :mod:`~leadroi.compare.trend` — channel × quarter trend, saturation, diminishing returns;
- :mod:`~leadroi.compare.results` — :func:`compare`, everything above for one report.
"""

from leadroi.compare.decompose import FACTORS, revenue_decomposition, shapley_effects
from leadroi.compare.periods import (
    HEADLINE,
    LOWER_IS_BETTER,
    channel_comparison,
    headline_comparison,
)
from leadroi.compare.results import Comparison, compare
from leadroi.compare.significance import (
    RATES,
    VERDICTS,
    group_tests,
    rate_test,
    rate_tests,
    verdict_of,
)
from leadroi.compare.trend import available_quarters, channel_trend, elasticity, saturation

__all__ = [
    "FACTORS", "revenue_decomposition", "shapley_effects", "HEADLINE", "LOWER_IS_BETTER",
    "channel_comparison", "headline_comparison", "Comparison", "compare", "RATES",
    "VERDICTS", "group_tests", "rate_test", "rate_tests", "verdict_of",
    "available_quarters", "channel_trend", "elasticity", "saturation",
]
