"""Reconciliation of a params file's tables: rows in, used, quarantined and why.

What ``leadroi validate`` prints and what the report's appendix shows come from the same
:func:`validation_summary` of a loaded :class:`~leadroi.intake.dataset.Dataset`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from leadroi.intake.dataset import Dataset, load_data
from leadroi.params import Params, load_params

__all__ = ["validation_summary", "validate_params", "reason_key"]


def reason_key(code: str, column: str | None) -> str:
    """Key of a quarantine reason in ``by_reason``: ``<code>:<column>``
    (``missing:created_at``, ``duplicate:lead_id``)."""
    return f"{code}:{column}" if column else code


def validation_summary(data: Dataset) -> dict[str, Any]:
    """Per table ``file, rows_in, rows_used, rows_quarantined, by_reason, fixes``, plus
    ``fatal`` (a list of ``{table, file, message}``).

    ``by_reason`` maps :func:`reason_key` to a row count; ``fixes`` maps
    ``<fix code>:<column>`` to the values normalised.
    """
    out: dict[str, Any] = {}
    for row in data.quality.itertuples():
        reasons = data.reasons[data.reasons["table"] == row.table]
        fixes = data.fixes[data.fixes["table"] == row.table]
        out[row.table] = {
            "file": row.file,
            "rows_in": int(row.rows_in),
            "rows_used": int(row.rows_used),
            "rows_quarantined": int(row.rows_quarantined),
            "by_reason": {reason_key(r.code, r.column): int(r.rows)
                          for r in reasons.itertuples()},
            "fixes": {f"{f.code}:{f.column}": int(f.rows) for f in fixes.itertuples()},
        }
    out["fatal"] = [dict(f) for f in data.fatal]
    return out


def validate_params(params: Params | str | Path) -> tuple[dict[str, Any], Dataset]:
    """Load the tables of a params file (all of them, even after a fatal problem) and
    summarise them with :func:`validation_summary`.

    Raises
    ------
    ParamsError
        The params file itself is invalid.
    """
    if not isinstance(params, Params):
        params = load_params(params)
    data = load_data(params, keep_going=True)
    return validation_summary(data), data
