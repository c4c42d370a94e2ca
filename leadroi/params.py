"""Report parameters: one YAML file per quarter or campaign, validated into a typed object.

The file is read with ``yaml.safe_load`` semantics (plus a duplicate-key check), validated
by pydantic models that forbid unknown keys, and relative data paths are resolved against
the params file's folder. Every problem becomes a :class:`~leadroi.errors.ParamsError`
naming the key, and for a typo the closest valid key.
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import os
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from leadroi.canonical import STAGE_COLUMNS, TABLES
from leadroi.errors import ParamsError
from leadroi.periods import Period, parse_period

__all__ = [
    "Params",
    "DataSources",
    "TableSource",
    "DealsSource",
    "TABLE_NAMES",
    "mask_url",
    "source_from_cli",
    "RecommendSettings",
    "FunnelSettings",
    "ValueSettings",
    "ScoreRule",
    "ScoringSettings",
    "ExecSettings",
    "DIMENSIONS",
    "SEGMENTS",
    "AttributionSettings",
    "CompareSettings",
    "WhatIfSettings",
    "ActionItem",
    "CampaignSettings",
    "TRACKING_METRICS",
    "EngineSettings",
    "BACKENDS",
    "load_params",
    "params_from_dict",
]

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TableSource(_Strict):
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


#: Default deal stage names meaning won / lost (HubSpot, Salesforce, Chinese CRMs).
WON_STAGES = ("closed won", "closedwon", "won", "赢单", "成交", "已成交", "签约", "已签约")
LOST_STAGES = ("closed lost", "closedlost", "lost", "输单", "丢单", "流失", "已流失")

#: Input tables in load order (leads first: the others check their lead_id against it).
TABLE_NAMES = ("leads", "deals", "spend", "touchpoints", "targets")


class DataSources(_Strict):
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


class Owners(_Strict):
    """Default owners of each kind of action in the action plan."""

    channel: str = "Marketing manager"
    funnel: str = "Sales manager"
    response: str = "Sales operations"
    content: str = "Marketing specialist"
    executive: str = "Head of sales"


class RecommendSettings(_Strict):
    """Thresholds of the recommendation rules (see ``leadroi.recommend``)."""

    target_roi: float = Field(0.0, description="Cut/cap a channel whose ROI range is below.")
    scale_roi: float = Field(1.0, description="Scale a channel whose ROI range is above.")
    scale_step: float = Field(0.2, description="Suggested budget increase when scaling.")
    max_scale: int = Field(2, ge=0, description="Recommend scaling at most this many channels.")
    sla_target: float = Field(0.8, ge=0, le=1, description="Share of leads to contact "
                              "within the response SLA.")
    deadline_days: int = Field(45, ge=1, description="Days after period end to act.")
    group_min_lift: float = Field(0.2, gt=0, description="Promote a strategy/content whose "
                                  "conversion beats the rest by this share (and is likely "
                                  "real).")
    nurture_min_leads: int = Field(10, ge=1, description="Recommend a nurture pool from this "
                                   "many unconverted high-rated executive leads.")
    exec_value_ratio: float = Field(2.0, gt=1, description="Dedicated team when executive "
                                    "leads bring this many times the revenue per lead.")
    exec_top: int = Field(20, ge=1, description="Top executive leads the dedicated team "
                          "takes on each month.")
    owners: Owners = Owners()


# -- metric settings (funnel, value, lead score, executive leads) --------------------------

#: Dimensions a drill-down can group by: lead columns, plus the derived ``seniority``.
DIMENSIONS = ("channel", "campaign", "strategy", "content", "industry", "region", "owner",
              "seniority", "customer_type", "company_size")
#: Lead segments a report can be restricted to (``all``: every lead).
SEGMENTS = ("all", "c_suite", "vp_plus")
_SCORE_COLUMNS = tuple(TABLES["leads"].names) + ("seniority",)


class FunnelSettings(_Strict):
    """Funnel stages after lead creation, in order, and optional conversion targets."""

    stages: tuple[str, ...] = Field(
        ("first_contact_at", "needs_confirmed_at", "proposal_at", "negotiation_at", "won_at"),
        description="Stage timestamp columns in funnel order (seed 002 by default).")
    targets: dict[str, float] = Field(
        default_factory=dict,
        description="Target conversion from the previous stage, by stage (e.g. "
                    "needs_confirmed: 0.3).")

    @field_validator("stages")
    @classmethod
    def _check_stages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [s for s in value if s not in STAGE_COLUMNS]
        if unknown:
            raise ValueError(f"'{unknown[0]}' is not a stage column; use "
                             f"{', '.join(STAGE_COLUMNS)}")
        if len(set(value)) != len(value) or not value:
            raise ValueError("stages must be a non-empty list without repeats")
        return value

    @field_validator("targets")
    @classmethod
    def _check_targets(cls, value: dict[str, float]) -> dict[str, float]:
        names = {c.removesuffix("_at") for c in STAGE_COLUMNS}
        for stage, target in value.items():
            if stage not in names:
                raise ValueError(f"'{stage}' is not a stage; use {', '.join(sorted(names))}")
            if not 0 <= target <= 1:
                raise ValueError(f"the target of {stage} must be a share between 0 and 1")
        return value


class ValueSettings(_Strict):
    """Inputs of the value metrics (revenue basis, CLV, payback, expected revenue)."""

    margin: float | None = Field(
        None, gt=0, le=1, description="Gross margin share; when set, ROI, ROAS, CLV, payback "
        "and expected revenue use gross margin instead of deal amounts.")
    repeat_purchases: float = Field(1.0, gt=0, description="Deals a customer buys over its "
                                    "lifetime, the first included (CLV).")
    contract_months: float = Field(12.0, gt=0, description="Months over which one deal's "
                                   "value is earned (CAC payback).")
    history_quarters: int = Field(4, ge=1, le=20, description="Quarters before the period "
                                  "whose leads give the historical stage win rates.")
    healthy_ltv_cac: float = Field(3.0, gt=0, description="LTV/CAC at or above this is "
                                   "healthy.")


class ScoreRule(_Strict):
    """One rule of the lead score: ``points`` when a lead column matches.

    Exactly one test: ``contains`` (any of the texts, case-insensitive), ``equals`` (any of
    the values, case-insensitive) or ``at_least`` (a number; text such as ``200-999`` or
    ``1000人以上`` is read by its first number). ``column`` may be ``seniority``
    (``c_suite``, ``vp``, ``director``, ``other``).
    """

    name: str = Field(pattern=r"^[a-z0-9_]{1,40}$")
    points: float
    column: str
    contains: tuple[str, ...] | None = None
    equals: tuple[str, ...] | None = None
    at_least: float | None = None

    @field_validator("column")
    @classmethod
    def _check_column(cls, value: str) -> str:
        if value not in _SCORE_COLUMNS:
            close = difflib.get_close_matches(value, _SCORE_COLUMNS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ValueError(f"'{value}' is not a lead column{hint}")
        return value

    def model_post_init(self, _context: Any) -> None:
        tests = [x for x in (self.contains, self.equals, self.at_least) if x is not None]
        if len(tests) != 1:
            raise ValueError(f"score rule '{self.name}' needs exactly one of contains, "
                             "equals, at_least")


#: Seed 004's example: company over 500 people +10, CEO/VP +20, visited the pricing page
#: +15, downloaded the white paper +10.
DEFAULT_SCORE_RULES = (
    ScoreRule(name="company_500", points=10, column="company_size", at_least=500),
    ScoreRule(name="ceo_vp", points=20, column="seniority", equals=("c_suite", "vp")),
    ScoreRule(name="pricing_page", points=15, column="notes",
              contains=("pricing page", "价格页")),
    ScoreRule(name="white_paper", points=10, column="content",
              contains=("white paper", "白皮书")),
)


class ScoringSettings(_Strict):
    """The rule-based lead score and the bands its calibration is read in."""

    rules: tuple[ScoreRule, ...] = DEFAULT_SCORE_RULES
    bands: tuple[float, ...] = Field((0, 15, 30, 45), description="Lower edges of the "
                                     "score bands, ascending.")
    good_auc: float = Field(0.65, gt=0.5, le=1, description="AUC from which the score "
                            "'works' (0.5 is chance).")

    @field_validator("rules")
    @classmethod
    def _check_rules(cls, value: tuple[ScoreRule, ...]) -> tuple[ScoreRule, ...]:
        names = [r.name for r in value]
        if len(set(names)) != len(names):
            raise ValueError("score rule names must be unique")
        return value

    @field_validator("bands")
    @classmethod
    def _check_bands(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if len(value) < 2 or list(value) != sorted(set(value)):
            raise ValueError("bands must be at least two ascending, distinct numbers")
        return value


class ExecSettings(_Strict):
    """The non-monetary panel of an executive-lead report (seed 000)."""

    high_ratings: tuple[str, ...] = Field(("A",), description="Sales ratings that count as "
                                          "high.")
    promoter_nps: float = Field(9, ge=0, le=10, description="NPS from which a lead is a "
                                "promoter (detractors: 6 and below).")
    shown: int = Field(15, ge=0, description="Unconverted high-rated leads listed in the "
                       "report (all go to the workbook).")


class AttributionSettings(_Strict):
    """Multi-touch attribution (see ``leadroi.attribution``)."""

    models: list[str] | None = Field(
        None, description="Models to compare, by name; default: every registered model.")
    lookback_days: int = Field(90, ge=1, description="Touches this many days before a "
                               "journey's end count.")
    half_life_days: float = Field(7.0, gt=0, description="Time decay: a touch this many "
                                  "days before the last one counts half.")
    resamples: int = Field(200, ge=0, le=10_000, description="Bootstrap resamples for the "
                           "intervals of the data-driven models (0: none).")
    seed: int = Field(2026, ge=0, description="Seed of the bootstrap and Shapley sampling.")
    agreement: float = Field(0.6, ge=0.5, lt=1, description="Share of models that must "
                             "agree to call a channel an over- or under-performer.")

    @field_validator("models")
    @classmethod
    def _check_models(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return value
        from leadroi.attribution.registry import model_names  # registry loads on demand

        known = model_names()
        for name in value:
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
                tip = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(known)}"
                raise ValueError(f"unknown model '{name}' ({tip})")
        if not value:
            raise ValueError("give at least one model, or leave the key out for all")
        return value

#: Backends an ``engine:`` can name (``spark`` is Spark SQL through ``pyspark``).
BACKENDS = ("duckdb", "spark", "postgres", "bigquery", "snowflake")
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_SECRET_WORDS = ("password", "secret", "token", "private_key", "credentials")


class EngineSettings(_Strict):
    """Where the canonical tables live and the aggregation runs (see ``leadroi.engine``).

    DuckDB (embedded, the default) spills to ``temp_directory`` beyond ``memory_limit``.
    Spark, PostgreSQL, BigQuery and Snowflake run the same Ibis expressions; ``options``
    are passed to the backend's connection (Spark: session configuration). Secrets are
    never written here: ``secrets`` maps a connection option to the *name* of the
    environment variable holding its value.
    """

    backend: Literal["duckdb", "spark", "postgres", "bigquery", "snowflake"] = "duckdb"
    memory_limit: str | None = Field(
        None, pattern=r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB|%)$",
        description="DuckDB memory limit (4GB, 80%); default: DuckDB's own (80% of RAM) "
        "or $LEADROI_MEMORY_LIMIT.")
    temp_directory: Path | None = Field(
        None, description="Where DuckDB spills; default: $LEADROI_TEMP_DIRECTORY or the "
        "system temp folder.")
    threads: int | None = Field(None, ge=1, description="DuckDB threads; default: all cores.")
    master: str | None = Field(None, description="Spark master (local[2], spark://host:7077, "
                               "yarn); default: the active session or local[*].")
    url: str | None = Field(None, description="Connection URL without password "
                            "(postgres://user@host:5432/db).")
    options: dict[str, str | int | float | bool] = Field(
        default_factory=dict, description="Backend connection options (Spark: session "
        "configuration; BigQuery: project_id, dataset_id; Snowflake: account, user ...).")
    secrets: dict[str, str] = Field(
        default_factory=dict, description="{connection option: environment variable name}, "
        "e.g. {password: SNOWFLAKE_PASSWORD}.")

    @field_validator("secrets")
    @classmethod
    def _check_secrets(cls, value: dict[str, str]) -> dict[str, str]:
        for key, env in value.items():
            if not _ENV_NAME.match(env):
                raise ValueError(f"secrets.{key} must name an environment variable "
                                 f"(like {key.upper()}_ENV), not hold the secret itself")
        return value

    @field_validator("options")
    @classmethod
    def _check_options(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if any(word in key.lower() for word in _SECRET_WORDS):
                raise ValueError(f"'{key}' is a secret: put the name of the environment "
                                 f"variable holding it under `secrets:` instead")
        return value

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is not None and mask_url(value) != value:
            raise ValueError("leave the password out of the URL; name its environment "
                             "variable under `secrets: {password: ...}`")
        return value


# -- decisions: comparison, what-if, campaign retrospective, action plan -------------------

#: Tracking metrics an action can carry (see ``leadroi.actions``).
TRACKING_METRICS = ("roi", "leads", "stage_conversion", "sla_rate", "group_conversion",
                    "exec_conversion", "conversion_rate", "cac", "cpl", "revenue",
                    "customers")


class CompareSettings(_Strict):
    """Period comparison, significance and saturation (see ``leadroi.compare``)."""

    alpha: float = Field(0.05, gt=0, lt=0.5, description="A rate change with a p-value "
                         "below this is 'likely real'.")
    group_dimensions: tuple[str, ...] = Field(
        ("strategy", "content", "seniority"), description="Dimensions whose groups are "
        "tested against the rest (A/B).")
    saturation_quarters: int = Field(3, ge=2, description="Recent quarters looked at for "
                                     "saturation signs.")
    spend_growth: float = Field(0.1, ge=0, description="Spend growth over those quarters "
                                "from which saturation is looked for.")
    cpl_rise: float = Field(0.15, ge=0, description="CPL rise over those quarters that "
                            "counts as a saturation sign.")

    @field_validator("group_dimensions")
    @classmethod
    def _check_dimensions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [d for d in value if d not in DIMENSIONS]
        if unknown:
            raise ValueError(f"'{unknown[0]}' is not a dimension; use {', '.join(DIMENSIONS)}")
        return value


class WhatIfSettings(_Strict):
    """The budget reallocation what-if (see ``leadroi.whatif``)."""

    move_share: float = Field(0.2, gt=0, le=1, description="Share of the weakest channels' "
                              "budget moved to the strongest.")
    max_increase: float = Field(0.5, gt=0, description="Cap: a receiving channel's budget "
                                "grows by at most this share.")
    min_quarters: int = Field(4, ge=3, description="Quarters with spend needed to fit "
                              "diminishing returns for a channel.")


class ActionItem(_Strict):
    """One line of an action plan carried into the next period's params (seed 002):
    conclusion, action, owner, deadline, tracking metric, baseline and target."""

    conclusion: str
    action: str
    owner: str
    deadline: dt.date
    metric: str
    subject: str = ""
    dimension: str | None = None
    baseline: float | None = None
    target: float
    direction: Literal["up", "down"] = Field("up", description="up: met when the metric "
                                             "reaches the target or more; down: or less.")
    rule: str | None = None
    period: str | None = Field(None, description="The period the action was set in.")

    @field_validator("metric")
    @classmethod
    def _check_metric(cls, value: str) -> str:
        if value not in TRACKING_METRICS:
            close = difflib.get_close_matches(value, TRACKING_METRICS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ValueError(f"'{value}' is not a tracking metric{hint}; use "
                             f"{', '.join(TRACKING_METRICS)}")
        return value


class CampaignSettings(_Strict):
    """What a campaign retrospective (``report: campaign``) looks at."""

    ids: tuple[str, ...] = Field(min_length=1, description="Campaign id(s) as in the "
                                 "leads' campaign column.")
    start: dt.date | None = Field(None, description="First day of leads counted; default: "
                                  "the period's start.")
    end: dt.date | None = Field(None, description="Last day of leads counted; default: the "
                                "period's end.")
    attribution_days: int = Field(180, ge=1, description="A customer counts when won within "
                                  "this many days of the lead's creation.")
    benchmarks: tuple[str, ...] | None = Field(
        None, description="Benchmark campaign ids; default: every earlier campaign of the "
        "same channel.")
    benchmark_by: Literal["channel", "strategy"] = Field(
        "channel", description="With no benchmarks listed: earlier campaigns sharing this.")

    @model_validator(mode="after")
    def _check_window(self) -> CampaignSettings:
        if self.start and self.end and self.end < self.start:
            raise ValueError("campaign end is before its start")
        return self


class Params(_Strict):
    """A validated report configuration.

    Build it with :func:`load_params` (from YAML) or :func:`params_from_dict`.
    """

    report: Literal["quarterly", "campaign"] = "quarterly"
    id: str | None = Field(None, description="Report id; default: the params file stem.")
    title: str | None = None
    period: str
    as_of: dt.date | None = Field(
        None, description="Data cut-off date; default: the latest date found in the leads."
    )
    language: Literal["en", "zh"] = "en"
    kpi_profile: Literal["startup", "growth", "mature"] = Field(
        "growth", description="Which KPIs headline the executive summary (seed 003): "
        "startup = acquisition efficiency, growth = conversion and revenue, mature = "
        "customer value.")
    mask_pii: bool = Field(True, description="Mask lead names, e-mail addresses and phone "
                           "numbers in every exported table (HTML, PDF, Excel).")
    currency: str = Field("CNY", pattern=r"^[A-Z]{3}$")
    min_leads: int = Field(30, ge=1, description="Smaller groups are 'too few to judge'.")
    response_sla_hours: float = Field(24.0, gt=0)
    data: DataSources
    recommend: RecommendSettings = RecommendSettings()
    segment: Literal["all", "c_suite", "vp_plus"] = Field(
        "all", description="Report on executive leads only (c_suite, or vp_plus: VP and up).")
    stale_days: int = Field(30, ge=1, description="Open leads without a stage change for "
                            "this many days are stale.")
    drilldowns: tuple[str, ...] = Field(
        DIMENSIONS[:8], description="Dimensions with a by_<dimension> sheet in the workbook.")
    funnel: FunnelSettings = FunnelSettings()
    value: ValueSettings = ValueSettings()
    scoring: ScoringSettings = ScoringSettings()
    executive: ExecSettings = ExecSettings()
    attribution: AttributionSettings = AttributionSettings()
    compare: CompareSettings = CompareSettings()
    whatif: WhatIfSettings = WhatIfSettings()
    campaign: CampaignSettings | None = None
    actions: tuple[ActionItem, ...] = Field((), description="Last period's action plan, "
                                            "reviewed in this report.")
    cell_timeout_s: float = Field(1800.0, gt=0, le=86_400, description="Seconds one "
                                  "notebook cell may run before the report fails "
                                  "(`leadroi run --timeout` overrides).")
    max_channels: int = Field(25, ge=2, le=500, description="Channels shown by name; the "
                              "rest are counted together as one 'other' channel.")
    engine: EngineSettings = EngineSettings()
    source_file: Path | None = Field(None, exclude=True)

    @field_validator("period")
    @classmethod
    def _check_period(cls, value: str) -> str:
        return parse_period(value).label

    @field_validator("drilldowns")
    @classmethod
    def _check_drilldowns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [d for d in value if d not in DIMENSIONS]
        if unknown:
            raise ValueError(f"'{unknown[0]}' cannot be drilled into; use "
                             f"{', '.join(DIMENSIONS)}")
        return tuple(dict.fromkeys(value))

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str | None) -> str | None:
        if value is not None and (not _ID.match(value) or ".." in value):
            raise ValueError(
                f"'{value}' is not a valid report id: use letters, digits, '.', '_' or '-'"
            )
        return value

    @model_validator(mode="after")
    def _check_campaign(self) -> Params:
        if self.report == "campaign" and self.campaign is None:
            raise ValueError("a campaign report needs `campaign:` with at least `ids:`")
        return self

    @model_validator(mode="after")
    def _check_engine_tables(self) -> Params:
        names = [n for n, s in self.data.items() if s.in_engine]
        if names and self.engine.backend == "duckdb":
            raise ValueError(
                f"data.{names[0]} has `table:`/`query:` without `url:`, which reads from the "
                "engine, but the engine is the embedded DuckDB (empty): give `path:` or "
                "`url:`, or set `engine: {backend: spark}` (or your warehouse)")
        return self

    @property
    def window(self) -> Period:
        """The reporting period as a date window."""
        return parse_period(self.period)

    @property
    def report_id(self) -> str:
        """The id used for output folder and file names."""
        if self.id:
            return self.id
        stem = self.source_file.stem if self.source_file else f"report-{self.period}"
        return _slug(stem)

    def public_dict(self) -> dict[str, Any]:
        """The params as plain data for the appendix: data paths relative to the params
        file's folder (as an analyst writes them), defaults filled in."""
        out = self.model_dump(mode="json", exclude_none=True)
        if self.source_file is not None:
            base = self.source_file.resolve().parent
            for name, source in self.data.items():
                if source.path is not None:
                    out["data"][name]["path"] = os.path.relpath(source.path, base)
        for name, source in self.data.items():
            if source.url is not None:
                out["data"][name]["url"] = mask_url(source.url)
        if not self.data.channel_aliases:
            out["data"].pop("channel_aliases", None)
        return out


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "report"
    return slug[:100]


class _UniqueKeyLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses a key given twice in one mapping."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key '{key}' is given twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def load_params(path: str | Path) -> Params:
    """Read and validate a params YAML file.

    Parameters
    ----------
    path : str or Path
        The params file.

    Returns
    -------
    Params
        With data paths resolved against the file's folder.

    Raises
    ------
    ParamsError
        If the file is missing, is not valid YAML, or does not validate.
    """
    path = Path(path)
    if not path.is_file():
        raise ParamsError("params file not found.", path=str(path),
                          hint="Check the path, or scaffold one with `leadroi new`.")
    try:
        raw = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_UniqueKeyLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ParamsError(f"not valid YAML: {exc}".replace("\n", " "), path=str(path)) from None
    if not isinstance(raw, dict):
        raise ParamsError("expected a mapping of keys at the top level.", path=str(path))
    return params_from_dict(raw, base_dir=path.parent, source_file=path)


def _nul_key(value: Any, key: str = "") -> str | None:
    """The dotted key of the first key or string value holding a NUL byte, else None."""
    if isinstance(value, str):
        return key if "\x00" in value else None
    if isinstance(value, dict):
        for k, v in value.items():
            inner = f"{key}.{k}" if key else str(k)
            if "\x00" in str(k):
                return inner
            if (found := _nul_key(v, inner)) is not None:
                return found
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            if (found := _nul_key(v, f"{key}.{i}")) is not None:
                return found
    return None


def params_from_dict(
    raw: dict[str, Any], *, base_dir: str | Path = ".", source_file: str | Path | None = None
) -> Params:
    """Validate a params mapping (as read from YAML) into :class:`Params`.

    Parameters
    ----------
    raw : dict
        The params.
    base_dir : str or Path
        Folder that relative data paths start from.
    source_file : str or Path, optional
        The file the params came from, for messages and the default report id.

    Raises
    ------
    ParamsError
        Naming the first invalid key, with the closest valid key for a typo.
    """
    where = str(source_file) if source_file else None
    bad = _nul_key(raw)
    if bad is not None:
        raise ParamsError(f"'{bad}' holds a NUL character.", path=where, key=bad,
                          hint="Remove it: no path, id or text may contain one.")
    try:
        params = Params.model_validate(raw)
    except ValidationError as exc:
        raise _params_error(exc, where) from None
    base = Path(base_dir).resolve()
    sources = {name: _resolve(src, base) for name, src in params.data.items()}
    data = params.data.model_copy(update=sources)
    engine = params.engine
    if engine.temp_directory is not None:
        engine = engine.model_copy(update={"temp_directory": base / engine.temp_directory})
    return params.model_copy(update={
        "data": data, "engine": engine,
        "source_file": Path(source_file) if source_file else None})


#: URL schemes whose "host" part is a local file (``sqlite:///relative/path.db``)
_FILE_SCHEMES = ("sqlite", "duckdb")


def _resolve(source: TableSource, base: Path) -> TableSource:
    """Relative file paths (also inside ``sqlite:///`` and ``duckdb:///`` URLs) made
    absolute against ``base``."""
    if source.path is not None:
        return source.model_copy(update={"path": (base / source.path).resolve()})
    scheme, _, rest = (source.url or "").partition(":///")
    if scheme.lower() in _FILE_SCHEMES and rest and not rest.startswith("/"):
        return source.model_copy(update={"url": f"{scheme}:///{(base / rest).resolve()}"})
    return source


def source_from_cli(source: str, *, sheet: str | None = None, encoding: str | None = None,
                    table: str | None = None, query: str | None = None) -> TableSource:
    """A :class:`TableSource` from command-line arguments (``leadroi inspect``): a file
    path, or a URL with ``table``/``query``; relative paths start at the current folder.

    Raises
    ------
    ParamsError
        The combination is invalid (as it would be in a params file).
    """
    raw: dict[str, Any] = {"url": source} if "://" in source else {"path": source}
    if sheet is not None:
        raw["sheet"] = int(sheet) if sheet.isdigit() else sheet
    raw.update({k: v for k, v in (("encoding", encoding), ("table", table),
                                  ("query", query)) if v is not None})
    try:
        parsed = TableSource.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        text = err["msg"].removeprefix("Value error, ")
        raise ParamsError(f"{source}: {text}.", key=".".join(map(str, err["loc"]))) from None
    return _resolve(parsed, Path.cwd())


def _params_error(exc: ValidationError, where: str | None) -> ParamsError:
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"]]
    key = ".".join(loc)
    if err["type"] == "extra_forbidden":
        valid = _fields_at(loc[:-1])
        close = difflib.get_close_matches(loc[-1], valid, n=1, cutoff=0.5)
        hint = f"Did you mean '{close[0]}'?" if close else f"Valid keys: {', '.join(valid)}."
        return ParamsError(f"unknown key '{key}'.", path=where, key=key, hint=hint)
    if err["type"] == "missing":
        return ParamsError(f"missing required key '{key}'.", path=where, key=key)
    message = err["msg"].removeprefix("Value error, ")
    return ParamsError(f"invalid value for '{key}': {message}.", path=where, key=key)


def _fields_at(loc: list[str]) -> list[str]:
    """Names of the valid keys of the model found at ``loc`` under :class:`Params`
    (list positions such as ``scoring.rules.0`` lead into the item model)."""
    model: Any = Params
    for part in loc:
        if part.isdigit():
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        model = _model_in(field.annotation)
        if model is None:
            return []
    return [name for name, f in model.model_fields.items() if not f.exclude]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model in an annotation (``X``, ``X | None``, ``tuple[X, ...]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
