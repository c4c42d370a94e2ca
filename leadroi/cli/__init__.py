"""Command line: ``leadroi sample``, ``run``, ``new``, ``validate``, ``inspect``,
``attribute`` and ``notebooks``.

Errors leadroi raises on purpose become one message on stderr and an exit code
(0 ok, 1 the report failed, 2 bad params or unusable data); ``--debug`` adds the
traceback.
"""

from __future__ import annotations

import argparse
import sys

from leadroi import __version__
from leadroi.cli import attribute, inspect, new, notebooks, run, sample, validate
from leadroi.cli._common import report_error
from leadroi.errors import EXIT_REPORT_FAILED, LeadRoiError

__all__ = ["main", "build_parser", "report_error", "COMMANDS"]


#: Subcommands, in the order ``leadroi --help`` lists them: each is a module of this
#: package with ``add_parser(sub)`` (which sets ``func``); adding a command is adding a
#: module and a line here.
COMMANDS = [sample.add_parser, run.add_parser, new.add_parser, validate.add_parser,
            inspect.add_parser, attribute.add_parser, notebooks.add_parser]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leadroi", description="Lead ROI reports from CRM and marketing-spend exports.")
    parser.add_argument("--version", action="version", version=f"leadroi {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``leadroi`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except LeadRoiError as exc:
        report_error(exc, args.debug)
        return exc.exit_code
    except KeyboardInterrupt:
        print("leadroi: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so plainly, traceback with --debug
        report_error(exc, args.debug, prefix="internal error")
        return EXIT_REPORT_FAILED
