"""Deals (opportunities) exported apart from the leads, joined onto them.

CRMs export contacts and deals separately; a lead may have several deals. Per lead the
deals give: ``won_at`` = the earliest won date; ``amount`` = the sum of the amounts of its
first purchase (the won deals within ``first_purchase_days`` of the earliest win) when any
is won, else of all its deals (the open pipeline); later won deals are repeat purchases,
left to customer value (:mod:`leadroi.metrics.customer_value`); ``lost_at`` and
``lost_reason`` = the latest lost deal's, when every deal of the lead is lost. The deals'
values take precedence; the lead's own columns fill in where the deals give nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

import ibis
from ibis.expr.types import Table

__all__ = ["derive_outcomes", "deals_per_lead", "join_deals", "DEAL_OUTCOMES"]

#: Lead columns the deals provide.
DEAL_OUTCOMES = ("won_at", "lost_at", "lost_reason", "amount")


def _key(stages: Iterable[str]) -> list[str]:
    return sorted({" ".join(str(s).split()).lower() for s in stages})


def derive_outcomes(deals: Table, *, won_stages: Iterable[str],
                    lost_stages: Iterable[str]) -> Table:
    """Fill ``won_at``/``lost_at`` from ``closed_at`` by ``stage`` (typed deals).

    A deal whose stage is one of ``won_stages`` (case-insensitive) was won at its
    ``closed_at`` unless it has its own ``won_at``; likewise for lost.
    """
    cols = deals.columns
    null_ts = ibis.null("timestamp")
    won = deals.won_at if "won_at" in cols else null_ts
    lost = deals.lost_at if "lost_at" in cols else null_ts
    if "closed_at" in cols and "stage" in cols:
        stage = deals.stage.lower()
        won = ibis.coalesce(won, ibis.ifelse(stage.isin(_key(won_stages)),
                                             deals.closed_at, null_ts))
        lost = ibis.coalesce(lost, ibis.ifelse(stage.isin(_key(lost_stages)),
                                               deals.closed_at, null_ts))
    return deals.mutate(won_at=won.cast("timestamp"), lost_at=lost.cast("timestamp"))


def deals_per_lead(deals: Table, *, first_purchase_days: int = 30) -> Table:
    """One row per ``lead_id`` of usable deals: ``_deal_won_at``, ``_deal_amount``,
    ``_deal_lost_at``, ``_deal_lost_reason``, ``_deals``."""
    d = deals.mutate(  # columns, even when the deals lack them
        _amount=deals.amount if "amount" in deals.columns else ibis.null("float64"),
        _reason=deals.lost_reason if "lost_reason" in deals.columns else ibis.null("string"),
        _first=deals.won_at.min().over(group_by=deals.lead_id))
    won = d.won_at.notnull() & (d.won_at <= d._first + ibis.interval(days=first_purchase_days))
    agg = d.group_by("lead_id").aggregate(
        _deal_won_at=d.won_at.min(),
        _won_amount=ibis.ifelse(won, d._amount, None).sum(),
        _all_amount=d._amount.sum(),
        _any_won=won.any(),
        _all_lost=(d.lost_at.notnull() & d.won_at.isnull()).all(),
        _latest_lost=d.lost_at.max(),
        _deal_lost_reason=d._reason.argmax(d.lost_at),
        _deals=d.count(),
    )
    return agg.select(
        "lead_id", "_deal_won_at", "_deals",
        _deal_amount=ibis.ifelse(agg._any_won, agg._won_amount, agg._all_amount),
        _deal_lost_at=ibis.ifelse(agg._all_lost, agg._latest_lost, ibis.null("timestamp")),
        _deal_lost_reason=ibis.ifelse(agg._all_lost, agg._deal_lost_reason,
                                      ibis.null("string")),
    )


def join_deals(leads: Table, deals: Table, *, first_purchase_days: int = 30) -> Table:
    """Leads with their deals' outcomes (see the module docstring); same rows as
    ``leads``, plus ``won_at``, ``lost_at``, ``lost_reason`` and ``amount`` if absent."""
    per = deals_per_lead(deals, first_purchase_days=first_purchase_days)
    j = leads.left_join(per, leads.lead_id == per.lead_id)
    cols = {c: j[c] for c in leads.columns}
    for col, dtype in _OUTCOME_TYPES.items():
        own = j[col] if col in leads.columns else ibis.null(dtype)
        cols[col] = ibis.coalesce(j[f"_deal_{col}"], own).cast(dtype)
    return j.select(**cols)


_OUTCOME_TYPES = {"won_at": "timestamp", "lost_at": "timestamp", "lost_reason": "string",
                  "amount": "float64"}
