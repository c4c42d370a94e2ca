"""Report parameters: one YAML file per quarter or campaign, validated into a typed object.

One module per concern, each a set of pydantic models that forbid unknown keys:
:mod:`.sources` (``data:``), :mod:`.engine` (``engine:``), :mod:`.metrics` (funnel,
value, executive panel, dimensions), :mod:`.scoring` (the lead score), :mod:`.attribution`,
:mod:`.decide` (recommendation thresholds and owners, comparison, what-if, action plan),
and :mod:`.report` (the root :class:`Params`: report kind, period, language, KPI
profile and every block above). :mod:`.load` reads a file (``yaml.safe_load`` semantics
plus a duplicate-key check) and turns every problem into a
:class:`~leadroi.errors.ParamsError` naming the key, with the closest valid key for a typo.
:mod:`.notebook` finds the params of a report notebook however papermill was called
(``-p params_file`` or ``-f`` with the file's keys). Everything is importable from here.
"""

from leadroi.params.attribution import AttributionSettings
from leadroi.params.cache import CacheSettings
from leadroi.params.decide import (
    TRACKING_METRICS,
    ActionItem,
    CompareSettings,
    Owners,
    RecommendSettings,
    WhatIfSettings,
)
from leadroi.params.engine import BACKENDS, EngineSettings
from leadroi.params.load import load_params, params_from_dict, source_from_cli
from leadroi.params.metrics import (
    DIMENSIONS,
    SEGMENTS,
    CustomerValueSettings,
    ExecSettings,
    FunnelSettings,
    HealthSettings,
    ValueSettings,
)
from leadroi.params.notebook import notebook_params
from leadroi.params.report import CampaignSettings, Params
from leadroi.params.scoring import DEFAULT_SCORE_RULES, ModelSettings, ScoreRule, ScoringSettings
from leadroi.params.sources import (
    LOST_STAGES,
    TABLE_NAMES,
    WON_STAGES,
    DataSources,
    DealsSource,
    TableSource,
    mask_url,
)

__all__ = [
    "Params",
    "CacheSettings",
    "notebook_params",
    "DataSources",
    "TableSource",
    "DealsSource",
    "TABLE_NAMES",
    "WON_STAGES",
    "LOST_STAGES",
    "mask_url",
    "source_from_cli",
    "Owners",
    "RecommendSettings",
    "FunnelSettings",
    "ValueSettings",
    "CustomerValueSettings",
    "HealthSettings",
    "ScoreRule",
    "DEFAULT_SCORE_RULES",
    "ScoringSettings",
    "ModelSettings",
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
