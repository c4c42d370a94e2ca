"""Time load + validate (what ``leadroi validate`` does) and its peak memory, for 100k and
1M leads, from CSV and from Parquet.

    .venv/bin/python bench/bench_load.py [--sizes 100000 1000000] [--repeat 3] [--write]

Data: the sample generator (``leadroi sample DIR --leads N``: leads with its messy values,
plus spend and targets; touchpoints are left out, they belong to attribution), cached in
``--data`` (default: a folder in the system temp dir). The Parquet copy holds the same text
columns, as a CRM export to Parquet would. Each measurement runs in a fresh process:
seconds from ``load_params`` to the validation summary (imports excluded) and the
process's peak resident memory (DuckDB's included). ``--write`` records the medians in
``bench/RESULTS.md``, section "Load and validate".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import write_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("leads", "spend", "targets")

_MEASURE = r"""
import json, resource, sys, time
from leadroi.params import load_params
from leadroi.intake.reconcile import validate_params
start = time.perf_counter()
summary, data = validate_params(load_params(sys.argv[1]))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "fatal": summary["fatal"],
                  "rows_in": summary["leads"]["rows_in"],
                  "rows_quarantined": summary["leads"]["rows_quarantined"]}))
"""


def _prepare(folder: Path, n: int) -> dict[str, Path]:
    """Sample data of ``n`` leads as CSV and Parquet, and a params file for each."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "leads.csv").is_file():
        subprocess.run([sys.executable, "-m", "leadroi.cli", "sample", str(folder),
                        "--leads", str(n)], check=True, cwd=ROOT, capture_output=True)
        (folder / "touchpoints.csv").unlink(missing_ok=True)
    import duckdb

    for table in TABLES:
        target = folder / f"{table}.parquet"
        if not target.is_file():
            duckdb.sql(f"COPY (SELECT * FROM read_csv('{folder / table}.csv', "
                       f"all_varchar = true)) TO '{target}' (FORMAT parquet)")
    params = {}
    for fmt in ("csv", "parquet"):
        lines = ["period: 2026-Q3", "as_of: 2026-10-31", "data:"]
        lines += [f"  {t}: {{path: {t}.{fmt}}}" for t in TABLES]
        path = folder / f"bench-{fmt}.yaml"
        path.write_text("\n".join(lines) + "\n")
        params[fmt] = path
    return params


def _measure(params: Path) -> dict:
    res = subprocess.run([sys.executable, "-c", _MEASURE, str(params)], check=True,
                         capture_output=True, text=True, cwd=ROOT)
    return json.loads(res.stdout.strip().splitlines()[-1])


def _table(results: list[dict]) -> str:
    lines = ["| leads | format | input MB | load + validate (s), median | runs (s) | "
             "peak memory (MB), max |", "|---|---|---|---|---|---|"]
    for r in results:
        runs = ", ".join(f"{s:.1f}" for s in r["runs"])
        lines.append(f"| {r['rows_in']:,} | {r['format']} | {r['input_mb']:.0f} | "
                     f"{r['median']:.1f} | {runs} | {r['peak_mb']:.0f} |")
    return "\n".join(lines)


def _write(results: list[dict], command: str) -> None:
    write_section("Load and validate", (
        f"`{command}` on {dt.date.today().isoformat()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; the sample generator's leads (with its defects), "
        "spend and targets; every run in a fresh process, imports excluded; peak memory is "
        "the process's maximum resident set, DuckDB included.\n\n" + _table(results)))

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path,
                        default=Path(tempfile.gettempdir()) / "leadroi-bench")
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = parser.parse_args()
    results = []
    for n in args.sizes:
        params = _prepare(args.data / f"leads-{n}", n)
        runs: dict[str, list[dict]] = {"csv": [], "parquet": []}
        for _ in range(args.repeat):  # alternate formats so machine noise hits both
            for fmt in runs:
                runs[fmt].append(_measure(params[fmt]))
        for fmt, measured in runs.items():
            assert not measured[0]["fatal"], measured[0]["fatal"]
            size = sum((params[fmt].parent / f"{t}.{fmt}").stat().st_size for t in TABLES)
            results.append({
                "format": fmt, "rows_in": measured[0]["rows_in"], "input_mb": size / 2**20,
                "runs": [m["seconds"] for m in measured],
                "median": statistics.median(m["seconds"] for m in measured),
                "peak_mb": max(m["peak_mb"] for m in measured)})
            print(f"{n:>9,} {fmt:<8} {results[-1]['median']:6.1f} s  "
                  f"{results[-1]['peak_mb']:7.0f} MB", flush=True)
    print(_table(results))
    if args.write:
        sizes = " ".join(str(n) for n in args.sizes)
        _write(results, f"python bench/bench_load.py --sizes {sizes} --repeat {args.repeat} "
                        "--write")


if __name__ == "__main__":
    main()
