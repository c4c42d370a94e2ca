"""``leadroi run``: params file in, ``reports/<id>/<id>.{ipynb,html,pdf,xlsx}`` out.

Everything is produced in a staging folder beside the target and moved into place only
when every step succeeded, so a failed run never leaves a complete-looking report.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from leadroi.errors import LeadRoiError, ReportError
from leadroi.fonts import find_cjk_font
from leadroi.params import Params, load_params
from leadroi.render.execute import execute_notebook, notebook_for
from leadroi.render.html import to_html
from leadroi.render.pdf import html_to_pdf

__all__ = ["RunResult", "run_report", "check_inputs"]

SUFFIXES = (".ipynb", ".xlsx", ".html", ".pdf")


@dataclass
class RunResult:
    """What one run produced and how long each step took (seconds)."""

    report_id: str
    folder: Path
    files: list[Path]
    timings: dict[str, float] = field(default_factory=dict)


def check_inputs(params: Params) -> None:
    """Fail fast, before starting a kernel, when an input file is missing (database
    sources are checked when they are read)."""
    from leadroi.errors import DataError

    for name, source in params.data.items():
        if source.path is not None and not Path(source.path).is_file():
            raise DataError(f"{name} file not found.", file=str(source.path),
                            hint="Check `path:` under `data:` in the params file (relative "
                            "paths start at the params file's folder).")


def run_report(params_file: str | Path, *, out_dir: str | Path | None = None,
               timeout: float | None = None) -> RunResult:
    """Execute the report notebook for ``params_file`` and export HTML, PDF and Excel.

    Parameters
    ----------
    params_file : str or Path
    out_dir : str or Path, optional
        Folder that receives ``<id>/``; default ``reports/`` in the current directory.
    timeout : float, optional
        Per-cell execution timeout in seconds.

    Raises
    ------
    LeadRoiError
        Exit code 2 for bad params or data, 1 for a failing report step.
    """
    started = time.perf_counter()
    params = load_params(params_file)
    check_inputs(params)
    report_id = params.report_id
    folder = Path(out_dir or Path.cwd() / "reports").resolve() / report_id
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f".staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    timings: dict[str, float] = {}
    try:
        t0 = time.perf_counter()
        executed = staging / f"{report_id}.ipynb"
        workbook = staging / f"{report_id}.xlsx"
        nb = execute_notebook(notebook_for(params.report), executed, {
            "params_file": str(Path(params_file).resolve()),
            "workbook_path": str(workbook)}, timeout=timeout)
        timings["execute"] = time.perf_counter() - t0
        if not workbook.is_file():
            raise ReportError("the notebook did not write the Excel workbook.", step="excel")
        t0 = time.perf_counter()
        html = to_html(nbformat.from_dict(nb), title=_title(params), period=params.period,
                       lang=params.language, version=_version(), font=find_cjk_font(),
                       date=params.as_of.isoformat() if params.as_of else None)
        (staging / f"{report_id}.html").write_text(html, encoding="utf-8")
        timings["html"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        html_to_pdf(html, staging / f"{report_id}.pdf")
        timings["pdf"] = time.perf_counter() - t0
        files = []
        for suffix in SUFFIXES:
            target = folder / f"{report_id}{suffix}"
            os.replace(staging / f"{report_id}{suffix}", target)
            files.append(target)
    except LeadRoiError:
        raise
    except Exception as exc:  # an export step failed
        raise ReportError(f"{type(exc).__name__}: {exc}", step="export") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    timings["total"] = time.perf_counter() - started
    return RunResult(report_id, folder, files, timings)


def _title(params: Params) -> str:
    from leadroi.i18n import catalogue

    return params.title or catalogue(params.language)("report.title")


def _version() -> str:
    from leadroi import __version__

    return __version__
