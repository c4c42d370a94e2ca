"""Rendering a report: execute the notebook (papermill), export HTML (nbconvert, our
template), PDF (WeasyPrint) and the Excel workbook (openpyxl), writing atomically."""

from leadroi.render.excel import write_workbook
from leadroi.render.run import RunResult, run_report

__all__ = ["write_workbook", "run_report", "RunResult"]
