"""The compute engine: canonical tables in an embedded DuckDB database, queried with Ibis.

Everything above this module builds Ibis expressions and collects only small results.
Moving to another backend (a warehouse, Spark) means handing :class:`Engine` another Ibis
connection; no aggregation code changes.
"""

from __future__ import annotations

import tempfile
from typing import Any

import ibis
import pandas as pd
from ibis.expr.types import Table

__all__ = ["Engine", "collect"]


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
    """

    def __init__(self, con: Any | None = None) -> None:
        if con is None:
            con = ibis.duckdb.connect()
            con.raw_sql(f"SET temp_directory = '{tempfile.gettempdir()}/leadroi-duckdb'")
            con.raw_sql("SET preserve_insertion_order = true")
            try:  # DuckDB refuses to change this setting inside Jupyter without ipywidgets
                con.raw_sql("SET enable_progress_bar = false")
            except Exception:  # noqa: BLE001
                pass
        self.con = con
        self.tables: dict[str, Table] = {}

    @property
    def backend(self) -> str:
        """Name of the backend (``duckdb``, ``pyspark`` ...)."""
        return self.con.name

    def store(self, name: str, expr: Table | pd.DataFrame) -> Table:
        """Materialise an expression (or a small frame) as a table and register it.

        Parameters
        ----------
        name : str
            Table name; an existing table of that name is replaced.
        expr : ibis Table or pandas.DataFrame

        Returns
        -------
        ibis Table
            The stored table.
        """
        table = self.con.create_table(name, expr, overwrite=True)
        self.tables[name] = table
        return table

    def table(self, name: str) -> Table | None:
        """The registered table ``name``, or None if it was not loaded."""
        return self.tables.get(name)

    def count(self, expr: Table) -> int:
        """Number of rows of an expression."""
        return int(expr.count().to_pyarrow().as_py())
