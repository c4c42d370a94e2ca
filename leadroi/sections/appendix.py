"""Appendix: reconciliation, quarantine, fixes, glossary, params, input files."""

from __future__ import annotations

import pandas as pd
import yaml

from leadroi.dataset import Dataset
from leadroi.engine import collect
from leadroi.params import Params
from leadroi.tables import ReportTable
from leadroi.view import Html, ReportView

__all__ = ["appendix", "QUARANTINE_SHOWN"]


QUARANTINE_SHOWN = 20


_GLOSSARY = ("cohort_view", "bookings", "same_age", "immature", "leads", "customers",
             "conversion_rate", "stage_conversion", "drop_off", "mql_to_sql", "win_rate",
             "spend", "allocated_spend", "budget", "cpl", "cac", "cac_marketing",
             "cost_per_sql", "gross_margin", "revenue", "avg_deal", "roi", "roas", "clv",
             "ltv_cac", "payback", "expected_revenue", "sales_cycle", "time_in_stage",
             "response_time", "time_to_assignment", "stale", "lead_score", "score_auc",
             "seniority", "exec_share", "nps", "lost_value", "drilldown", "too_few")


def appendix(view: ReportView, data: Dataset, params: Params) -> Html:
    """Appendix: reconciliation, quarantine, fixes, glossary, params, input files."""
    t = view.t
    out = view.section("appendix")
    q = data.quality.copy()
    q["file"] = q["file"].map(lambda f: f.replace("\\", "/").rsplit("/", 1)[-1])
    q["reconciled"] = q["rows_in"] == q["rows_used"] + q["rows_quarantined"]
    out += view.table(ReportTable(
        "data_quality", q, {"table": "text", "file": "text", "rows_in": "int",
                            "rows_used": "int", "rows_quarantined": "int"}),
        title_key="data_quality", takeaway=t("appendix.reconciliation"))
    for name, key in (("spend", "missing_spend"), ("targets", "missing_targets"),
                      ("touchpoints", "missing_touchpoints")):
        if name not in data.tables:
            out += view.note(t("appendix.missing_table", table=name,
                               consequence=t(f"appendix.{key}")))
    reasons = data.reasons.copy()
    reasons["reason"] = [t(f"reason.{c}", column=col) for c, col in
                         zip(reasons["code"], reasons["column"])]
    out += view.table(ReportTable("quarantine_reasons", reasons,
                                  {"table": "text", "reason": "text", "rows": "int"}),
                      title_key="quarantine", note=None if len(reasons) else
                      t("appendix.no_quarantine"))
    total = int(data.quality["rows_quarantined"].sum())
    if total:
        sample = collect(data.quarantine.limit(QUARANTINE_SHOWN))
        sample["reason"] = [t(f"reason.{c}", column=col) for c, col in
                            zip(sample["code"], sample["column"])]
        view.record(ReportTable("quarantine", collect(data.quarantine), {}))
        shown = ReportTable("quarantine_sample", sample,
                            {"table": "text", "row": "int", "column": "text", "value": "text",
                             "reason": "text"})
        out += view.table(shown, note=t("appendix.quarantine_shown", shown=len(sample),
                                        total=total), record=False)
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
    out += view.subsection("params") + view.preformatted(
        yaml.safe_dump(params.public_dict(), allow_unicode=True, sort_keys=False))
    files = data.files.copy()
    files["file"] = files["file"].map(lambda f: f.replace("\\", "/").rsplit("/", 1)[-1])
    out += view.table(ReportTable("files", files, {"table": "text", "file": "text",
                                                   "bytes": "int", "sha256": "text"}),
                      title_key="files")
    return out
