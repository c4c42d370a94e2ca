"""Wording of the decision parts: significance verdicts in plain words, the
recommendations of the strategy/content and executive-lead rules, tracking metrics and
the action review, the what-if's assumptions. All text comes from the catalogue
(``decisions.*``); this module only picks the sentence and fills in the figures."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from leadroi.decide.rules import Recommendation
from leadroi.i18n import Catalogue
from leadroi.report.formats import Formatter

__all__ = ["verdict_text", "RULE_TEXTS", "recommendation_text", "metric_name",
           "metric_value", "group_label"]


def verdict_text(verdict: str, p_value: float | None, t: Catalogue) -> str:
    """``likely real (p = 0.003)``, ``could be noise (p = 0.41)`` or ``too few to judge``.

    Examples
    --------
    >>> from leadroi.i18n import catalogue
    >>> verdict_text("could_be_noise", 0.4123, catalogue("en"))
    'could be noise (p = 0.41)'
    """
    words = t(f"decisions.verdict.{verdict}")
    if verdict == "too_few" or p_value is None or math.isnan(p_value):
        return words
    p = "< 0.001" if p_value < 0.001 else f"{p_value:.3f}" if p_value < 0.01 \
        else f"{p_value:.2f}"
    return t("decisions.verdict_p", verdict=words, p=p)


def group_label(value: str, dimension: str, t: Catalogue) -> str:
    """A group's display name (seniority levels are translated)."""
    return t.get(f"seniority.{value}", value) if dimension == "seniority" else str(value)


def metric_name(metric: str, subject: str, t: Catalogue, dimension: str | None = None) -> str:
    """The tracking metric's name, e.g. ``ROI of Cold email``."""
    if metric == "stage_conversion":
        subject = t.get(f"stage.{subject}", subject)
    elif dimension:
        subject = group_label(subject, dimension, t)
    return t(f"decisions.metric.{metric}", subject=subject or t("decisions.all"))


def metric_value(metric: str, value: float, fmt: Formatter) -> str:
    """A tracking metric's value in its unit (rates as %, money, counts)."""
    from leadroi.decide.actions import METRIC_KINDS

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    kind = METRIC_KINDS.get(metric, "pct")
    return {"pct": lambda v: fmt.pct(v, 1), "int": fmt.number, "money": fmt.money}[kind](value)


def _promote(rec: Recommendation, t: Catalogue, fmt: Formatter) -> dict:
    ev = rec.evidence
    dim = rec.dimension or ""
    return dict(subject=group_label(rec.subject, dim, t), dimension=t(f"dimension.{dim}"),
                rate=fmt.pct(ev["rate"]), rest=fmt.pct(ev["rest_rate"]),
                lift=fmt.pct(ev["lift"], 0), verdict=verdict_text(ev["verdict"],
                                                                  ev["p_value"], t),
                successes=fmt.number(ev["successes"]), trials=fmt.number(ev["trials"]),
                worst=ev.get("worst", "—"))


def _executive(rec: Recommendation, t: Catalogue, fmt: Formatter) -> dict:
    ev = rec.evidence
    return dict(pool=fmt.number(ev["pool"]), open=fmt.number(ev["pool_open"]),
                value=fmt.money(ev["pool_value"]), exec_leads=fmt.number(ev["exec_leads"]),
                exec_customers=fmt.number(ev["exec_customers"]),
                conversion=fmt.pct(ev["conversion"]), exec_revenue=fmt.money(
                    ev["exec_revenue"]), per_exec=fmt.money(ev.get("per_exec", np.nan)),
                per_other=fmt.money(ev.get("per_other", np.nan)),
                ratio=f"{ev.get('ratio', np.nan):.1f}", top=ev.get("top", ""))


def _priority(rec: Recommendation, t: Catalogue, fmt: Formatter) -> dict:
    ev = rec.evidence
    return dict(leads=fmt.number(ev["leads"]), value=fmt.money(ev["value"]),
                probability=fmt.pct(ev["probability"], 0), auc=f"{ev['auc']:.2f}",
                rules_auc=f"{ev['rules_auc']:.2f}", open=fmt.number(ev["open_leads"]))


def _retain(rec: Recommendation, t: Catalogue, fmt: Formatter) -> dict:
    ev = rec.evidence
    return dict(channel=rec.subject, retention=fmt.pct(ev["retention"], 0),
                low=fmt.pct(ev["retention_low"], 0), high=fmt.pct(ev["retention_high"], 0),
                overall=fmt.pct(ev["overall"], 0), roi=fmt.pct(ev["roi"], 0),
                lifetime_roi=fmt.pct(ev["lifetime_roi"], 0),
                repeat=fmt.pct(ev["repeat_rate"], 0),
                overall_repeat=fmt.pct(ev["overall_repeat"], 0),
                customers=fmt.number(ev["customers"]), clv=fmt.money(ev["clv"]),
                overall_clv=fmt.money(ev["overall_clv"]))


def _cross_sell(rec: Recommendation, t: Catalogue, fmt: Formatter) -> dict:
    ev = rec.evidence
    return dict(candidates=fmt.number(ev["candidates"]), rate=fmt.pct(ev["rate"], 0),
                customers=fmt.number(ev["customers"]), value=fmt.money(ev["value"]),
                shown=fmt.number(ev["shown"]))


#: rule -> function(rec, t, fmt) -> placeholder values of its sentences
RULE_TEXTS = {"promote_group": _promote, "nurture_pool": _executive,
              "dedicated_team": _executive, "call_priority_leads": _priority,
              "retain_channel_customers": _retain, "nurture_cross_sell": _cross_sell}


def recommendation_text(rec: Recommendation, *, t: Catalogue, fmt: Formatter) -> dict:
    """Wording of a recommendation of a rule in :data:`RULE_TEXTS`, in the shape of
    :func:`leadroi.report.narrative.recommendation_text`."""
    values = RULE_TEXTS[rec.rule](rec, t, fmt)
    key = f"decisions.rec.{rec.rule}"
    sign = "≥" if rec.direction == "up" else "≤"
    return {"conclusion": t(f"{key}.conclusion", **values),
            "action": t(f"{key}.action", **values),
            "evidence": t(f"{key}.evidence", **values), "owner": rec.owner,
            "deadline": fmt.date(rec.deadline),
            "metric": metric_name(rec.metric, rec.subject, t, rec.dimension),
            "baseline": metric_value(rec.metric, rec.baseline, fmt),
            "target": f"{sign}\u00a0{metric_value(rec.metric, rec.target, fmt)}",
            "confidence": t(f"confidence.{rec.confidence}"), "confidence_key": rec.confidence}


def worst_groups(groups: dict[str, pd.DataFrame], t: Catalogue) -> dict[str, str]:
    """Dimension -> its lowest-converting judged group (for the promote wording)."""
    out = {}
    for dim, tests in groups.items():
        judged = tests[tests["verdict"] != "too_few"]
        if len(judged):
            out[dim] = group_label(judged.iloc[-1]["group"], dim, t)
    return out
