"""Load every input table of a report into the engine: read, map, clean, validate.

:func:`load_data` is the one entry point. It returns a :class:`Dataset` holding the
canonical tables (Ibis tables on the engine), the quarantine, the reconciliation of
rows in / used / quarantined per table, the fixes applied, and each source's sha256.
Deals, when given, are reconciled like every table and then joined onto the leads
(:mod:`leadroi.intake.deals`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import ibis
import pandas as pd
from ibis.expr.types import Table

from leadroi.canonical import DEAL_DATES, STAGE_COLUMNS, TABLES
from leadroi.engine import Engine, collect
from leadroi.errors import DataError
from leadroi.intake import cache
from leadroi.intake.channels import channel_names, fold_channel
from leadroi.intake.clean import clean_table, flag_rows, placeholder_counts, tidy_text
from leadroi.intake.deals import derive_outcomes, join_deals
from leadroi.intake.links import flag_lead_links
from leadroi.intake.mapping import resolve_mapping
from leadroi.intake.messages import data_error
from leadroi.intake.quality import check_types, check_usable, summarise
from leadroi.intake.schemas import validate
from leadroi.intake.sources import read_source
from leadroi.params import TABLE_NAMES, Params, TableSource

__all__ = ["Dataset", "load_data"]


@dataclass
class Dataset:
    """The canonical tables of one report and what loading them found.

    Attributes
    ----------
    engine : Engine
    tables : dict of str to ibis Table
        ``leads`` always (with the deals' outcomes joined on when deals are given);
        ``deals``, ``spend``, ``touchpoints``, ``targets`` when given.
    quality : pandas.DataFrame
        Per table: ``table, file, rows_in, rows_used, rows_quarantined``.
    reasons : pandas.DataFrame
        Per table and reason: ``table, reason, code, column, rows`` (``code``: a key of
        :data:`leadroi.intake.clean.REASONS`).
    fixes : pandas.DataFrame
        Per table, fix and column: ``table, fix, code, column, rows``.
    quarantine : ibis Table
        Every quarantined row: ``table, row, column, value, reason, code``.
    files : pandas.DataFrame
        ``table, file, bytes, sha256, detail`` (``detail``: encoding, sheet, db table).
    as_of : datetime.date
        Data cut-off: outcomes after it are not counted.
    columns : dict of str to list of str
        Canonical columns of each table.
    fatal : list of dict
        ``table, file, message`` of tables that could not be used; only filled when
        :func:`load_data` is asked to ``keep_going`` (else the first one is raised).
    """

    engine: Engine
    tables: dict[str, Table]
    quality: pd.DataFrame
    reasons: pd.DataFrame
    fixes: pd.DataFrame
    quarantine: Table | None
    files: pd.DataFrame
    as_of: dt.date | None
    columns: dict[str, list[str]] = field(default_factory=dict)
    fatal: list[dict] = field(default_factory=list)
    #: how the load used the cache (:mod:`leadroi.intake.cache`)
    cache: cache.CacheStatus | None = None

    @property
    def leads(self) -> Table:
        return self.tables["leads"]

    @property
    def deals(self) -> Table | None:
        return self.tables.get("deals")

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


class _Loader:
    """The steps of :func:`load_data` with the state they share."""

    def __init__(self, params: Params, engine: Engine, keep_going: bool) -> None:
        self.params, self.engine, self.keep_going = params, engine, keep_going
        self.tidy: dict[str, Table] = {}
        self.mappings: dict[str, dict[str, str]] = {}
        self.files: list[dict] = []
        self.placeholders: dict[str, dict] = {}
        self.tables: dict[str, Table] = {}
        self.quality: list[dict] = []
        self.reasons: list[dict] = []
        self.fixes: list[dict] = []
        self.quarantines: list[Table] = []
        self.fatal: list[dict] = []

    def attempt(self, name: str, step, *args) -> None:
        try:
            step(name, *args)
        except DataError as exc:
            if not self.keep_going:
                raise
            self.fatal.append({"table": name, "file": exc.file, "message": str(exc)})
            self.tidy.pop(name, None)

    def read(self, name: str, source: TableSource) -> None:
        raw = read_source(self.engine, source, name)
        found = [c for c in raw.table.columns if c != "_row"]
        mapping = resolve_mapping(source.mapping, name, found, file=raw.location)
        self.mappings[name] = mapping
        self.files.append({"table": name, "file": raw.location, "bytes": raw.bytes,
                           "sha256": raw.sha256, "detail": raw.detail})
        try:
            self.tidy[name] = self.engine.store(f"tidy_{name}",
                                                tidy_text(raw.table, name, mapping))
            self.placeholders[name] = collect(placeholder_counts(
                raw.table, self.tidy[name], name, mapping)).iloc[0].to_dict()
        except DataError:
            raise
        except Exception as exc:  # a Parquet file is a view: damaged pages show up here
            if raw.detail != "parquet":
                raise
            problem = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise data_error("unreadable_parquet", file=raw.location, problem=problem) \
                from None
        self.engine.drop(f"raw_{name}")  # every step from here reads the tidy copy
        self.engine.local.drop(f"raw_{name}")

    def clean(self, name: str, names: Table) -> None:
        mapping = self.mappings[name]
        typed = fold_channel(clean_table(self.tidy[name], name, mapping), names)
        if name == "deals":
            deals = self.params.data.deals
            typed = derive_outcomes(typed, won_stages=deals.won_stages,
                                    lost_stages=deals.lost_stages)
        if not self.engine.is_duckdb:  # Spark inlines projections: parse each value once
            typed = self.engine.store(f"parsed_{name}", typed)
        flagged = flag_rows(typed, name, mapping, currency=self.params.currency)
        leads = self.engine.table("typed_leads")
        if name in ("deals", "touchpoints") and leads is not None:
            dates = tuple(c for c in DEAL_DATES if c != "created_at") \
                if name == "deals" else ()
            flagged = flag_lead_links(flagged, leads, dates=dates)
        typed = self.engine.store(f"typed_{name}", flagged)
        self.engine.drop(f"tidy_{name}")
        self.engine.drop(f"parsed_{name}")
        file = next(f["file"] for f in self.files if f["table"] == name)
        q = typed.filter(typed._reason.notnull())
        quarantine = self.engine.store(f"quarantine_{name}", q.select(
            table=ibis.literal(name), row=q._row, column=q._column, value=q._value,
            reason=q._reason, code=q._code))
        self.quarantines.append(quarantine)
        summary = summarise(typed, quarantine, name, mapping, file, self.placeholders[name])
        self.quality.append(summary["quality"])
        self.reasons += summary["reasons"]
        self.fixes += summary["fixes"]
        check_types(typed, name, mapping, file, summary["readable"])
        check_usable(summary["quality"], summary["reasons"])
        keep = [c for c in TABLES[name].names if c in typed.columns]
        self.tables[name] = self.engine.store(
            name, typed.filter(typed._reason.isnull()).select(keep))
        validate(name, self.tables[name], file=file)
        if name != "leads":  # the typed leads are read by the deals' and touchpoints' checks
            self.engine.drop(f"typed_{name}")

    def join_deals(self) -> None:
        if "deals" in self.tables and "leads" in self.tables:
            self.tables["leads"] = self.engine.store(
                "leads", join_deals(self.tables["leads"], self.tables["deals"],
                                    first_purchase_days=self.params.data.deals
                                    .first_purchase_days))


def load_data(params: Params, engine: Engine | None = None, *,
              keep_going: bool = False) -> Dataset:
    """Read, map, clean and validate the input tables named in ``params.data``, or reuse
    an earlier load of the same inputs from the load cache (:mod:`leadroi.intake.cache`;
    only without ``engine`` and ``keep_going``). ``Dataset.cache`` says which.

    Parameters
    ----------
    params : Params
    engine : Engine, optional
        Default: a new engine on the backend of ``params.engine`` (in-memory DuckDB
        unless the params name another).
    keep_going : bool
        Collect the errors that make a table unusable in ``Dataset.fatal`` and carry on
        with the other tables (``leadroi validate``), instead of raising the first.

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        A source is missing or unreadable, a mandatory column is absent, a column has
        the wrong type, or a table has no usable row (unless ``keep_going``).
    """
    why = "engine" if engine is not None else "keep_going" if keep_going \
        else cache.cacheable(params)
    if why is not None:
        data = _load(params, engine or Engine.from_settings(params.engine), keep_going)
        data.cache = cache.CacheStatus("off", why=why)
        return data
    folder = cache.cache_folder(params)
    key = cache.load_key(params, _other_channels(params))
    engine = Engine.from_settings(params.engine)
    found, problem = cache.read_entry(folder, key, engine)
    if found is None and not problem:  # a plain miss: another run may be building it
        entry = folder / f"{key}.json"
        building = cache.claim(folder, key, entry.is_file)
        if building is None:
            found, problem = cache.read_entry(folder, key, engine)
    else:
        building = None
    if found is not None:
        # the load `leadroi run` did ahead for this kernel is this run's own
        state = "stored" if cache.built_by_parent(found.pop("builder")) else "hit"
        return Dataset(**found, cache=cache.CacheStatus(state, key, folder=str(folder)))
    try:
        data = _load(params, engine, keep_going)
        failed = cache.write_entry(folder, key, data, params.cache.max_mb)
    finally:
        if building is not None:
            building.release()
    state = "rebuilt" if problem else "not_stored" if failed else "stored"
    data.cache = cache.CacheStatus(state, key, problem or failed or "", str(folder))
    return data


def _load(params: Params, engine: Engine, keep_going: bool) -> Dataset:
    """:func:`load_data` without the cache."""
    loader = _Loader(params, engine, keep_going)
    for name, source in params.data.items():
        loader.attempt(name, loader.read, source)
    if loader.tidy:
        names = engine.store("channel_names", channel_names(
            list(loader.tidy.values()), params.data.channel_aliases,
            limit=params.max_channels, other=_other_channels(params)))
        for name in list(loader.tidy):  # leads first: deals, touchpoints check lead_id
            loader.attempt(name, loader.clean, names)
    loader.join_deals()
    quarantine = None
    if loader.quarantines:
        q = ibis.union(*loader.quarantines)
        order = q.table.cases(*[(name, i) for i, name in enumerate(TABLE_NAMES)])
        quarantine = engine.store("quarantine", q.order_by([order, q.row]))
        for name in TABLE_NAMES:
            engine.drop(f"quarantine_{name}")
    engine.drop("typed_leads")
    tables = loader.tables
    return Dataset(
        engine=engine, tables=tables,
        quality=pd.DataFrame(loader.quality, columns=["table", "file", "rows_in",
                                                      "rows_used", "rows_quarantined"]),
        reasons=pd.DataFrame(loader.reasons,
                             columns=["table", "reason", "code", "column", "rows"]),
        fixes=pd.DataFrame(loader.fixes, columns=["table", "fix", "code", "column", "rows"]),
        quarantine=quarantine,
        files=pd.DataFrame(loader.files, columns=["table", "file", "bytes", "sha256",
                                                  "detail"]),
        as_of=params.as_of or (_latest_date(tables["leads"]) if "leads" in tables else None),
        columns={k: list(v.columns) for k, v in tables.items()},
        fatal=sorted(loader.fatal, key=lambda f: TABLE_NAMES.index(f["table"])),
    )


def _other_channels(params: Params) -> str:
    from leadroi.i18n import catalogue

    return catalogue(params.language)("limits.other_channels")


def _latest_date(leads: Table) -> dt.date | None:
    cols = [c for c in ("created_at", *STAGE_COLUMNS) if c in leads.columns]
    latest = ibis.greatest(*[leads[c].max() for c in cols]) if len(cols) > 1 \
        else leads[cols[0]].max()
    value = latest.to_pyarrow().as_py()
    return value.date() if isinstance(value, dt.datetime) else value
