"""Time metrics: response time and SLA attainment, time to assignment, time in each
stage, and stale leads.

Response and assignment times use the cohort (they are short, so a young cohort shows
them fully). Time in stage uses the *flow* of the period: every move into a stage that
happened in the period, whenever the lead was created — a young cohort would only show
its fast moves. The sales cycle (created → won) is measured on the deals won in the
period, in :mod:`leadroi.metrics.drilldown`.
"""

from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd
from ibis.expr.types import Table

from leadroi.engine import collect
from leadroi.intake.dataset import Dataset
from leadroi.metrics.cohort import (
    UNKNOWN,
    cohort,
    cutoff,
    days_between,
    hours_between,
    in_period,
    reached,
)
from leadroi.metrics.facts import Facts
from leadroi.periods import Period
from leadroi.stats import safe_div, wilson_interval

__all__ = ["response_times", "stage_times", "stale_leads", "stale_by_owner",
           "RESPONSE_COLUMNS"]

RESPONSE_COLUMNS = ["channel", "leads", "contacted", "median_hours", "p75_hours",
                    "within_sla", "sla_rate", "sla_rate_low", "sla_rate_high", "assigned",
                    "assign_median_hours", "assign_p75_hours"]


def response_times(data: Dataset, period: Period, as_of: dt.date, *,
                   sla_hours: float = 24.0) -> pd.DataFrame:
    """Lead response time (created -> first contact), SLA attainment and time to
    assignment (created -> assigned) by channel.

    A lead counts against the SLA when it was contacted later than ``sla_hours`` after
    creation, or not at all although it is older than ``sla_hours`` at the cut-off; a
    younger lead not yet contacted is not judged.

    Returns
    -------
    pandas.DataFrame
        :data:`RESPONSE_COLUMNS` (``sla_rate`` with its 95% Wilson interval); ``leads``
        are the judged leads. The last row is all
        channels (``channel`` None). Empty when the leads have no ``first_contact_at``;
        the assignment columns are NaN without ``assigned_at``.
    """
    if not data.has("leads", "first_contact_at"):
        return pd.DataFrame(columns=RESPONSE_COLUMNS)
    co = cohort(data.leads, period, as_of)
    cut = cutoff(as_of)
    contacted = reached(co, "first_contact_at", as_of)
    hours = ibis.ifelse(contacted, hours_between(co.created_at, co.first_contact_at), None)
    due = co.created_at + ibis.interval(minutes=int(sla_hours * 60))
    assigned = reached(co, "assigned_at", as_of)
    assign_h = ibis.ifelse(assigned, hours_between(co.created_at, co.assigned_at), None) \
        if "assigned_at" in co.columns else ibis.null().cast("float64")
    co = co.mutate(_hours=hours, _judged=contacted | (due < cut), _contacted=contacted,
                   _within=contacted & (hours <= sla_hours), _assigned=assigned,
                   _assign_h=assign_h)

    def agg(grouped) -> Table:
        return grouped.aggregate(
            leads=co._judged.sum().cast("int64"), contacted=co._contacted.sum().cast("int64"),
            median_hours=co._hours.median(), p75_hours=co._hours.quantile(0.75),
            within_sla=co._within.sum().cast("int64"),
            assigned=co._assigned.sum().cast("int64"),
            assign_median_hours=co._assign_h.median(),
            assign_p75_hours=co._assign_h.quantile(0.75))

    both = ibis.union(agg(co.group_by(channel=co.channel)),
                      agg(co.group_by(channel=ibis.null().cast("string"))), distinct=False)
    out = collect(both)
    out = pd.concat([out[out["channel"].notna()].sort_values("channel"),
                     out[out["channel"].isna()]], ignore_index=True)
    out["sla_rate"] = safe_div(out["within_sla"], out["leads"])
    out["sla_rate_low"], out["sla_rate_high"] = wilson_interval(out["within_sla"], out["leads"])
    return out[RESPONSE_COLUMNS]


def stage_times(data: Dataset, period: Period, as_of: dt.date,
                stages: tuple[str, ...]) -> pd.DataFrame:
    """Days spent in each funnel stage, by channel, from the moves made in the period.

    The time in a stage is the time from reaching it (creation for the first) to
    reaching the next stage, measured on leads that have both timestamps and whose move
    into the next stage happened in ``period`` (up to the cut-off). A skipped stage has
    no time.

    Returns
    -------
    pandas.DataFrame
        ``channel`` (None: all channels), ``stage`` (the stage waited in: ``created``,
        ``first_contact`` ...), ``next_stage``, ``moves``, ``median_days``,
        ``p75_days``; stages in funnel order.
    """
    leads = data.leads
    present = [s for s in stages if s in leads.columns]
    cols = ["created_at"] + present
    parts = []
    for k in range(1, len(cols)):
        a, b = cols[k - 1], cols[k]
        moved = leads.filter(leads[a].notnull() & in_period(leads[b], period)
                             & reached(leads, b, as_of) & (leads[b] >= leads[a]))
        days = days_between(moved[a], moved[b])
        for channel in (moved.channel, ibis.null().cast("string")):
            parts.append(moved.group_by(channel=channel).aggregate(
                order=ibis.literal(k), stage=ibis.literal(a.removesuffix("_at")),
                next_stage=ibis.literal(b.removesuffix("_at")), moves=moved.count(),
                median_days=days.median(), p75_days=days.quantile(0.75)))
    cols_out = ["channel", "stage", "next_stage", "moves", "median_days", "p75_days"]
    if not parts:
        return pd.DataFrame(columns=cols_out)
    out = collect(ibis.union(*parts, distinct=False))
    out["_all"] = out["channel"].isna()
    out = out.sort_values(["_all", "channel", "order"], na_position="last")
    return out[cols_out].reset_index(drop=True)


def stale_leads(facts: Facts, *, stale_days: int = 30) -> pd.DataFrame:
    """Open cohort leads whose last stage change is more than ``stale_days`` before the
    cut-off (seed 002: leads without progress for 30 days go cold).

    Returns
    -------
    pandas.DataFrame
        ``lead_id, lead_name, channel, owner, stage, last_change, days_idle,
        pipeline_value`` (historical win rate from its stage × expected deal: what the
        lead would be worth revived), most idle first.
    """
    f = facts.table
    stale = f.filter(f._open & (f._idle_days > stale_days))
    out = collect(stale.select(
        "lead_id", "lead_name", "channel", owner=stale.owner.fill_null(UNKNOWN),
        stage=stale._stage, last_change=stale._last_change,
        days_idle=stale._idle_days.floor().cast("int64"),
        pipeline_value=stale._pipeline).order_by([ibis.desc("days_idle"), "lead_id"]))
    names = ["created"] + facts.stages
    out["stage"] = [names[int(i)] for i in out["stage"]]
    return out


def stale_by_owner(facts: Facts, stale: pd.DataFrame) -> pd.DataFrame:
    """Stale leads by owner: ``owner, open_leads, stale_leads, stale_share`` (with
    ``_low``/``_high``, 95% Wilson), ``median_days_idle, pipeline_value`` (of the stale
    leads), most stale first; last row all owners (``owner`` None)."""
    f = facts.table
    o = f.filter(f._open)
    open_by = collect(o.group_by(owner=o.owner.fill_null(UNKNOWN)).aggregate(
        open_leads=o.count()))
    by = stale.groupby("owner").agg(
        stale_leads=("lead_id", "size"), median_days_idle=("days_idle", "median"),
        pipeline_value=("pipeline_value", "sum")).reset_index()
    out = open_by.merge(by, on="owner", how="outer").fillna(
        {"stale_leads": 0, "open_leads": 0, "pipeline_value": 0.0})
    out = out[out["stale_leads"] > 0].sort_values(["stale_leads", "owner"],
                                                  ascending=[False, True])
    total = pd.DataFrame([{
        "owner": None, "open_leads": int(open_by["open_leads"].sum()),
        "stale_leads": len(stale), "median_days_idle": stale["days_idle"].median(),
        "pipeline_value": stale["pipeline_value"].sum()}])
    out = pd.concat([out, total], ignore_index=True)
    out[["open_leads", "stale_leads"]] = out[["open_leads", "stale_leads"]].astype(int)
    out["stale_share"] = safe_div(out["stale_leads"], out["open_leads"])
    out["stale_share_low"], out["stale_share_high"] = wilson_interval(out["stale_leads"],
                                                                      out["open_leads"])
    return out[["owner", "open_leads", "stale_leads", "stale_share", "stale_share_low",
                "stale_share_high", "median_days_idle", "pipeline_value"]]
