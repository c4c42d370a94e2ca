"""CSV and Parquet files, read by DuckDB's own readers (streaming, parallel)."""

from __future__ import annotations

from pathlib import Path

from ibis.expr.types import Table

from leadroi.engine import Engine
from leadroi.errors import DataError
from leadroi.intake.messages import data_error
from leadroi.intake.sources.raw import store_sql, view_parquet
from leadroi.intake.sources.text import detect_encoding, utf8_file

__all__ = ["read_csv", "read_parquet"]


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


#: Longest CSV line accepted (DuckDB's default is 2 MB: two 1 MB notes fields in one row
#: would fail); longer lines are a clear error naming the line.
MAX_LINE_BYTES = 64 << 20

#: Delimiters a header line is checked for; the most frequent wins (comma on a tie).
DELIMITERS = (",", "\t", ";", "|")


def _delimiter(path: Path) -> str:
    """The delimiter of a UTF-8 CSV, read off its header line (column names rarely hold
    one, while values may hold any); DuckDB's own sniffer can be misled by messy rows."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        header = ""
        for line in fh:
            if line.strip("\ufeff \r\n"):
                header = line
                break
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _has_content(path: Path, encoding: str) -> bool:
    """Whether the file holds anything but whitespace and byte-order marks."""
    with open(path, encoding=encoding, errors="replace") as fh:
        while chunk := fh.read(1 << 16):
            if chunk.replace("\ufeff", "").strip():
                return True
    return False


def read_csv(engine: Engine, path: Path, name: str, *, sheet=None,
             encoding: str | None = None) -> tuple[Table, str]:
    """A CSV file (delimiter and quoting detected) in any encoding Python knows.

    No row is skipped: DuckDB's sniffer would otherwise take a line starting with ``#``
    (an id of ``#N/A``) for a comment and drop it silently.

    Returns the raw table and ``encoding <codec>``.
    """
    if sheet is not None:
        raise data_error("sheet_not_workbook", file=str(path))
    codec = detect_encoding(path, encoding)
    if not _has_content(path, codec):
        raise data_error("empty_file", file=str(path))
    with utf8_file(path, codec) as utf8:
        source = (f"read_csv({_sql_str(str(utf8))}, all_varchar = true, header = true, "
                  f"delim = {_sql_str(_delimiter(utf8))}, quote = '\"', escape = '\"', "
                  "comment = '', skip = 0, auto_detect = true, null_padding = true, "
                  f"max_line_size = {MAX_LINE_BYTES})")
        try:
            table = store_sql(engine, source, name)
        except DataError:
            raise
        except Exception as exc:  # DuckDB's own parse errors name line and column
            raise data_error("unreadable_csv", file=str(path),
                             problem=_first_line(exc)) from None
    return table, f"encoding {codec}"


def read_parquet(engine: Engine, path: Path, name: str, *, sheet=None,
                 encoding=None) -> tuple[Table, str]:
    """A Parquet file, as a view on it (see :func:`leadroi.intake.sources.raw.view_parquet`)."""
    if sheet is not None or encoding is not None:
        raise data_error("options_not_parquet", file=str(path))
    try:
        return view_parquet(engine, _sql_str(str(path)), name), "parquet"
    except Exception as exc:
        raise data_error("unreadable_parquet", file=str(path),
                         problem=_first_line(exc)) from None
