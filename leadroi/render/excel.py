"""The Excel workbook: one sheet per report table, raw numbers, nothing executable.

Text cells are always written as text, so CRM values such as ``=HYPERLINK(...)`` or
``+86 138...`` can never become formulas; numbers stay numbers.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from leadroi.i18n import catalogue
from leadroi.report.tables import ReportTable

__all__ = ["write_workbook", "workbook_rows", "excel_value", "csv_value", "write_csv",
           "FORMULA_PREFIXES"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PCT = {"pct", "pct_range", "roi_range", "delta_pct", "delta_pp", "pct_plain"}
_MONEY = {"money", "money_exact"}
_FIXED_TIME = dt.datetime(2000, 1, 1)


def excel_value(value):
    """A value as openpyxl should store it: None for missing, plain Python scalars."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if isinstance(value, str):
        # control characters (a vertical tab from an Excel export) cannot be stored in
        # XLSX and would make openpyxl refuse the whole workbook: shown as U+FFFD
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    if isinstance(value, (dt.datetime, dt.date, int, float)):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))


def csv_value(value):
    """A value as a CSV export should hold it (OWASP "CSV injection"): text starting
    with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading ``'`` so a spreadsheet opens
    it as text; numbers (negative ones too) and everything else are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as UTF-8 CSV (with BOM, for Excel) with every text cell made safe
    by :func:`csv_value`, atomically."""
    path = Path(path)
    safe = frame.map(csv_value)
    safe.columns = [csv_value(str(c)) for c in frame.columns]
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".csv")
    os.close(fd)
    try:
        safe.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


class _FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose members all carry one fixed time, so that the same workbook
    gives the same bytes whenever it is written (openpyxl stamps the clock's time)."""

    def __init__(self, *args, date_time: tuple[int, ...], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._date_time = date_time

    def writestr(self, zinfo_or_arcname, data, *args, **kwargs):
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, self._date_time)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
            zinfo_or_arcname.external_attr = 0o600 << 16
        return super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename, arcname=None, *args, **kwargs):
        # openpyxl writes each worksheet to a temporary file first: stored by content,
        # not with the temporary file's time
        with open(filename, "rb") as fh:
            return self.writestr(arcname or os.path.basename(filename), fh.read())


def _save(wb: Workbook, path: str, stamp: dt.datetime) -> None:
    """``wb.save(path)`` without the clock: openpyxl's own save overwrites the modified
    time with now and gives every zip member the current time."""
    with _FixedTimeZip(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True,
                       date_time=stamp.timetuple()[:6]) as archive:
        ExcelWriter(wb, archive).write_data()


def _set(cell: Cell, value) -> None:
    value = excel_value(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text, even when it starts like a formula


def _number_format(table: ReportTable, column: str) -> str | None:
    base = column.removesuffix("_low").removesuffix("_high")
    kind = table.kinds.get(column) or table.kinds.get(base)
    if kind in _PCT or column in ("conversion_rate", "drop_off", "share", "sla_rate"):
        return "0.0%"
    if kind in _MONEY:
        return "#,##0"
    return None


def write_workbook(tables: list[ReportTable], path: str | Path, *, lang: str = "en",
                   created: dt.datetime | None = None) -> Path:
    """Write every table to its own sheet, atomically (temp file, then rename).

    Parameters
    ----------
    tables : list of ReportTable
    path : str or Path
    lang : {"en", "zh"}
        ``en``: headers are the column ids; ``zh``: translated headers.
    created : datetime, optional
        Stored as the workbook's created/modified time (default: a fixed date, so the
        file does not depend on the clock).

    Returns
    -------
    Path
    """
    path = Path(path)
    t = catalogue(lang) if lang != "en" else None
    wb = Workbook()
    wb.remove(wb.active)
    for table in tables:
        ws = wb.create_sheet(title=table.name[:31])
        frame = table.to_excel_frame(t)
        ids = table.excel_columns or list(table.data.columns)
        for j, header in enumerate(frame.columns, start=1):
            _set(ws.cell(row=1, column=j), str(header))
            ws.cell(row=1, column=j).font = Font(bold=True)
        values = frame.to_numpy(dtype=object)
        for i, row in enumerate(values, start=2):
            for j, value in enumerate(row, start=1):
                _set(ws.cell(row=i, column=j), value)
        for j, (header, col) in enumerate(zip(frame.columns, ids), start=1):
            number_format = _number_format(table, col)
            if number_format:
                for cell in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                    cell[0].number_format = number_format
            width = max([len(str(header))] + [len(str(v)) for v in values[:200, j - 1]
                                              if v is not None])
            ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 8), 60)
        ws.freeze_panes = "A2"
    stamp = created or _FIXED_TIME
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "leadroi"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".xlsx")
    os.close(fd)
    try:
        _save(wb, tmp, stamp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def workbook_rows(path: str | Path) -> dict[str, dict[str, int]]:
    """Rows in / used / quarantined per input table, read back from a report workbook's
    ``data_quality`` sheet (by position: its headers are translated in ``zh``); empty
    when the sheet is missing."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        if "data_quality" not in wb.sheetnames:
            return {}
        rows = wb["data_quality"].iter_rows(min_row=2, values_only=True)
        return {str(r[0]): {"in": int(r[2]), "used": int(r[3]), "quarantined": int(r[4])}
                for r in rows if r and r[0] is not None}
    finally:
        wb.close()
