"""``leadroi attribute FILE``: credit by channel under every attribution model, from a
touchpoints table or an aggregated path file (the work is :mod:`leadroi.attribution.command`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from leadroi.errors import EXIT_OK, ParamsError

__all__ = ["add_parser", "command"]


def add_parser(sub) -> None:
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
    p.add_argument("--as-of", type=date, default=None,
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
    p.set_defaults(func=command)


def date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2026-10-31: {text!r}") from None


def command(args: argparse.Namespace) -> int:
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
