"""The root of a params file: what report, which period, in which language, with which
settings of every layer (:class:`Params`); and the campaign a retrospective looks at."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from leadroi.params._base import ID, Strict
from leadroi.params.attribution import AttributionSettings
from leadroi.params.cache import CacheSettings
from leadroi.params.decide import ActionItem, CompareSettings, RecommendSettings, WhatIfSettings
from leadroi.params.engine import EngineSettings
from leadroi.params.metrics import (
    DIMENSIONS,
    CustomerValueSettings,
    ExecSettings,
    FunnelSettings,
    ValueSettings,
)
from leadroi.params.scoring import ScoringSettings
from leadroi.params.sources import DataSources, mask_url
from leadroi.periods import Period, parse_period

__all__ = ["Params", "CampaignSettings"]


class CampaignSettings(Strict):
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


class Params(Strict):
    """A validated report configuration.

    Build it with :func:`load_params` (from YAML) or :func:`params_from_dict`.
    """

    report: Literal["quarterly", "campaign"] = "quarterly"
    notebook: Path | None = Field(
        None, description="A notebook of your own to render this report with (copy the "
        "shipped ones with `leadroi notebooks DIR`, then edit); relative to the params "
        "file's folder. Default: the notebook leadroi ships for `report:`.")
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
    customer_value: CustomerValueSettings = CustomerValueSettings()
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
    cache: CacheSettings = CacheSettings()
    source_file: Path | None = Field(None, exclude=True)

    @field_validator("period")
    @classmethod
    def _check_period(cls, value: str) -> str:
        return parse_period(value).label

    @field_validator("notebook")
    @classmethod
    def _check_notebook(cls, value: Path | None) -> Path | None:
        if value is not None and value.suffix != ".ipynb":
            raise ValueError(f"'{value}' is not a notebook: name an .ipynb file")
        return value

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
        if value is not None and (not ID.match(value) or ".." in value):
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
            if self.notebook is not None:
                out["notebook"] = os.path.relpath(self.notebook, base)
            if self.cache.folder is not None:
                out["cache"]["folder"] = os.path.relpath(self.cache.folder, base)
        for name, source in self.data.items():
            if source.url is not None:
                out["data"][name]["url"] = mask_url(source.url)
        if not self.data.channel_aliases:
            out["data"].pop("channel_aliases", None)
        return out


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "report"
    return slug[:100]
