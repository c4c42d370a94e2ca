"""Database sources by URL: SQLite and DuckDB files, PostgreSQL servers.

Each dialect opens a connection with a native driver (ADBC for SQLite and PostgreSQL,
DuckDB's own Python API for DuckDB files; no DuckDB extension is needed) and streams the
rows of a table or query as Arrow record batches into the engine, every column cast to
text by the database itself. For PostgreSQL, leave the password out of the URL: libpq
reads ``PGPASSWORD`` or ``~/.pgpass``.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from ibis.expr.types import Table

from leadroi.engine import Engine
from leadroi.intake.messages import data_error
from leadroi.intake.sources.raw import quote, store_batches
from leadroi.params import mask_url

__all__ = ["URL_READERS", "Dialect", "DIALECTS", "url_scheme", "url_file", "content_digest",
           "read_url"]

_BATCH_ROWS = 50_000
_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")


def url_scheme(url: str) -> str:
    """``postgresql`` for ``postgresql+psycopg://...`` or ``postgres://...``."""
    scheme = url.split(":", 1)[0].lower().split("+", 1)[0]
    return "postgresql" if scheme == "postgres" else scheme


def url_file(url: str) -> Path:
    """The local file of a ``sqlite:///path`` or ``duckdb:///path`` URL."""
    rest = url.split(":///", 1)[1] if ":///" in url else url.split(":", 1)[-1]
    return Path(urllib.parse.unquote(rest.split("?", 1)[0]))


def _sqlite_connect(url: str):
    import adbc_driver_sqlite.dbapi as sqlite

    path = url_file(url)
    return sqlite.connect(f"file:{urllib.parse.quote(str(path))}?mode=ro")


def _duckdb_connect(url: str):
    import duckdb

    return duckdb.connect(str(url_file(url)), read_only=True)


def _postgres_connect(url: str):
    import adbc_driver_postgresql.dbapi as postgres

    scheme, rest = url.split("://", 1)
    return postgres.connect(f"postgresql://{rest}")


def _adbc_batches(conn, sql: str) -> pa.RecordBatchReader:
    cur = conn.cursor()
    cur.execute(sql)
    reader = cur.fetch_record_batch()

    def batches():  # holds the cursor open until the stream is read
        try:
            yield from reader
        finally:
            cur.close()

    return pa.RecordBatchReader.from_batches(reader.schema, batches())


def _duckdb_batches(conn, sql: str) -> pa.RecordBatchReader:
    return conn.execute(sql).to_arrow_reader(_BATCH_ROWS)


def _adbc_rows(conn, sql: str) -> list[tuple]:
    cur = conn.cursor()
    cur.execute(sql)
    return cur.fetchall()


def _duckdb_rows(conn, sql: str) -> list[tuple]:
    return conn.execute(sql).fetchall()


@dataclass(frozen=True)
class Dialect:
    """How to reach one kind of database.

    Attributes
    ----------
    connect : callable
        URL -> DB-API connection.
    batches : callable
        (connection, SQL) -> Arrow record batch reader.
    rows : callable
        (connection, SQL) -> list of tuples (small results only).
    tables_sql : str
        Lists the tables and views a user may name.
    text : str
        The SQL type every column is cast to.
    is_file : bool
        Whether the URL names a local file (checked before connecting).
    """

    connect: Callable[[str], Any]
    batches: Callable[[Any, str], pa.RecordBatchReader]
    rows: Callable[[Any, str], list[tuple]]
    tables_sql: str
    text: str
    is_file: bool


#: URL scheme -> dialect
DIALECTS: dict[str, Dialect] = {
    "sqlite": Dialect(_sqlite_connect, _adbc_batches, _adbc_rows,
                      "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                      "ORDER BY name", "TEXT", True),
    "duckdb": Dialect(_duckdb_connect, _duckdb_batches, _duckdb_rows,
                      "SELECT table_name FROM information_schema.tables ORDER BY 1",
                      "VARCHAR", True),
    "postgresql": Dialect(_postgres_connect, _adbc_batches, _adbc_rows,
                          "SELECT CASE WHEN table_schema = 'public' THEN table_name ELSE "
                          "table_schema || '.' || table_name END FROM "
                          "information_schema.tables WHERE table_schema NOT IN "
                          "('pg_catalog', 'information_schema') ORDER BY 1", "TEXT", False),
}


def _table_ref(table: str) -> str:
    """``schema.table`` quoted where a part is not a plain identifier (plain parts keep
    the database's own case rules, as when typed in SQL)."""
    return ".".join(p if _PLAIN_NAME.match(p) else quote(p) for p in table.split("."))


def _problem(exc: Exception, url: str) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    return mask_url(first).replace(url, mask_url(url))


def read_url(engine: Engine, url: str, name: str, *, table: str | None = None,
             query: str | None = None) -> Table:
    """Read a table or the result of a query from a database into ``raw_<name>``.

    Raises
    ------
    DataError
        The database file is missing, the server cannot be reached, the table does not
        exist (naming the closest ones), or the query fails.
    """
    dialect = DIALECTS[url_scheme(url)]
    where = mask_url(url)
    if dialect.is_file and not url_file(url).is_file():
        raise data_error("db_not_found", file=where, path=str(url_file(url)))
    try:
        conn = dialect.connect(url)
    except Exception as exc:  # driver errors differ by database; all mean "cannot connect"
        raise data_error("db_unreachable", file=where, problem=_problem(exc, url)) from None
    try:
        if table is not None:
            _check_table(dialect, conn, table, where)
            source = _table_ref(table)
        else:
            source = f"({query.strip().rstrip(';')}) AS q"
        try:
            names = dialect.batches(conn, f"SELECT * FROM {source} LIMIT 0").schema.names
            sql = "SELECT " + ", ".join(
                f"CAST({quote(c)} AS {dialect.text}) AS {quote(c)}" for c in names) + \
                f" FROM {source}"
            reader = dialect.batches(conn, sql)
            return store_batches(engine, reader.schema, reader, name)
        except Exception as exc:
            raise data_error("query_failed", file=where,
                             what=f"table {table}" if table else "query",
                             problem=_problem(exc, url)) from None
    finally:
        conn.close()


def _check_table(dialect: Dialect, conn, table: str, where: str) -> None:
    import difflib

    try:
        known = [str(r[0]) for r in dialect.rows(conn, dialect.tables_sql)]
    except Exception:  # the catalogue query is a courtesy; the read itself will tell
        return
    if table in known or table.lower() in (k.lower() for k in known):
        return
    close = difflib.get_close_matches(table, known, n=3, cutoff=0.4)
    raise data_error("table_not_found", file=where, table=table,
                     closest=", ".join(close or known[:10]) or "-")


def content_digest(engine: Engine, table: Table) -> str:
    """sha256 of a raw table's rows in order: the fingerprint of data read from a
    database, where there is no file to hash."""
    cols = [c for c in table.columns if c != "_row"]
    row = "concat_ws(chr(31), " + ", ".join(
        f"coalesce({quote(c)}, chr(0))" for c in cols) + ")" if cols else "''"
    name = table.get_name()
    sql = (f"SELECT sha256(coalesce(string_agg(md5({row}), '' ORDER BY _row), '')) "
           f"FROM {quote(name)}")
    return engine.con.con.sql(sql).fetchone()[0]


#: URL scheme -> reader(engine, url, table name, table=, query=) -> raw table
URL_READERS = {scheme: read_url for scheme in DIALECTS}
