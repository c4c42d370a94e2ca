"""Execute a report notebook with papermill and translate its failures."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import nbformat
import papermill
from jupyter_client.manager import AsyncKernelManager
from papermill.exceptions import PapermillExecutionError

from leadroi.errors import EXIT_BAD_INPUT, LeadRoiError, ReportError

__all__ = ["NOTEBOOKS", "notebook_for", "execute_notebook"]

#: report kind -> notebook file name
NOTEBOOKS = {"quarterly": "quarterly_report.ipynb", "campaign": "campaign_retrospective.ipynb"}

#: exception names raised inside the notebook that mean bad input, not a broken report
_INPUT_ERRORS = {"ParamsError", "DataError", "FontMissingError"}


def _notebook_dir() -> Path:
    env = os.environ.get("LEADROI_NOTEBOOKS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "notebooks"


def notebook_for(report: str) -> Path:
    """The notebook that renders reports of kind ``report``."""
    path = _notebook_dir() / NOTEBOOKS[report]
    if not path.is_file():
        raise LeadRoiError(f"the {report} notebook is not at {path}.",
                           hint="Run leadroi from its source checkout, or set "
                           "LEADROI_NOTEBOOKS to the folder holding the notebooks.")
    return path


class _InputError(LeadRoiError):
    exit_code = EXIT_BAD_INPUT


class _LocalKernelManager(AsyncKernelManager):
    """Talks to the kernel over Unix sockets in a private temporary folder, not TCP: no
    ports opened on the machine (and no "running over TCP without encryption" warning)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.transport = "ipc"
        self.ip = os.path.join(tempfile.mkdtemp(prefix="leadroi-kernel-"), "k")


def execute_notebook(notebook: Path, output: Path, parameters: dict, *,
                     timeout: float | None = None) -> nbformat.NotebookNode:
    """Run ``notebook`` with ``parameters`` and save the executed copy to ``output``.

    Raises
    ------
    LeadRoiError
        With exit code 2 when the notebook stopped on bad params or data (the message is
        that error's own), else :class:`ReportError` naming the failing cell.
    """
    try:
        return papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, kernel_name="python3",
            cwd=str(notebook.parent), progress_bar=False, log_output=False,
            execution_timeout=timeout, kernel_manager_class=_LocalKernelManager)
    except PapermillExecutionError as exc:
        if exc.ename in _INPUT_ERRORS:
            raise _InputError(str(exc.evalue)) from None
        first_line = (exc.source or "").strip().splitlines()
        raise ReportError(
            f"{exc.ename}: {exc.evalue}", step="execute", cell=exc.cell_index,
            hint=f"The notebook stopped in cell {exc.cell_index}"
                 f"{' (' + first_line[0][:60] + ')' if first_line else ''}; the executed "
                 f"notebook {output.name} shows the traceback.") from None
