"""Normalise raw text columns into canonical types, and decide which rows are quarantined.

All of it is Ibis expressions, so it runs inside the engine at any size. A value that
can be read is normalised and the fix is counted (``¥5万`` -> 50000, ``2023/10/1`` ->
2023-10-01, ``#N/A`` -> missing, `` seo`` -> ``SEO``). A row that cannot be used gets
exactly one quarantine reason (the first rule that fires), so for every table
**rows in = rows used + rows quarantined**.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import ibis
from ibis.expr.types import BooleanValue, StringValue, Table, Value

from leadroi.canonical import (
    CHANNEL,
    DEAL_DATES,
    ID,
    MONEY,
    NUMBER,
    STAGE_COLUMNS,
    TABLES,
    TEXT,
    TIMESTAMP,
)

__all__ = ["PLACEHOLDERS", "squish", "nullify", "text", "money", "number", "timestamp",
           "parse_money", "parse_number",
           "parse_timestamp", "tidy_text", "clean_table", "flag_rows", "placeholder_counts",
           "fix_indicators", "Rule", "RULES", "REASONS", "FIXES"]

#: Values read as missing (compared case-insensitively, after trimming).
PLACEHOLDERS = ("", "-", "--", "—", "–", "/", "n/a", "na", "#n/a", "null", "none", "nan",
                "nat", "select", "--select--", "(blank)", "#value!", "#ref!", "#div/0!",
                "#num!", "#name?", "#null!", "无", "未知", "暂无", "不详", "请选择", "空")

_PLACEHOLDER_RE = "(?i)^(" + "|".join(re.escape(p) for p in PLACEHOLDERS if p) + ")$"
_FULL = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000\u2212\u00a0"
_HALF = "".join(chr(c) for c in range(0x21, 0x7F)) + " - "
_PLAIN_NUMBER = r"^-?\d+(\.\d+)?$"
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$"


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


#: quarantine reason code -> English wording ({column}: the column concerned)
REASONS = {
    "missing": "{column} missing or unreadable",
    "unreadable_date": "unreadable date in {column}",
    "unreadable_amount": "unreadable amount in {column}",
    "negative": "negative {column}",
    "before_created": "{column} before created_at",
    "duplicate": "duplicate lead_id (first row kept)",
    "duplicate_deal": "duplicate deal_id (first row kept)",
    "bad_period": "period not like 2026-Q3 or 2026-07",
    "orphan": "lead_id not in leads",
    "before_lead_created": "{column} before the lead's created_at",
}


@dataclass(frozen=True)
class Rule:
    """A quarantine rule: rows where ``when(t)`` holds are set aside.

    ``code`` is a key of :data:`REASONS`; ``column`` names the canonical column whose
    raw value is shown beside the reason.
    """

    code: str
    column: str
    when: Callable[[Table], BooleanValue]

    @property
    def reason(self) -> str:
        return REASONS[self.code].format(column=self.column)


def _unreadable(col: str) -> Callable[[Table], BooleanValue]:
    return lambda t: t[f"_filled_{col}"] & t[col].isnull()


def _missing(col: str) -> Callable[[Table], BooleanValue]:
    return lambda t: t[col].isnull()


def _before_created(col: str) -> Callable[[Table], BooleanValue]:
    return lambda t: t[col].date() < t.created_at.date()


def _lead_rules(columns: list[str]) -> list[Rule]:
    rules = [Rule("missing", c, _missing(c)) for c in ("lead_id", "created_at", "channel")]
    stages = [c for c in STAGE_COLUMNS if c in columns]
    rules += [Rule("unreadable_date", c, _unreadable(c)) for c in stages]
    for c in ("amount", "acquisition_cost"):
        if c in columns:
            rules.append(Rule("unreadable_amount", c, _unreadable(c)))
            rules.append(Rule("negative", c, lambda t, c=c: t[c] < 0))
    rules += [Rule("before_created", c, _before_created(c)) for c in stages]
    return rules


def _deal_rules(columns: list[str]) -> list[Rule]:
    rules = [Rule("missing", "lead_id", _missing("lead_id"))]
    dates = [c for c in DEAL_DATES if c in columns]
    rules += [Rule("unreadable_date", c, _unreadable(c)) for c in dates]
    if "amount" in columns:
        rules.append(Rule("unreadable_amount", "amount", _unreadable("amount")))
        rules.append(Rule("negative", "amount", lambda t: t.amount < 0))
    if "created_at" in columns:
        rules += [Rule("before_created", c, _before_created(c)) for c in dates
                  if c != "created_at"]
    return rules


def _spend_rules(columns: list[str]) -> list[Rule]:
    return [Rule("missing", "channel", _missing("channel")),
            Rule("missing", "date" if "date" in columns else "period", _missing("date")),
            Rule("missing", "amount", _missing("amount")),
            Rule("negative", "amount", lambda t: t.amount < 0)]


def _touch_rules(columns: list[str]) -> list[Rule]:
    return [Rule("missing", c, _missing(c)) for c in ("lead_id", "touched_at", "channel")]


def _target_rules(columns: list[str]) -> list[Rule]:
    return [Rule("bad_period", "period",
                 lambda t: t.period.isnull() | ~t.period.re_search(r"^\d{4}-(Q[1-4]|\d{2})$")),
            Rule("missing", "metric", _missing("metric")),
            Rule("missing", "value", _missing("value"))]


#: canonical table -> function(columns present) -> ordered quarantine rules
RULES: dict[str, Callable[[list[str]], list[Rule]]] = {
    "leads": _lead_rules, "deals": _deal_rules, "spend": _spend_rules, "touchpoints": _touch_rules,
    "targets": _target_rules,
}


def _period_start(period: StringValue) -> Value:
    """First day of a ``2026-07`` or ``2026-Q3`` period, as a timestamp."""
    p = period.upper()
    quarter = p.re_extract(r"^(\d{4})-Q([1-4])$", 2).try_cast("int64")
    month = ibis.coalesce(quarter * 3 - 2, p.re_extract(r"^\d{4}-(\d{2})$", 1)
                          .try_cast("int64"))
    year = p.re_extract(r"^(\d{4})", 1)
    return (year + "-" + month.cast("string").lpad(2, "0") + "-01").try_cast("timestamp")


def _native(col: Value, kind: str) -> bool:
    """Whether a raw column already holds the kind's type (a typed source such as
    Parquet): dates and timestamps for a date column, numbers for an amount or number."""
    dtype = col.type()
    if kind == TIMESTAMP:
        return dtype.is_timestamp() or dtype.is_date()
    return kind in (MONEY, NUMBER) and dtype.is_numeric()


def tidy_text(raw: Table, table: str, mapping: dict[str, str]) -> Table:
    """First cleaning step: every mapped column through :func:`text`, raw kept beside.

    Returns ``_row``, ``<canonical>`` (tidied text, placeholders NULL) and
    ``_raw_<canonical>`` (as read) for typed columns. A date or amount column that the
    source already typed (Parquet) is passed through as it is, without ``_raw_``: there is
    no text to tidy, parse or show. Store the result before :func:`clean_table`, so that
    text tidying runs once per value.
    """
    spec = TABLES[table]
    cols: dict[str, Value] = {"_row": raw["_row"]}
    for canon, src in mapping.items():
        kind = spec.kind(canon)
        if _native(raw[src], kind):
            cols[canon] = raw[src]
            continue
        cols[canon] = text(raw[src])
        if kind in (TIMESTAMP, MONEY, NUMBER, CHANNEL) or canon == "period":
            cols[f"_raw_{canon}"] = raw[src].cast("string")
    return raw.select(**cols)


#: column kind -> type of a column the source already typed (see :func:`tidy_text`)
_NATIVE_CAST = {TIMESTAMP: "timestamp", MONEY: "float64", NUMBER: "float64"}


def _parse(col: Value, kind: str) -> Value:
    if not col.type().is_string() and kind in _NATIVE_CAST:
        return col.cast(_NATIVE_CAST[kind])
    return _PARSERS[kind](col)


def clean_table(tidy: Table, table: str, mapping: dict[str, str]) -> Table:
    """Typed canonical columns plus ``_row`` and the raw text of typed columns.

    Parameters
    ----------
    tidy : ibis Table
        Output of :func:`tidy_text`.
    table : str
        Canonical table name.
    mapping : dict
        ``{canonical: source column}`` from :func:`leadroi.mapping.resolve_mapping`.

    Returns
    -------
    ibis Table
        One row per raw row; ``_raw_<col>`` columns keep the raw text of typed columns
        for the quarantine and for counting fixes, ``_filled_<col>`` whether a date,
        amount or number column held a value (so unreadable values are told from empty
        ones without tidying the text again). Pass it, stored, to :func:`flag_rows`.
    """
    spec = TABLES[table]
    filled = {f"_filled_{c}": tidy[c].notnull() for c in mapping
              if spec.kind(c) in (TIMESTAMP, MONEY, NUMBER)}
    typed = tidy.mutate(**{c: _parse(tidy[c], spec.kind(c)) for c in mapping}, **filled)
    if table == "spend":
        start = _period_start(typed.period) if "period" in mapping else ibis.null("timestamp")
        date = typed.date if "date" in mapping else ibis.null("timestamp")
        typed = typed.mutate(date=ibis.coalesce(date, start))
        if "cost_type" not in mapping:
            typed = typed.mutate(cost_type=ibis.literal("marketing"))
        typed = typed.mutate(cost_type=typed.cost_type.lower().fill_null("marketing"))
    if table == "targets":
        typed = typed.mutate(period=typed.period.upper())
        if "channel" not in mapping:
            typed = typed.mutate(channel=ibis.literal("all"))
        typed = typed.mutate(channel=typed.channel.fill_null("all"),
                             metric=typed.metric.lower())
    return typed


def flag_rows(typed: Table, table: str, mapping: dict[str, str]) -> Table:
    """Add ``_reason``, ``_column`` and ``_value`` to a (stored) typed table.

    ``_reason`` is NULL for rows to use, else why the row is quarantined; ``_column`` and
    ``_value`` name the column concerned and its raw value.
    """
    rules = RULES[table](list(mapping))
    index = ibis.cases(*[(r.when(typed), i) for i, r in enumerate(rules)],
                       else_=ibis.null("int64"))
    typed = typed.mutate(_rule=index)

    def pick(attr: str) -> Value:
        return typed._rule.cases(*[(i, getattr(r, attr)) for i, r in enumerate(rules)],
                                 else_=ibis.null("string"))

    typed = typed.mutate(_reason=pick("reason"), _code=pick("code"),
                         _column=pick("column")).drop("_rule")
    if table == "leads":
        typed = _flag_duplicates(typed, "lead_id", "duplicate")
    if table == "deals" and "deal_id" in mapping:
        typed = _flag_duplicates(typed, "deal_id", "duplicate_deal")
    columns = sorted(({r.column for r in rules} | {"lead_id", "deal_id"}) & set(mapping))
    value = typed._column.cases(
        *[(c, typed[f"_raw_{c}" if f"_raw_{c}" in typed.columns else c].cast("string"))
          for c in columns], else_=ibis.null("string"))
    return typed.mutate(_value=value)


def _flag_duplicates(t: Table, key: str, code: str) -> Table:
    """Mark the second and later rows of a ``key`` value among otherwise usable rows."""
    w = ibis.window(group_by=t[key], order_by=[t._reason.notnull(), t._row])
    rank = ibis.row_number().over(w)
    dup = t._reason.isnull() & t[key].notnull() & (rank > 0)
    return t.mutate(
        _reason=ibis.ifelse(dup, REASONS[code], t._reason),
        _code=ibis.ifelse(dup, code, t._code),
        _column=ibis.ifelse(dup, key, t._column),
    )


#: fix code -> English wording
FIXES = {
    "placeholder": "placeholder read as missing",
    "amount_format": "amount format normalised",
    "date_format": "date format normalised",
    "unreadable_number": "unreadable number read as missing",
    "channel_folded": "channel spelling folded",
}


def fix_indicators(typed: Table, table: str, mapping: dict[str, str]) -> dict[str, Value]:
    """Per ``<fix code>|<column>``, whether a row's value was normalised (sum them over
    the rows kept to count the fixes)."""
    spec = TABLES[table]
    out: dict[str, Value] = {}
    for canon in mapping:
        kind = spec.kind(canon)
        if f"_raw_{canon}" not in typed.columns:
            continue
        raw = typed[f"_raw_{canon}"]
        trimmed = raw.strip()
        present = raw.notnull() & (trimmed != "")
        filled = typed[f"_filled_{canon}"] if f"_filled_{canon}" in typed.columns \
            else typed[canon].notnull()
        out[f"placeholder|{canon}"] = present & ~filled
        if kind == MONEY:
            out[f"amount_format|{canon}"] = present & typed[canon].notnull() & \
                ~trimmed.re_search(_PLAIN_NUMBER)
        elif kind == TIMESTAMP:
            out[f"date_format|{canon}"] = present & typed[canon].notnull() & \
                ~trimmed.re_search(_ISO_DATE)
        elif kind == NUMBER:
            out[f"unreadable_number|{canon}"] = filled & typed[canon].isnull()
        elif kind == CHANNEL:
            out[f"channel_folded|{canon}"] = present & (raw != typed[canon])
    return out


def placeholder_counts(raw: Table, tidy: Table, table: str,
                       mapping: dict[str, str]) -> Table:
    """One-row table: per optional text column, raw values that were placeholders.

    Counted as the values filled in ``raw`` less those left in ``tidy`` (the output of
    :func:`tidy_text`), so no text is tidied twice. Typed columns are counted by
    :func:`fix_indicators` on the rows kept.
    """
    spec = TABLES[table]
    cols = [c for c in mapping if spec.kind(c) in (TEXT, ID) and c not in spec.required]
    if not cols:
        return raw.aggregate(_none=raw.count())
    before = raw.aggregate(**{f"b{i}": (raw[mapping[c]].cast("string").strip() != "").sum()
                              for i, c in enumerate(cols)})
    after = tidy.aggregate(**{f"a{i}": tidy[c].count() for i, c in enumerate(cols)})
    both = before.cross_join(after)
    return both.select(**{f"placeholder|{c}": (both[f"b{i}"].fill_null(0) - both[f"a{i}"])
                          .cast("int64") for i, c in enumerate(cols)})
