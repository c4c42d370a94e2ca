"""What every command shares: one message per error, the traceback only with ``--debug``."""

from __future__ import annotations

import sys
import traceback

__all__ = ["report_error"]


def report_error(exc: BaseException, debug: bool, prefix: str | None = None) -> None:
    """Print ``exc`` as one line on stderr (``leadroi: [prefix: ]message``)."""
    if debug:
        traceback.print_exception(exc)
    lead = f"leadroi: {prefix}: " if prefix else "leadroi: "
    print(f"{lead}{exc}", file=sys.stderr)
