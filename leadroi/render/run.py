"""``leadroi run``: params file in, ``reports/<id>/<id>.{ipynb,html,pdf,xlsx}`` out.

Everything is produced in a staging folder (``reports/<id>/.staging-<pid>``) and moved
into place only when every step succeeded (with SIGTERM/SIGINT held off during the
moves), so a failed or killed run never leaves a complete-looking report and the previous
good one stays as it was. A failing notebook is kept as ``reports/<id>/FAILED.html``.
SIGTERM is turned into :class:`KeyboardInterrupt`, so a killed run cleans up like Ctrl-C:
kernel killed, staging folder removed.

Every failure of one report is a :class:`~leadroi.errors.LeadRoiError` (exit code 2 for
bad params or data, 1 otherwise), so a caller running several reports can catch it and
carry on with the next.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from leadroi.errors import LeadRoiError, ParamsError, ReportError
from leadroi.params import Params, load_params
from leadroi.render.execute import execute_notebook, notebook_for
from leadroi.render.html import to_html
from leadroi.render.pdf import html_to_pdf
from leadroi.report.fonts import find_cjk_font

__all__ = ["RunResult", "run_report", "check_inputs", "report_folder", "FAILED_NAME",
           "STAGING_PREFIX"]

SUFFIXES = (".ipynb", ".xlsx", ".html", ".pdf")
#: The failed, executed notebook rendered for debugging.
FAILED_NAME = "FAILED.html"
#: Name prefix of the per-run staging folder inside ``reports/<id>/``.
STAGING_PREFIX = ".staging-"


@dataclass
class RunResult:
    """What one run produced and how long each step took (seconds)."""

    report_id: str
    folder: Path
    files: list[Path]
    timings: dict[str, float] = field(default_factory=dict)


def check_inputs(params: Params) -> None:
    """Fail fast, before starting a kernel, when an attribution model is unknown or an
    input file is missing (database sources are checked when they are read)."""
    from leadroi.attribution.registry import check_model_names
    from leadroi.errors import DataError

    check_model_names(params.attribution.models)
    for name, source in params.data.items():
        if source.path is not None and not Path(source.path).is_file():
            raise DataError(f"{name} file not found.", file=str(source.path),
                            hint="Check `path:` under `data:` in the params file (relative "
                            "paths start at the params file's folder).")


def report_folder(out_dir: str | Path | None, report_id: str) -> Path:
    """``<out_dir>/<report_id>``, refusing any id that would lead elsewhere (the params
    validate ids already; this is the last line of defence before writing)."""
    base = Path(out_dir or Path.cwd() / "reports").resolve()
    folder = (base / report_id).resolve()
    if folder.parent != base or report_id in ("", ".", "..") or "\x00" in report_id:
        raise ParamsError(f"report id '{report_id[:80]}' is not a plain folder name.",
                          key="id", hint="Use letters, digits, '.', '_' or '-'.")
    return folder


def run_report(params_file: str | Path, *, out_dir: str | Path | None = None,
               timeout: float | None = None) -> RunResult:
    """Execute the report notebook for ``params_file`` and export HTML, PDF and Excel.

    Parameters
    ----------
    params_file : str or Path
    out_dir : str or Path, optional
        Folder that receives ``<id>/``; default ``reports/`` in the current directory.
    timeout : float, optional
        Per-cell execution timeout in seconds; default the params' ``cell_timeout_s``.

    Raises
    ------
    LeadRoiError
        Exit code 2 for bad params or data, 1 for a failing report step.
    KeyboardInterrupt
        On Ctrl-C or SIGTERM, after cleaning up.
    """
    started = time.perf_counter()
    params = load_params(params_file)
    check_inputs(params)
    report_id = params.report_id
    folder = report_folder(out_dir, report_id)
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f"{STAGING_PREFIX}{os.getpid()}-{threading.get_ident()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    timings: dict[str, float] = {}
    try:
        with _sigterm_as_interrupt():
            files = _produce(params, Path(params_file), folder, staging, timings,
                             timeout or params.cell_timeout_s)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    timings["total"] = time.perf_counter() - started
    return RunResult(report_id, folder, files, timings)


def _produce(params: Params, params_file: Path, folder: Path, staging: Path,
             timings: dict[str, float], timeout: float) -> list[Path]:
    """Execute and export into ``staging``, then move the files into ``folder``."""
    report_id = params.report_id
    executed = staging / f"{report_id}.ipynb"
    workbook = staging / f"{report_id}.xlsx"
    try:
        t0 = time.perf_counter()
        try:
            nb = execute_notebook(notebook_for(params.report), executed, {
                "params_file": str(params_file.resolve()),
                "workbook_path": str(workbook)}, timeout=timeout)
        except ReportError:
            _keep_failed(executed, folder, params, staging)
            raise
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
    except LeadRoiError:
        raise
    except Exception as exc:  # an export step failed
        raise ReportError(f"{type(exc).__name__}: {exc}", step="export") from exc
    with _signals_held():
        files = []
        for suffix in SUFFIXES:
            target = folder / f"{report_id}{suffix}"
            os.replace(staging / f"{report_id}{suffix}", target)
            files.append(target)
        (folder / FAILED_NAME).unlink(missing_ok=True)
    return files


def _keep_failed(executed: Path, folder: Path, params: Params, staging: Path) -> None:
    """Render the failed executed notebook to ``folder/FAILED.html`` (best effort: the
    error message is what matters; this is for debugging)."""
    if not executed.is_file():
        return
    try:
        nb = nbformat.read(executed, as_version=4)
        html = to_html(nb, title=f"FAILED: {_title(params)}", period=params.period,
                       lang=params.language, version=_version(), font=find_cjk_font(),
                       show_errors=True)
        tmp = staging / FAILED_NAME
        tmp.write_text(html, encoding="utf-8")
        os.replace(tmp, folder / FAILED_NAME)
    except Exception:  # noqa: BLE001 - never hide the notebook's own error
        pass


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM raises :class:`KeyboardInterrupt` (main thread only:
    elsewhere signals cannot be handled and the caller owns them)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGTERM and SIGINT off while the finished files are moved into place."""
    held = {signal.SIGTERM, signal.SIGINT}
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


def _title(params: Params) -> str:
    from leadroi.i18n import catalogue

    return params.title or catalogue(params.language)("report.title")


def _version() -> str:
    from leadroi import __version__

    return __version__
