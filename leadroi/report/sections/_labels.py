"""Display helpers shared by sections 2 and 3: translated group labels and the
``by_<dimension>`` workbook tables."""

from __future__ import annotations

import pandas as pd

from leadroi.i18n import Catalogue
from leadroi.metrics import NO_LEADS, UNKNOWN
from leadroi.report.quarterly import QuarterResults
from leadroi.report.tables import ReportTable
from leadroi.report.view import ReportView

__all__ = ["group_label", "label_groups", "record_drilldowns", "DRILL_KINDS", "total_row"]

#: Columns of a drill-down shown in the report's compact tables, with their kinds.
DRILL_KINDS = {"group": "text", "leads": "int", "customers": "int",
               "conversion_rate": "pct_range", "cac": "money", "revenue": "money",
               "roi": "roi_range"}


def group_label(value, dimension: str, t: Catalogue) -> str | None:
    """A group value as a reader sees it: seniority levels and placeholders translated."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if value == UNKNOWN:
        return t("drill.unknown")
    if value == NO_LEADS:
        return t("drill.no_leads")
    if dimension == "seniority":
        return t.get(f"seniority.{value}", str(value))
    return str(value)


def label_groups(frame: pd.DataFrame, column: str, dimension: str, t: Catalogue,
                 total: str | None = None) -> pd.DataFrame:
    """``frame`` with ``column`` translated (and its missing values, the total row,
    named ``total``)."""
    out = frame.copy()
    labels = [group_label(v, dimension, t) for v in out[column]]
    out[column] = [total if v is None and total is not None else v for v in labels]
    return out


def total_row(n: int) -> list[str]:
    """Row classes marking the last of ``n`` rows as the total."""
    return [""] * (n - 1) + ["total"] if n else []


def record_drilldowns(view: ReportView, r: QuarterResults) -> None:
    """Every drill-down to the workbook as ``by_<dimension>`` (same columns, ids as
    headers in every language)."""
    t = view.t
    for dim, frame in r.drilldowns.items():
        data = label_groups(frame, "group", dim, t, total=t("drill.total"))
        view.record(ReportTable(f"by_{dim}", data, {}))
