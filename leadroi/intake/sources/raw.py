"""Store what a reader produced as the raw table ``raw_<name>``: ``_row`` + text columns
(dates, timestamps and numbers of typed sources keep their type).

Two ways in: a DuckDB table function (``read_csv(...)``), or a stream of Arrow record
batches (XLSX rows, database cursors) that DuckDB consumes batch by batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyarrow as pa
from ibis.expr.types import Table

from leadroi.engine import Engine

__all__ = ["store_sql", "view_parquet", "store_batches", "unique_names", "quote"]


def quote(name: str) -> str:
    """A SQL identifier in double quotes."""
    return '"' + name.replace('"', '""') + '"'


def unique_names(names: Iterable[object]) -> list[str]:
    """Column names made non-empty and unique as DuckDB's CSV reader does it
    (``column3`` for an empty fourth header, ``name_1`` for a second ``name``)."""
    out: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(names):
        name = "" if raw is None else str(raw).strip()
        name = name or f"column{i}"
        base, k = name, 0
        while name in seen or name == "_row":
            k += 1
            name = f"{base}_{k}"
        seen.add(name)
        out.append(name)
    return out


#: DuckDB column types kept as they are in the raw table (typed sources such as Parquet):
#: dates, timestamps without a time zone, and numbers. Everything else is read as text.
NATIVE_TYPES = ("DATE", "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S",
                "DOUBLE", "FLOAT", "DECIMAL", "BIGINT", "INTEGER", "SMALLINT", "TINYINT",
                "HUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT")


def _native(duck_type: object) -> bool:
    return str(duck_type).split("(")[0] in NATIVE_TYPES


def _columns(relation) -> str:
    """The select list of a raw table: native types kept, other columns as VARCHAR, names
    made unique."""
    return ", ".join(
        f"{quote(c) if _native(t) else f'CAST({quote(c)} AS VARCHAR)'} AS {quote(alias)}"
        for c, t, alias in zip(relation.columns, relation.types,
                               unique_names(relation.columns)))


def store_sql(engine: Engine, source: str, name: str) -> Table:
    """Store ``SELECT * FROM <source>`` (a DuckDB table function call) as ``raw_<name>``
    with ``_row`` numbering the rows in source order.

    Dates, timestamps and numbers of a typed source (Parquet) keep their type, so they are
    not printed as text only to be parsed back (:data:`NATIVE_TYPES`); every other column
    is cast to VARCHAR.
    """
    cols = _columns(engine.con.con.sql(f"SELECT * FROM {source} LIMIT 0"))
    engine.con.raw_sql(
        f"CREATE OR REPLACE TABLE {quote('raw_' + name)} AS SELECT "
        f"CAST(row_number() OVER () AS BIGINT) AS _row, {cols} FROM {source}")
    return _register(engine, name)


def view_parquet(engine: Engine, sql_path: str, name: str) -> Table:
    """A Parquet file (``sql_path``: its path as an SQL string literal) as the view
    ``raw_<name>``, columns as :func:`store_sql` stores them and ``_row`` from the file's
    row numbers: nothing is copied, each query scans the file, so a damaged data page is
    only found by the first query that reads it.

    A file that has a column named ``file_row_number`` is stored by :func:`store_sql`.
    """
    source = f"read_parquet({sql_path})"
    relation = engine.con.con.sql(f"SELECT * FROM {source} LIMIT 0")
    if "file_row_number" in relation.columns:
        return store_sql(engine, source, name)
    cols = _columns(relation)
    engine.con.raw_sql(
        f"CREATE OR REPLACE VIEW {quote('raw_' + name)} AS SELECT "
        f"CAST(file_row_number + 1 AS BIGINT) AS _row, {cols} "
        f"FROM read_parquet({sql_path}, file_row_number = true)")
    engine.views.add(f"raw_{name}")
    return _register(engine, name)


def store_batches(engine: Engine, schema: pa.Schema, batches: Iterable[pa.RecordBatch],
                  name: str) -> Table:
    """Stream record batches of string columns into ``raw_<name>``, adding ``_row``.

    The batches are consumed once, as DuckDB reads them; memory holds about one batch.
    """
    names = unique_names(schema.names)
    out_schema = pa.schema([pa.field("_row", pa.int64())]
                           + [pa.field(n, pa.string()) for n in names])

    def numbered() -> Iterator[pa.RecordBatch]:
        start = 1
        for batch in batches:
            n = batch.num_rows
            if n == 0:
                continue
            rows = pa.array(range(start, start + n), pa.int64())
            cols = [c if c.type == pa.string() else c.cast(pa.string())
                    for c in batch.columns]
            yield pa.RecordBatch.from_arrays([rows, *cols], schema=out_schema)
            start += n

    reader = pa.RecordBatchReader.from_batches(out_schema, numbered())
    view = f"_stream_{name}"
    con = engine.con.con
    con.register(view, reader)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {quote('raw_' + name)} AS "
                    f"SELECT * FROM {quote(view)}")
    finally:
        con.unregister(view)
    return _register(engine, name)


def _register(engine: Engine, name: str) -> Table:
    table = engine.con.table(f"raw_{name}")
    engine.tables[f"raw_{name}"] = table
    return table
