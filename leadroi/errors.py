"""Exceptions raised by leadroi.

Every error a user can cause derives from :class:`LeadRoiError`. Each subclass carries
structured fields (which file, which column, which rows, what to do) so the CLI can turn
it into one clear message and an exit code; a traceback is only shown with ``--debug``.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "LeadRoiError",
    "ParamsError",
    "DataError",
    "FontMissingError",
    "ReportError",
    "EXIT_OK",
    "EXIT_REPORT_FAILED",
    "EXIT_BAD_INPUT",
]

EXIT_OK = 0
EXIT_REPORT_FAILED = 1
EXIT_BAD_INPUT = 2


class LeadRoiError(Exception):
    """Root of every error leadroi raises on purpose."""

    exit_code = EXIT_REPORT_FAILED

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} {self.hint}"
        return self.message


class ParamsError(LeadRoiError):
    """A params file is missing, unreadable or invalid.

    Parameters
    ----------
    message : str
        What is wrong.
    path : str, optional
        The params file.
    key : str, optional
        The offending key, dotted (``data.leads.path``).
    hint : str, optional
        What to do about it.
    """

    exit_code = EXIT_BAD_INPUT

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        key: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = path
        self.key = key

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return where + super().__str__()


class DataError(LeadRoiError):
    """An input table cannot be used.

    Parameters
    ----------
    message : str
        What is wrong.
    file : str, optional
        The input file (or source URL).
    column : str, optional
        The column concerned.
    rows : sequence of int, optional
        Source row numbers concerned (1 = first data row); at most a few are shown.
    hint : str, optional
        What to do about it.
    """

    exit_code = EXIT_BAD_INPUT

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        column: str | None = None,
        rows: Sequence[int] | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.file = file
        self.column = column
        self.rows = list(rows or [])

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(f"{self.file}:")
        if self.column:
            parts.append(f"column '{self.column}':")
        parts.append(self.message)
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows[:5])
            more = f" and {len(self.rows) - 5} more" if len(self.rows) > 5 else ""
            parts.append(f"(rows {shown}{more})")
        text = " ".join(parts)
        return f"{text} {self.hint}" if self.hint else text


class FontMissingError(LeadRoiError):
    """No CJK font is installed, so Chinese text would render as empty boxes."""

    exit_code = EXIT_BAD_INPUT


class ReportError(LeadRoiError):
    """A report step failed.

    Parameters
    ----------
    message : str
        The error.
    step : str
        The step that failed (``execute``, ``html``, ``pdf``, ``excel``).
    cell : int, optional
        The failing notebook cell (0-based index), when the step is ``execute``.
    """

    exit_code = EXIT_REPORT_FAILED

    def __init__(
        self, message: str, *, step: str, cell: int | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.step = step
        self.cell = cell
