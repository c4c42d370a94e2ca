"""Read input tables into the engine as raw text tables, and fingerprint them.

Each source becomes a table of VARCHAR columns plus ``_row`` (1 = first data row). Files
are read by DuckDB itself (CSV, Parquet) or streamed in Arrow batches (XLSX, databases),
so large inputs never pass through pandas. Normalisation and validation happen later,
in :mod:`leadroi.intake.clean`.

Readers are registered by file suffix (:data:`FILE_READERS`) and URL scheme
(:data:`URL_READERS`); adding a format is adding one entry.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ibis.expr.types import Table

from leadroi.engine import Engine
from leadroi.intake.messages import data_error
from leadroi.intake.sources.engine_tables import read_engine_table
from leadroi.intake.sources.files import read_csv, read_parquet
from leadroi.intake.sources.sql import URL_READERS, content_digest, url_scheme
from leadroi.intake.sources.xlsx import read_xlsx
from leadroi.params import TableSource

__all__ = ["RawTable", "read_source", "read_raw", "fingerprint", "FILE_READERS",
           "URL_READERS"]

#: file suffix -> reader(engine, path, table name, sheet=, encoding=) -> (table, detail)
FILE_READERS = {".csv": read_csv, ".txt": read_csv, ".tsv": read_csv,
                ".parquet": read_parquet, ".pq": read_parquet,
                ".xlsx": read_xlsx, ".xlsm": read_xlsx}


@dataclass(frozen=True)
class RawTable:
    """A source read into the engine.

    Attributes
    ----------
    table : ibis Table
        ``_row`` (int64, 1-based) and the source's columns: text, except the dates,
        timestamps and numbers of typed sources.
    location : str
        The file, the database URL (password masked) with its table or query, or the
        engine's table.
    bytes : int or None
        File size; None for a database.
    sha256 : str
        Of the file's bytes; for a database, of the rows read; empty for a table of the
        engine (hashing a warehouse table would read all of it once more).
    detail : str
        How it was read: the encoding, sheet, or database table.
    """

    table: Table
    location: str
    bytes: int | None
    sha256: str
    detail: str = ""


def fingerprint(path: str | Path) -> str:
    """sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_raw(engine: Engine, path: str | Path, name: str, *, sheet: str | int | None = None,
             encoding: str | None = None) -> tuple[Table, str]:
    """Load a file as a raw all-text table named ``raw_<name>``.

    Parameters
    ----------
    engine : Engine
    path : str or Path
        CSV (any encoding, see :mod:`leadroi.intake.sources.text`), XLSX or Parquet file.
    name : str
        Canonical table name, used for the stored table's name.
    sheet : str or int, optional
        XLSX sheet (name, or 1-based number); default the first.
    encoding : str, optional
        CSV encoding; default detected.

    Returns
    -------
    (ibis Table, str)
        The table (VARCHAR columns as in the file, plus ``_row``) and how it was read
        (``encoding gb18030``, ``sheet 线索``).

    Raises
    ------
    DataError
        Missing, empty, unreadable or unsupported file, or a missing sheet.
    """
    path = Path(path)
    if not path.is_file():
        raise data_error("file_not_found", file=str(path))
    if path.stat().st_size == 0:
        raise data_error("empty_file", file=str(path))
    suffix = path.suffix.lower()
    reader = FILE_READERS.get(suffix)
    if reader is None:
        raise data_error("unsupported_file", file=str(path), suffix=suffix or path.name,
                         known=", ".join(sorted(FILE_READERS)))
    return reader(engine, path, name, sheet=sheet, encoding=encoding)


def read_source(engine: Engine, source: TableSource, name: str) -> RawTable:
    """Read one ``data:`` entry of the params (a file, a database, or a table of the
    engine itself) into the engine.

    Files and databases are read by the engine's local DuckDB (:attr:`Engine.local`);
    on another backend (Spark, a warehouse) the raw table is then uploaded to it. A table
    or query of the engine (no ``path:``, no ``url:``) is read where it lies
    (:mod:`leadroi.intake.sources.engine_tables`).

    Raises
    ------
    DataError
        The file or database cannot be read (see :func:`read_raw` and
        :mod:`leadroi.intake.sources.sql`).
    """
    if source.in_engine:
        table = read_engine_table(engine, source, name)
        what = f"table {source.table}" if source.table else "query"
        return RawTable(table, source.location, None, "", f"engine {what}, not hashed")
    local = engine.local
    if source.path is not None:
        path = Path(source.path)
        table, detail = read_raw(local, path, name, sheet=source.sheet,
                                 encoding=source.encoding)
        return RawTable(engine.upload(f"raw_{name}", table), str(path), path.stat().st_size,
                        fingerprint(path), detail)
    scheme = url_scheme(source.url or "")
    reader = URL_READERS.get(scheme)
    if reader is None:
        raise data_error("unsupported_url", file=source.location, scheme=scheme,
                         known=", ".join(sorted(URL_READERS)))
    table = reader(local, source.url, name, table=source.table, query=source.query)
    what = f"table {source.table}" if source.table else "query"
    return RawTable(engine.upload(f"raw_{name}", table), f"{source.location} ({what})", None,
                    content_digest(local, table), what)
