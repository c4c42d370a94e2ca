"""Multi-touch attribution: journeys, nine registered models, intervals, a robust verdict.

Layers inside the package, each looking only down: ``paths`` / ``pathfile`` (journeys in
the engine) → ``chain`` (the absorbing journey chain) → ``heuristics`` / ``chain_models``
(the models, registered in ``registry``) → ``credit`` (run them) → ``bootstrap``
(intervals) → ``verdict`` (model comparison, ROI and CAC by model) → ``report`` (what the
report shows) and ``command`` (``leadroi attribute``).
"""

from __future__ import annotations

from leadroi.attribution import registry as _registry

_registry._load()  # register every model now, rule-based first: the order tables show

from leadroi.attribution.chain import Chain  # noqa: E402
from leadroi.attribution.credit import Credit, attribute  # noqa: E402
from leadroi.attribution.pathfile import (  # noqa: E402
    PathColumns,
    journeys_from_paths,
    read_path_file,
)
from leadroi.attribution.paths import (  # noqa: E402
    Journeys,
    journeys_from_leads,
    transition_counts,
)
from leadroi.attribution.registry import MODELS, Settings, model_names, register  # noqa: E402
from leadroi.attribution.report import AttributionResults, analyse  # noqa: E402

__all__ = ["Chain", "Credit", "attribute", "Journeys", "PathColumns", "journeys_from_leads",
           "journeys_from_paths", "read_path_file", "transition_counts", "MODELS",
           "Settings", "model_names", "register", "AttributionResults", "analyse"]
