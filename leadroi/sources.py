"""Read input files into the engine as raw text tables, and fingerprint them.

Each source becomes a table of VARCHAR columns plus ``_row`` (1 = first data row), read
by DuckDB itself so large files stream instead of passing through a Python loop.
Normalisation and validation happen later, in :mod:`leadroi.clean`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
from ibis.expr.types import Table

from leadroi.engine import Engine
from leadroi.errors import DataError

__all__ = ["read_raw", "fingerprint", "READERS"]


def fingerprint(path: str | Path) -> str:
    """sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _read_csv(engine: Engine, path: Path) -> str:
    head = path.read_bytes()[:65536]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the chunk end
            raise DataError(
                "is not UTF-8 text.", file=str(path),
                hint="Save it as UTF-8 CSV (Excel: 'CSV UTF-8'), or convert it with "
                "`iconv -f GB18030 -t UTF-8`.") from None
    return (f"read_csv({_sql_str(str(path))}, all_varchar = true, header = true, "
            "auto_detect = true, null_padding = true)")


def _read_parquet(engine: Engine, path: Path) -> str:
    return f"read_parquet({_sql_str(str(path))})"


#: file suffix -> function returning a DuckDB table function call reading the file
READERS = {".csv": _read_csv, ".txt": _read_csv, ".parquet": _read_parquet}


def read_raw(engine: Engine, path: str | Path, name: str) -> Table:
    """Load a file as a raw all-text table named ``raw_<name>``.

    Parameters
    ----------
    engine : Engine
    path : str or Path
        CSV, Parquet or XLSX file.
    name : str
        Canonical table name, used for the stored table's name.

    Returns
    -------
    ibis Table
        VARCHAR columns as in the file, plus ``_row`` (int64, 1-based data row).

    Raises
    ------
    DataError
        Missing, empty or unreadable file.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError("file not found.", file=str(path),
                        hint="Check `path:` in the params file (relative paths start at the "
                        "params file's folder); for the sample run `leadroi sample`.")
    if path.stat().st_size == 0:
        raise DataError("file is empty.", file=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        frame = pd.read_excel(path, dtype=str, engine="openpyxl")
        frame.insert(0, "_row", range(1, len(frame) + 1))
        return engine.store(f"raw_{name}", frame)
    reader = READERS.get(suffix)
    if reader is None:
        raise DataError(f"unsupported file type '{suffix}'.", file=str(path),
                        hint="Use CSV, XLSX or Parquet.")
    source = reader(engine, path)
    try:
        relation = engine.con.sql(
            f"SELECT CAST(row_number() OVER () AS BIGINT) AS _row, * FROM {source}")
        cols = [c for c in relation.columns if c != "_row"]
        relation = relation.select("_row", *[relation[c].cast("string").name(c) for c in cols])
        return engine.store(f"raw_{name}", relation)
    except DataError:
        raise
    except Exception as exc:  # DuckDB's own parse errors name line and column
        first = str(exc).strip().splitlines()[0]
        raise DataError(f"cannot be read: {first}", file=str(path),
                        hint="Check that it is a well-formed CSV/Parquet file.") from None
