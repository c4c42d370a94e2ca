"""``leadroi sample DIR [--lang en|zh] [--seed N]``: write the deterministic sample data."""

from __future__ import annotations

import argparse
from pathlib import Path

from leadroi.errors import EXIT_OK

__all__ = ["add_parser", "command"]


def add_parser(sub) -> None:
    p = sub.add_parser("sample", help="write the deterministic sample dataset")
    p.add_argument("directory", type=Path, help="folder to write the CSV files into")
    p.add_argument("--lang", choices=["en", "zh"], default="en",
                   help="language of names and labels (default: en)")
    p.add_argument("--seed", type=int, default=2026, help="random seed (default: 2026)")
    p.add_argument("--leads", type=int, default=60_000, help="about how many leads")
    p.set_defaults(func=command)


def command(args: argparse.Namespace) -> int:
    from leadroi.sample import generate_sample

    files = generate_sample(args.directory, lang=args.lang, seed=args.seed,
                            n_leads=args.leads)
    for name, path in files.items():
        print(f"{name:<12} {path}")
    return EXIT_OK
