"""What loading one table found: rows in / used / quarantined, reasons, fixes, and the
problems that make a table unusable (no rows, every row quarantined, a column of the
wrong type)."""

from __future__ import annotations

from ibis.expr.types import Table

from leadroi.canonical import MONEY, NUMBER, TABLES, TIMESTAMP
from leadroi.engine import collect
from leadroi.intake.clean import FIXES, fix_indicators
from leadroi.intake.messages import data_error, message

__all__ = ["summarise", "check_usable", "check_types", "WRONG_TYPE_MIN"]

#: A typed column with at least this many values, none readable, is a wrong-type error.
WRONG_TYPE_MIN = 3

_TYPED = (TIMESTAMP, MONEY, NUMBER)


def summarise(typed: Table, quarantine: Table, name: str, mapping: dict[str, str], file: str,
              placeholders: dict) -> dict:
    """Rows in/used/quarantined, reasons, fixes and readable values of one table.

    One aggregate over the flagged table (no grouping: a group-by on the reason strings of
    every row cost half a minute at 100M rows), and one grouped count over its quarantined
    rows only.

    Parameters
    ----------
    typed : ibis Table
        The flagged table (:func:`leadroi.intake.clean.flag_rows`).
    quarantine : ibis Table
        Its quarantined rows, with ``reason``, ``code``, ``column``.

    Returns
    -------
    dict
        ``quality`` (one row), ``reasons`` and ``fixes`` (lists of rows), ``readable``
        ``{typed column: (values read, values filled)}``.
    """
    indicators = fix_indicators(typed, name, mapping)
    spec = TABLES[name]
    typed_cols = [c for c in mapping if spec.kind(c) in _TYPED]
    used = typed._reason.isnull()
    totals = collect(typed.aggregate(
        rows=typed.count(),
        **{f"readable|{c}": typed[c].count() for c in typed_cols},
        **{f"filled|{c}": typed[f"_filled_{c}"].cast("int64").sum() for c in typed_cols},
        **{k: v.cast("int64").sum(where=used) for k, v in indicators.items()})).iloc[0]
    bad = collect(quarantine.group_by(["reason", "code", "column"]).aggregate(
        rows=quarantine.count()))
    bad = bad.sort_values(["rows", "code", "column"], ascending=[False, True, True])
    rows_in = int(totals["rows"])
    fixed = {k: _int(totals[k]) for k in indicators}
    fix_rows = []
    for key, n in {**placeholders, **fixed}.items():
        if "|" in key and n:
            code, column = key.split("|")
            fix_rows.append({"table": name, "fix": FIXES[code], "code": code,
                             "column": column, "rows": int(n)})
    quarantined = int(bad["rows"].sum())
    return {
        "quality": {"table": name, "file": file, "rows_in": rows_in,
                    "rows_used": rows_in - quarantined, "rows_quarantined": quarantined},
        "reasons": [{"table": name, "reason": r.reason, "code": r.code, "column": r.column,
                     "rows": int(r.rows)} for r in bad.itertuples()],
        "fixes": fix_rows,
        "readable": {c: (_int(totals[f"readable|{c}"]), _int(totals[f"filled|{c}"]))
                     for c in typed_cols},
    }


def _int(value) -> int:
    """A sum over no rows (NULL) counts as 0."""
    return 0 if value is None or value != value else int(value)


def check_types(typed: Table, name: str, mapping: dict[str, str], file: str,
                readable: dict[str, tuple[int, int]]) -> None:
    """A typed column in which no value can be read is mapped to the wrong column, or
    exported in a form nobody can read: say so rather than quarantine every row.

    Raises
    ------
    DataError
        Naming the file, the source column, the first rows, examples and what to do.
    """
    spec = TABLES[name]
    for canon, (n, found) in readable.items():
        if n or found < WRONG_TYPE_MIN:
            continue
        bad = typed.filter(typed[f"_filled_{canon}"])
        sample = collect(bad.order_by("_row").select("_row", v=bad[f"_raw_{canon}"])
                         .limit(5))
        raise data_error(
            "wrong_type", file=file, column=mapping[canon], rows=sample["_row"].tolist(),
            canonical=canon, values=found,
            kind=message(f"kind.{spec.kind(canon)}"),
            examples=", ".join(f"'{v}'" for v in sample["v"].drop_duplicates().head(3)))


def check_usable(quality: dict, reasons: list[dict]) -> None:
    """A table with no usable row is fatal: an empty report would look complete.

    Raises
    ------
    DataError
        No data rows, or every row quarantined (with the main reasons).
    """
    if quality["rows_in"] == 0:
        raise data_error("no_rows", file=quality["file"])
    if quality["rows_used"] == 0:
        main = "; ".join(f"{message('reason_count', reason=r['reason'], rows=r['rows'])}"
                         for r in reasons[:3])
        raise data_error("all_quarantined", file=quality["file"], rows=None,
                         total=quality["rows_in"], reasons=main)
