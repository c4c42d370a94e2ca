"""One-line takeaways of the metric charts and tables of sections 2 and 3, written from the
numbers. Groups "too few to judge" are never named as best or worst."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from leadroi.i18n import Catalogue
from leadroi.report.formats import Formatter

__all__ = ["funnel_detail", "rates", "revenue_views", "timeline", "stale", "score",
           "score_rules", "seniority", "unit_economics", "budget", "lost", "drill_spread",
           "nonmonetary", "immature"]


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _stage(stage: str, t: Catalogue) -> str:
    return t.get(f"stage.{stage}", stage)


def funnel_detail(bottleneck: dict | None, previous_label: str, *, t: Catalogue,
                  fmt: Formatter) -> str:
    """The bottleneck against the previous period and its target."""
    if not bottleneck:
        return t("takeaway.funnel_none")
    b = bottleneck
    text = t("metric_text.funnel", from_stage=_stage(b["from_stage"], t),
             to_stage=_stage(b["to_stage"], t), drop=fmt.pct(b["drop_off"], 0))
    if not _nan(b["previous_drop_off"]):
        text += " " + t("metric_text.funnel_previous", previous=previous_label,
                        previous_drop=fmt.pct(b["previous_drop_off"], 0))
    if not _nan(b["target"]):
        key = "metric_text.funnel_below" if b["gap_to_target"] < 0 else \
            "metric_text.funnel_above"
        text += " " + t(key, conversion=fmt.pct(1 - b["drop_off"], 0),
                        target=fmt.pct(b["target"], 0))
    return text


def rates(funnel_rates: pd.DataFrame, *, t: Catalogue, fmt: Formatter) -> str:
    r = funnel_rates.set_index("metric")
    return t("metric_text.rates", conversion=fmt.pct(r.loc["conversion_rate", "rate"]),
             mql_sql=fmt.pct(r.loc["mql_to_sql", "rate"]),
             win=fmt.pct(r.loc["win_rate", "rate"]))


def revenue_views(total: pd.Series, period: str, *, t: Catalogue, fmt: Formatter) -> str:
    """Cohort revenue, what the open pipeline should add, and bookings."""
    return t("metric_text.views", revenue=fmt.money(total["revenue"]), period=period,
             expected=fmt.money(total["expected_revenue"]),
             open=fmt.number(total["open_leads"]), bookings=fmt.money(total["bookings_revenue"]))


def immature(by_channel: pd.DataFrame, days: int, *, t: Catalogue) -> str | None:
    young = by_channel[by_channel["immature"] & ~by_channel["too_few"]]["channel"].tolist()
    if not young:
        return None
    return t("metric_text.immature", channels=t("metric_text.sep").join(young), days=days)


def timeline(stage_times: pd.DataFrame, total: pd.Series, *, t: Catalogue,
             fmt: Formatter) -> str:
    overall = stage_times[stage_times["channel"].isna()]
    if overall.empty or _nan(total["cycle_median_days"]):
        return t("metric_text.timeline_none")
    slow = overall.sort_values("median_days").iloc[-1]
    return t("metric_text.timeline", median=fmt.number(total["cycle_median_days"], 0),
             p75=fmt.number(total["cycle_p75_days"], 0), stage=_stage(slow["stage"], t),
             days=fmt.number(slow["median_days"], 1))


def stale(owners: pd.DataFrame, stale_days: int, *, t: Catalogue, fmt: Formatter) -> str:
    total = owners.iloc[-1]
    if not total["stale_leads"]:
        return t("metric_text.stale_none", days=stale_days)
    top = owners.iloc[0]
    return t("metric_text.stale", stale=fmt.number(total["stale_leads"]),
             open=fmt.number(total["open_leads"]), share=fmt.pct(total["stale_share"], 0),
             days=stale_days, value=fmt.money(total["pipeline_value"]), owner=top["owner"],
             owner_stale=fmt.number(top["stale_leads"]))


def score(verdict: dict, *, t: Catalogue, fmt: Formatter) -> str:
    v = verdict
    if v["verdict"] == "too_few":
        return t("metric_text.score_too_few")
    return t(f"metric_text.score_{v['verdict']}", auc=fmt.number(v["auc"], 2),
             low=fmt.number(v["auc_low"], 2), high=fmt.number(v["auc_high"], 2),
             low_band=v["low_band"], low_rate=fmt.pct(v["low_rate"]),
             high_band=v["high_band"], high_rate=fmt.pct(v["high_rate"]))


def score_rules(rules: pd.DataFrame, *, t: Catalogue, fmt: Formatter) -> str | None:
    judged = rules[~rules["too_few"] & rules["lift"].notna()]
    if judged.empty:
        return None
    best = judged.sort_values("lift").iloc[-1]
    heavy = judged.sort_values("points").iloc[-1]
    name = t.get(f"score_rule.{best['rule']}", best["rule"])
    if heavy["rule"] == best["rule"]:
        return t("metric_text.rules_agree", rule=name, lift=fmt.number(best["lift"], 1))
    return t("metric_text.rules", rule=name, lift=fmt.number(best["lift"], 1),
             heavy=t.get(f"score_rule.{heavy['rule']}", heavy["rule"]),
             points=fmt.number(heavy["points"]), heavy_lift=fmt.number(heavy["lift"], 1))


def seniority(mix: pd.DataFrame, *, t: Catalogue, fmt: Formatter) -> str:
    judged = mix[mix["channel"].notna() & ~mix["too_few"]]
    if judged.empty:
        return t("metric_text.seniority_none")
    top, low = judged.iloc[0], judged.iloc[-1]
    return t("metric_text.seniority", top=top["channel"], top_share=fmt.pct(top["exec_share"], 0),
             low=low["channel"], low_share=fmt.pct(low["exec_share"], 0),
             share=fmt.pct(mix.iloc[-1]["exec_share"], 0))


def unit_economics(bc: pd.DataFrame, total: pd.Series, healthy: float, *, t: Catalogue,
                   fmt: Formatter) -> str:
    judged = bc[~bc["too_few"] & bc["ltv_cac"].notna()]
    if judged.empty:
        return t("takeaway.spend_none")
    below = judged[judged["ltv_cac"] < healthy].sort_values("ltv_cac")["channel"].tolist()
    text = t("metric_text.ltv", ratio=fmt.number(total["ltv_cac"], 1),
             payback=fmt.number(total["payback_months"], 1), healthy=f"{healthy:g}")
    if below:
        text += " " + t("metric_text.ltv_below", channels=t("metric_text.sep").join(below),
                        healthy=f"{healthy:g}")
    return text


def budget(table: pd.DataFrame, *, t: Catalogue, fmt: Formatter) -> str:
    overall = table[table["channel"].isna()]
    row = overall.iloc[0] if len(overall) else None
    per = table[table["channel"].notna()]
    over = per[per["used"] > 1.05].sort_values("used", ascending=False)
    text = t("metric_text.budget", actual=fmt.money(row["actual"]),
             budget=fmt.money(row["budget"]), used=fmt.pct(row["used"], 0)) \
        if row is not None else ""
    if len(over):
        text += (" " if text else "") + t("metric_text.budget_over", channels=t(
            "metric_text.sep").join(
            f"{c} {fmt.pct(u, 0)}" for c, u in zip(over["channel"], over["used"])))
    return text or t("metric_text.budget_ok")


def lost(pareto: pd.DataFrame, *, t: Catalogue, fmt: Formatter) -> str:
    if pareto.empty:
        return t("metric_text.lost_none")
    top = pareto.iloc[0]
    n = int(np.searchsorted(pareto["cumulative_share"].to_numpy(), 0.8) + 1)
    return t("metric_text.lost", reason=top["reason"], share=fmt.pct(top["share"], 0),
             value=fmt.money(top["lost_value"]), channel=top["top_channel"],
             n=min(n, len(pareto)), total=len(pareto))


def drill_spread(drills: dict[str, pd.DataFrame], dims: list[str], labels: dict, *,
                 t: Catalogue, fmt: Formatter) -> str | None:
    """The dimension whose judged groups differ most in conversion."""
    best = None
    for dim in dims:
        df = drills[dim].iloc[:-1]
        judged = df[~df["too_few"] & df["leads"].gt(0)]
        if len(judged) < 2:
            continue
        hi = judged.loc[judged["conversion_rate"].idxmax()]
        lo = judged.loc[judged["conversion_rate"].idxmin()]
        ratio = hi["conversion_rate"] / lo["conversion_rate"] if lo["conversion_rate"] else \
            np.inf
        if best is None or ratio > best[0]:
            best = (ratio, dim, hi, lo)
    if best is None:
        return None
    _, dim, hi, lo = best
    return t("metric_text.spread", dimension=t(f"dimension.{dim}"),
             best=labels[dim](hi["group"]), best_rate=fmt.pct(hi["conversion_rate"]),
             worst=labels[dim](lo["group"]), worst_rate=fmt.pct(lo["conversion_rate"]))


def nonmonetary(panel: pd.DataFrame, *, t: Catalogue, fmt: Formatter) -> str:
    total = panel.iloc[-1]
    return t("metric_text.nonmonetary", nps=fmt.number(total["nps"], 0),
             responses=fmt.number(total["nps_responses"]),
             high=fmt.number(total["high_rated"]),
             unconverted=fmt.number(total["unconverted_high_rated"]))
