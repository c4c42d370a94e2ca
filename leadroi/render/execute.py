"""Execute a report notebook with papermill and translate its failures.

Safety rules kept here:

* Only the fixed parameter names of :data:`PARAMETER_NAMES` reach the notebook, with
  string values (papermill writes names into code unescaped; values it escapes).
* The kernel talks over Unix sockets in a private temporary folder (no TCP port), and
  that folder is removed afterwards, whatever happened.
* Whatever stops the run (an error, a timeout, SIGTERM or Ctrl-C), the kernel process is
  killed before this module returns or re-raises: no stray kernels.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import nbformat
import papermill
from jupyter_client.manager import AsyncKernelManager
from papermill.exceptions import PapermillExecutionError

from leadroi.errors import EXIT_BAD_INPUT, LeadRoiError, ParamsError, ReportError
from leadroi.shipped import NOTEBOOKS, notebooks_dir

__all__ = ["NOTEBOOKS", "PARAMETER_NAMES", "KERNEL_DIR_PREFIX", "notebook_for",
           "notebook_parameters", "execute_notebook", "failed_cell"]

#: The only parameters ever injected into a report notebook.
PARAMETER_NAMES = ("params_file", "workbook_path")

#: Name prefix of the temporary folder holding the kernel's sockets.
KERNEL_DIR_PREFIX = "leadroi-kernel-"

#: exception names raised inside the notebook that mean bad input, not a broken report
_INPUT_ERRORS = {"ParamsError", "DataError", "FontMissingError"}


def notebook_for(report: str, custom: Path | None = None) -> Path:
    """The notebook that renders reports of kind ``report``: ``custom`` (the params'
    ``notebook:``, a copy made with ``leadroi notebooks DIR``) when given, else the one
    leadroi ships.

    Raises
    ------
    ParamsError
        ``custom`` is missing, not a notebook, or has no parameters cell taking
        :data:`PARAMETER_NAMES` (papermill could not hand it the params).
    LeadRoiError
        The shipped notebook is missing (a broken install).
    """
    if custom is not None:
        _check_custom(Path(custom))
        return Path(custom)
    path = notebooks_dir() / NOTEBOOKS[report]
    if not path.is_file():
        raise LeadRoiError(f"the {report} notebook is not at {path}.",
                           hint="Reinstall leadroi (the wheel ships its notebooks), or set "
                           "LEADROI_NOTEBOOKS to the folder holding them.")
    return path


def _check_custom(path: Path) -> None:
    hint = ("Copy the shipped notebooks with `leadroi notebooks DIR`, edit the copy, and "
            "name it under `notebook:` (relative to the params file's folder).")
    if not path.is_file():
        raise ParamsError(f"{path}: notebook file not found.", key="notebook", hint=hint)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - any unreadable file is the same problem
        raise ParamsError(f"{path}: not a Jupyter notebook (.ipynb JSON).",
                          key="notebook", hint=hint) from None
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            source = "".join(cell.source)
            missing = [n for n in PARAMETER_NAMES
                       if not re.search(rf"^{n}\s*(:[^=\n]*)?=", source, re.M)]
            if not missing:
                return
            raise ParamsError(f"{path}: its parameters cell does not set "
                              f"{', '.join(missing)}.", key="notebook", hint=hint)
    raise ParamsError(f"{path}: no cell is tagged `parameters`.", key="notebook",
                      hint=hint)


def notebook_parameters(**values: str) -> dict[str, str]:
    """The parameters for papermill: exactly :data:`PARAMETER_NAMES`, string values.

    Raises
    ------
    ValueError
        A name outside the fixed set, a missing name, or a value that is not a string
        (or holds a NUL byte) — a programming error, never user input.
    """
    if set(values) != set(PARAMETER_NAMES):
        raise ValueError(f"notebook parameters must be exactly {PARAMETER_NAMES}, "
                         f"got {sorted(values)}")
    for name, value in values.items():
        if not isinstance(value, str) or "\x00" in value:
            raise ValueError(f"notebook parameter {name} must be a string without NUL")
    return {name: values[name] for name in PARAMETER_NAMES}


#: papermill's logger, which nbclient logs through too ("Timeout waiting for execute
#: reply"): silenced, as every failure it logs also raises and that is reported in one
#: paragraph.
_PAPERMILL_LOG = logging.getLogger("papermill")


class _InputError(LeadRoiError):
    exit_code = EXIT_BAD_INPUT


def _kernel_manager(folder: str, started: list,
                    env: dict[str, str] | None = None) -> type[AsyncKernelManager]:
    """A kernel manager class whose kernels use Unix sockets in ``folder`` (not TCP: no
    ports opened, no "running over TCP without encryption" warning), see ``env`` added to
    their environment, and are recorded in ``started`` so they can be killed if the run
    is interrupted."""

    class LocalKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs) -> None:
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.ip = os.path.join(folder, f"k{len(started)}")
            started.append(self)

        async def start_kernel(self, **kwargs) -> None:
            # the kernel's own log lines (IPKernelApp ...) would break our one-paragraph
            # messages on stderr; cell errors reach us through the notebook instead
            kwargs.setdefault("stdout", subprocess.DEVNULL)
            kwargs.setdefault("stderr", subprocess.DEVNULL)
            if env:
                kwargs["env"] = {**kwargs.get("env", os.environ), **env}
            await super().start_kernel(**kwargs)

    return LocalKernelManager


def _kill(managers: list) -> None:
    """Kill any kernel process still alive (the normal path has shut them down)."""
    for km in managers:
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=10)


#: Cells papermill adds to the executed notebook (not in the source notebook).
_ADDED_TAGS = {"injected-parameters", "papermill-error-cell-tag"}


def failed_cell(output: Path, *, note: str | None = None) -> tuple[int | None, str]:
    """``(index, first source line)`` of the cell the executed notebook stopped in: the
    one papermill marked failed, else (a timeout) the last one started. The index counts
    the cells of the source notebook (papermill's additions skipped). ``note`` is added
    to that cell as an error output, so FAILED.html shows it."""
    try:
        nb = nbformat.read(output, as_version=4)
    except (OSError, ValueError):
        return None, ""
    found, index = None, 0
    for cell in nb.cells:
        if _ADDED_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        state = cell.get("metadata", {}).get("papermill", {})
        if state.get("status") == "failed":
            found = (index, cell)
            break
        if state.get("start_time"):
            found = (index, cell)
        index += 1
    if found is None:
        return None, ""
    index, cell = found
    if note and cell.cell_type == "code":
        cell.outputs.append(nbformat.v4.new_output("error", ename="Timeout", evalue=note,
                                                   traceback=[note]))
        nbformat.write(nb, output)
    lines = "".join(cell.source).strip().splitlines()
    return index, lines[0][:70] if lines else ""


def execute_notebook(notebook: Path, output: Path, parameters: dict, *,
                     timeout: float | None = None,
                     env: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """Run ``notebook`` with ``parameters`` and save the executed copy to ``output``
    (also when it fails, so the failure can be shown). ``env`` is added to the kernel's
    environment (the load cache's settings: fixed names, never user text as names).

    Raises
    ------
    LeadRoiError
        With exit code 2 when the notebook stopped on bad params or data (the message is
        that error's own), else :class:`ReportError` naming the failing cell (also for a
        cell that ran longer than ``timeout`` seconds).
    """
    parameters = notebook_parameters(**parameters)
    folder = tempfile.mkdtemp(prefix=KERNEL_DIR_PREFIX)
    started: list = []
    level = _PAPERMILL_LOG.level
    _PAPERMILL_LOG.setLevel(logging.CRITICAL)
    try:
        return papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, kernel_name="python3",
            cwd=str(notebook.parent), progress_bar=False, log_output=False,
            execution_timeout=timeout, kernel_manager_class=_kernel_manager(folder, started, env))
    except PapermillExecutionError as exc:
        if exc.ename in _INPUT_ERRORS:
            raise _InputError(str(exc.evalue)) from None
        error = (str(exc.evalue).strip().splitlines() or [""])[0][:300]
        raise _cell_error(notebook, output, f"{exc.ename}: {error}".rstrip(": ")) from None
    except TimeoutError:  # nbclient's CellTimeoutError
        raise _cell_error(notebook, output, f"the cell ran longer than the {timeout:g} s cell "
                          "timeout", timeout=True) from None
    finally:
        _PAPERMILL_LOG.setLevel(level)
        _kill(started)
        shutil.rmtree(folder, ignore_errors=True)


def _cell_error(notebook: Path, output: Path, error: str, *,
                timeout: bool = False) -> ReportError:
    index, source = failed_cell(output, note=error if timeout else None)
    where = f"cell {index} of {notebook.name}" if index is not None else "a cell"
    if source:
        where += f" ({source})"
    todo = ("raise `cell_timeout_s` in the params file or `--timeout` if the data is "
            "simply large" if timeout else
            "fix the data or params it points at and run again, or report it with the "
            "failed notebook attached")
    return ReportError(
        f"the report notebook stopped in {where}: {error}.", step="execute", cell=index,
        hint=f"The failed notebook is kept as FAILED.html beside the report (traceback "
             f"inside); {todo}.")
