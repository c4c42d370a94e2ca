"""Settings of the metrics: funnel stages and targets, value (margin, CLV, payback), the
executive-lead panel, and the dimensions a report can drill into or be restricted to."""

from __future__ import annotations

from pydantic import Field, field_validator

from leadroi.canonical import STAGE_COLUMNS
from leadroi.params._base import Strict

__all__ = ["DIMENSIONS", "SEGMENTS", "FunnelSettings", "ValueSettings", "ExecSettings",
           "CustomerValueSettings", "HealthSettings"]


#: Dimensions a drill-down can group by: lead columns, plus the derived ``seniority``.
DIMENSIONS = ("channel", "campaign", "strategy", "content", "industry", "region", "owner",
              "seniority", "customer_type", "company_size")
#: Lead segments a report can be restricted to (``all``: every lead).
SEGMENTS = ("all", "c_suite", "vp_plus")


class FunnelSettings(Strict):
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


class ValueSettings(Strict):
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
    sales_sourced_channels: tuple[str, ...] = Field(
        (), description="Channels whose leads sales found itself (outbound, referrals); the "
        "other channels' revenue is marketing-sourced (the growth profile's headline).")


class ExecSettings(Strict):
    """The non-monetary panel of an executive-lead report (seed 000)."""

    high_ratings: tuple[str, ...] = Field(("A",), description="Sales ratings that count as "
                                          "high.")
    promoter_nps: float = Field(9, ge=0, le=10, description="NPS from which a lead is a "
                                "promoter (detractors: 6 and below).")
    shown: int = Field(15, ge=0, description="Unconverted high-rated leads listed in the "
                       "report (all go to the workbook).")


class HealthSettings(Strict):
    """The customer health score: recency, frequency and value points (0-3 each) from
    ascending thresholds; 0-9 in all."""

    recency_days: tuple[int, int, int] = Field(
        (365, 180, 90), description="Days since the last purchase at or below which a "
        "customer earns 1, 2, 3 recency points.")
    frequency: tuple[int, int, int] = Field(
        (2, 3, 4), description="Purchases at or above which a customer earns 1, 2, 3 "
        "frequency points.")
    value: tuple[float, float, float] = Field(
        (50_000, 100_000, 200_000), description="Revenue to date at or above which a "
        "customer earns 1, 2, 3 value points.")
    healthy: int = Field(6, ge=1, le=9, description="Points from which a customer is "
                         "healthy.")
    at_risk: int = Field(2, ge=0, le=8, description="Points at or below which a customer "
                         "is at risk.")

    @field_validator("recency_days")
    @classmethod
    def _descending(cls, value: tuple[int, int, int]) -> tuple[int, int, int]:
        if not value[0] > value[1] > value[2] > 0:
            raise ValueError("recency_days must be three falling day counts, e.g. "
                             "[365, 180, 90]")
        return value

    @field_validator("frequency", "value")
    @classmethod
    def _ascending(cls, value: tuple) -> tuple:
        if not 0 < value[0] < value[1] < value[2]:
            raise ValueError("give three rising thresholds, e.g. [2, 3, 4]")
        return value


class CustomerValueSettings(Strict):
    """Customer value measured from the deal history (retention, repeat and cross-sell,
    lifetime value with its interval)."""

    horizon_months: int = Field(
        12, ge=3, le=60, description="Months after the first win over which lifetime "
        "value, repeat and cross-sell are measured; only customers won at least this long "
        "before the cut-off count.")
    churn_months: int = Field(12, ge=1, le=60, description="A customer without a purchase "
                              "for this many months has churned (logo retention).")
    min_customers: int = Field(30, ge=1, description="Fewer customers observed over the "
                               "horizon: 'too few to judge', and CLV falls back to the "
                               "params assumption (clv_basis: assumed).")
    dimensions: tuple[str, ...] = Field(("channel", "campaign", "industry"),
                                        description="Groups of the customer_value sheet.")
    months: int = Field(24, ge=3, le=60, description="Months since the first win shown in "
                        "the retention table.")
    health: HealthSettings = HealthSettings()

    @field_validator("dimensions")
    @classmethod
    def _check_dimensions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [d for d in value if d not in DIMENSIONS or d == "seniority"]
        if unknown or "channel" not in value:
            raise ValueError("dimensions must include channel and name lead columns among "
                             f"{', '.join(d for d in DIMENSIONS if d != 'seniority')}")
        return tuple(dict.fromkeys(value))
