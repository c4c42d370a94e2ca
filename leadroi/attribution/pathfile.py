"""Aggregated path files (ChannelAttribution's format) as journeys in the engine.

A path file has one row per distinct path: ``path`` ("a > b > c"), ``total_conversions``,
``total_conversion_value`` and ``total_null`` (journeys of that path that did not
convert). Column names, the CSV field separator and the separator between channels are
configurable. Paths are split and numbered in the engine; a channel name is trimmed only
after aggregation, when few distinct names are left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import ibis
from ibis.expr.types import Table

from leadroi.attribution.paths import TOUCH_COLUMNS, Journeys, collect_unordered
from leadroi.engine import Engine, collect
from leadroi.errors import DataError

__all__ = ["PathColumns", "read_path_file", "journeys_from_paths"]


@dataclass(frozen=True)
class PathColumns:
    """Column names and path separator of an aggregated path file.

    ``value`` and ``nulls`` may be None (absent). Defaults are ChannelAttribution's.
    """

    path: str = "path"
    conversions: str = "total_conversions"
    value: str | None = "total_conversion_value"
    nulls: str | None = "total_null"
    sep: str = ">"


def read_path_file(engine: Engine, path: str | Path, *, columns: PathColumns = PathColumns(),
                   delimiter: str | None = None) -> Table:
    """Read an aggregated path file (CSV or Parquet) into the engine.

    Parameters
    ----------
    engine : Engine
    path : str or Path
    columns : PathColumns
        Column names; ``value`` / ``nulls`` that are absent under their default names are
        treated as not given.
    delimiter : str, optional
        CSV field separator (ChannelAttribution's ``Data.csv`` uses ``;``); default: sniffed.

    Returns
    -------
    ibis Table
        ``path`` (text), ``conversions``, ``value``, ``nulls`` (float; value null when not
        given, nulls 0 when not given).

    Raises
    ------
    DataError
        Missing file or column, or counts that are not non-negative numbers.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError("file not found.", file=str(path))
    quoted = "'" + str(path).replace("'", "''") + "'"
    if path.suffix.lower() == ".parquet":
        source = f"read_parquet({quoted})"
    else:
        delim = "" if delimiter is None else \
            ", delim = '" + delimiter.replace("'", "''") + "'"
        source = f"read_csv({quoted}, all_varchar = true, header = true{delim})"
    try:
        raw = engine.con.sql(f"SELECT CAST(row_number() OVER () AS BIGINT) AS _row, * "
                             f"FROM {source}")
    except Exception as exc:  # DuckDB's message names the line
        raise DataError(f"cannot be read: {str(exc).strip().splitlines()[0]}",
                        file=str(path)) from None
    found = [c for c in raw.columns if c != "_row"]
    return _typed_paths(raw, columns, found, file=str(path))


def _typed_paths(raw: Table, columns: PathColumns, found: list[str], *, file: str) -> Table:
    defaults = PathColumns()
    wanted = {"path": columns.path, "conversions": columns.conversions,
              "value": columns.value, "nulls": columns.nulls}
    for role, name in wanted.items():
        if name is None or name in found:
            continue
        if role in ("value", "nulls") and name == getattr(defaults, role):
            wanted[role] = None
            continue
        raise DataError(f"has no column '{name}' (the {role} column).", file=file,
                        column=name, hint=f"Columns found: {', '.join(found)}. Name the "
                        "right one with --path-col/--conversions-col/--value-col/--null-col.")
    numbers = {}
    for role in ("conversions", "value", "nulls"):
        name = wanted[role]
        if name is None:
            numbers[role] = ibis.null("float64") if role == "value" else ibis.literal(0.0)
            continue
        text = raw[name].cast("string").strip()
        number = text.try_cast("float64")
        bad = raw.filter(text.notnull() & (text != "") & (number.isnull() | (number < 0)))
        rows = collect(bad.select("_row").limit(6))["_row"].tolist()
        if rows:
            raise DataError("has counts or values that are not non-negative numbers.",
                            file=file, column=name, rows=rows)
        numbers[role] = number.fill_null(0.0) if role != "value" else number
    return raw.select(path=raw[wanted["path"]].cast("string"), **numbers)


def journeys_from_paths(table: Table, *, sep: str = ">", has_value: bool | None = None
                        ) -> Journeys:
    """Journeys of an aggregated path table (``path, conversions, value, nulls``).

    Parameters
    ----------
    table : ibis Table
        As returned by :func:`read_path_file`.
    sep : str
        Separator between the channels of a path.
    has_value : bool, optional
        Whether ``value`` was given; default: whether it has any non-null value.

    Returns
    -------
    Journeys
        ``age`` counts touches before the last one; milestones are unknown. Rows whose
        path has no channel are left out and counted in ``skipped``.
    """
    p = table.path
    if has_value is None:
        has_value = bool(collect(table.aggregate(n=table.value.count()))["n"].iloc[0])
    esc = re.escape(sep)
    ragged = p.isnull() | p.re_search(rf"(^|{esc})\s*({esc}|$)")  # an empty channel
    check = collect_unordered(table.aggregate(ragged=ragged.cast("int64").sum()))[
        "ragged"].iloc[0]
    parts = p.split(sep)
    if check:  # only then pay for trimming every token and dropping empty ones
        parts = parts.map(lambda x: x.strip()).filter(lambda x: x != "")
    t = table.mutate(_parts=parts, n=parts.length().fill_null(0))
    skipped = {"rows": 0, "conversions": 0.0}
    if check:
        empty = t.filter(t.n == 0)
        row = collect(empty.aggregate(rows=empty.count(),
                                      conversions=empty.conversions.sum())).iloc[0]
        skipped = {"rows": int(row["rows"]), "conversions": float(row["conversions"] or 0)}
        t = t.filter(t.n > 0)
    # The steps for transition counts skip the journey id, whose numbering would cost a
    # single-threaded pass over every path.
    steps = _unnest(t).select("prev", "channel", "conversions", "value", "nulls",
                              last=lambda u: u.pos == u.n - 1)
    u = _unnest(t.mutate(journey=ibis.row_number()))
    touches = u.mutate(age=(u.n - 1 - u.pos).cast("float64"), lead_pos=ibis.null("int64"),
                       opp_pos=ibis.null("int64")).select(*TOUCH_COLUMNS)
    return Journeys(touches, "paths", has_value, skipped, steps=steps)


def _unnest(t: Table) -> Table:
    """One row per channel of each path: ``pos``, ``channel`` and ``prev``."""
    u = t.mutate(pos=ibis.range(0, t.n).unnest())
    return u.mutate(channel=u._parts[u.pos],
                    prev=ibis.ifelse(u.pos > 0, u._parts[u.pos - 1], ibis.null("string")),
                    value=u.value.fill_null(0.0))
