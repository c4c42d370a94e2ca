"""Section 3, customer value: which channel brings customers who stay and buy again
(seed 000) — repeat, retention and cross-sell rates, lifetime value measured from the
deal history with its range, lifetime ROI beside first-deal ROI, the retention curve and
cohort table, and the customer health score (seed 003)
(:func:`leadroi.metrics.customer_value.customer_value`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadroi.metrics.customer_value import CustomerValue
from leadroi.report import charts
from leadroi.report.quarterly import QuarterResults
from leadroi.report.sections._labels import total_row
from leadroi.report.tables import ReportTable
from leadroi.report.view import Html, ReportView

__all__ = ["customer_value_subsection", "RETENTION_MONTHS"]

#: Months since the first win shown in the report's cohort table (all go to the workbook).
RETENTION_MONTHS = (1, 3, 6, 9, 12, 18, 24)


def _channel_rows(view: ReportView, cv: CustomerValue) -> pd.DataFrame:
    t = view.t
    rows = pd.concat([cv.group("channel"), cv.by_group[cv.by_group["dimension"] == "all"]],
                     ignore_index=True)
    return rows.assign(group=[t("total") if pd.isna(g) else g for g in rows["group"]],
                       basis=[t(f"cv.basis.{b}") for b in rows["clv_basis"]])


def _takeaway(view: ReportView, cv: CustomerValue) -> str:
    t, fmt = view.t, view.fmt
    rows = cv.group("channel")
    judged = rows[(rows["clv_basis"] == "measured") & rows["retention_12m"].notna()]
    if len(judged) < 2:
        return t("cv.takeaway_few")
    judged = judged.sort_values(["retention_12m", "group"], ascending=[False, True])
    best, worst = judged.iloc[0], judged.iloc[-1]
    return t("cv.takeaway", best=best["group"], best_retention=fmt.pct(best["retention_12m"], 0),
             best_clv=fmt.money(best["clv"]), worst=worst["group"],
             worst_retention=fmt.pct(worst["retention_12m"], 0),
             worst_clv=fmt.money(worst["clv"]))


def _curve_takeaway(view: ReportView, cv: CustomerValue) -> str:
    t, fmt = view.t, view.fmt
    total = cv.curve[cv.curve["channel"].isna()].set_index("month")["retention"]
    at = [m for m in (12, 6, 3) if m in total.index and np.isfinite(total.get(m, np.nan))]
    if not at:
        return t("cv.curve_few")
    return t("cv.curve_takeaway", months=at[0], share=fmt.pct(total[at[0]], 0),
             churn=cv.settings.churn_months)


def _cohorts(view: ReportView, cv: CustomerValue) -> Html:
    t = view.t
    view.record(ReportTable("retention", cv.retention, {}))
    logo = cv.retention[cv.retention["measure"] == "logo_retention"]
    months = [m for m in RETENTION_MONTHS if f"m{m}" in logo.columns
              and logo[f"m{m}"].notna().any()]
    if logo.empty or not months:
        return Html("")
    churn = cv.settings.churn_months
    shown = logo[["cohort", "customers"]].copy()
    for m in months:  # a provisional cell (customers not yet able to lapse) gets a '*'
        shown[f"m{m}"] = [view.fmt.pct(v, 0) + ("*" if age < m + churn and v == v else "")
                          for v, age in zip(logo[f"m{m}"], logo["min_age"])]
    kinds = {"cohort": "text", "customers": "int", **{f"m{m}": "text" for m in months}}
    headers = {f"m{m}": t("cv.month_col", months=m) for m in months}
    nrr = cv.retention[cv.retention["measure"] == "net_revenue_retention"]
    return view.table(ReportTable("retention_shown", shown, kinds, headers=headers),
                      title_key="cv_cohorts", record=False,
                      takeaway=_nrr_takeaway(view, nrr),
                      note=t("cv.cohort_note", churn=churn))


def _nrr_takeaway(view: ReportView, nrr: pd.DataFrame) -> str | None:
    t, fmt = view.t, view.fmt
    for m in (12, 9, 6):
        col = f"m{m}"
        if col in nrr.columns and nrr[col].notna().any():
            values = nrr[col].dropna()
            return t("cv.nrr_takeaway", months=m, low=fmt.pct(values.min(), 0),
                     high=fmt.pct(values.max(), 0))
    return None


def _health(view: ReportView, cv: CustomerValue) -> Html:
    t, fmt = view.t, view.fmt
    h = cv.settings.health
    health = cv.health.assign(channel=[t("total") if pd.isna(c) else c
                                       for c in cv.health["channel"]])
    view.record(ReportTable("customer_health", health, {}))
    view.record(ReportTable("cross_sell_candidates", cv.candidates, {}))
    total = cv.health[cv.health["channel"].isna()].iloc[0]
    rules = t("cv.health_rules", recency=" / ".join(str(d) for d in h.recency_days),
              frequency=" / ".join(str(n) for n in h.frequency),
              value=" / ".join(fmt.money(v) for v in h.value), healthy=h.healthy,
              at_risk=h.at_risk)
    return view.table(ReportTable(
        "customer_health_shown", health,
        {"channel": "text", "customers": "int", "healthy_share": "pct_plain",
         "watch_share": "pct_plain", "at_risk_share": "pct_plain", "mean_points": "num",
         "candidates": "int"}, row_classes=total_row(len(health))),
        title_key="cv_health", record=False, note=rules,
        takeaway=t("cv.health_takeaway", healthy=fmt.pct(total["healthy_share"], 0),
                   at_risk=fmt.pct(total["at_risk_share"], 0),
                   candidates=fmt.number(total["candidates"])))


def customer_value_subsection(view: ReportView, r: QuarterResults) -> Html:
    """Customer value by channel, the retention curve and cohorts, the health score."""
    t, fmt = view.t, view.fmt
    cv = r.customer_value
    if cv is None or not cv.total["customers"]:
        return Html("")
    view.record(ReportTable("customer_value", cv.by_group, {}))
    out = view.subsection("customer_value")
    total = cv.total
    if not cv.has_history:
        repeat = f"{view.params.value.repeat_purchases:g}"
        return out + view.note(t("cv.no_history", repeat=repeat))
    out += view.paragraph(t("cv.how", horizon=cv.horizon_months,
                            customers=fmt.number(total["customers"]),
                            observed=fmt.number(total["observed"]),
                            minimum=cv.settings.min_customers))
    data = _channel_rows(view, cv)
    kinds = {"group": "text", "observed": "int", "repeat_rate": "pct_range",
             "retention_12m": "pct_range", "cross_sell_rate": "pct", "clv": "money_range",
             "basis": "text", "ltv_cac": "num", "roi": "pct_plain", "lifetime_roi": "pct_plain"}
    classes = ["muted" if few else "" for few in data["too_few"].iloc[:-1]] + ["total"]
    out += view.table(ReportTable(
        "customer_value_by_channel", data, kinds, row_classes=classes,
        headers={"group": t("col.channel"), "basis": t("col.clv_basis"),
                 "roi": t("col.first_deal_roi")}),
        title_key="cv_by_channel", record=False, takeaway=_takeaway(view, cv),
        note=t("cv.table_note", horizon=cv.horizon_months,
               repeat=f"{view.params.value.repeat_purchases:g}"))
    ax = charts.plot_retention_curve(cv.curve, palette=view.palette, fmt=fmt, t=t)
    out += view.chart(ax, _curve_takeaway(view, cv))
    out += _cohorts(view, cv)
    return out + _health(view, cv)
