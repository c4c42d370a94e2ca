"""Normalising raw text values into canonical types, as Ibis expressions.

Everything runs inside the engine at any size. A value that can be read is normalised
(``¥5万`` -> 50000, ``2023/10/1`` -> 2023-10-01, ``#N/A`` -> missing, `` seo`` -> ``SEO``);
one that cannot becomes null, and :mod:`leadroi.intake.clean` decides what that means
for its row. Two DuckDB-only functions have portable fallbacks: 12-hour-clock dates are
parsed with plain string operations, and regex back-references use the backend's syntax.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import ibis
from ibis.expr.types import StringValue, Value

from leadroi.canonical import CHANNEL, ID, MONEY, NUMBER, TEXT, TIMESTAMP

__all__ = ["PLACEHOLDERS", "squish", "nullify", "text", "money", "number", "timestamp",
           "parse_money", "parse_number", "parse_timestamp", "parse_kind", "PLAIN_NUMBER",
           "ISO_DATE"]


#: Values read as missing (compared case-insensitively, after trimming).
PLACEHOLDERS = ("", "-", "--", "—", "–", "/", "n/a", "na", "#n/a", "null", "none", "nan",
                "nat", "select", "--select--", "(blank)", "#value!", "#ref!", "#div/0!",
                "#num!", "#name?", "#null!", "无", "未知", "暂无", "不详", "请选择", "空")

_PLACEHOLDER_RE = "(?i)^(" + "|".join(re.escape(p) for p in PLACEHOLDERS if p) + ")$"
_FULL = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000\u2212\u00a0"
_HALF = "".join(chr(c) for c in range(0x21, 0x7F)) + " - "
PLAIN_NUMBER = r"^-?\d+(\.\d+)?$"
ISO_DATE = r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$"


#: Text that :func:`text` changes: stray or repeated whitespace, full-width characters, a
#: placeholder, or nothing at all
_UNTIDY = "(?i)" + r"^\s|\s$|\s\s|[\t\r\n\v\f]|" + f"[{_FULL}]" + "|^$|" \
    + _PLACEHOLDER_RE.removeprefix("(?i)")


def squish(s: StringValue) -> StringValue:
    """Full-width characters folded to ASCII, whitespace runs collapsed, ends trimmed."""
    return s.translate(_FULL, _HALF).re_replace(r"\s+", " ").strip()


def nullify(s: StringValue) -> StringValue:
    """Placeholders (``-``, ``#N/A``, ``无`` ...) become NULL; apply after :func:`squish`.

    Written as one chain (placeholder → ``''`` → NULL) so that ``s`` is evaluated once
    even when it is a large expression.
    """
    return s.re_replace(_PLACEHOLDER_RE, "").nullif("")


def text(col: StringValue) -> StringValue:
    """Trimmed text with full-width characters folded; placeholders become NULL.

    Most values need none of it: one pattern tells them apart, so they cost one match.
    """
    s = col.cast("string")
    return ibis.ifelse(s.re_search(_UNTIDY), nullify(squish(s)), s)


def money(col: StringValue) -> Value:
    """Parse ``¥50,000``, ``50,000.00``, ``5万``, ``1.2万元``, ``$1.5k``, ``(1,000)``."""
    return parse_money(text(col))


def number(col: StringValue) -> Value:
    """Parse a number: thousands separators, ``12%`` (read as 0.12), ``3万``."""
    return parse_number(text(col))


def timestamp(col: StringValue) -> Value:
    """Parse ISO dates, ``2023/10/1``, ``2023年10月1日``, ``10/01/2023`` (month first),
    ``2023-10-01 14:30`` and Excel serial day numbers, mixed within one column."""
    return parse_timestamp(text(col))


def parse_money(s: StringValue) -> Value:
    """:func:`money` on text already passed through :func:`text`."""
    return ibis.coalesce(s.try_cast("float64"), _money_slow(s))


def _money_slow(s: StringValue) -> Value:
    negative = s.re_search(r"^\(.*\)$")
    body = s.re_replace(r"[¥￥$€£,，()\s]|元|人民币|(?i:rmb|cny|usd)", "")
    mult = ibis.cases(
        (body.re_search("亿$"), 1e8),
        (body.re_search("[万wW]$"), 1e4),
        (body.re_search("[千kK]$"), 1e3),
        (body.re_search("[mM]$"), 1e6),
        else_=1.0,
    )
    value = body.re_replace(r"[亿万千wWkKmM]$", "").try_cast("float64") * mult
    return ibis.ifelse(negative, -value, value)


def parse_number(s: StringValue) -> Value:
    """:func:`number` on text already passed through :func:`text`: also ``12%`` (0.12)
    and ``3万`` (30000)."""
    percent = s.re_search("%$")
    value = ibis.coalesce(s.try_cast("float64"), _money_slow(s.re_replace("%$", "")))
    return ibis.ifelse(percent, value / 100.0, value)


def parse_timestamp(s: StringValue) -> Value:
    """:func:`timestamp` on text already passed through :func:`text`.

    On backends other than DuckDB, only text that starts like an ISO date is cast
    directly (Spark's cast also reads ``2023`` as a date, DuckDB's does not), so every
    backend reads the same values.
    """
    direct = s.try_cast("timestamp")
    if _backend(s) != "duckdb":
        direct = ibis.ifelse(s.re_search(_ISO_START), direct, ibis.null("timestamp"))
    return ibis.coalesce(direct, _timestamp_slow(s))


def _backend(expr: Value) -> str:
    """Name of the backend an expression runs on (``duckdb`` for literals)."""
    try:
        return expr._find_backend(use_default=True).name
    except Exception:  # noqa: BLE001 - no table under it: the default backend
        return "duckdb"


@ibis.udf.scalar.builtin(name="try_strptime")
def _try_strptime(text: str, formats: list[str]) -> dt.datetime:  # DuckDB's own function
    """NULL where ``text`` matches none of ``formats``."""


#: 12-hour clock layouts, after the date part is rewritten to ``Y-m-d``
_TWELVE_HOUR = ["%Y-%m-%d %I:%M %p", "%Y-%m-%d %I:%M:%S %p", "%Y-%m-%d %p %I:%M",
                "%Y-%m-%d %p %I:%M:%S"]
_ISO_START = r"^\d{4}-\d{1,2}-\d{1,2}([ T]|$)"
#: The same layouts as one pattern, for backends without ``try_strptime``
_TWELVE = (r"^(\d{4}-\d{1,2}-\d{1,2}) (AM |PM )?(\d{1,2}):(\d{1,2})(:(\d{1,2}))?"
           r"( AM| PM)?$")


def _group(s: StringValue, index: int) -> StringValue:
    return s.re_extract(_TWELVE, index).fill_null("")


def _twelve_hour_portable(s: StringValue) -> Value:
    """``try_strptime(s, _TWELVE_HOUR)`` in plain Ibis string and integer operations
    (the fallback for backends other than DuckDB): NULL unless exactly one AM/PM is
    given and the hour is 1-12."""
    marker = (_group(s, 2) + _group(s, 7)).strip()
    hour = _group(s, 3).nullif("").cast("int64")
    hour24 = hour % 12 + ibis.ifelse(marker == "PM", 12, 0)
    second = _group(s, 6).nullif("").fill_null("0")
    text = (_group(s, 1) + " " + hour24.cast("string").lpad(2, "0") + ":"
            + _group(s, 4).lpad(2, "0") + ":" + second.lpad(2, "0"))
    ok = s.re_search(_TWELVE) & marker.isin(["AM", "PM"]) & hour.between(1, 12)
    return ibis.ifelse(ok, text.try_cast("timestamp"), ibis.null("timestamp"))


#: backend -> back-reference to capture group N in a regex replacement
_BACKREF = {"duckdb": "\\{}", "pyspark": "${}"}


def _timestamp_slow(s: StringValue) -> Value:
    backend = _backend(s)
    ref = _BACKREF.get(backend, "\\{}").format
    ymd = s.re_replace(r"^(\d{4})[/.年-](\d{1,2})[/.月-](\d{1,2})日?",
                       f"{ref(1)}-{ref(2)}-{ref(3)}")
    ymd = ymd.re_replace(r"^(\d{1,2})/(\d{1,2})/(\d{4})", f"{ref(3)}-{ref(1)}-{ref(2)}")
    serial = s.re_search(r"^\d{5}(\.\d+)?$")
    days = s.try_cast("float64")
    from_serial = (ibis.timestamp("1899-12-30 00:00:00")
                   + (days * 1440).round().cast("int64").as_interval("m"))
    twelve = ymd.re_replace("上午", " AM ").re_replace("下午", " PM ") \
        .re_replace(r"\s+", " ").strip() \
        .re_replace(r"(?i)([ap])\.?m\.?", f"{ref(1)}M").upper()
    if backend == "duckdb":
        twelve_hour, plain = _try_strptime(twelve, ibis.literal(_TWELVE_HOUR)), \
            ymd.try_cast("timestamp")
    else:
        twelve_hour = _twelve_hour_portable(twelve)
        plain = ibis.ifelse(ymd.re_search(_ISO_START), ymd.try_cast("timestamp"),
                            ibis.null("timestamp"))
    parsed = ibis.cases(
        (serial & (days > 20000) & (days < 80000), from_serial),
        (s.re_search(r"(?i)(^|[\s\d])[ap]\.?m\.?($|\s)|上午|下午"), twelve_hour),
        else_=plain)
    return parsed.cast("timestamp")


def _same(s: StringValue) -> StringValue:
    return s


#: column kind -> parser of text already passed through :func:`text`
_PARSERS: dict[str, Callable[[StringValue], Value]] = {
    ID: _same, TEXT: _same, CHANNEL: _same, TIMESTAMP: parse_timestamp, MONEY: parse_money,
    NUMBER: parse_number,
}


def parse_kind(col: StringValue, kind: str) -> Value:
    """Parse text already passed through :func:`text` as a column of ``kind``."""
    return _PARSERS[kind](col)
