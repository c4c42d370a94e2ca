"""Reports per minute when many campaign retrospectives run at once (``--jobs``).

    .venv/bin/python bench/bench_batch.py [--campaigns 8] [--jobs 1 2] [--repeat 2]
        [--write]

Writes one params file per campaign of the sample's 2026-Q2 (the A and B series of every
channel, as ``params/sample-campaign.yaml`` has it for one webinar series) into
``bench/data/batch/``, then times ``leadroi run <all of them> --jobs N`` for each N,
alternating the job counts within every repeat so machine noise hits them alike. Every
report is the whole thing: notebook, HTML, PDF and Excel. ``--write`` records the result
in ``bench/RESULTS.md`` (section "Batch").
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ensure_sample, write_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "params" / "sample-campaign.yaml"
CHANNELS = ("Douyin feed ads", "Baidu search", "SEO", "Webinars", "LinkedIn ads",
            "Cold email", "Trade shows", "Referrals")


def write_params(folder: Path, count: int) -> list[Path]:
    """``count`` campaign params files (2026-Q2 campaigns of the sample) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    template = TEMPLATE.read_text(encoding="utf-8")
    template = template.replace("../data/sample/", "../../../data/sample/")
    ids = [f"{c}-2026Q2-{s}" for s in "AB" for c in CHANNELS][:count]
    files = []
    for i, campaign in enumerate(ids):
        text = re.sub(r"(?m)^title: .*$", f'title: "Campaign retrospective: {campaign}"',
                      template)
        text = re.sub(r"(?m)^  ids: \[.*?\]", f"  ids: [{campaign}]", text)
        path = folder / f"campaign-{i + 1:02d}.yaml"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def time_batch(files: list[Path], jobs: int, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "leadroi.cli", "run", *map(str, files), "--jobs",
                    str(jobs), "--out", str(out)], check=True, cwd=ROOT,
                   capture_output=True, text=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=8)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = parser.parse_args()
    ensure_sample()
    files = write_params(ROOT / "bench" / "data" / "batch", args.campaigns)
    runs: dict[int, list[float]] = {j: [] for j in args.jobs}
    loads: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.repeat):
            for jobs in args.jobs if r % 2 == 0 else reversed(args.jobs):
                loads.append(os.getloadavg()[0])
                runs[jobs].append(time_batch(files, jobs, Path(tmp) / f"r{r}j{jobs}"))
                print(f"repeat {r + 1}, --jobs {jobs}: {runs[jobs][-1]:.1f} s", flush=True)
    rows = []
    for jobs, seconds in runs.items():
        median = statistics.median(seconds)
        rows.append(f"| {jobs} | {median:.1f} | {', '.join(f'{s:.1f}' for s in seconds)} | "
                    f"{60 * len(files) / median:.1f} | {median / len(files):.1f} |")
    table = "\n".join(["| `--jobs` | wall, median (s) | runs (s) | reports per minute | "
                       "seconds per report |", "|---|---|---|---|---|", *rows])
    print(table)
    if args.write:
        write_section("Batch", (
            f"`python bench/bench_batch.py --campaigns {args.campaigns} --jobs "
            f"{' '.join(map(str, args.jobs))} --repeat {args.repeat} --write` on "
            f"{dt.date.today().isoformat()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}: {len(files)} campaign retrospectives of the sample "
            "(notebook, HTML, PDF, Excel each) in one `leadroi run ... --jobs N`; load average "
            f"{min(loads):.1f}-{max(loads):.1f} before the runs.\n\n" + table))


if __name__ == "__main__":
    main()
