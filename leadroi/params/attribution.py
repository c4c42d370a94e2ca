"""Settings of multi-touch attribution (``attribution:``)."""

from __future__ import annotations

from pydantic import Field, field_validator

from leadroi.params._base import Strict

__all__ = ["AttributionSettings"]


class AttributionSettings(Strict):
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
        # the names are checked against the attribution registry by the layers that use
        # it (`leadroi run` and `leadroi validate` before any data is read:
        # leadroi.attribution.registry.check_model_names), so params need not import it
        if value is not None and not [v for v in value if v and v.strip()]:
            raise ValueError("give at least one model, or leave the key out for all")
        return value
