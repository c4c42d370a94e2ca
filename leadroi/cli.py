"""Command line: ``leadroi sample``, ``leadroi run``, ``leadroi validate``, ``leadroi inspect``.

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
from leadroi.errors import EXIT_BAD_INPUT, EXIT_OK, EXIT_REPORT_FAILED, LeadRoiError
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
    p.set_defaults(func=_cmd_run)


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


#: Subcommands, in the order ``leadroi --help`` lists them: each entry adds its parser
#: (and sets ``func``); adding a command is adding a function and a line here.
COMMANDS = [_sample_parser, _run_parser, _validate_parser, _inspect_parser]


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
