"""The load cache: one load's canonical tables and quarantine in a DuckDB file, with its
reconciliation beside it, reused while nothing that shaped the load has changed.

An entry is two files in the cache folder, named by the load's key:

* ``<key>.duckdb``: the canonical tables (``leads`` with the deals joined, ``deals``,
  ``spend``, ``touchpoints``, ``targets``) and ``quarantine``, exactly as loaded;
* ``<key>.json``: what else the :class:`~leadroi.intake.dataset.Dataset` holds (rows in /
  used / quarantined, reasons, fixes, files and their sha256, the cut-off), the key
  again and the sha256 of the DuckDB file. It is written last: it commits the entry.

The key is a sha256 over every input file's bytes and path, the ``data:`` params (mapping,
aliases, encodings, deal stages), the other params the load reads (``as_of``,
``max_channels``, the language of the "other channels" label), leadroi's version and the
source code of the layers that load (intake, engine, canonical columns). Any change gives
another key, so a stale entry is never read; it ages out.

Both files are written under temporary names and renamed into place, so a reader sees
a whole entry or none. Runs that miss the same entry at once build it once: the first
claims it (:func:`claim`, a ``<key>.building`` marker), the others wait for it and read
it; a marker whose run was killed is taken over, and nobody waits longer than
:data:`WAIT_S` (then both build it, and the last rename wins: both are the same load).
An entry whose key or checksum does not match, or that DuckDB cannot read, is ignored
and rebuilt, with a note. Past ``max_mb`` the least recently used entries are removed.

Only loads that are pure functions of local files are cached: every source a file, the
engine the embedded DuckDB. A database source may change without anything here knowing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from leadroi.params import Params
from leadroi.shipped import source_hash

if TYPE_CHECKING:
    from leadroi.engine import Engine
    from leadroi.intake.dataset import Dataset

__all__ = ["CacheStatus", "cache_folder", "load_key", "read_entry", "write_entry",
           "claim", "Claim", "built_by_parent", "FORMAT", "ENV_FOLDER", "ENV_OFF", "WAIT_S"]

#: Bumped when the entry layout changes: older entries are then foreign.
FORMAT = 1
#: Environment variables ``leadroi run`` hands the kernel: the folder, and ``--no-cache``.
ENV_FOLDER = "LEADROI_CACHE_DIR"
ENV_OFF = "LEADROI_NO_CACHE"

#: the Dataset frames kept in the sidecar, with their columns in order
_FRAMES = ("quality", "reasons", "fixes", "files")
_CODE = ("intake", "engine", "canonical.py", "params/sources.py")
_code_hash: str | None = None  # set by tests: another code version


@dataclass(frozen=True)
class CacheStatus:
    """How a load used the cache: ``off`` (``why``: see :func:`cacheable`),
    ``hit``, ``stored`` (a miss, now written), ``not_stored`` (a miss that could not be
    written: ``why``), ``rebuilt`` (an entry was damaged or foreign: ``why``)."""

    state: str
    key: str = ""
    why: str = ""
    #: the cache folder the entry lives in (results derived from the load are kept beside
    #: it, :mod:`leadroi.metrics.model_cache`); empty when the cache is off
    folder: str = ""

    @property
    def keyed(self) -> bool:
        """Whether the loaded tables are a pure function of ``key`` (any state but off)."""
        return self.state != "off" and bool(self.key) and bool(self.folder)


def cache_folder(params: Params) -> Path:
    """The params' ``cache.folder``, else ``$LEADROI_CACHE_DIR``, else
    ``./.leadroi-cache``."""
    if params.cache.folder is not None:
        return Path(params.cache.folder)
    return Path(os.environ.get(ENV_FOLDER) or ".leadroi-cache").absolute()


def cacheable(params: Params) -> str | None:
    """Why this load is not cached (``disabled``: ``cache.enabled: false``; ``flag``:
    ``--no-cache``; ``backend``: not the embedded DuckDB; ``database``: a source is not a
    file; ``missing``: a file is not there), or None when it is."""
    if not params.cache.enabled:
        return "disabled"
    if os.environ.get(ENV_OFF):
        return "flag"
    if params.engine.backend != "duckdb":
        return "backend"
    if any(source.path is None for _, source in params.data.items()):
        return "database"
    if any(not Path(source.path).is_file() for _, source in params.data.items()):
        return "missing"  # the load itself says which file, with what to do
    return None


def _code() -> str:
    """A hash of the loading layers' source (a change there loads again)."""
    return _code_hash or source_hash(_CODE)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("leadroi")
    except PackageNotFoundError:  # a source tree on sys.path: the code hash still counts
        return "unknown"


def load_key(params: Params, other_label: str) -> str:
    """The key of the load ``params`` describe (see the module's docstring)."""
    from leadroi.intake.sources import fingerprint

    files = {name: [str(source.path), fingerprint(source.path)]
             for name, source in params.data.items()}
    doc = {"format": FORMAT, "version": _version(), "code": _code(), "files": files,
           "data": params.data.model_dump(mode="json"),
           "as_of": params.as_of.isoformat() if params.as_of else None,
           "max_channels": params.max_channels, "other": other_label}
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:32]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _home(con) -> str:
    """The quoted name of the engine's own database (where its tables live)."""
    name = con.raw_sql("SELECT current_database()").fetchone()[0]
    return _quote(name)


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _frame_doc(frame: pd.DataFrame) -> dict:
    return {"columns": list(frame.columns), "dtypes": [str(t) for t in frame.dtypes],
            "rows": frame.to_numpy(dtype=object).tolist()}


def _frame(doc: dict) -> pd.DataFrame:
    frame = pd.DataFrame(doc["rows"], columns=doc["columns"])
    return frame.astype(dict(zip(doc["columns"], doc["dtypes"])))


def write_entry(folder: Path, key: str, data: Dataset, max_mb: int) -> str | None:
    """Store ``data`` as the entry ``key``; return why it could not be, or None."""
    # ibis names a table by catalog.schema.table: the engine's tables are in main
    tables = {name: t.get_name().rsplit(".", 1)[-1] for name, t in data.tables.items()}
    if data.quarantine is not None:
        tables["quarantine"] = data.quarantine.get_name().rsplit(".", 1)[-1]
    tag = f"{os.getpid()}-{threading.get_ident()}"
    db_tmp = folder / f".tmp-{key}-{tag}.duckdb"
    json_tmp = folder / f".tmp-{key}-{tag}.json"
    con = data.engine.con
    try:
        folder.mkdir(parents=True, exist_ok=True)
        alias = f"leadroi_cache_{tag.replace('-', '_')}"
        home = _home(con)
        con.raw_sql(f"ATTACH {_sql_path(db_tmp)} AS {alias}")
        try:
            for stored, name in tables.items():
                con.raw_sql(f"CREATE TABLE {alias}.{_quote(stored)} AS "
                            f"SELECT * FROM {home}.main.{_quote(name)}")
        finally:
            con.raw_sql(f"DETACH {alias}")
        sidecar = {"format": FORMAT, "key": key, "sha256": _sha256(db_tmp),
                   "tables": sorted(tables),
                   "frames": {f: _frame_doc(getattr(data, f)) for f in _FRAMES},
                   "as_of": data.as_of.isoformat() if data.as_of else None,
                   "columns": data.columns, "builder": _builder()}
        json_tmp.write_text(json.dumps(sidecar, ensure_ascii=False, default=str),
                            encoding="utf-8")
        os.replace(db_tmp, folder / f"{key}.duckdb")
        os.replace(json_tmp, folder / f"{key}.json")
    except Exception as exc:  # noqa: BLE001 - a cache that cannot be written is no error
        return f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    finally:
        for tmp in (db_tmp, json_tmp, db_tmp.with_name(db_tmp.name + ".wal")):
            with contextlib.suppress(OSError):
                tmp.unlink()
    _evict(folder, keep=key, max_bytes=max_mb * 1024 * 1024)
    return None


def read_entry(folder: Path, key: str, engine: Engine) -> tuple[dict | None, str]:
    """The entry ``key`` loaded into ``engine``, as the keyword arguments of a
    :class:`~leadroi.intake.dataset.Dataset`, or ``(None, why)``: ``why`` is empty for a
    plain miss and says what was wrong with a damaged or foreign entry."""
    meta_path, db_path = folder / f"{key}.json", folder / f"{key}.duckdb"
    if not meta_path.is_file():
        return None, ""
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT or meta.get("key") != key:
            return None, "the entry was written for other inputs or another leadroi"
        if not db_path.is_file() or _sha256(db_path) != meta["sha256"]:
            return None, "its DuckDB file is missing or damaged"
        frames = {f: _frame(meta["frames"][f]) for f in _FRAMES}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return None, f"its index is unreadable ({type(exc).__name__})"
    con = engine.con
    alias = f"leadroi_cache_{os.getpid()}_{threading.get_ident()}"
    try:
        home = _home(con)
        con.raw_sql(f"ATTACH {_sql_path(db_path)} AS {alias} (READ_ONLY)")
        try:
            for name in meta["tables"]:
                con.raw_sql(f"CREATE OR REPLACE TABLE {home}.main.{_quote(name)} AS "
                            f"SELECT * FROM {alias}.{_quote(name)}")
        finally:
            con.raw_sql(f"DETACH {alias}")
    except Exception as exc:  # noqa: BLE001 - any DuckDB failure: a damaged entry
        return None, f"DuckDB could not read it ({type(exc).__name__})"
    for name in meta["tables"]:
        engine.tables[name] = con.table(name)
    with contextlib.suppress(OSError):  # least recently used: a hit counts as a use
        now = time.time()
        os.utime(meta_path, (now, now))
    tables = {n: engine.tables[n] for n in meta["tables"] if n != "quarantine"}
    return dict(
        engine=engine, tables=tables, quality=frames["quality"], reasons=frames["reasons"],
        fixes=frames["fixes"], quarantine=engine.tables.get("quarantine"),
        files=frames["files"],
        as_of=dt.date.fromisoformat(meta["as_of"]) if meta["as_of"] else None,
        columns=meta["columns"], builder=meta.get("builder")), ""


#: Longest wait for another run building the same entry; then this run builds it too.
WAIT_S = 900.0
_POLL_S = 0.05


@dataclass
class Claim:
    """The right to build one entry: ``path`` is its marker file (None when the folder
    could not hold one, or the wait ran out: the entry is then built without one)."""

    path: Path | None

    def release(self) -> None:
        if self.path is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()
            self.path = None


def _builder(pid: int | None = None) -> str:
    """Who builds an entry: process id and machine."""
    return f"{os.getpid() if pid is None else pid} {platform.node()}"


def built_by_parent(builder: str | None) -> bool:
    """Whether an entry was built by this process's parent: the kernel of a
    ``leadroi run`` reading the load its ``leadroi run`` did ahead (:func:`claim`'s
    users say "stored", not "an earlier run's")."""
    return builder == _builder(os.getppid())


def _holder_gone(marker: Path) -> bool:
    """Whether the run that wrote ``marker`` can no longer finish: its process is gone
    (same machine), or the marker is older than :data:`WAIT_S`."""
    try:
        pid, host = marker.read_text(encoding="utf-8").split(" ", 1)
        age = time.time() - marker.stat().st_mtime
    except (OSError, ValueError):
        return False  # being written, or just removed: look again
    if age > WAIT_S:
        return True
    if host.strip() != platform.node():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (OSError, ValueError):
        return False
    return False


def claim(folder: Path, name: str, ready, *, wait_s: float | None = None) -> Claim | None:
    """Build the entry ``name`` once, however many runs miss it at the same time.

    The first run to create ``<name>.building`` in ``folder`` builds the entry and
    releases the claim after writing it; a run that finds the marker waits until
    ``ready()`` is true (the entry was written: it returns None and reads it), the
    builder is gone (a killed run: the marker is removed and claimed again), or
    ``wait_s`` (default :data:`WAIT_S`) have passed (it builds without a marker: two
    runs never block each other for good). A folder that cannot hold the marker is no
    error: the entry is built without one.
    """
    marker = folder / f"{name}.building"
    deadline = time.monotonic() + (WAIT_S if wait_s is None else wait_s)
    while True:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if ready():
                return None
            if _holder_gone(marker):
                with contextlib.suppress(OSError):
                    marker.unlink()
                continue
            if time.monotonic() > deadline:
                return Claim(None)
            time.sleep(_POLL_S)
            continue
        except OSError:
            return Claim(None)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(_builder())
        if ready():  # written between the caller's miss and this claim
            Claim(marker).release()
            return None
        return Claim(marker)


def _evict(folder: Path, *, keep: str, max_bytes: int) -> None:
    """Remove the least recently used entries until the folder fits ``max_bytes``, and
    temporary files a killed run left (older than an hour)."""
    now = time.time()
    entries = []
    for meta in folder.glob("*.json"):
        db = meta.with_suffix(".duckdb")
        try:
            size = meta.stat().st_size + (db.stat().st_size if db.exists() else 0)
            entries.append((meta.stat().st_mtime, meta, db, size))
        except OSError:
            continue
    for tmp in folder.glob(".tmp-*"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > 3600:
                tmp.unlink()
    total = sum(e[3] for e in entries)
    for _, meta, db, size in sorted(entries, key=lambda e: e[0]):
        if total <= max_bytes:
            break
        if meta.stem == keep:
            continue
        for path in (meta, db):  # index first: a reader then sees a plain miss
            with contextlib.suppress(OSError):
                path.unlink()
        total -= size
