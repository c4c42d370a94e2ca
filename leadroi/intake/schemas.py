"""pandera contracts on the cleaned canonical tables.

Cleaning (:mod:`leadroi.intake.clean`) quarantines every row that breaks a rule, so these
schemas should always pass on what it keeps; they are the boundary check that lets the
layers above trust the data. Validation is lazy: all failures are reported at once.
"""

from __future__ import annotations

import ibis
import pandera.ibis as pa
from ibis.expr.types import Table

from leadroi.canonical import CHANNEL, ID, MONEY, NUMBER, TABLES, TEXT, TIMESTAMP
from leadroi.errors import DataError

__all__ = ["schema_for", "validate"]

_DTYPES = {ID: "string", TEXT: "string", CHANNEL: "string", TIMESTAMP: "timestamp",
           MONEY: "float64", NUMBER: "float64"}


def schema_for(table: str, columns: list[str]) -> pa.DataFrameSchema:
    """The pandera schema of a cleaned canonical table with the given columns."""
    spec = TABLES[table]
    cols = {}
    for name in columns:
        if name not in spec.names:
            continue
        kind = spec.kind(name)
        checks = [pa.Check.ge(0)] if kind == MONEY and table != "targets" else []
        cols[name] = pa.Column(
            ibis.dtype(_DTYPES[kind]), checks=checks,
            nullable=name not in spec.required,
            unique=(table == "leads" and name == "lead_id"),
        )
    return pa.DataFrameSchema(cols, strict=False, coerce=False, name=table)


def validate(table: str, data: Table, *, file: str) -> None:
    """Validate a cleaned table; raise :class:`DataError` listing every failure."""
    schema = schema_for(table, list(data.columns))
    data = data.select([data[c].cast(ibis.dtype(_DTYPES[TABLES[table].kind(c)])).name(c)
                        for c in schema.columns])
    try:
        schema.validate(data, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        summary = "; ".join(f"{r['column']}: {r['check']}" for _, r in
                            cases.drop_duplicates(["column", "check"]).head(5).iterrows())
        raise DataError(f"failed validation after cleaning ({summary}).", file=file,
                        hint="This is a bug in leadroi's cleaning; please report it with "
                        "the file.") from None
