"""``leadroi run``: params file in, ``reports/<id>/<id>.{ipynb,html,pdf,xlsx}`` out.

Beside them, ``run.json`` records the run that made them (:meth:`RunResult.record`:
status, output paths, seconds, rows in / used / quarantined per table), for a scheduler
to read; ``leadroi run --json`` prints the same records, failures included.

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

import json
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

__all__ = ["RunResult", "run_report", "check_inputs", "report_folder", "failure_record",
           "FAILED_NAME", "RECORD_NAME", "STAGING_PREFIX"]

SUFFIXES = (".ipynb", ".xlsx", ".html", ".pdf")
#: The failed, executed notebook rendered for debugging.
FAILED_NAME = "FAILED.html"
#: The record of the run that produced the files beside it.
RECORD_NAME = "run.json"
#: Name prefix of the per-run staging folder inside ``reports/<id>/``.
STAGING_PREFIX = ".staging-"


@dataclass
class RunResult:
    """What one run produced and how long each step took (seconds)."""

    report_id: str
    folder: Path
    files: list[Path]
    timings: dict[str, float] = field(default_factory=dict)
    params_file: str = ""
    #: per input table: rows ``in``, ``used``, ``quarantined``
    rows: dict[str, dict[str, int]] = field(default_factory=dict)

    def record(self) -> dict:
        """The run as plain data: what ``run.json`` and ``leadroi run --json`` hold."""
        return {"params_file": self.params_file, "report_id": self.report_id,
                "status": "ok", "exit_code": 0,
                "seconds": round(self.timings.get("total", 0.0), 2),
                "outputs": {f.suffix.lstrip("."): str(f) for f in self.files},
                "rows": self.rows, "rows_total": _totals(self.rows),
                "timings": {k: round(v, 2) for k, v in self.timings.items()}}


def _totals(rows: dict[str, dict[str, int]]) -> dict[str, int]:
    return {k: sum(r[k] for r in rows.values()) for k in ("in", "used", "quarantined")}


def failure_record(params_file: str | Path, exc: BaseException, seconds: float,
                   *, out_dir: str | Path | None = None) -> dict:
    """A failed run as plain data, in the shape of :meth:`RunResult.record`."""
    from leadroi.errors import EXIT_REPORT_FAILED

    code = exc.exit_code if isinstance(exc, LeadRoiError) else EXIT_REPORT_FAILED
    message = " ".join(str(exc).split()) or type(exc).__name__
    if not isinstance(exc, LeadRoiError):
        message = f"internal error: {type(exc).__name__}: {message}"
    record = {"params_file": str(params_file), "report_id": None, "status": "failed",
              "exit_code": code, "seconds": round(seconds, 2), "outputs": {},
              "rows": {}, "rows_total": None, "message": message}
    try:
        params = load_params(params_file)
        record["report_id"] = params.report_id
        failed = report_folder(out_dir, params.report_id) / FAILED_NAME
        if failed.is_file():
            record["outputs"] = {"failed": str(failed)}
    except LeadRoiError:
        pass
    return record


def check_inputs(params: Params) -> None:
    """Fail fast, before starting a kernel, when an attribution model is unknown or an
    input file is missing (database sources are checked when they are read)."""
    from leadroi.attribution.registry import check_model_names
    from leadroi.errors import DataError

    check_model_names(params.attribution.models)
    notebook_for(params.report, params.notebook)
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
               timeout: float | None = None, cache: bool = True) -> RunResult:
    """Execute the report notebook for ``params_file`` and export HTML, PDF and Excel.

    Parameters
    ----------
    params_file : str or Path
    out_dir : str or Path, optional
        Folder that receives ``<id>/``; default ``reports/`` in the current directory.
    timeout : float, optional
        Per-cell execution timeout in seconds; default the params' ``cell_timeout_s``.
    cache : bool
        Use the load cache (``--no-cache``: False); its folder defaults to
        ``.leadroi-cache`` in the current folder (:mod:`leadroi.intake.cache`).

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
    rows: dict[str, dict[str, int]] = {}
    try:
        with _sigterm_as_interrupt():
            files = _produce(params, Path(params_file), folder, staging, timings,
                             timeout or params.cell_timeout_s, rows, _cache_env(cache))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    timings["total"] = time.perf_counter() - started
    result = RunResult(report_id, folder, files, timings, params_file=str(params_file),
                       rows=rows)
    _write_record(folder / RECORD_NAME, result.record())
    return result


def _write_record(path: Path, record: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}")
    tmp.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _produce(params: Params, params_file: Path, folder: Path, staging: Path,
             timings: dict[str, float], timeout: float,
             rows: dict[str, dict[str, int]], env: dict[str, str]) -> list[Path]:
    """Execute and export into ``staging``, then move the files into ``folder``;
    ``rows`` receives the workbook's rows in / used / quarantined."""
    report_id = params.report_id
    executed = staging / f"{report_id}.ipynb"
    workbook = staging / f"{report_id}.xlsx"
    try:
        t0 = time.perf_counter()
        try:
            notebook = notebook_for(params.report, params.notebook)
            _prefetch(params, _prefetch_load(params, _CACHE_OFF not in env))
            nb = execute_notebook(notebook, executed, {
                "params_file": str(params_file.resolve()),
                "workbook_path": str(workbook)}, timeout=timeout, env=env)
        except ReportError:
            _keep_failed(executed, folder, params, staging)
            raise
        timings["execute"] = time.perf_counter() - t0
        if not workbook.is_file():
            raise ReportError("the notebook did not write the Excel workbook.", step="excel")
        workbook_rows, to_html, html_to_pdf, find_cjk_font = _exporters()
        rows.update(workbook_rows(workbook))
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


def _exporters():
    """The export steps' functions (their modules import nbconvert, WeasyPrint, openpyxl,
    pandas and matplotlib: about a second, which :func:`_prefetch` spends while
    the kernel runs)."""
    from leadroi.render.excel import workbook_rows
    from leadroi.render.html import to_html
    from leadroi.render.pdf import html_to_pdf
    from leadroi.report.fonts import find_cjk_font

    return workbook_rows, to_html, html_to_pdf, find_cjk_font


_CACHE_OFF = "LEADROI_NO_CACHE"  # leadroi.intake.cache.ENV_OFF, without its imports
#: Inputs up to this size (all files together) are loaded ahead by ``leadroi run``
#: (:func:`_prefetch`); bigger ones only in the kernel, so two processes never hold a
#: big load at once.
PREFETCH_MAX_BYTES = 64 * 1024 * 1024


def _prefetch_load(params: Params, cache: bool) -> bool:
    """Whether :func:`leadroi.report.quarterly.prefetch` is worth starting: the cache is
    on, the notebook is leadroi's own, and the inputs are local files small enough."""
    if not cache or params.notebook is not None:
        return False
    try:
        size = sum(Path(source.path).stat().st_size for _, source in params.data.items())
    except (OSError, TypeError):  # a database source, or a missing file
        return False
    return size <= PREFETCH_MAX_BYTES


def _prefetch(params: Params, load: bool) -> None:
    """Work ahead in a background thread while the kernel starts and runs (this process
    only waits on it meanwhile): with ``load``, the load and the lead score into their
    caches, where the notebook finds them (or waits for them, instead of doing them
    again); then the exporters' imports (and WeasyPrint's). Nothing here can fail the
    run: the notebook and the export steps do the same work again and report."""
    def work() -> None:
        if load:
            try:
                from leadroi.report.quarterly import prefetch

                prefetch(params)
            except Exception:  # noqa: BLE001 - the kernel loads and says what is wrong
                pass
        try:
            _exporters()
            import weasyprint  # noqa: F401 - imported by html_to_pdf on first use
        except Exception:  # noqa: BLE001 - the export step imports again and reports
            pass

    threading.Thread(target=work, name="leadroi-prefetch", daemon=True).start()


def _cache_env(enabled: bool) -> dict[str, str]:
    """The kernel's load-cache settings: the folder this command runs in (the kernel runs
    in the notebook's), and ``--no-cache``."""
    from leadroi.intake.cache import ENV_FOLDER, ENV_OFF

    env = {ENV_FOLDER: os.environ.get(ENV_FOLDER) or str(Path.cwd() / ".leadroi-cache")}
    if not enabled:
        env[ENV_OFF] = "1"
    return env


def _keep_failed(executed: Path, folder: Path, params: Params, staging: Path) -> None:
    """Render the failed executed notebook to ``folder/FAILED.html`` (best effort: the
    error message is what matters; this is for debugging)."""
    if not executed.is_file():
        return
    try:
        _, to_html, _, find_cjk_font = _exporters()
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
