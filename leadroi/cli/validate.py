"""``leadroi validate PARAMS.yaml [--json]``: load every table as the report would and say
what was kept, what was set aside and why, and which tables cannot be used.

The numbers come from :func:`leadroi.intake.reconcile.validate_params`, the same
:class:`~leadroi.intake.dataset.Dataset` the report's appendix and its Excel
``data_quality``/``quarantine`` sheets are made from, so they agree.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from leadroi.errors import EXIT_BAD_INPUT, EXIT_OK

__all__ = ["add_parser", "format_summary"]


def add_parser(sub) -> None:
    p = sub.add_parser("validate", help="load the data of a params file and reconcile it: "
                       "rows in, used, quarantined and why")
    p.add_argument("params", type=Path, help="params YAML file")
    p.add_argument("--json", action="store_true", help="print JSON (per table: rows_in, "
                   "rows_used, rows_quarantined, by_reason; plus fatal)")
    p.set_defaults(func=command)


def command(args: argparse.Namespace) -> int:
    from leadroi.attribution.registry import check_model_names
    from leadroi.intake.reconcile import validate_params
    from leadroi.params import load_params

    params = load_params(args.params)
    check_model_names(params.attribution.models, path=str(args.params))
    summary, _ = validate_params(params)
    print(format_summary(summary, params_file=str(args.params), as_json=args.json))
    return EXIT_BAD_INPUT if summary["fatal"] else EXIT_OK


def format_summary(summary: dict[str, Any], *, params_file: str, as_json: bool = False,
                   lang: str = "en") -> str:
    """The summary as indented JSON, or as lines for a terminal."""
    if as_json:
        return json.dumps(summary, ensure_ascii=False, indent=2)
    from leadroi.i18n import catalogue
    from leadroi.intake.messages import message

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
