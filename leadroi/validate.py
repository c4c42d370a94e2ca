"""``leadroi validate PARAMS.yaml [--json]``: load every table as the report would and say
what was kept, what was set aside and why, and which tables cannot be used.

The numbers come from the same :class:`~leadroi.dataset.Dataset` the report's appendix
and its Excel ``data_quality``/``quarantine`` sheets are made from, so they agree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from leadroi.dataset import Dataset, load_data
from leadroi.i18n import catalogue
from leadroi.messages import message
from leadroi.params import Params, load_params

__all__ = ["validation_summary", "validate_params", "format_summary", "reason_key"]


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


def format_summary(summary: dict[str, Any], *, params_file: str, as_json: bool = False,
                   lang: str = "en") -> str:
    """The summary as indented JSON, or as lines for a terminal."""
    if as_json:
        return json.dumps(summary, ensure_ascii=False, indent=2)
    t = catalogue(lang)
    lines = [message("validate.title", lang, params=params_file)]
    for table, s in summary.items():
        if table == "fatal":
            continue
        lines.append(message("validate.table_line", lang, table=table,
                             file=Path(s["file"]).name if "://" not in s["file"] else s["file"],
                             **{k: f"{s[k]:,}" for k in ("rows_in", "rows_used",
                                                         "rows_quarantined")}))
        for key, rows in s["by_reason"].items():
            code, _, column = key.partition(":")
            text = t.get(f"reason.{code}", key, column=column)
            lines.append(message("validate.reason_line", lang, rows=f"{rows:,}",
                                 reason=f"{text} [{key}]"))
    for fatal in summary["fatal"]:
        lines.append(message("validate.fatal_line", lang, message=fatal["message"]))
    lines.append(message("validate.broken", lang, count=len(summary["fatal"]))
                 if summary["fatal"] else message("validate.ok", lang))
    return "\n".join(lines)
