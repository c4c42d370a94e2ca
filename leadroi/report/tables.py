"""Report tables: raw values for the Excel workbook, formatted and escaped for HTML.

A :class:`ReportTable` keeps the numbers as computed (snake_case column ids, which are
the Excel headers of the English report) and says how each shown column is formatted.
``to_html`` formats with :class:`~leadroi.report.formats.Formatter`, translates headers through
the catalogue, and renders with pandas Styler with HTML escaping switched on, so CRM text
such as ``<script>`` is shown, never run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from leadroi.i18n import Catalogue
from leadroi.report.formats import MISSING, Formatter

__all__ = ["ReportTable", "NUMERIC_KINDS"]

#: kinds shown right-aligned
NUMERIC_KINDS = {"int", "money", "money_range", "money_exact", "pct", "pct_range", "roi_range",
                 "ratio", "delta_pct", "delta_pp", "hours", "num", "pct_plain"}


@dataclass
class ReportTable:
    """One table of the report.

    Parameters
    ----------
    name : str
        Stable snake_case id; the Excel sheet name.
    data : DataFrame
        Raw values; column names are ids (``conversion_rate``, ``roi_low`` ...).
    kinds : dict
        Shown columns, in order, and their kind: ``text``, ``int``, ``money``,
        ``money_range``, ``money_exact``, ``pct``, ``pct_range`` (uses
        ``<col>_low``/``<col>_high``),
        ``roi_range``, ``ratio`` (1:x), ``delta_pct``, ``delta_pp``, ``hours``, ``date``,
        ``stage``, ``cost_type``, ``bool``, ``num``.
    headers : dict, optional
        Header labels overriding the catalogue's ``col.<id>``.
    row_classes : list of str, optional
        A CSS class per row (``total``, ``muted``).
    translate : dict, optional
        Per column, a catalogue prefix to translate raw values (``reason.``...).
    """

    name: str
    data: pd.DataFrame
    kinds: dict[str, str]
    headers: dict[str, str] = field(default_factory=dict)
    row_classes: list[str] | None = None
    excel_columns: list[str] | None = None

    def header(self, col: str, t: Catalogue) -> str:
        return self.headers.get(col) or t.get(f"col.{col}", col)

    def display_frame(self, t: Catalogue, fmt: Formatter) -> pd.DataFrame:
        """Formatted strings with translated headers, as shown in HTML."""
        out = {}
        for col, kind in self.kinds.items():
            out[self.header(col, t)] = [self._cell(row, col, kind, t, fmt)
                                        for _, row in self.data.iterrows()]
        return pd.DataFrame(out)

    @staticmethod
    def _cell(row: pd.Series, col: str, kind: str, t: Catalogue, fmt: Formatter) -> str:
        value = row.get(col)
        if kind == "text":
            return MISSING if value is None or (isinstance(value, float) and np.isnan(value)) \
                else str(value)
        if kind == "int":
            return fmt.number(value)
        if kind == "num":
            return fmt.number(value, 2)
        if kind == "money":
            return fmt.money(value)
        if kind == "money_range":
            return _with_range(fmt.money(value), fmt.money(row.get(f"{col}_low")),
                               fmt.money(row.get(f"{col}_high")))
        if kind == "money_exact":
            return fmt.money_exact(value)
        if kind == "pct":
            return fmt.pct(value)
        if kind == "pct_plain":
            return fmt.pct(value, 0)
        if kind == "pct_range":
            return _with_range(fmt.pct(value), fmt.pct(row.get(f"{col}_low")),
                               fmt.pct(row.get(f"{col}_high")))
        if kind == "roi_range":
            return _with_range(fmt.pct(value, 0), fmt.pct(row.get(f"{col}_low"), 0),
                               fmt.pct(row.get(f"{col}_high"), 0))
        if kind == "ratio":
            return fmt.ratio(value)
        if kind == "delta_pct":
            return fmt.delta_pct(value)
        if kind == "delta_pp":
            return fmt.delta_pp(value)
        if kind == "hours":
            return fmt.hours(value)
        if kind == "date":
            return fmt.date(value)
        if kind == "stage":
            return t.get(f"stage.{value}", str(value))
        if kind == "cost_type":
            return t.get(f"cost_type.{value}", str(value))
        if kind == "bool":
            return "✓" if bool(value) else ""
        raise ValueError(f"unknown column kind {kind!r}")

    def to_html(self, t: Catalogue, fmt: Formatter) -> str:
        """The table as escaped HTML (pandas Styler, fixed ids, no inline styles)."""
        shown = self.display_frame(t, fmt)
        classes = pd.DataFrame("", index=shown.index, columns=shown.columns)
        for col, kind in self.kinds.items():
            if kind in NUMERIC_KINDS:
                classes[self.header(col, t)] = "num"
        if self.row_classes:
            for i, cls in enumerate(self.row_classes):
                if cls:
                    classes.iloc[i] = classes.iloc[i] + " " + cls
        styler = Styler(shown, uuid=self.name, cell_ids=False)
        styler = styler.hide(axis="index").format(escape="html") \
            .format_index(escape="html", axis=1)
        styler.set_td_classes(classes)
        styler.set_table_attributes(f'class="rt rt-{self.name}"')
        return styler.to_html()

    def to_excel_frame(self, t: Catalogue | None = None) -> pd.DataFrame:
        """Raw values for the workbook: id headers, or translated headers when ``t`` is
        given (the Chinese report)."""
        cols = self.excel_columns or list(self.data.columns)
        frame = self.data[cols].copy()
        if t is not None:
            frame.columns = [self.header(c, t) if c in self.kinds or f"col.{c}" in t.strings
                             else c for c in cols]
        return frame


def _with_range(value: str, low: str, high: str) -> str:
    if value == MISSING or low == MISSING:
        return value
    return f"{value} ({low} – {high})"
