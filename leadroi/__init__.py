"""leadroi: lead ROI reports from CRM and marketing-spend exports.

The notebooks in ``notebooks/`` call this package; the CLI (``leadroi``) runs them.
One package per layer, each importing only from those below it (``make lint`` checks it):
``intake`` (sources, mapping, cleaning, validation, quarantine) → ``engine`` (DuckDB or
another Ibis backend) → ``metrics`` / ``attribution`` → ``compare`` → ``decide``
(recommendation rules, action plan, what-if) → ``report`` (results, sections, charts,
narrative) → ``render`` (papermill, HTML, PDF, Excel) → ``cli``; settings in ``params``.
"""

from __future__ import annotations

__version__ = "0.1.0"

from leadroi.errors import DataError, LeadRoiError, ParamsError, ReportError  # noqa: E402
from leadroi.params import Params, load_params, notebook_params  # noqa: E402

__all__ = [
    "__version__",
    "LeadRoiError",
    "ParamsError",
    "DataError",
    "ReportError",
    "Params",
    "load_params",
    "notebook_params",
    "load_data",
    "analyse",
    "analyse_campaign",
    "ReportView",
    "generate_sample",
]


def __getattr__(name: str):
    # Heavy parts (Ibis, matplotlib) load on first use, so `leadroi --help` stays fast.
    if name == "load_data":
        from leadroi.intake.dataset import load_data
        return load_data
    if name == "analyse":
        from leadroi.report.quarterly import analyse
        return analyse
    if name == "analyse_campaign":
        from leadroi.report.campaign import analyse_campaign
        return analyse_campaign
    if name == "ReportView":
        from leadroi.report.view import ReportView
        return ReportView
    if name == "generate_sample":
        from leadroi.sample import generate_sample
        return generate_sample
    raise AttributeError(f"module 'leadroi' has no attribute {name!r}")
