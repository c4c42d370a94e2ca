"""leadroi: lead ROI reports from CRM and marketing-spend exports.

The notebooks in ``notebooks/`` call this package; the CLI (``leadroi``) runs them.
Layers, each looking only down: sources → clean/validate → engine → metrics → recommend →
present (tables, charts, narrative, view) → render → cli.
"""

from __future__ import annotations

__version__ = "0.1.0"

from leadroi.errors import DataError, LeadRoiError, ParamsError, ReportError  # noqa: E402
from leadroi.params import Params, load_params  # noqa: E402

__all__ = [
    "__version__",
    "LeadRoiError",
    "ParamsError",
    "DataError",
    "ReportError",
    "Params",
    "load_params",
    "load_data",
    "analyse",
    "ReportView",
    "generate_sample",
]


def __getattr__(name: str):
    # Heavy parts (Ibis, matplotlib) load on first use, so `leadroi --help` stays fast.
    if name == "load_data":
        from leadroi.dataset import load_data
        return load_data
    if name == "analyse":
        from leadroi.analysis import analyse
        return analyse
    if name == "ReportView":
        from leadroi.view import ReportView
        return ReportView
    if name == "generate_sample":
        from leadroi.sample import generate_sample
        return generate_sample
    raise AttributeError(f"module 'leadroi' has no attribute {name!r}")
