"""``leadroi inspect FILE``: the columns of an export and a mapping to paste into params
(the work is :mod:`leadroi.intake.inspection`)."""

from __future__ import annotations

import argparse

from leadroi.errors import EXIT_OK
from leadroi.params import TABLE_NAMES

__all__ = ["add_parser", "command"]


def add_parser(sub) -> None:
    p = sub.add_parser("inspect", help="show the columns of an export and a suggested "
                       "mapping as YAML to paste into params")
    p.add_argument("source", help="CSV, XLSX or Parquet file, or a database URL")
    p.add_argument("--as", dest="canonical", choices=list(TABLE_NAMES), default=None,
                   help="the table it holds (default: guessed from the columns)")
    p.add_argument("--sheet", default=None, help="XLSX sheet name or 1-based number")
    p.add_argument("--encoding", default=None, help="CSV encoding (default: detected)")
    p.add_argument("--table", default=None, help="database table (with a URL)")
    p.add_argument("--query", default=None, help="database query (with a URL)")
    p.set_defaults(func=command)


def command(args: argparse.Namespace) -> int:
    from leadroi.intake.inspection import inspect_source, to_yaml
    from leadroi.params import source_from_cli

    source = source_from_cli(args.source, sheet=args.sheet, encoding=args.encoding,
                             table=args.table, query=args.query)
    shown = None if "://" in args.source else args.source
    print(to_yaml(inspect_source(source, table=args.canonical), path=shown), end="")
    return EXIT_OK
