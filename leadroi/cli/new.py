"""``leadroi new quarterly 2026-Q4 [--from params/2026-Q3.yaml]``: scaffold the next
period's params file, carrying the previous report's action plan forward (``actions:``)
so the next report reviews it.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import yaml

from leadroi.errors import EXIT_OK, ParamsError
from leadroi.params import load_params, params_from_dict
from leadroi.periods import parse_period

__all__ = ["add_parser", "command", "scaffold", "carried_actions", "STARTER"]

#: The params of a first report, when there is no earlier file to start from.
STARTER: dict[str, Any] = {
    "report": "quarterly", "period": None, "language": "en", "currency": "CNY",
    "min_leads": 30,
    "data": {"leads": {"path": "../data/leads.csv", "mapping": "canonical"},
             "spend": {"path": "../data/spend.csv", "mapping": "canonical"}},
}


def carried_actions(source: Path) -> list[dict]:
    """The action plan of the report ``source`` describes, as ``actions:`` entries.

    Runs the analysis of ``source`` (its data, its period) and words each
    recommendation in its language.
    """
    from leadroi.decide.actions import action_items
    from leadroi.intake.dataset import load_data
    from leadroi.report.quarterly import analyse
    from leadroi.report.sections._common import rec_texts
    from leadroi.report.view import ReportView

    params = load_params(source)
    data = load_data(params)
    results = analyse(data, params)
    view = ReportView(params, channels=data.channels())
    return action_items(results.recommendations, rec_texts(view, results), params.period)


def _rebase(raw: dict, source: Path, target: Path) -> dict:
    """Relative data paths of ``raw`` (relative to ``source``'s folder) made relative to
    ``target``'s folder."""
    for spec in (raw.get("data") or {}).values():
        if isinstance(spec, dict) and isinstance(spec.get("path"), str) \
                and not os.path.isabs(spec["path"]):
            full = (source.resolve().parent / spec["path"]).resolve()
            spec["path"] = os.path.relpath(full, target.resolve().parent)
    return raw


def scaffold(kind: str, period: str, *, source: str | Path | None = None,
             out: str | Path | None = None, force: bool = False) -> Path:
    """Write the params file of the report of ``period``.

    Parameters
    ----------
    kind : {"quarterly"}
    period : str
        The new period (``2026-Q4``).
    source : str or Path, optional
        Last period's params: its settings are copied, its ``as_of``/``id``/``title``
        dropped, and its action plan becomes ``actions:``. Without it, a starter file.
    out : str or Path, optional
        Default ``params/<period>.yaml``.
    force : bool
        Overwrite an existing file.

    Raises
    ------
    ParamsError
        Bad period, existing output without ``force``, or a source that does not load.
    """
    try:
        label = parse_period(period).label
    except ValueError as exc:
        raise ParamsError(str(exc), key="period") from None
    target = Path(out or Path("params") / f"{label}.yaml")
    if target.exists() and not force:
        raise ParamsError("the file exists already.", path=str(target),
                          hint="Choose another --out, or pass --force to overwrite it.")
    if source is not None:
        source = Path(source)
        load_params(source)  # fail early, with the source's own message
        raw = yaml.safe_load(source.read_text(encoding="utf-8-sig"))
        for key in ("as_of", "id", "title", "actions"):
            raw.pop(key, None)
        raw = _rebase(raw, source, target)
        raw["actions"] = carried_actions(source)
    else:
        raw = {**STARTER, "data": {k: dict(v) for k, v in STARTER["data"].items()}}
    raw["report"], raw["period"] = kind, label
    params_from_dict(raw, base_dir=target.parent)  # what we write must load
    target.parent.mkdir(parents=True, exist_ok=True)
    head = (f"# {kind.capitalize()} report {label}, scaffolded by `leadroi new`"
            + (f" from {source}" if source else "") + ".\n# `actions:` is last period's "
            "action plan; this report reviews each tracking metric against its target.\n"
            "# as_of (data cut-off) defaults to the latest date in the leads.\n")
    text = yaml.safe_dump(raw, sort_keys=False, allow_unicode=True, width=99)
    tmp = target.with_suffix(target.suffix + ".tmp")
    tmp.write_text(head + text, encoding="utf-8")
    os.replace(tmp, target)
    return target


def add_parser(sub) -> None:
    p = sub.add_parser("new", help="scaffold the params file of a new report, carrying the "
                       "last report's action plan forward")
    p.add_argument("kind", choices=["quarterly"], help="report kind")
    p.add_argument("period", help="the new period, e.g. 2026-Q4")
    p.add_argument("--from", dest="source", type=Path, default=None,
                   help="last period's params file (settings and action plan carried)")
    p.add_argument("--out", type=Path, default=None,
                   help="file to write (default: params/<period>.yaml)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(func=command)


def command(args: argparse.Namespace) -> int:
    path = scaffold(args.kind, args.period, source=args.source, out=args.out,
                    force=args.force)
    print(path)
    return EXIT_OK
