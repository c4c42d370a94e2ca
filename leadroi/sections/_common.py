"""Helpers shared by the sections."""

from __future__ import annotations

from leadroi import narrative
from leadroi.analysis import QuarterResults
from leadroi.view import ReportView


def rec_texts(view: ReportView, r: QuarterResults) -> list[dict]:
    return [narrative.recommendation_text(rec, t=view.t, fmt=view.fmt,
                                          sla_hours=view.params.response_sla_hours)
            for rec in r.recommendations]
