"""Last quarter's actions: each carried-over action's tracking metric — baseline, now,
target — and whether it was met."""

from __future__ import annotations

from leadroi.report.decisions import metric_name, metric_value
from leadroi.report.quarterly import QuarterResults
from leadroi.report.tables import ReportTable
from leadroi.report.view import Html, ReportView

__all__ = ["actions_review"]


def actions_review(view: ReportView, r: QuarterResults) -> Html:
    """The review of the action plan carried in ``actions:`` (nothing when there is none)."""
    t, fmt = view.t, view.fmt
    rev = r.action_review
    if rev is None or rev.empty:
        return Html("")
    sign = {"up": "≥\u00a0", "down": "≤\u00a0"}
    shown = rev.assign(
        tracking=[metric_name(m, s, t, d) for m, s, d in zip(rev["metric"], rev["subject"],
                                                             rev["dimension"])],
        baseline_text=[metric_value(m, v, fmt) for m, v in zip(rev["metric"],
                                                               rev["baseline"])],
        now_text=[metric_value(m, v, fmt) for m, v in zip(rev["metric"], rev["now"])],
        target_text=[sign[d] + metric_value(m, v, fmt) for m, v, d in zip(
            rev["metric"], rev["target"], rev["direction"])],
        status_text=[t(f"decisions.status.{s}") for s in rev["status"]],
        deadline_text=[fmt.date(d) for d in rev["deadline"]])
    cols = {"conclusion": "conclusion", "action": "action", "owner": "owner",
            "deadline_text": "deadline", "tracking": "tracking", "baseline_text": "baseline",
            "now_text": "now", "target_text": "target", "status_text": "status"}
    headers = {c: t(f"decisions.col.{k}", period=r.period.label) for c, k in cols.items()}
    met = int((rev["status"] == "met").sum())
    classes = ["" if s == "met" else "muted" if s == "no_data" else "bad"
               for s in rev["status"]]
    items = view.params.actions
    return view.table(ReportTable(
        "actions_review", shown, {c: "text" for c in cols}, headers=headers,
        row_classes=classes, excel_columns=list(rev.columns)), title_key="actions_review",
        takeaway=t("decisions.takeaway.review", met=met, total=len(rev)),
        note=t("decisions.review_note", period=items[0].period or "—"))
