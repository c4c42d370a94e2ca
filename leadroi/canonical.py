"""Canonical input tables: their columns, each column's kind, and which are mandatory.

Every source is mapped onto these names (see :mod:`leadroi.intake.mapping`), normalised by kind
(see :mod:`leadroi.intake.clean`) and then trusted by the layers above.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Column", "TableSpec", "TABLES", "STAGE_COLUMNS", "DEAL_DATES", "TEXT", "TIMESTAMP",
           "MONEY", "NUMBER", "CHANNEL", "ID"]

ID, TEXT, CHANNEL, TIMESTAMP, MONEY, NUMBER = "id", "text", "channel", "timestamp", "money", \
    "number"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def kind(self, name: str) -> str:
        return next(c.kind for c in self.columns if c.name == name)


def _cols(spec: str, kind: str, required: tuple[str, ...] = ()) -> tuple[Column, ...]:
    return tuple(Column(n, kind, n in required) for n in spec.split())


#: Stage timestamp columns of the lead lifecycle, in funnel order (won/lost are outcomes).
STAGE_COLUMNS = ("assigned_at", "first_contact_at", "mql_at", "sql_at", "needs_confirmed_at",
                 "proposal_at", "negotiation_at", "won_at", "lost_at")

#: Date columns of a deal (opportunity); ``closed_at`` is read as won or lost by stage.
DEAL_DATES = ("created_at", "closed_at", "won_at", "lost_at")

TABLES: dict[str, TableSpec] = {
    "leads": TableSpec("leads", (
        Column("lead_id", ID, True),
        *_cols("lead_name campaign strategy content owner region customer_type industry "
               "title company_size lost_reason rating notes", TEXT),
        Column("created_at", TIMESTAMP, True),
        Column("channel", CHANNEL, True),
        *_cols(" ".join(STAGE_COLUMNS), TIMESTAMP),
        *_cols("amount acquisition_cost", MONEY),
        *_cols("score nps", NUMBER),
    )),
    "deals": TableSpec("deals", (
        Column("lead_id", ID, True),
        Column("deal_id", ID),
        *_cols("deal_name stage lost_reason product currency", TEXT),
        Column("amount", MONEY),
        *_cols(" ".join(DEAL_DATES), TIMESTAMP),
    )),
    "spend": TableSpec("spend", (
        Column("date", TIMESTAMP),
        Column("period", TEXT),
        Column("channel", CHANNEL, True),
        Column("campaign", TEXT),
        Column("cost_type", TEXT),
        Column("amount", MONEY, True),
    )),
    "touchpoints": TableSpec("touchpoints", (
        Column("lead_id", ID, True),
        Column("touched_at", TIMESTAMP, True),
        Column("channel", CHANNEL, True),
        Column("campaign", TEXT),
    )),
    "targets": TableSpec("targets", (
        Column("period", TEXT, True),
        Column("channel", CHANNEL),
        Column("metric", TEXT, True),
        Column("value", NUMBER, True),
    )),
}
