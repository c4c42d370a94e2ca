"""Load every input table of a report into the engine: read, map, clean, validate.

:func:`load_data` is the one entry point. It returns a :class:`Dataset` holding the
canonical tables (Ibis tables on the engine), the quarantine, the reconciliation of
rows in / used / quarantined per table, the fixes applied, and each file's sha256.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import ibis
import pandas as pd
from ibis.expr.types import Table

from leadroi.canonical import STAGE_COLUMNS, TABLES
from leadroi.clean import (
    FIXES,
    REASONS,
    clean_table,
    fix_indicators,
    flag_rows,
    placeholder_counts,
    tidy_text,
)
from leadroi.engine import Engine, collect
from leadroi.errors import DataError
from leadroi.mapping import resolve_mapping
from leadroi.params import Params
from leadroi.schemas import validate
from leadroi.sources import fingerprint, read_raw

__all__ = ["Dataset", "load_data"]


@dataclass
class Dataset:
    """The canonical tables of one report and what loading them found.

    Attributes
    ----------
    engine : Engine
    tables : dict of str to ibis Table
        ``leads`` always; ``spend``, ``touchpoints``, ``targets`` when given.
    quality : pandas.DataFrame
        Per table: ``table, file, rows_in, rows_used, rows_quarantined``.
    reasons : pandas.DataFrame
        Per table and reason: ``table, reason, code, column, rows`` (``code``: a key of
        :data:`leadroi.clean.REASONS`).
    fixes : pandas.DataFrame
        Per table, fix and column: ``table, fix, code, column, rows``.
    quarantine : ibis Table
        Every quarantined row: ``table, row, column, value, reason, code``.
    files : pandas.DataFrame
        ``table, file, bytes, sha256``.
    as_of : datetime.date
        Data cut-off: outcomes after it are not counted.
    """

    engine: Engine
    tables: dict[str, Table]
    quality: pd.DataFrame
    reasons: pd.DataFrame
    fixes: pd.DataFrame
    quarantine: Table
    files: pd.DataFrame
    as_of: dt.date
    columns: dict[str, list[str]] = field(default_factory=dict)

    @property
    def leads(self) -> Table:
        return self.tables["leads"]

    @property
    def spend(self) -> Table | None:
        return self.tables.get("spend")

    @property
    def touchpoints(self) -> Table | None:
        return self.tables.get("touchpoints")

    @property
    def targets(self) -> Table | None:
        return self.tables.get("targets")

    def channels(self) -> list[str]:
        """Every channel name in the leads and spend (all periods), sorted."""
        parts = [t.select("channel") for name, t in self.tables.items()
                 if name in ("leads", "spend")]
        names = collect(ibis.union(*parts).distinct())["channel"]
        return sorted(n for n in names if n is not None)

    def has(self, table: str, *columns: str) -> bool:
        """Whether ``table`` was loaded and has all ``columns``."""
        return table in self.tables and all(c in self.columns[table] for c in columns)


def load_data(params: Params, engine: Engine | None = None) -> Dataset:
    """Read, map, clean and validate the input tables named in ``params.data``.

    Parameters
    ----------
    params : Params
    engine : Engine, optional
        Default: a new in-memory DuckDB engine.

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        A file is missing or unreadable, a mandatory column is absent, or a table has
        no usable row.
    """
    engine = engine or Engine()
    tidy: dict[str, Table] = {}
    mappings: dict[str, dict[str, str]] = {}
    files, placeholders = [], {}
    for name, source in params.data.items():
        path = Path(source.path)
        raw = read_raw(engine, path, name)
        found = [c for c in raw.columns if c != "_row"]
        mappings[name] = resolve_mapping(source.mapping, name, found, file=str(path))
        tidy[name] = engine.store(f"tidy_{name}", tidy_text(raw, name, mappings[name]))
        files.append({"table": name, "file": str(path), "bytes": path.stat().st_size,
                      "sha256": fingerprint(path)})
        placeholders[name] = collect(
            placeholder_counts(raw, name, mappings[name])).iloc[0].to_dict()
    channel_names = _channel_names(tidy)
    tables, quality, reasons, fixes, quarantines = {}, [], [], [], []
    for name, t in tidy.items():  # leads first: touchpoints check their lead_id
        flagged = flag_rows(_fold_channel(clean_table(t, name, mappings[name]),
                                          channel_names), name, mappings[name])
        if name == "touchpoints":
            flagged = _orphans(flagged, engine.table("typed_leads"))
        typed = engine.store(f"typed_{name}", flagged)
        file = next(f["file"] for f in files if f["table"] == name)
        summary = _summarise(typed, name, mappings[name], file, placeholders[name])
        quality.append(summary["quality"])
        _check_usable(summary["quality"])
        reasons += summary["reasons"]
        fixes += summary["fixes"]
        keep = [c for c in TABLES[name].names if c in typed.columns]
        tables[name] = engine.store(name, typed.filter(typed._reason.isnull()).select(keep))
        validate(name, tables[name], file=file)
        q = typed.filter(typed._reason.notnull())
        quarantines.append(q.select(table=ibis.literal(name), row=q._row, column=q._column,
                                    value=q._value, reason=q._reason, code=q._code))
    quarantine = engine.store("quarantine", ibis.union(*quarantines).order_by(["table", "row"]))
    return Dataset(
        engine=engine, tables=tables, quality=pd.DataFrame(quality),
        reasons=pd.DataFrame(reasons, columns=["table", "reason", "code", "column", "rows"]),
        fixes=pd.DataFrame(fixes, columns=["table", "fix", "code", "column", "rows"]),
        quarantine=quarantine, files=pd.DataFrame(files),
        as_of=params.as_of or _latest_date(tables["leads"]),
        columns={k: list(v.columns) for k, v in tables.items()},
    )


def _summarise(typed: Table, name: str, mapping: dict[str, str], file: str,
               placeholders: dict) -> dict:
    """Rows in/used/quarantined, reasons and fixes of one table, in one query."""
    indicators = fix_indicators(typed, name, mapping)
    counts = collect(typed.group_by(reason=typed._reason, code=typed._code,
                                    column=typed._column).aggregate(
        rows=typed.count(),
        **{k: v.cast("int64").sum().fill_null(0) for k, v in indicators.items()}))
    rows_in = int(counts["rows"].sum())
    bad = counts[counts["reason"].notna()].sort_values("rows", ascending=False)
    used = counts[counts["reason"].isna()]
    fixed = {k: int(used[k].sum()) for k in indicators} if len(used) else {}
    fix_rows = []
    for key, n in {**placeholders, **fixed}.items():
        if "|" in key and n:
            code, column = key.split("|")
            fix_rows.append({"table": name, "fix": FIXES[code], "code": code,
                             "column": column, "rows": int(n)})
    return {
        "quality": {"table": name, "file": file, "rows_in": rows_in,
                    "rows_used": rows_in - int(bad["rows"].sum()),
                    "rows_quarantined": int(bad["rows"].sum())},
        "reasons": [{"table": name, "reason": r.reason, "code": r.code, "column": r.column,
                     "rows": int(r.rows)} for r in bad.itertuples()],
        "fixes": fix_rows,
    }


def _channel_names(tables: dict[str, Table]) -> Table:
    """Map each case-insensitive channel key to its most frequent spelling.

    ``tables`` are tidied (:func:`leadroi.clean.tidy_text`) tables.
    """
    parts = [t.select(name=t.channel) for t in tables.values() if "channel" in t.columns]
    spelled = ibis.union(*parts, distinct=False)
    spelled = spelled.filter(spelled.name.notnull()).mutate(key=spelled.name.lower())
    counts = spelled.group_by(["key", "name"]).aggregate(n=spelled.count())
    w = ibis.window(group_by=counts.key, order_by=[ibis.desc(counts.n), counts.name])
    ranked = counts.mutate(rank=ibis.row_number().over(w))
    return ranked.filter(ranked["rank"] == 0).select("key", display=ranked["name"])


def _fold_channel(t: Table, names: Table) -> Table:
    if "channel" not in t.columns:
        return t
    joined = t.left_join(names, t.channel.lower() == names.key)
    folded = ibis.ifelse(joined.channel == "all", "all",
                         ibis.coalesce(joined.display, joined.channel))
    return joined.mutate(channel=folded).drop("key", "display")


def _orphans(touch: Table, leads: Table) -> Table:
    ids = leads.filter(leads._reason.isnull()).select(_known=leads.lead_id).distinct()
    joined = touch.left_join(ids, touch.lead_id == ids._known)
    orphan = joined._reason.isnull() & joined._known.isnull()
    return joined.mutate(
        _reason=ibis.ifelse(orphan, REASONS["orphan"], joined._reason),
        _code=ibis.ifelse(orphan, "orphan", joined._code),
        _column=ibis.ifelse(orphan, "lead_id", joined._column),
        _value=ibis.ifelse(orphan, joined.lead_id, joined._value),
    ).drop("_known")


def _check_usable(r: dict) -> None:
    """A table with no usable row is fatal: an empty report would look complete."""
    if r["rows_in"] == 0:
        raise DataError("has a header but no data rows.", file=r["file"])
    if r["rows_used"] == 0:
        raise DataError(
            f"all {r['rows_in']} rows were quarantined, so there is nothing to report.",
            file=r["file"], hint="The appendix of a report on fixed data, or the executed "
            "notebook, lists the reasons; check the mapping and the export.")


def _latest_date(leads: Table) -> dt.date:
    cols = [c for c in ("created_at", *STAGE_COLUMNS) if c in leads.columns]
    latest = ibis.greatest(*[leads[c].max() for c in cols]) if len(cols) > 1 \
        else leads[cols[0]].max()
    value = latest.to_pyarrow().as_py()
    return value.date() if isinstance(value, dt.datetime) else value
