"""Appendix: reconciliation, what is missing, quarantine, fixes, glossary, params, files.

The reconciliation and quarantine shown here (and recorded for the Excel sheets
``data_quality``, ``quarantine_reasons``, ``quarantine``) are the same numbers
``leadroi validate`` prints: both read them from the :class:`~leadroi.intake.dataset.Dataset`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from leadroi.canonical import STAGE_COLUMNS
from leadroi.engine import collect
from leadroi.i18n import Catalogue
from leadroi.intake.dataset import Dataset
from leadroi.params import Params
from leadroi.report.tables import ReportTable
from leadroi.report.view import Html, ReportView

__all__ = ["appendix", "missing_inputs", "QUARANTINE_SHOWN", "QUARANTINE_MAX_ROWS"]


QUARANTINE_SHOWN = 20
#: Quarantined rows written to the workbook at most (an Excel sheet holds 1,048,576).
QUARANTINE_MAX_ROWS = 1_000_000


_GLOSSARY = ("cohort_view", "bookings", "same_age", "immature", "leads", "customers",
             "conversion_rate", "stage_conversion", "drop_off", "mql_to_sql", "win_rate",
             "spend", "allocated_spend", "budget", "cpl", "cac", "cac_marketing",
             "cost_per_sql", "gross_margin", "revenue", "avg_deal", "roi", "roas", "clv",
             "clv_measured", "repeat_rate", "retention", "net_revenue_retention",
             "cross_sell_rate", "lifetime_roi", "health_score", "lead_growth", "content_roi",
             "marketing_revenue_share", "ltv_cac", "payback",
             "expected_revenue", "sales_cycle", "time_in_stage",
             "response_time", "time_to_assignment", "stale", "lead_score", "score_auc",
             "predictive_score", "brier", "top_decile_lift", "seniority", "exec_share", "nps",
             "lost_value", "drilldown", "too_few")

#: table -> consequence key (``appendix.<key>``) when the table is not given
_MISSING_TABLES = (("spend", "missing_spend"), ("targets", "missing_targets"),
                   ("touchpoints", "missing_touchpoints"))

#: lead column -> consequence key (``intake.degrade.<key>``) when the leads lack it
_MISSING_COLUMNS = (("won_at", "won_at"), ("amount", "amount"),
                    ("first_contact_at", "first_contact_at"))


def _file_name(path: str) -> str:
    return path if "://" in path else path.replace("\\", "/").rsplit("/", 1)[-1]


def missing_inputs(data: Dataset, t: Catalogue) -> list[str]:
    """Sentences saying which optional tables and lead columns are absent, and what the
    report therefore cannot show."""
    notes = [t("appendix.missing_table", table=name, consequence=t(f"appendix.{key}"))
             for name, key in _MISSING_TABLES if name not in data.tables]
    for column, key in _MISSING_COLUMNS:
        if not data.has("leads", column):
            notes.append(t("intake.degrade.missing_column", column=column,
                           consequence=t(f"intake.degrade.{key}")))
    if not any(data.has("leads", c) for c in STAGE_COLUMNS):
        notes.append(t("intake.degrade.no_stages", stages=", ".join(STAGE_COLUMNS[:7])))
    return notes


def _quality(view: ReportView, data: Dataset) -> Html:
    t = view.t
    q = data.quality.copy()
    q["file"] = q["file"].map(_file_name)
    q["reconciled"] = q["rows_in"] == q["rows_used"] + q["rows_quarantined"]
    out = view.table(ReportTable(
        "data_quality", q, {"table": "text", "file": "text", "rows_in": "int",
                            "rows_used": "int", "rows_quarantined": "int"}),
        title_key="data_quality", takeaway=t("appendix.reconciliation"))
    for _, row in q[~q["reconciled"]].iterrows():  # never expected; said loudly if it is
        out += view.note(t("appendix.reconciliation_broken", **row.to_dict()))
    if data.deals is not None:
        counts = collect(data.deals.aggregate(deals=data.deals.count(),
                                              leads=data.deals.lead_id.nunique())).iloc[0]
        out += view.note(t("intake.appendix.deals_joined", deals=view.fmt.number(
            counts["deals"]), leads=view.fmt.number(counts["leads"])))
    for note in missing_inputs(data, t):
        out += view.note(note)
    return out


def _quarantine(view: ReportView, data: Dataset) -> Html:
    t = view.t
    reasons = data.reasons.copy()
    reasons["reason"] = [t(f"reason.{c}", column=col) for c, col in
                         zip(reasons["code"], reasons["column"])]
    out = view.table(ReportTable("quarantine_reasons", reasons,
                                 {"table": "text", "reason": "text", "rows": "int"}),
                     title_key="quarantine", note=None if len(reasons) else
                     t("appendix.no_quarantine"))
    total = int(data.quality["rows_quarantined"].sum())
    if total and data.quarantine is not None:
        every = collect(data.quarantine.limit(QUARANTINE_MAX_ROWS))
        every["reason"] = [t(f"reason.{c}", column=col) for c, col in
                           zip(every["code"], every["column"])]
        view.record(ReportTable("quarantine", every, {}))
        shown = ReportTable("quarantine_sample", every.head(QUARANTINE_SHOWN),
                            {"table": "text", "row": "int", "column": "text", "value": "text",
                             "reason": "text"})
        note = t("appendix.quarantine_shown", shown=min(total, QUARANTINE_SHOWN), total=total)
        note += " " + t("intake.appendix.row_numbers")
        out += view.table(shown, note=note, record=False)
    return out


def _with_params_file(files: pd.DataFrame, params: Params) -> pd.DataFrame:
    """The input files plus the params file itself (bytes and sha256), so the appendix
    fingerprints every input of the run."""
    source = params.source_file
    if source is None or not Path(source).is_file():
        return files.copy()
    from leadroi.intake.sources import fingerprint

    row = {"table": "params", "file": str(source), "bytes": Path(source).stat().st_size,
           "sha256": fingerprint(source), "detail": "yaml"}
    return pd.concat([pd.DataFrame([row], columns=files.columns), files], ignore_index=True)


def appendix(view: ReportView, data: Dataset, params: Params) -> Html:
    """Appendix: reconciliation, what is missing, quarantine, fixes, glossary, params,
    input files."""
    t = view.t
    out = view.section("appendix") + _quality(view, data) + _quarantine(view, data)
    fixes = data.fixes.copy()
    fixes["fix"] = [t(f"fix.{c}") for c in fixes["code"]]
    out += view.table(ReportTable("fixes", fixes, {"table": "text", "column": "text",
                                                   "fix": "text", "rows": "int"}),
                      title_key="fixes", note=None if len(fixes) else t("appendix.no_fixes"))
    glossary = pd.DataFrame([{"key": k, "metric_name": t(f"glossary.{k}.name"),
                              "formula": t(f"glossary.{k}.formula"),
                              "definition": t(f"glossary.{k}.definition")} for k in _GLOSSARY])
    out += view.table(ReportTable("glossary", glossary, {"metric_name": "text",
                                                         "formula": "text",
                                                         "definition": "text"}),
                      title_key="glossary", note=t("appendix.dash"))
    # the PDF keeps the names and formulas; the definitions and the params listing are
    # pages of text a printed report does not need (the HTML and the workbook have them)
    out += view.paragraph(t("appendix.glossary_print"), "note print-only")
    out += view.subsection("params") + view.preformatted(
        yaml.safe_dump(params.public_dict(), allow_unicode=True, sort_keys=False),
        "screen-only") + view.paragraph(t("appendix.params_print"), "note print-only")
    files = _with_params_file(data.files, params)
    files["file"] = files["file"].map(_file_name)
    out += view.table(ReportTable("files", files, {"table": "text", "file": "text",
                                                   "detail": "text", "bytes": "int",
                                                   "sha256": "text"},
                                  headers={"detail": t("intake.appendix.read_as")}),
                      title_key="files")
    if data.cache is not None:
        status = data.cache
        reason = t(f"intake.appendix.cache_off_reason.{status.why}") \
            if status.state == "off" else ""
        out += view.note(t(f"intake.appendix.cache_{status.state}", entry=status.key[:12],
                           why=status.why, reason=reason))
    return out
