"""Rows of other tables that point at a lead: deals and touchpoints.

A row whose ``lead_id`` is not among the usable leads is quarantined (``orphan``); a
deal won or lost before its lead was created is quarantined too
(``before_lead_created``): both would otherwise be dropped silently by the join.
"""

from __future__ import annotations

import ibis
from ibis.expr.types import BooleanValue, Table

from leadroi.intake.clean import REASONS

__all__ = ["flag_lead_links"]


def _set(t: Table, when: BooleanValue, code: str, column: str, value) -> Table:
    return t.mutate(
        _reason=ibis.ifelse(when, REASONS[code].format(column=column), t._reason),
        _code=ibis.ifelse(when, code, t._code),
        _column=ibis.ifelse(when, column, t._column),
        _value=ibis.ifelse(when, value, t._value),
    )


def flag_lead_links(rows: Table, leads: Table, *, dates: tuple[str, ...] = ()) -> Table:
    """Flag rows (already through :func:`leadroi.intake.clean.flag_rows`) whose lead is unknown,
    or whose ``dates`` fall before the lead's ``created_at``.

    Parameters
    ----------
    rows : ibis Table
        Flagged deals or touchpoints, with ``lead_id``.
    leads : ibis Table
        Flagged leads (``_reason`` NULL for the usable ones).
    dates : tuple of str
        Date columns of ``rows`` that cannot precede the lead's creation.

    Returns
    -------
    ibis Table
        ``rows`` with ``_reason``, ``_code``, ``_column``, ``_value`` updated.
    """
    usable = leads.filter(leads._reason.isnull())
    known = usable.select(_known=usable.lead_id, _lead_created=usable.created_at)
    joined = rows.left_join(known, rows.lead_id == known._known)
    ok = joined._reason.isnull()
    flagged = _set(joined, ok & joined._known.isnull(), "orphan", "lead_id", joined.lead_id)
    for col in dates:
        if col not in flagged.columns:
            continue
        early = flagged._reason.isnull() & \
            (flagged[col].date() < flagged._lead_created.date())
        raw = flagged[f"_raw_{col}"] if f"_raw_{col}" in flagged.columns else \
            flagged[col].cast("string")
        flagged = _set(flagged, early, "before_lead_created", col, raw)
    return flagged.drop("_known", "_lead_created")
