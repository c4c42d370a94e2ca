"""Section 4: recommendations with evidence and confidence, and the action plan."""

from __future__ import annotations

import pandas as pd

from leadroi.analysis import QuarterResults
from leadroi.sections._common import rec_texts
from leadroi.tables import ReportTable
from leadroi.view import Html, ReportView

__all__ = ["recommendations_section"]


def recommendations_section(view: ReportView, r: QuarterResults) -> Html:
    """4 Recommendations: each with evidence and confidence, then the action plan."""
    texts = rec_texts(view, r)
    out = view.section("recommendations")
    out += view.subsection("recommendations") + view.recommendations(texts)
    rows = pd.DataFrame(texts, columns=["conclusion", "action", "owner", "deadline", "metric",
                                        "baseline", "target", "confidence", "evidence"])
    rows.insert(0, "rule", [rec.rule for rec in r.recommendations])
    rows.insert(1, "subject", [rec.subject for rec in r.recommendations])
    kinds = {c: "text" for c in ("conclusion", "action", "owner", "deadline", "metric",
                                 "baseline", "target")}
    out += view.table(ReportTable("actions", rows, kinds), title_key="actions")
    return out
