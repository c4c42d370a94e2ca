"""XLSX workbooks, streamed row by row with openpyxl's read-only mode into Arrow batches.

Cells become text the way an analyst sees them: whole numbers without ``.0`` (so a
numeric lead id stays ``202410010001``), dates and times in ISO form, formulas as their
last computed value. Title rows above the header (a merged "线索跟踪表" banner, a blank
row) are skipped: the header is the first row with at least two filled cells.
"""

from __future__ import annotations

import datetime as dt
import difflib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
from ibis.expr.types import Table

from leadroi.engine import Engine
from leadroi.errors import DataError
from leadroi.intake.messages import data_error
from leadroi.intake.sources.raw import store_batches, unique_names

__all__ = ["read_xlsx", "cell_text", "BATCH_ROWS"]

#: Rows per Arrow batch handed to the engine.
BATCH_ROWS = 20_000
#: Rows looked at for the header before giving up.
HEADER_SCAN = 20
#: Most bytes the workbook's members may unpack to (a million-row export is ~0.5 GB).
MAX_UNPACKED = 4 << 30
#: Largest unpacked/packed ratio accepted once the members exceed :data:`RATIO_FROM`
#: bytes (real exports compress 5-20 times; bombs thousands of times).
MAX_RATIO = 200
RATIO_FROM = 64 << 20


def _float_text(v: float) -> str:
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def _datetime_text(v: dt.datetime) -> str:
    return v.isoformat(sep=" ", timespec="seconds" if not v.microsecond else "auto")


_CELL_TEXT = {
    str: lambda v: v,
    int: str,
    float: _float_text,
    bool: lambda v: "TRUE" if v else "FALSE",
    dt.datetime: _datetime_text,
    dt.date: dt.date.isoformat,
    dt.time: dt.time.isoformat,
}


def cell_text(value: object) -> str | None:
    """The text of one cell value as openpyxl returns it (None stays None)."""
    if value is None:
        return None
    convert = _CELL_TEXT.get(type(value))
    return convert(value) if convert else str(value)


def _check_archive(path: Path) -> None:
    """Refuse a workbook whose members would unpack to too much (zip bomb)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise data_error("unreadable_xlsx", file=str(path),
                         problem=str(exc) or type(exc).__name__) from None
    unpacked = sum(m.file_size for m in members)
    packed = max(sum(m.compress_size for m in members), 1)
    if unpacked > MAX_UNPACKED:
        problem = f"its contents unpack to {unpacked / 2**30:.1f} GB"
    elif unpacked > RATIO_FROM and unpacked / packed > MAX_RATIO:
        problem = (f"its contents unpack to {unpacked / 2**20:,.0f} MB from "
                   f"{packed / 2**20:,.1f} MB (a ratio of {unpacked / packed:,.0f})")
    else:
        return
    raise data_error("xlsx_too_large", file=str(path), problem=problem)


def _open(path: Path):
    from openpyxl import load_workbook

    _check_archive(path)
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any damage (zip, zlib, XML) is bad input
        raise _unreadable(path, exc) from None


def _unreadable(path: Path, exc: Exception):
    text = str(exc).strip()
    return data_error("unreadable_xlsx", file=str(path),
                      problem=text.splitlines()[0][:200] if text else type(exc).__name__)


def _sheet(workbook, path: Path, sheet: str | int | None):
    names = workbook.sheetnames
    if sheet is None:
        return workbook[names[0]]
    if isinstance(sheet, int):
        if 1 <= sheet <= len(names):
            return workbook[names[sheet - 1]]
    elif sheet in names:
        return workbook[sheet]
    close = difflib.get_close_matches(str(sheet), names, n=1, cutoff=0.3)
    raise data_error("sheet_not_found", file=str(path), sheet=sheet,
                     sheets=", ".join(names), closest=close[0] if close else names[0])


def _filled(row: tuple) -> int:
    return sum(1 for v in row if v is not None and str(v).strip() != "")


def _batches(rows: Iterator[tuple], width: int) -> Iterator[pa.RecordBatch]:
    buffer: list[list[str | None]] = [[] for _ in range(width)]
    count = 0
    for row in rows:
        if not _filled(row):
            continue  # blank lines are formatting, not records (as for CSV)
        for i in range(width):
            buffer[i].append(cell_text(row[i]) if i < len(row) else None)
        count += 1
        if count == BATCH_ROWS:
            yield pa.RecordBatch.from_arrays([pa.array(c, pa.string()) for c in buffer],
                                             names=[str(i) for i in range(width)])
            buffer, count = [[] for _ in range(width)], 0
    if count:
        yield pa.RecordBatch.from_arrays([pa.array(c, pa.string()) for c in buffer],
                                         names=[str(i) for i in range(width)])


def read_xlsx(engine: Engine, path: Path, name: str, *, sheet: str | int | None = None,
              encoding: str | None = None) -> tuple[Table, str]:
    """An XLSX sheet as a raw table; returns it and ``sheet <name>``."""
    if encoding is not None:
        raise data_error("encoding_not_csv", file=str(path))
    workbook = _open(path)
    try:
        return _read_sheet(engine, workbook, path, name, sheet)
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged member shows up while streaming
        raise _unreadable(path, exc) from None
    finally:
        workbook.close()


def _read_sheet(engine: Engine, workbook, path: Path, name: str,
                sheet: str | int | None) -> tuple[Table, str]:
    ws = _sheet(workbook, path, sheet)
    ws.reset_dimensions()  # read the cells stored, not the declared A1:XFD1048576
    rows = ws.iter_rows(values_only=True)
    header = None
    for _, row in zip(range(HEADER_SCAN), rows):
        if _filled(row) >= 2:
            header = row
            break
    if header is None:
        raise data_error("empty_sheet", file=str(path), sheet=ws.title)
    while header and (header[-1] is None or str(header[-1]).strip() == ""):
        header = header[:-1]
    names = unique_names(header)
    schema = pa.schema([pa.field(n, pa.string()) for n in names])
    batches = (b.rename_columns(names) for b in _batches(rows, len(names)))
    table = store_batches(engine, schema, batches, name)
    return table, f"sheet {ws.title}"
