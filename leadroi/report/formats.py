"""Number, money, percentage and date formatting for each report language.

English uses K/M and thousands separators; Chinese uses 万 and 亿. Missing or undefined
values (NaN, e.g. ROI without spend) are shown as an em dash, never as ``inf`` or ``nan``.
"""

from __future__ import annotations

import datetime as dt
import math

__all__ = ["Formatter", "CURRENCY_SYMBOLS", "MISSING"]

MISSING = "—"
CURRENCY_SYMBOLS = {"CNY": "¥", "RMB": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥",
                    "HKD": "HK$", "SGD": "S$", "AUD": "A$", "CAD": "C$"}


def _missing(value) -> bool:
    try:
        return value is None or math.isnan(float(value)) or math.isinf(float(value))
    except (TypeError, ValueError):
        return True


class Formatter:
    """Formats numbers for one language and currency.

    Parameters
    ----------
    lang : {"en", "zh"}
    currency : str
        ISO code, e.g. ``CNY``.

    Examples
    --------
    >>> Formatter("zh", "CNY").money(24_587_800)
    '¥2,458.8万'
    >>> Formatter("en", "CNY").money(24_587_800)
    '¥24.6M'
    """

    def __init__(self, lang: str = "en", currency: str = "CNY") -> None:
        self.lang = lang
        self.currency = currency
        self.symbol = CURRENCY_SYMBOLS.get(currency, currency + " ")

    def number(self, value, digits: int = 0) -> str:
        """A plain number with thousands separators: ``8,378``."""
        if _missing(value):
            return MISSING
        return f"{float(value):,.{digits}f}"

    def compact(self, value) -> str:
        """A large number shortened: en ``24.6M``/``950K``, zh ``2,458.8万``/``1.23亿``."""
        if _missing(value):
            return MISSING
        v = float(value)
        sign, a = ("-" if v < 0 else ""), abs(v)
        if self.lang == "zh":
            if a >= 1e8:
                return f"{sign}{a / 1e8:,.2f}亿"
            if a >= 1e4:
                return f"{sign}{a / 1e4:,.1f}万"
            return f"{sign}{a:,.0f}"
        for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
            if a >= size:
                digits = 1 if a / size < 100 else 0
                return f"{sign}{a / size:,.{digits}f}{suffix}"
        return f"{sign}{a:,.0f}"

    def money(self, value) -> str:
        """A money amount, compact, with the currency symbol: ``¥24.6M``."""
        if _missing(value):
            return MISSING
        text = self.compact(value)
        return f"-{self.symbol}{text[1:]}" if text.startswith("-") else f"{self.symbol}{text}"

    def money_exact(self, value) -> str:
        """A money amount in full: ``¥1,748,309``."""
        if _missing(value):
            return MISSING
        v = float(value)
        return f"{'-' if v < 0 else ''}{self.symbol}{abs(v):,.0f}"

    def pct(self, value, digits: int = 1) -> str:
        """A share or rate as a percentage: ``3.6%``."""
        if _missing(value):
            return MISSING
        return f"{float(value) * 100:,.{digits}f}%"

    def ratio(self, value) -> str:
        """A return ratio written 1:x, as seed 002 writes ROAS: ``1:4.8``."""
        if _missing(value):
            return MISSING
        return f"1:{float(value):.1f}"

    def times(self, value, digits: int = 1) -> str:
        """A multiple such as LTV/CAC: ``6.2×``."""
        if _missing(value):
            return MISSING
        return f"{float(value):,.{digits}f}×"

    def delta_pct(self, value, digits: int = 1) -> str:
        """A relative change with its sign: ``+6.2%``, ``−13.0%``."""
        if _missing(value):
            return MISSING
        v = float(value) * 100
        return f"{'+' if v >= 0 else '−'}{abs(v):,.{digits}f}%"

    def delta_pp(self, value, digits: int = 1) -> str:
        """A change of a rate in percentage points: ``−0.7 pp`` / ``−0.7个百分点``."""
        if _missing(value):
            return MISSING
        v = float(value) * 100
        unit = "个百分点" if self.lang == "zh" else " pp"
        return f"{'+' if v >= 0 else '−'}{abs(v):.{digits}f}{unit}"

    def hours(self, value) -> str:
        if _missing(value):
            return MISSING
        return f"{float(value):.1f}" + ("小时" if self.lang == "zh" else " h")

    def date(self, value: dt.date | None) -> str:
        if value is None:
            return MISSING
        if self.lang == "zh":
            return f"{value.year}年{value.month}月{value.day}日"
        return value.isoformat()
