"""``leadroi notebooks DIR [--force]``: copy the report notebooks leadroi ships into DIR,
to customise one and name it in a params file (``notebook:``)."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from leadroi.errors import EXIT_OK, ParamsError
from leadroi.shipped import NOTEBOOKS, notebooks_dir

__all__ = ["add_parser", "command", "copy_notebooks"]


def add_parser(sub) -> None:
    p = sub.add_parser("notebooks", help="copy the report notebooks out, to customise them")
    p.add_argument("directory", type=Path, help="folder to copy the notebooks into")
    p.add_argument("--force", action="store_true", help="overwrite notebooks already there")
    p.set_defaults(func=command)


def copy_notebooks(directory: Path, *, force: bool = False) -> list[Path]:
    """Copy every shipped notebook into ``directory``; refuse to overwrite one unless
    ``force``."""
    source = notebooks_dir()
    targets = [Path(directory) / name for name in NOTEBOOKS.values()]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise ParamsError(f"{existing[0]} exists already.",
                          hint="Pass --force to overwrite it, or choose another folder.")
    Path(directory).mkdir(parents=True, exist_ok=True)
    for target in targets:
        shutil.copyfile(source / target.name, target)
    return targets


def command(args: argparse.Namespace) -> int:
    for path in copy_notebooks(args.directory, force=args.force):
        print(path)
    print("Edit a copy, then name it in the params file, e.g. `notebook: "
          f"{Path('..') / args.directory.name / NOTEBOOKS['quarterly']}` (relative to the "
          "params file's folder).")
    return EXIT_OK
