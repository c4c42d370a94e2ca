"""The compute engine: canonical tables on an Ibis backend (embedded DuckDB by default).

Everything above this module builds Ibis expressions and collects only small results
(through Arrow). The backend is chosen by the params' ``engine:`` block
(:class:`leadroi.params.EngineSettings`): DuckDB in-process (spilling to disk beyond its
memory limit), or Spark, PostgreSQL, BigQuery or Snowflake, where the same expressions
run in the cluster or warehouse. Connectors are registered in :data:`CONNECTORS`.

Files are always read by a local DuckDB (:attr:`Engine.local`); on another backend the
raw tables are then uploaded to it in Arrow batches, and every later step runs there.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pyarrow as pa
from ibis.expr.types import Table

from leadroi.engine.connect import (
    CONNECTORS,
    duckdb_connection,
    missing_java,
    spark_session,
    spill_directory,
)
from leadroi.params import EngineSettings

__all__ = ["Engine", "collect", "CONNECTORS", "duckdb_connection", "spill_directory",
           "spark_session", "missing_java"]


def collect(expr: Any) -> pd.DataFrame:
    """Run an Ibis table expression and return the (small) result as pandas, via Arrow.

    Parameters
    ----------
    expr : ibis.expr.types.Table
        The expression; it should already be aggregated down to what is shown.

    Returns
    -------
    pandas.DataFrame
    """
    return expr.to_pyarrow().to_pandas()


class Engine:
    """An Ibis connection plus the canonical tables registered on it.

    Parameters
    ----------
    con : ibis backend, optional
        An existing Ibis connection. Default: a new in-memory DuckDB database that spills
        to a temporary folder when data exceeds memory.
    settings : EngineSettings, optional
        Used for the default DuckDB connection (memory limit, temp directory).
    """

    def __init__(self, con: Any | None = None, *,
                 settings: EngineSettings | None = None) -> None:
        self.settings = settings or EngineSettings()
        self.con = con if con is not None else duckdb_connection(self.settings)
        self.tables: dict[str, Table] = {}
        self.views: set[str] = set()
        self._local: Engine | None = None

    @classmethod
    def from_settings(cls, settings: EngineSettings | None) -> Engine:
        """An engine on the backend the params name (``engine:``)."""
        settings = settings or EngineSettings()
        return cls(CONNECTORS[settings.backend](settings), settings=settings)

    @property
    def backend(self) -> str:
        """Name of the Ibis backend (``duckdb``, ``pyspark`` ...)."""
        return self.con.name

    @property
    def is_duckdb(self) -> bool:
        return self.backend == "duckdb"

    @property
    def local(self) -> Engine:
        """A DuckDB engine that reads files: this engine itself when it is DuckDB."""
        if self.is_duckdb:
            return self
        if self._local is None:
            self._local = Engine(settings=self.settings)
        return self._local

    def store(self, name: str, expr: Table | pd.DataFrame | pa.Table) -> Table:
        """Materialise an expression (or a small frame) as a table and register it.

        Parameters
        ----------
        name : str
            Table name; an existing table of that name is replaced.
        expr : ibis Table, pandas.DataFrame or pyarrow.Table (or, on Spark, a Spark
            DataFrame)

        Returns
        -------
        ibis Table
            The stored table.
        """
        store = _STORES.get(self.backend, _store_table)
        table = store(self, name, expr)
        self.tables[name] = table
        return table

    def upload(self, name: str, table: Table) -> Table:
        """Copy a table of :attr:`local` onto this engine (Arrow batches); no-op on
        DuckDB."""
        if self.is_duckdb:
            return table
        return self.store(name, table.to_pyarrow())

    def drop(self, name: str) -> None:
        """Forget the table ``name`` and free its storage (no-op if there is none)."""
        if self.tables.pop(name, None) is None:
            return
        if self.backend == "pyspark":
            self.con._session.catalog.dropTempView(name)
        elif name in self.views:
            self.views.discard(name)
            self.con.drop_view(name, force=True)
        else:
            self.con.drop_table(name, force=True)

    def table(self, name: str) -> Table | None:
        """The registered table ``name``, or None if it was not loaded."""
        return self.tables.get(name)

    def count(self, expr: Table) -> int:
        """Number of rows of an expression."""
        return int(expr.count().to_pyarrow().as_py())


def _store_table(engine: Engine, name: str, expr: Any) -> Table:
    return engine.con.create_table(name, expr, overwrite=True)


def _store_spark(engine: Engine, name: str, expr: Any) -> Table:
    """Spark: a checkpointed temporary view (materialised once, lineage cut), so later
    queries do not recompute the chain of cleaning steps."""
    session = engine.con._session
    if isinstance(expr, pd.DataFrame):
        expr = pa.Table.from_pandas(expr, preserve_index=False)
    if isinstance(expr, pa.Table):
        df = session.createDataFrame(expr.combine_chunks())
    elif isinstance(expr, Table):
        df = session.sql(str(engine.con.compile(expr)))
    else:  # a Spark DataFrame
        df = expr
    df = df.localCheckpoint(eager=True)
    df.createOrReplaceTempView(name)
    return engine.con.table(name)


#: backend -> how a table is materialised (default: ``create_table``)
_STORES: dict[str, Callable[[Engine, str, Any], Table]] = {"pyspark": _store_spark}
