"""Where each input table comes from: file, database or the engine's own tables (``data:``)."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from leadroi.params._base import Strict

__all__ = ["TableSource", "DealsSource", "DataSources", "TABLE_NAMES", "WON_STAGES", "LOST_STAGES",
           "mask_url"]


class TableSource(Strict):
    """Where one input table comes from and how its columns map to canonical names.

    A file (``path``: CSV, XLSX, Parquet), a database (``url`` with ``table`` or
    ``query``), or a table or query of the engine itself (``table`` or ``query`` without
    ``url``: a Spark session's tables, the warehouse of ``engine:``), read where it lies.
    ``mapping`` is a preset name, or ``{canonical_column: source_column}`` (optionally
    with ``preset: <name>`` for the columns not named).
    """

    path: Path | None = Field(None, description="File path; relative paths start at the "
                              "params file.")
    url: str | None = Field(None, description="Database URL: sqlite:///file.db, "
                            "duckdb:///file.duckdb, postgresql://user@host/db.")
    table: str | None = Field(None, description="Table (or view) to read from `url`; "
                              "without `url`, a table of the engine (Spark, warehouse).")
    query: str | None = Field(None, description="SQL query to run against `url`; without "
                              "`url`, against the engine.")
    sheet: str | int | None = Field(None, description="XLSX sheet name or 1-based number; "
                                    "default: the first sheet.")
    encoding: str | None = Field(None, description="CSV text encoding (utf-8, gb18030 ...); "
                                 "default: detected.")
    mapping: str | dict[str, str] = Field(
        "canonical",
        description="A preset name, or {canonical_column: source_column}.",
    )

    @field_validator("encoding")
    @classmethod
    def _check_encoding(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            return codecs.lookup(value).name
        except LookupError:
            raise ValueError(f"unknown encoding '{value}' (try utf-8, gb18030, "
                             "utf-16)") from None

    @model_validator(mode="after")
    def _check_origin(self) -> TableSource:
        if self.path is not None and self.url is not None:
            raise ValueError("give either `path:` (a file) or `url:` (a database)")
        if self.path is None:
            if (self.table is None) == (self.query is None):
                raise ValueError("give `path:` (a file), or `table:` or `query:` (with "
                                 "`url:` for a database, without for the engine's own)")
            if self.sheet is not None or self.encoding is not None:
                raise ValueError("`sheet:` and `encoding:` apply to files only")
        elif self.table is not None or self.query is not None:
            raise ValueError("`table:` and `query:` apply to a database `url:`, not a file")
        return self

    @property
    def in_engine(self) -> bool:
        """Whether the table is read from the engine itself (no file, no URL)."""
        return self.path is None and self.url is None

    @property
    def location(self) -> str:
        """The file path, the URL without its password, or the engine's table, for
        messages."""
        if self.path is not None:
            return str(self.path)
        if self.url is not None:
            return mask_url(self.url)
        return f"engine table {self.table}" if self.table else "engine query"


class DealsSource(TableSource):
    """The optional deals (opportunities) table, keyed by ``lead_id``.

    ``won_stages``/``lost_stages`` name the values of ``stage`` that mean won or lost
    (compared case-insensitively); a deal's ``closed_at`` becomes its won or lost date.
    """

    won_stages: list[str] = Field(
        default_factory=lambda: list(WON_STAGES),
        description="Deal stages meaning won (case-insensitive).")
    lost_stages: list[str] = Field(
        default_factory=lambda: list(LOST_STAGES),
        description="Deal stages meaning lost (case-insensitive).")
    first_purchase_days: int = Field(
        30, ge=0, le=366, description="Won deals of a lead within this many days of its "
        "first win make its first purchase (the lead's amount); later won deals are repeat "
        "purchases, counted in customer value.")


#: Default deal stage names meaning won / lost (HubSpot, Salesforce, Chinese CRMs).
WON_STAGES = ("closed won", "closedwon", "won", "赢单", "成交", "已成交", "签约", "已签约")
LOST_STAGES = ("closed lost", "closedlost", "lost", "输单", "丢单", "流失", "已流失")

#: Input tables in load order (leads first: the others check their lead_id against it).
TABLE_NAMES = ("leads", "deals", "spend", "touchpoints", "targets")


class DataSources(Strict):
    """The input tables; only ``leads`` is required.

    ``channel_aliases`` folds spellings of a channel onto one name:
    ``{Google Ads: [google, adwords, 谷歌]}`` (compared case-insensitively, after trimming).
    """

    leads: TableSource
    deals: DealsSource | None = None
    spend: TableSource | None = None
    touchpoints: TableSource | None = None
    targets: TableSource | None = None
    channel_aliases: dict[str, list[str]] = Field(
        default_factory=dict, description="{channel name: [other spellings]}.")

    @field_validator("channel_aliases")
    @classmethod
    def _check_aliases(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        seen: dict[str, str] = {}
        for name, aliases in value.items():
            for alias in [name, *aliases]:
                key = " ".join(str(alias).split()).lower()
                if seen.get(key, name) != name:
                    raise ValueError(f"'{alias}' is an alias of both '{seen[key]}' and "
                                     f"'{name}'")
                seen[key] = name
        return value

    def items(self) -> list[tuple[str, TableSource]]:
        """``(table name, source)`` pairs of the tables that are given, leads first."""
        return [(k, v) for k in TABLE_NAMES if (v := getattr(self, k)) is not None]


def mask_url(url: str) -> str:
    """``url`` with any password replaced by ``***`` (for messages and the appendix)."""
    return re.sub(r"(://[^/:@]*:)[^/@]*@", r"\1***@", url)
