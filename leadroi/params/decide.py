"""Thresholds of the decisions: recommendation rules and their owners, period comparison,
the budget what-if, and the action plan carried from one period to the next."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Literal

from pydantic import Field, field_validator

from leadroi.params._base import Strict
from leadroi.params.metrics import DIMENSIONS

__all__ = ["Owners", "RecommendSettings", "CompareSettings", "WhatIfSettings", "ActionItem",
           "TRACKING_METRICS"]


class Owners(Strict):
    """Default owners of each kind of action in the action plan."""

    channel: str = "Marketing manager"
    funnel: str = "Sales manager"
    response: str = "Sales operations"
    content: str = "Marketing specialist"
    executive: str = "Head of sales"
    customer: str = "Customer success manager"


class RecommendSettings(Strict):
    """Thresholds of the recommendation rules (see ``leadroi.decide.rules``)."""

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


#: Tracking metrics an action can carry (see ``leadroi.decide.actions``).
TRACKING_METRICS = ("roi", "leads", "stage_conversion", "sla_rate", "group_conversion",
                    "exec_conversion", "conversion_rate", "cac", "cpl", "revenue",
                    "customers", "retention_12m", "cross_sell_rate")


class CompareSettings(Strict):
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


class WhatIfSettings(Strict):
    """The budget reallocation what-if (see ``leadroi.decide.whatif``)."""

    move_share: float = Field(0.2, gt=0, le=1, description="Share of the weakest channels' "
                              "budget moved to the strongest.")
    max_increase: float = Field(0.5, gt=0, description="Cap: a receiving channel's budget "
                                "grows by at most this share.")
    min_quarters: int = Field(4, ge=3, description="Quarters with spend needed to fit "
                              "diminishing returns for a channel.")


class ActionItem(Strict):
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
