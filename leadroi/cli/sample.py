"""``leadroi sample DIR [--lang en|zh] [--seed N] [--params PARAMS_DIR]``: write the
deterministic sample data, and with ``--params`` the sample params files pointing at it
(the quarterly report, its executive variant and the campaign retrospective), so an
installed leadroi renders the sample report from any folder."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from leadroi.errors import EXIT_OK, ParamsError

__all__ = ["add_parser", "command", "write_sample_params"]

#: language -> the sample params files of that language
SAMPLE_PARAMS = {
    "en": ("sample-2026-Q3.yaml", "sample-2026-Q3-exec.yaml", "sample-campaign.yaml"),
    "zh": ("sample-2026-Q3-zh.yaml", "sample-2026-Q3-exec-zh.yaml", "sample-campaign-zh.yaml"),
}
#: the data folder the shipped sample params name (relative to their folder)
_SHIPPED_DATA = {"en": "../data/sample/", "zh": "../data/sample-zh/"}


def add_parser(sub) -> None:
    p = sub.add_parser("sample", help="write the deterministic sample dataset")
    p.add_argument("directory", type=Path, help="folder to write the CSV files into")
    p.add_argument("--lang", choices=["en", "zh"], default="en",
                   help="language of names and labels (default: en)")
    p.add_argument("--seed", type=int, default=2026, help="random seed (default: 2026)")
    p.add_argument("--leads", type=int, default=60_000, help="about how many leads")
    p.add_argument("--params", type=Path, default=None, metavar="PARAMS_DIR",
                   help="also write the sample params files for this language into "
                   "PARAMS_DIR, pointing at DIR")
    p.set_defaults(func=command)


def write_sample_params(params_dir: Path, data_dir: Path, lang: str) -> list[Path]:
    """Copy the shipped sample params of ``lang`` into ``params_dir`` with their data
    paths pointing at ``data_dir`` (comments kept); refuse to overwrite a file."""
    from leadroi.params import load_params
    from leadroi.shipped import sample_params_dir

    params_dir.mkdir(parents=True, exist_ok=True)
    prefix = Path(os.path.relpath(data_dir.resolve(), params_dir.resolve())).as_posix() + "/"
    written = []
    for name in SAMPLE_PARAMS[lang]:
        target = params_dir / name
        if target.exists():
            raise ParamsError(f"{target} exists already.",
                              hint="Remove it, or pass another --params folder.")
        text = (sample_params_dir() / name).read_text(encoding="utf-8")
        target.write_text(text.replace(_SHIPPED_DATA[lang], prefix), encoding="utf-8")
        params = load_params(target)
        missing = [str(s.path) for _, s in params.data.items()
                   if s.path is not None and not Path(s.path).is_file()]
        if missing:  # the shipped file names data this command did not write
            raise ParamsError(f"{target}: {missing[0]} was not written.", path=str(target))
        written.append(target)
    return written


def command(args: argparse.Namespace) -> int:
    from leadroi.sample import generate_sample

    files = generate_sample(args.directory, lang=args.lang, seed=args.seed,
                            n_leads=args.leads)
    for name, path in files.items():
        print(f"{name:<12} {path}")
    if args.params is not None:
        for path in write_sample_params(args.params, args.directory, args.lang):
            print(f"{'params':<12} {path}")
    return EXIT_OK
