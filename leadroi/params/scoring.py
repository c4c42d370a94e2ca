"""The rule-based lead score (seed 004): attribute and behaviour points, and its bands."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import Field, field_validator

from leadroi.canonical import TABLES
from leadroi.params._base import Strict

__all__ = ["ScoreRule", "DEFAULT_SCORE_RULES", "ModelSettings", "ScoringSettings"]


_SCORE_COLUMNS = tuple(TABLES["leads"].names) + ("seniority",)


class ScoreRule(Strict):
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


class ModelSettings(Strict):
    """The predictive lead score (issue 16): a scikit-learn model trained on matured
    history, validated out of time, used only when it passes the guardrails.

    ``scoring.model: false`` switches it off; ``true`` keeps these defaults.
    """

    enabled: bool = True
    window_days: int = Field(7, ge=0, le=90, description="Days after creation whose "
                             "touches and first contact the model may read (the moment "
                             "of scoring).")
    train_quarters: int = Field(4, ge=2, le=12, description="Quarters before the "
                                "previous one that train the model.")
    min_conversions: int = Field(50, ge=1, description="Fewer won leads in the training "
                                 "window: the model is not used.")
    min_auc: float = Field(0.6, gt=0.5, le=1, description="Validation AUC below this: "
                           "the model is not used.")
    max_train_rows: int = Field(100_000, ge=1000, description="Larger histories are "
                                "sampled (stratified by outcome) in the engine.")
    priority_leads: int = Field(20, ge=1, le=1000, description="Open leads in the "
                                "'contact first' list.")
    seed: int = 0


class ScoringSettings(Strict):
    """The rule-based lead score and the bands its calibration is read in."""

    rules: tuple[ScoreRule, ...] = DEFAULT_SCORE_RULES
    bands: tuple[float, ...] = Field((0, 15, 30, 45), description="Lower edges of the "
                                     "score bands, ascending.")
    good_auc: float = Field(0.65, gt=0.5, le=1, description="AUC from which the score "
                            "'works' (0.5 is chance).")
    model: ModelSettings = ModelSettings()

    @field_validator("model", mode="before")
    @classmethod
    def _model_switch(cls, value: Any) -> Any:
        if isinstance(value, bool):
            return {"enabled": value}
        return value

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
