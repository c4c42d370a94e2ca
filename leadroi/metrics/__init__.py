"""Metrics: every number of the report, defined once, computed as Ibis expressions on the
engine; only small results come back to pandas (:func:`leadroi.engine.collect`).

One module per concern:

- :mod:`~leadroi.metrics.cohort` — the cohort view, cut-offs, same-age comparison;
- :mod:`~leadroi.metrics.facts` — the period's lead facts, materialised once;
- :mod:`~leadroi.metrics.drilldown` — one scorecard for any dimension (funnel rates, cost,
  value, bookings, cycle), with Wilson intervals and "too few to judge";
- :mod:`~leadroi.metrics.cost` — spend by month/campaign, budget against actual;
- :mod:`~leadroi.metrics.timing` — response, assignment, time in stage, stale leads;
- :mod:`~leadroi.metrics.quality` — seniority, lead score and its calibration;
- :mod:`~leadroi.metrics.lost` — lost reasons Pareto;
- :mod:`~leadroi.metrics.segment` — executive-lead reports and the non-monetary panel;
- :mod:`~leadroi.metrics.trend` — quarters at the same age.

The funnel itself is :mod:`leadroi.metrics.funnel`.
"""

from __future__ import annotations

from leadroi.metrics.cohort import (
    UNKNOWN,
    cohort,
    cutoff,
    in_period,
    same_age_as_of,
    spend_in,
    targets_for,
)
from leadroi.metrics.cost import budget_vs_actual, spend_by_campaign, spend_by_month
from leadroi.metrics.drilldown import (
    BY_CHANNEL_COLUMNS,
    DRILLDOWN_COLUMNS,
    NO_LEADS,
    by_channel,
    derive,
    drilldown,
    drilldowns,
    kpis,
    totals,
)
from leadroi.metrics.facts import Facts, lead_facts
from leadroi.metrics.lost import lost_by_reason_channel, lost_pareto
from leadroi.metrics.quality import (
    SENIORITY_LEVELS,
    score_auc,
    score_calibration,
    score_expr,
    score_rules,
    score_verdict,
    seniority,
    seniority_mix,
)
from leadroi.metrics.segment import high_rated_unconverted, nonmonetary, segment_dataset
from leadroi.metrics.timing import response_times, stage_times, stale_by_owner, stale_leads
from leadroi.metrics.trend import leads_by_month, quarterly_trend

__all__ = [
    "UNKNOWN", "NO_LEADS", "cohort", "cutoff", "in_period", "same_age_as_of", "spend_in",
    "targets_for", "spend_by_month", "spend_by_campaign", "budget_vs_actual",
    "BY_CHANNEL_COLUMNS", "DRILLDOWN_COLUMNS", "by_channel", "derive", "drilldown",
    "drilldowns", "kpis", "totals", "Facts", "lead_facts", "lost_by_reason_channel",
    "lost_pareto", "SENIORITY_LEVELS", "score_calibration", "score_expr", "score_verdict",
    "score_auc", "score_rules",
    "seniority", "seniority_mix", "high_rated_unconverted", "nonmonetary", "segment_dataset",
    "response_times", "stage_times", "stale_by_owner", "stale_leads", "quarterly_trend",
    "leads_by_month",
]
