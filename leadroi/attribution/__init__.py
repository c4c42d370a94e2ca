"""Multi-touch attribution: journeys, eight-plus models, intervals and a robust verdict.

Layers inside the package, each looking only down: ``paths`` (journeys in the engine) →
``chain`` (the absorbing journey chain) → ``heuristics`` / ``chain_models`` (the models,
registered in ``registry``) → ``credit`` (run them) → ``bootstrap`` (intervals) →
``verdict`` (model comparison, ROI and CAC by model) → ``report`` (what the report shows)
and ``command`` (``leadroi attribute``).
"""

from __future__ import annotations

from leadroi.attribution import chain_models, heuristics  # noqa: F401  (register the models)
from leadroi.attribution.chain import Chain
from leadroi.attribution.credit import Credit, attribute
from leadroi.attribution.paths import (
    Journeys,
    PathColumns,
    journeys_from_leads,
    journeys_from_paths,
    read_path_file,
    transition_counts,
)
from leadroi.attribution.registry import MODELS, Settings, model_names, register
from leadroi.attribution.report import AttributionResults, analyse

__all__ = ["Chain", "Credit", "attribute", "Journeys", "PathColumns", "journeys_from_leads",
           "journeys_from_paths", "read_path_file", "transition_counts", "MODELS",
           "Settings", "model_names", "register", "AttributionResults", "analyse"]
