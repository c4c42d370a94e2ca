"""``leadroi run params/*.yaml --jobs N``: many reports in parallel processes, a progress
bar, past failures to the end, then a summary table; the exit code is the worst one.

Each report runs :func:`leadroi.render.run.run_report` in its own worker process (the
notebooks run in their own kernels anyway), so ``--jobs 2`` keeps both cores busy.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from leadroi.errors import EXIT_OK, EXIT_REPORT_FAILED, LeadRoiError

__all__ = ["BatchItem", "run_batch", "format_summary"]


@dataclass
class BatchItem:
    """The outcome of one params file: exit code 0 with its folder, or the error."""

    params_file: str
    exit_code: int
    seconds: float
    folder: str = ""
    message: str = ""
    #: :meth:`~leadroi.render.run.RunResult.record` or
    #: :func:`~leadroi.render.run.failure_record`
    record: dict | None = None


def _one(params_file: str, out_dir: str | None, timeout: float | None,
         cache: bool = True) -> BatchItem:
    from leadroi.render.run import failure_record, run_report

    started = time.perf_counter()
    try:
        result = run_report(params_file, out_dir=out_dir, timeout=timeout, cache=cache)
    except LeadRoiError as exc:
        seconds = time.perf_counter() - started
        return BatchItem(params_file, exc.exit_code, seconds,
                         message=str(exc).splitlines()[0],
                         record=failure_record(params_file, exc, seconds, out_dir=out_dir))
    except Exception as exc:  # a bug in one report must not stop the others
        seconds = time.perf_counter() - started
        return BatchItem(params_file, EXIT_REPORT_FAILED, seconds,
                         message=f"internal error: {type(exc).__name__}: {exc}",
                         record=failure_record(params_file, exc, seconds, out_dir=out_dir))
    return BatchItem(params_file, EXIT_OK, time.perf_counter() - started,
                     folder=str(result.folder), record=result.record())


def run_batch(params_files: list[Path], *, jobs: int = 1, out_dir: Path | None = None,
              timeout: float | None = None, progress: bool = True,
              cache: bool = True) -> list[BatchItem]:
    """Run every params file; return one :class:`BatchItem` each, in the given order."""
    from tqdm import tqdm

    files = [str(p) for p in params_files]
    out = str(out_dir) if out_dir else None
    items: dict[str, BatchItem] = {}
    bar = tqdm(total=len(files), unit="report", disable=not progress, file=sys.stderr)
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(_one, f, out, timeout, cache): f for f in files}
        for future in as_completed(futures):
            item = future.result()
            items[futures[future]] = item
            bar.set_postfix_str(Path(item.params_file).name)
            bar.update(1)
    bar.close()
    return [items[f] for f in files]


def format_summary(items: list[BatchItem]) -> str:
    """A plain-text table: params file, status, seconds, output folder or error."""
    width = max([len(i.params_file) for i in items] + [6])
    lines = [f"{'params':<{width}}  status  seconds  result"]
    for i in items:
        status = "ok" if i.exit_code == EXIT_OK else f"exit {i.exit_code}"
        lines.append(f"{i.params_file:<{width}}  {status:<6}  {i.seconds:7.1f}  "
                     f"{i.folder or i.message}")
    failed = sum(i.exit_code != EXIT_OK for i in items)
    lines.append(f"{len(items) - failed} of {len(items)} reports ok"
                 + (f", {failed} failed" if failed else ""))
    return "\n".join(lines)
