"""Settings of the metrics: funnel stages and targets, value (margin, CLV, payback), the
executive-lead panel, and the dimensions a report can drill into or be restricted to."""

from __future__ import annotations

from pydantic import Field, field_validator

from leadroi.canonical import STAGE_COLUMNS
from leadroi.params._base import Strict

__all__ = ["DIMENSIONS", "SEGMENTS", "FunnelSettings", "ValueSettings", "ExecSettings"]


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


class ExecSettings(Strict):
    """The non-monetary panel of an executive-lead report (seed 000)."""

    high_ratings: tuple[str, ...] = Field(("A",), description="Sales ratings that count as "
                                          "high.")
    promoter_nps: float = Field(9, ge=0, le=10, description="NPS from which a lead is a "
                                "promoter (detractors: 6 and below).")
    shown: int = Field(15, ge=0, description="Unconverted high-rated leads listed in the "
                       "report (all go to the workbook).")
