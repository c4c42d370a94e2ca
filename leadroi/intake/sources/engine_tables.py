"""Tables the engine already holds, read where they lie: a Spark session's tables and
views, a warehouse's tables (``table:`` or ``query:`` without ``url:`` in the params).

Nothing goes through the local DuckDB: the raw table is built on the engine itself, with
``_row`` numbering the rows and every column that is not a date, timestamp or number
cast to text, as for files (:mod:`leadroi.intake.sources.raw`). A warehouse table has no row
order, so ``_row`` is a row identifier there (on Spark, increasing but not consecutive).
"""

from __future__ import annotations

import ibis
from ibis.expr.types import Table

from leadroi.engine import Engine
from leadroi.intake.messages import data_error
from leadroi.params import TableSource

__all__ = ["read_engine_table"]


def read_engine_table(engine: Engine, source: TableSource, name: str) -> Table:
    """Store ``source``'s table or query of ``engine`` as its raw table ``raw_<name>``.

    Raises
    ------
    DataError
        The table does not exist or the query fails.
    """
    what = f"table {source.table}" if source.table else "query"
    try:
        base = _open(engine, source)
        raw = base.select(**{c: _as_raw(base[c]) for c in base.columns})
        return _numbered(engine, raw, f"raw_{name}")
    except Exception as exc:  # noqa: BLE001 - the backend's own error, shown in one line
        problem = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        raise data_error("query_failed", file=source.location, what=what,
                         problem=problem) from None


def _open(engine: Engine, source: TableSource) -> Table:
    if source.query:
        return engine.con.sql(source.query)
    *database, table = source.table.split(".")
    if not database:
        return engine.con.table(table)
    return engine.con.table(table, database=".".join(database) if len(database) == 1
                            else tuple(database))


def _as_raw(col):
    dtype = col.type()
    if dtype.is_timestamp() or dtype.is_date() or dtype.is_numeric():
        return col
    return col.cast("string")


def _numbered(engine: Engine, raw: Table, name: str) -> Table:
    if engine.backend != "pyspark":
        return engine.store(name, raw.mutate(_row=ibis.row_number() + 1)
                            .relocate("_row"))
    # Spark: a window over the whole table would gather it on one executor
    from pyspark.sql import functions as F

    df = engine.con._session.sql(str(engine.con.compile(raw)))
    df = df.select((F.monotonically_increasing_id() + 1).alias("_row"), *df.columns)
    return engine.store(name, df)
