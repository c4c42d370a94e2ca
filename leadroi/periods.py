"""Reporting periods: parse ``2026-Q3``, ``2026-07`` or ``2026`` into date windows."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["Period", "parse_period"]

_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    """A half-open date window ``[start, end)`` with a label.

    Attributes
    ----------
    label : str
        Canonical label, e.g. ``2026-Q3``.
    kind : str
        ``quarter``, ``month`` or ``year``.
    start, end : datetime.date
        First day, and the day after the last day.
    """

    label: str
    kind: str
    start: dt.date
    end: dt.date

    def shift(self, steps: int) -> Period:
        """The period ``steps`` periods of the same kind later (negative: earlier)."""
        if self.kind == "year":
            return parse_period(str(self.start.year + steps))
        months = 3 if self.kind == "quarter" else 1
        index = self.start.year * 12 + self.start.month - 1 + steps * months
        year, month = divmod(index, 12)
        if self.kind == "quarter":
            return parse_period(f"{year}-Q{month // 3 + 1}")
        return parse_period(f"{year}-{month + 1:02d}")

    def previous(self) -> Period:
        """The period just before this one (QoQ for a quarter)."""
        return self.shift(-1)

    def year_ago(self) -> Period:
        """The same period one year earlier (YoY)."""
        return self.shift(-{"quarter": 4, "month": 12, "year": 1}[self.kind])

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def months(self) -> list[str]:
        """``YYYY-MM`` labels of the months in the period."""
        out, year, month = [], self.start.year, self.start.month
        while dt.date(year, month, 1) < self.end:
            out.append(f"{year}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    def __str__(self) -> str:
        return self.label


def parse_period(text: str) -> Period:
    """Parse a period label.

    Parameters
    ----------
    text : str
        ``2026-Q3`` (quarter), ``2026-07`` (month) or ``2026`` (year).

    Returns
    -------
    Period

    Raises
    ------
    ValueError
        If the label is not one of those forms.

    Examples
    --------
    >>> parse_period("2026-Q3").start
    datetime.date(2026, 7, 1)
    """
    text = str(text).strip()
    if m := _QUARTER.match(text):
        year, q = int(m.group(1)), int(m.group(2))
        start = dt.date(year, 3 * q - 2, 1)
        end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
        return Period(f"{year}-Q{q}", "quarter", start, end)
    if m := _MONTH.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"month {month} out of range in period '{text}'")
        end = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
        return Period(f"{year}-{month:02d}", "month", dt.date(year, month, 1), end)
    if m := _YEAR.match(text):
        year = int(m.group(1))
        return Period(str(year), "year", dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
    raise ValueError(
        f"period '{text}' is not a quarter (2026-Q3), a month (2026-07) or a year (2026)"
    )
