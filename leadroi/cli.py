"""Command line: ``leadroi sample``, ``run``, ``new``, ``validate``, ``inspect`` and
``attribute``.

Errors leadroi raises on purpose become one message on stderr and an exit code
(0 ok, 1 the report failed, 2 bad params or unusable data); ``--debug`` adds the
traceback.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from leadroi import __version__
from leadroi.errors import EXIT_BAD_INPUT, EXIT_OK, EXIT_REPORT_FAILED, LeadRoiError, ParamsError
from leadroi.params import TABLE_NAMES

__all__ = ["main", "build_parser", "COMMANDS"]


def _sample_parser(sub) -> None:
    p = sub.add_parser("sample", help="write the deterministic sample dataset")
    p.add_argument("directory", type=Path, help="folder to write the CSV files into")
    p.add_argument("--lang", choices=["en", "zh"], default="en",
                   help="language of names and labels (default: en)")
    p.add_argument("--seed", type=int, default=2026, help="random seed (default: 2026)")
    p.add_argument("--leads", type=int, default=60_000, help="about how many leads")
    p.set_defaults(func=_cmd_sample)


def _run_parser(sub) -> None:
    p = sub.add_parser("run", help="run reports: execute, export HTML, PDF and Excel")
    p.add_argument("params", nargs="+", type=Path, help="params YAML file(s)")
    p.add_argument("--out", type=Path, default=None,
                   help="folder receiving <id>/ (default: ./reports)")
    p.add_argument("--timeout", type=float, default=None,
                   help="per-cell execution timeout in seconds")
    p.add_argument("--jobs", type=int, default=1,
                   help="reports run in parallel when several params files are given")
    p.set_defaults(func=_cmd_run)


def _new_parser(sub) -> None:
    p = sub.add_parser("new", help="scaffold the params file of a new report, carrying the "
                       "last report's action plan forward")
    p.add_argument("kind", choices=["quarterly"], help="report kind")
    p.add_argument("period", help="the new period, e.g. 2026-Q4")
    p.add_argument("--from", dest="source", type=Path, default=None,
                   help="last period's params file (settings and action plan carried)")
    p.add_argument("--out", type=Path, default=None,
                   help="file to write (default: params/<period>.yaml)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(func=_cmd_new)


def _validate_parser(sub) -> None:
    p = sub.add_parser("validate", help="load the data of a params file and reconcile it: "
                       "rows in, used, quarantined and why")
    p.add_argument("params", type=Path, help="params YAML file")
    p.add_argument("--json", action="store_true", help="print JSON (per table: rows_in, "
                   "rows_used, rows_quarantined, by_reason; plus fatal)")
    p.set_defaults(func=_cmd_validate)


def _inspect_parser(sub) -> None:
    p = sub.add_parser("inspect", help="show the columns of an export and a suggested "
                       "mapping as YAML to paste into params")
    p.add_argument("source", help="CSV, XLSX or Parquet file, or a database URL")
    p.add_argument("--as", dest="canonical", choices=list(TABLE_NAMES), default=None,
                   help="the table it holds (default: guessed from the columns)")
    p.add_argument("--sheet", default=None, help="XLSX sheet name or 1-based number")
    p.add_argument("--encoding", default=None, help="CSV encoding (default: detected)")
    p.add_argument("--table", default=None, help="database table (with a URL)")
    p.add_argument("--query", default=None, help="database query (with a URL)")
    p.set_defaults(func=_cmd_inspect)


def _attribute_parser(sub) -> None:
    p = sub.add_parser(
        "attribute", help="credit conversions and value to channels under every model",
        description="Print, per channel, the conversions and value credited by each "
        "attribution model. FILE is a touchpoints table (lead_id, touched_at, channel; "
        "outcomes come from --leads) or an aggregated path file in ChannelAttribution's "
        "format (path 'a > b > c', total_conversions, total_conversion_value, total_null).")
    p.add_argument("file", type=Path, nargs="?",
                   help="touchpoints or path file (CSV or Parquet)")
    p.add_argument("--format", choices=["touchpoints", "paths"], default=None,
                   help="default: paths when FILE has the path column, else touchpoints")
    p.add_argument("--models", default=None,
                   help="comma-separated model names (default: all); see `--models list`")
    p.add_argument("--sep", default=None, help="CSV field separator (default: detected)")
    p.add_argument("--json", action="store_true",
                   help='print {model: {channel: {"conversions": x, "value": y}}}')
    p.add_argument("--leads", type=Path, default=None,
                   help="touchpoints: the leads file whose won_at/amount give conversions")
    p.add_argument("--period", default=None,
                   help="touchpoints: only leads created in this period (e.g. 2026-Q3)")
    p.add_argument("--as-of", type=_date, default=None,
                   help="touchpoints: data cut-off (default: latest date in the leads)")
    p.add_argument("--lookback-days", type=int, default=90,
                   help="touchpoints: touches this many days before the end count (90)")
    p.add_argument("--half-life", type=float, default=None,
                   help="time decay half-life: days for touchpoints (7), touches for paths (1)")
    p.add_argument("--path-sep", default=">", help="paths: separator between channels (>)")
    p.add_argument("--path-col", default="path", help="paths: path column (path)")
    p.add_argument("--conversions-col", default="total_conversions",
                   help="paths: conversions column (total_conversions)")
    p.add_argument("--value-col", default="total_conversion_value",
                   help="paths: conversion value column (total_conversion_value)")
    p.add_argument("--null-col", default="total_null",
                   help="paths: non-converting journeys column (total_null)")
    p.set_defaults(func=_cmd_attribute)


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2026-10-31: {text!r}") from None


#: Subcommands, in the order ``leadroi --help`` lists them: each entry adds its parser
#: (and sets ``func``); adding a command is adding a function and a line here.
COMMANDS = [_sample_parser, _run_parser, _new_parser, _validate_parser, _inspect_parser,
            _attribute_parser]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leadroi", description="Lead ROI reports from CRM and marketing-spend exports.")
    parser.add_argument("--version", action="version", version=f"leadroi {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def _cmd_sample(args: argparse.Namespace) -> int:
    from leadroi.sample import generate_sample

    files = generate_sample(args.directory, lang=args.lang, seed=args.seed,
                            n_leads=args.leads)
    for name, path in files.items():
        print(f"{name:<12} {path}")
    return EXIT_OK


def _cmd_run(args: argparse.Namespace) -> int:
    from leadroi.render.run import run_report

    if len(args.params) > 1 or args.jobs > 1:
        from leadroi.render.batch import format_summary, run_batch

        items = run_batch(args.params, jobs=args.jobs, out_dir=args.out, timeout=args.timeout)
        print(format_summary(items))
        return max(i.exit_code for i in items)
    worst = EXIT_OK
    for params_file in args.params:
        try:
            result = run_report(params_file, out_dir=args.out, timeout=args.timeout)
        except LeadRoiError as exc:
            _report_error(exc, args.debug, prefix=str(params_file))
            worst = max(worst, exc.exit_code)
            continue
        steps = ", ".join(f"{k} {v:.1f}s" for k, v in result.timings.items())
        print(f"{result.report_id}: {result.folder}  ({steps})")
    return worst


def _cmd_new(args: argparse.Namespace) -> int:
    from leadroi.scaffold import scaffold

    path = scaffold(args.kind, args.period, source=args.source, out=args.out,
                    force=args.force)
    print(path)
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from leadroi.validate import format_summary, validate_params

    summary, _ = validate_params(args.params)
    print(format_summary(summary, params_file=str(args.params), as_json=args.json))
    return EXIT_BAD_INPUT if summary["fatal"] else EXIT_OK


def _cmd_inspect(args: argparse.Namespace) -> int:
    from leadroi.inspection import inspect_source, to_yaml
    from leadroi.params import source_from_cli

    source = source_from_cli(args.source, sheet=args.sheet, encoding=args.encoding,
                             table=args.table, query=args.query)
    shown = None if "://" in args.source else args.source
    print(to_yaml(inspect_source(source, table=args.canonical), path=shown), end="")
    return EXIT_OK


def _cmd_attribute(args: argparse.Namespace) -> int:
    from leadroi.attribution import command

    if args.models == "list":
        from leadroi.attribution.registry import MODELS, model_names

        for name in model_names():
            print(f"{name:<12} {MODELS[name].doc}")
        return EXIT_OK
    if args.file is None:
        raise ParamsError("no FILE given.", key="FILE",
                          hint="Usage: leadroi attribute FILE [--format touchpoints|paths].")
    columns = command.PathColumns(path=args.path_col, conversions=args.conversions_col,
                                  value=args.value_col, nulls=args.null_col, sep=args.path_sep)
    req = command.AttributeRequest(
        file=args.file, format=args.format, models=args.models.split(",") if args.models
        else None, delimiter=args.sep, columns=columns, leads=args.leads,
        lookback_days=args.lookback_days, half_life=args.half_life, period=args.period,
        as_of=args.as_of)
    credit, fmt = command.attribute_file(req)
    print(command.format_json(credit) if args.json else command.format_text(credit, fmt))
    return EXIT_OK


def _report_error(exc: BaseException, debug: bool, prefix: str | None = None) -> None:
    if debug:
        traceback.print_exception(exc)
    lead = f"leadroi: {prefix}: " if prefix else "leadroi: "
    print(f"{lead}{exc}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``leadroi`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except LeadRoiError as exc:
        _report_error(exc, args.debug)
        return exc.exit_code
    except KeyboardInterrupt:
        print("leadroi: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so plainly, traceback with --debug
        _report_error(exc, args.debug, prefix="internal error")
        return EXIT_REPORT_FAILED


if __name__ == "__main__":
    sys.exit(main())
