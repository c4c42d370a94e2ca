"""The action plan's lifecycle: recommendations become action items (seed 002's
分析结论 / 优化行动 / 责任人 / 完成时间 / 跟踪指标, plus baseline and target), the next
period's params carry them (``leadroi new quarterly``), and the next report reviews each
tracking metric: baseline, now, target, met or not.

Each tracking metric is read from a report's results by a function registered in
:data:`TRACKERS`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from leadroi.decide.rules import Recommendation
from leadroi.params import ActionItem

if TYPE_CHECKING:
    from leadroi.report.quarterly import QuarterResults

__all__ = ["TRACKERS", "tracker", "action_items", "review", "REVIEW_COLUMNS", "METRIC_KINDS"]

#: tracking metric -> function(results, item) -> value now (NaN when not measurable)
TRACKERS: dict[str, Callable[[QuarterResults, ActionItem], float]] = {}
#: tracking metric -> display kind (``pct``, ``int``, ``money``)
METRIC_KINDS = {"roi": "pct", "leads": "int", "stage_conversion": "pct", "sla_rate": "pct",
                "group_conversion": "pct", "exec_conversion": "pct",
                "conversion_rate": "pct", "cac": "money", "cpl": "money",
                "revenue": "money", "customers": "int", "retention_12m": "pct",
                "cross_sell_rate": "pct"}
REVIEW_COLUMNS = ["conclusion", "action", "owner", "deadline", "metric", "subject",
                  "dimension", "baseline", "now", "target", "direction", "status"]


def tracker(*names: str) -> Callable:
    """Decorator registering how to read tracking metric(s) ``names`` from results."""
    def deco(func):
        for name in names:
            TRACKERS[name] = func
        return func
    return deco


def _channel_value(r: QuarterResults, item: ActionItem) -> float:
    if item.subject in ("", "all"):
        return float(r.totals.get(item.metric, np.nan))
    rows = r.by_channel[r.by_channel["channel"] == item.subject]
    return float(rows[item.metric].iloc[0]) if len(rows) else np.nan


tracker("roi", "leads", "conversion_rate", "cac", "cpl", "revenue",
        "customers")(_channel_value)


@tracker("stage_conversion")
def _stage(r: QuarterResults, item: ActionItem) -> float:
    rows = r.funnel[r.funnel["stage"] == item.subject]
    return float(1 - rows["drop_off"].iloc[0]) if len(rows) else np.nan


@tracker("sla_rate")
def _sla(r: QuarterResults, item: ActionItem) -> float:
    if r.response.empty:
        return np.nan
    return float(r.response[r.response["channel"].isna()]["sla_rate"].iloc[0])


@tracker("group_conversion")
def _group(r: QuarterResults, item: ActionItem) -> float:
    drill = r.drilldowns.get(item.dimension or "")
    if drill is None:
        return np.nan
    rows = drill.iloc[:-1][drill.iloc[:-1]["group"].astype(str) == item.subject]
    return float(rows["conversion_rate"].iloc[0]) if len(rows) else np.nan


@tracker("exec_conversion")
def _exec(r: QuarterResults, item: ActionItem) -> float:
    pool = r.comparison.exec_pool if r.comparison is not None else {}
    leads = pool.get("exec_leads", 0)
    return pool["exec_customers"] / leads if leads else np.nan


@tracker("retention_12m", "cross_sell_rate")
def _customer(r: QuarterResults, item: ActionItem) -> float:
    cv = r.customer_value
    if cv is None:
        return np.nan
    rows = cv.by_group[cv.by_group["dimension"] == "all"] if item.subject in ("", "all") \
        else cv.by_group[(cv.by_group["dimension"] == "channel")
                         & (cv.by_group["group"] == item.subject)]
    return float(rows[item.metric].iloc[0]) if len(rows) else np.nan


def _status(now: float, target: float, direction: str) -> str:
    if now is None or math.isnan(now):
        return "no_data"
    met = now >= target - 1e-12 if direction == "up" else now <= target + 1e-12
    return "met" if met else "not_met"


def review(actions: tuple[ActionItem, ...], results: QuarterResults) -> pd.DataFrame:
    """Each carried-over action with its tracking metric now.

    Returns
    -------
    pandas.DataFrame
        :data:`REVIEW_COLUMNS`; ``status`` is ``met``, ``not_met`` or ``no_data`` (the
        metric cannot be read this period, e.g. the channel had no leads).
    """
    rows = []
    for item in actions:
        now = TRACKERS[item.metric](results, item)
        rows.append({**item.model_dump(include=set(REVIEW_COLUMNS)), "now": now,
                     "status": _status(now, item.target, item.direction)})
    return pd.DataFrame(rows, columns=REVIEW_COLUMNS)


def action_items(recs: list[Recommendation], texts: list[dict], period: str) -> list[dict]:
    """The action plan as plain data for the next period's params (``actions:``).

    Parameters
    ----------
    recs : list of Recommendation
    texts : list of dict
        Their wording (``conclusion``, ``action``), same order.
    period : str
        The period the plan was made in.
    """
    out = []
    for rec, text in zip(recs, texts):
        item = {"conclusion": text["conclusion"], "action": text["action"],
                "owner": rec.owner, "deadline": rec.deadline.isoformat(),
                "metric": rec.metric, "subject": rec.subject,
                "baseline": _plain(rec.baseline), "target": _plain(rec.target),
                "direction": rec.direction, "rule": rec.rule, "period": period}
        if rec.dimension:
            item["dimension"] = rec.dimension
        out.append(item)
    return out


def _plain(x: float) -> float | None:
    x = float(x)
    return None if math.isnan(x) else round(x, 6)
