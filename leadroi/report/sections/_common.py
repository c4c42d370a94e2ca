"""Helpers shared by the sections."""

from __future__ import annotations

from leadroi.report import decisions, narrative
from leadroi.report.quarterly import QuarterResults
from leadroi.report.view import ReportView


def rec_texts(view: ReportView, r: QuarterResults) -> list[dict]:
    """Wording of each recommendation: the rules of :mod:`leadroi.report.decisions` there, the
    channel, funnel and response rules in :mod:`leadroi.report.narrative`."""
    return [decisions.recommendation_text(rec, t=view.t, fmt=view.fmt)
            if rec.rule in decisions.RULE_TEXTS else
            narrative.recommendation_text(rec, t=view.t, fmt=view.fmt,
                                          sla_hours=view.params.response_sla_hours)
            for rec in r.recommendations]
