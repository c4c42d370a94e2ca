"""Section 4: last quarter's actions reviewed, recommendations with evidence and
confidence, the action plan (carried into next quarter's params by ``leadroi new``), and
the budget reallocation what-if."""

from __future__ import annotations

import pandas as pd

from leadroi.decide.actions import action_items
from leadroi.report.quarterly import QuarterResults
from leadroi.report.sections._common import rec_texts
from leadroi.report.sections.actions_review import actions_review
from leadroi.report.tables import ReportTable
from leadroi.report.view import Html, ReportView

__all__ = ["recommendations_section", "whatif_block"]


def _action_plan(view: ReportView, r: QuarterResults, texts: list[dict]) -> Html:
    rows = pd.DataFrame(texts, columns=["conclusion", "action", "owner", "deadline", "metric",
                                        "baseline", "target", "confidence", "evidence"])
    rows.insert(0, "rule", [rec.rule for rec in r.recommendations])
    rows.insert(1, "subject", [rec.subject for rec in r.recommendations])
    items = pd.DataFrame(action_items(r.recommendations, texts, r.period.label),
                         columns=["metric", "dimension", "baseline", "target", "direction"])
    for col in items.columns:  # the plan as data, for `leadroi new` and the workbook
        rows[f"plan_{col}"] = items[col].to_numpy()
    kinds = {c: "text" for c in ("conclusion", "action", "owner", "deadline", "metric",
                                 "baseline", "target")}
    return view.table(ReportTable("actions", rows, kinds), title_key="actions")


def whatif_block(view: ReportView, r: QuarterResults) -> Html:
    """The budget reallocation what-if: before/after by channel and the assumptions."""
    t, fmt = view.t, view.fmt
    out = view.subsection("whatif")
    w = r.whatif
    if w is None:
        return out + view.note(t("decisions.takeaway.whatif_none"))
    d = w.table
    body = d.iloc[:-1]
    quarters = dict(zip(r.comparison.elasticity["channel"], r.comparison.elasticity[
        "quarters"])) if r.comparison is not None and len(r.comparison.elasticity) else {}
    data = d.assign(channel=list(body["channel"]) + [t("decisions.role.total")],
                    role_text=[t(f"decisions.role.{x}") for x in d["role"]],
                    assumption=[t("decisions.fitted", b=f"{b:.2f}", quarters=quarters.get(c))
                                if f is True else t("decisions.constant") if f is False
                                else "" for c, b, f in zip(d["channel"], d["b"], d["fitted"])])
    total = w.total
    takeaway = t("decisions.takeaway.whatif", moved=fmt.money(w.moved),
                 donors=", ".join(body[body["role"] == "from"]["channel"]),
                 receivers=", ".join(body[body["role"] == "to"]["channel"]),
                 revenue=fmt.money(total["revenue_after"] - total["revenue"]),
                 roi_before=fmt.pct(total["roi"], 0), roi_after=fmt.pct(total["roi_after"], 0))
    s = w.settings
    cols = ["channel", "role_text", "spend", "spend_after", "leads", "leads_after",
            "customers_after", "revenue", "revenue_after", "roi", "roi_after", "assumption"]
    kinds = dict(zip(cols, ["text", "text", "money", "money", "int", "int", "int", "money",
                            "money", "pct_plain", "pct_plain", "text"]))
    headers = {c: t(f"decisions.col.{c.removesuffix('_text')}") for c in cols}
    headers["leads"] = t("decisions.col.leads")
    out += view.table(ReportTable("whatif", data, kinds, headers=headers,
                                  row_classes=[""] * len(body) + ["total"]),
                      takeaway=takeaway, note=t(
                          "decisions.whatif_assumptions", min=s.min_quarters,
                          cap=fmt.pct(s.max_increase, 0), share=fmt.pct(s.move_share, 0)))
    return out


def recommendations_section(view: ReportView, r: QuarterResults) -> Html:
    """4 Recommendations: last quarter's actions reviewed, each recommendation with
    evidence and confidence, the action plan, the what-if."""
    texts = rec_texts(view, r)
    out = view.section("recommendations")
    out += actions_review(view, r)
    out += view.subsection("recommendations") + view.recommendations(texts)
    out += _action_plan(view, r, texts)
    if r.has_spend:
        out += whatif_block(view, r)
    return out
