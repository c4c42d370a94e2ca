"""Clean a raw table: normalise its columns into canonical types (the parsers are in
:mod:`leadroi.intake.normalise`), count each fix, and decide which rows are quarantined.

All of it is Ibis expressions, so it runs inside the engine at any size. A value that
can be read is normalised and the fix is counted. A row that cannot be used gets
exactly one quarantine reason (the first rule that fires; the rules of each table are
registered in :data:`RULES`), so for every table **rows in = rows used + rows
quarantined**.
"""

from __future__ import annotations

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
from leadroi.intake.normalise import ISO_DATE, PLAIN_NUMBER, parse_kind, text

__all__ = ["tidy_text", "clean_table", "flag_rows", "placeholder_counts", "fix_indicators",
           "Rule", "RULES", "REASONS", "FIXES"]

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
    "other_currency": "{column} not the report's currency",
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


def _deal_rules(columns: list[str], currency: str | None = None) -> list[Rule]:
    rules = [Rule("missing", "lead_id", _missing("lead_id"))]
    if currency and "currency" in columns:  # an empty currency is the report's
        rules.append(Rule("other_currency", "currency", lambda t: t.currency.strip().upper()
                          .fill_null(currency) != currency))
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
    return parse_kind(col, kind)


def clean_table(tidy: Table, table: str, mapping: dict[str, str]) -> Table:
    """Typed canonical columns plus ``_row`` and the raw text of typed columns.

    Parameters
    ----------
    tidy : ibis Table
        Output of :func:`tidy_text`.
    table : str
        Canonical table name.
    mapping : dict
        ``{canonical: source column}`` from :func:`leadroi.intake.mapping.resolve_mapping`.

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


def flag_rows(typed: Table, table: str, mapping: dict[str, str], *,
              currency: str | None = None) -> Table:
    """Add ``_reason``, ``_column`` and ``_value`` to a (stored) typed table.

    ``_reason`` is NULL for rows to use, else why the row is quarantined; ``_column`` and
    ``_value`` name the column concerned and its raw value. A deal in another
    ``currency`` than the report's is quarantined: amounts are never added across
    currencies.
    """
    rules = _deal_rules(list(mapping), currency) if table == "deals" \
        else RULES[table](list(mapping))
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
                ~trimmed.re_search(PLAIN_NUMBER)
        elif kind == TIMESTAMP:
            out[f"date_format|{canon}"] = present & typed[canon].notnull() & \
                ~trimmed.re_search(ISO_DATE)
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
