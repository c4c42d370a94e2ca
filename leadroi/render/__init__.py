"""Rendering a report: execute the notebook (papermill), export HTML (nbconvert, our
template), PDF (WeasyPrint) and the Excel workbook (openpyxl), writing atomically.

Submodules load on first use: the notebook kernel only needs :func:`write_workbook`, and
importing papermill, nbconvert and WeasyPrint there would cost a second for nothing.
"""

from __future__ import annotations

__all__ = ["write_workbook", "run_report", "RunResult"]


def __getattr__(name: str):
    if name == "write_workbook":
        from leadroi.render.excel import write_workbook
        return write_workbook
    if name in ("run_report", "RunResult"):
        from leadroi.render import run
        return getattr(run, name)
    raise AttributeError(f"module 'leadroi.render' has no attribute {name!r}")
