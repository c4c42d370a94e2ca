"""Time leadroi at 60k, 1M and 10M leads, beside references measured in the same run.

    .venv/bin/python bench/bench_scale.py [--sizes sample 1m 10m] [--repeat 3]
        [--memory-limit 4GB] [--data DIR] [--write]

Sizes: ``sample`` (the sample: 60k leads, 275k touchpoints, CSV), ``1m`` (1M leads + 10M
touchpoints), ``10m`` (10M leads + 100M touchpoints), the last two made by
``bench/gen_data.py`` as Parquet into ``--data`` (default ``bench/data/``, git-ignored).
Every measurement runs in a fresh process and reports wall seconds, CPU seconds and the
process's peak resident memory (DuckDB's included):

* ``load``: load + validate (``leadroi validate``'s work);
* ``metrics``: load + every metric of the quarterly report (``analyse``);
* ``attribution``: load + the report's attribution (journeys, nine models, bootstrap);
* ``report``: the whole ``leadroi run`` (execute, HTML, PDF, Excel) on an empty load
  cache (cold), and ``report_warm``: the same rerun on a cache an untimed run filled;
* references: ``pandas`` (a plain pandas funnel-by-channel table from the same files),
  ``ChannelAttribution`` (paths built with pandas, then its Markov model; up to 10M
  touchpoints) and ``floor`` (an empty notebook executed and exported with the same
  stack: papermill, nbconvert, WeasyPrint).

DuckDB runs with ``--memory-limit`` (``LEADROI_MEMORY_LIMIT``) and spills to
``--data``/spill. Medians of ``--repeat`` runs; the load average is recorded beside each.
``--write`` replaces the section "Scale" of ``bench/RESULTS.md`` (``--heading`` names
another, e.g. for the 10M run made on its own).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import write_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"sample": (60_000, 275_000), "1m": (1_000_000, 10_000_000),
         "10m": (10_000_000, 100_000_000)}

_PRELUDE = r"""
import json, resource, sys, time
from leadroi.params import load_params
params = load_params(sys.argv[1])
start, cpu = time.perf_counter(), time.process_time()
def done(**extra):
    out = {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
           "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **extra}
    print(json.dumps(out))
"""

STEPS = {
    "load": _PRELUDE + r"""
from leadroi.intake.reconcile import validate_params
summary, data = validate_params(params)
done(rows=summary["leads"]["rows_in"])
""",
    "metrics": _PRELUDE + r"""
from leadroi.report.quarterly import analyse
from leadroi.intake.dataset import load_data
data = load_data(params)
loaded = time.perf_counter() - start
result = analyse(data, params)
done(load=loaded, leads=int(result.totals["leads"]))
""",
    "attribution": _PRELUDE + r"""
from leadroi.attribution.report import analyse as attribution
from leadroi.intake.dataset import load_data
data = load_data(params)
loaded = time.perf_counter() - start
att = attribution(data, params)
done(load=loaded, available=bool(att.available))
""",
    "predict": _PRELUDE + r"""
from leadroi.intake.dataset import load_data
from leadroi.metrics.predict import score_model
data = load_data(params)
loaded = time.perf_counter() - start
m = score_model(data, params.window, data.as_of, params.scoring, margin=params.value.margin)
done(load=loaded, model=time.perf_counter() - start - loaded, status=m.status)
""",
    "pandas": _PRELUDE + r"""
import pandas as pd
from pathlib import Path
def read(source, columns):
    path = Path(source.path)
    if path.suffix == ".parquet":
        return pd.read_parquet(path, columns=columns)
    return pd.read_csv(path, usecols=columns, dtype=str)
w, as_of = params.window, pd.Timestamp(params.as_of) + pd.Timedelta(days=1)
leads = read(params.data.leads, ["lead_id", "created_at", "channel", "won_at", "amount"])
leads["created_at"] = pd.to_datetime(leads["created_at"], errors="coerce")
leads["won_at"] = pd.to_datetime(leads["won_at"], errors="coerce")
leads["amount"] = pd.to_numeric(leads["amount"], errors="coerce")
leads = leads.drop_duplicates("lead_id")
q = leads[(leads.created_at >= pd.Timestamp(w.start)) & (leads.created_at < pd.Timestamp(w.end))]
won = q.won_at.notna() & (q.won_at < as_of)
table = q.assign(customer=won, revenue=q.amount.where(won, 0.0)).groupby("channel").agg(
    leads=("lead_id", "size"), customers=("customer", "sum"), revenue=("revenue", "sum"))
spend = read(params.data.spend, ["date", "channel", "amount"])
spend["date"] = pd.to_datetime(spend["date"], errors="coerce")
spend["amount"] = pd.to_numeric(spend["amount"], errors="coerce")
s = spend[(spend.date >= pd.Timestamp(w.start)) & (spend.date < pd.Timestamp(w.end))]
table = table.join(s.groupby("channel")["amount"].sum().rename("spend"))
table["roi"] = (table.revenue - table.spend) / table.spend
table["cac"] = table.spend / table.customers
done(leads=int(table["leads"].sum()))
""",
    "channelattribution": _PRELUDE + r"""
import contextlib, io
import pandas as pd
with contextlib.redirect_stdout(io.StringIO()):
    import ChannelAttribution as ca
def read(source, columns):
    if str(source.path).endswith(".parquet"):
        return pd.read_parquet(source.path, columns=columns)
    return pd.read_csv(source.path, usecols=columns, dtype=str)
t = read(params.data.touchpoints, ["lead_id", "touched_at", "channel"])
leads = read(params.data.leads, ["lead_id", "won_at"])
t = t.sort_values(["lead_id", "touched_at"], kind="stable")
paths = t.groupby("lead_id", sort=False)["channel"].agg(" > ".join).rename("path")
conv = leads.drop_duplicates("lead_id").set_index("lead_id")["won_at"].notna()
frame = paths.to_frame().join(conv.rename("conv")).fillna({"conv": False})
frame["conv"] = frame["conv"].astype(int)
frame["null"] = 1 - frame["conv"]
agg = frame.groupby("path").agg(total_conversions=("conv", "sum"),
                                total_null=("null", "sum")).reset_index()
with contextlib.redirect_stdout(io.StringIO()):
    ca.markov_model(agg, "path", "total_conversions", var_null="total_null",
                    verbose=False, flg_pro=False)
done(paths=len(agg))
""",
}


def _floor_code() -> str:
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_report import _FLOOR

    return _FLOOR


def _loadavg() -> float:
    return os.getloadavg()[0]


def _run(code: str, params: Path, env: dict) -> dict:
    before = _loadavg()
    res = subprocess.run([sys.executable, "-c", code, str(params)], capture_output=True,
                         text=True, cwd=ROOT, env=env)
    if res.returncode != 0:
        return {"error": (res.stderr.strip().splitlines() or ["?"])[-1], "load_avg": before}
    out = json.loads(res.stdout.strip().splitlines()[-1])
    out["load_avg"] = before
    return out


_REPORT = r"""
import json, resource, subprocess, sys, tempfile, time
start = time.perf_counter()
with tempfile.TemporaryDirectory() as out:
    res = subprocess.run([sys.executable, "-m", "leadroi.cli", "run", sys.argv[1], "--out",
                          out], capture_output=True, text=True)
if res.returncode:
    sys.exit(res.stderr)
print(json.dumps({"seconds": time.perf_counter() - start,
                  "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def _run_report(params: Path, env: dict, cache: Path) -> dict:
    """``leadroi run`` in a child of a fresh process, whose largest descendant (the CLI or
    the notebook kernel) gives the peak memory; the load cache in ``cache`` (empty: a
    cold run)."""
    return _run(_REPORT, params, {**env, "LEADROI_CACHE_DIR": str(cache)})


def _run_floor(env: dict) -> dict:
    before, start = _loadavg(), time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        res = subprocess.run([sys.executable, "-c", _floor_code(), out], capture_output=True,
                             text=True, cwd=ROOT, env=env)
    if res.returncode != 0:
        return {"error": (res.stderr.strip().splitlines() or ["?"])[-1], "load_avg": before}
    return {"seconds": time.perf_counter() - start, "load_avg": before}


def _prepare(size: str, data: Path) -> Path:
    if size == "sample":
        return ROOT / "params" / "sample-2026-Q3.yaml"
    n, m = SIZES[size]
    folder = data / size
    params = folder / "params-parquet.yaml"
    if not params.is_file():
        from gen_data import generate

        print(f"generating {size} into {folder} ...", flush=True)
        generate(folder, n, m, formats=("parquet",))
    return params


def _measure(size: str, params: Path, steps: list[str], repeat: int, env: dict) -> list[dict]:
    rows = []
    for step in steps:
        if step == "channelattribution" and SIZES[size][1] > 10_000_000:
            continue  # its pandas path building needs more memory than the machine has
        runs = []
        warm = Path(tempfile.mkdtemp(prefix="leadroi-bench-cache-"))
        if step == "report_warm":  # fill the cache once, untimed
            _run_report(params, env, warm)
        for _ in range(repeat):
            if step == "report":
                with tempfile.TemporaryDirectory() as cold:
                    runs.append(_run_report(params, env, Path(cold)))
            elif step == "report_warm":
                runs.append(_run_report(params, env, warm))
            elif step == "floor":
                runs.append(_run_floor(env))
            else:
                runs.append(_run(STEPS[step], params, env))
            r = runs[-1]
            print(f"{size:>6} {step:<18} {r.get('seconds', float('nan')):7.1f} s "
                  f"{r.get('peak_mb', 0):7.0f} MB  load {r['load_avg']:.1f} "
                  f"{r.get('error', '')}", flush=True)
        print(size, step, runs, flush=True)
        shutil.rmtree(warm, ignore_errors=True)
        rows.append(_summary(size, step, runs))
    return rows


def _summary(size: str, step: str, runs: list[dict]) -> dict:
    ok = [r for r in runs if "error" in r] == []
    secs = [r["seconds"] for r in runs if "seconds" in r]
    return {"size": size, "step": step, "ok": ok,
            "median": statistics.median(secs) if secs else None,
            "runs": secs, "cpu": statistics.median([r["cpu"] for r in runs if "cpu" in r])
            if any("cpu" in r for r in runs) else None,
            "peak_mb": max((r.get("peak_mb") or 0) for r in runs) or None,
            "load_avg": [round(r["load_avg"], 1) for r in runs],
            "error": next((r["error"] for r in runs if "error" in r), "")}


LABELS = {"load": "load + validate", "metrics": "load + all metrics",
          "attribution": "load + attribution",
          "predict": "load + predictive lead score",
          "report": "whole `leadroi run` (HTML+PDF+Excel), cold: empty load cache",
          "report_warm": "whole `leadroi run`, warm: rerun, load and score from the cache",
          "pandas": "ref: plain pandas funnel by channel",
          "channelattribution": "ref: ChannelAttribution Markov (paths via pandas)",
          "floor": "ref: floor (empty notebook, same stack)"}


def _table(rows: list[dict]) -> str:
    lines = ["| size | measure | median (s) | runs (s) | CPU (s) | peak MB | load avg |",
             "|---|---|---|---|---|---|---|"]
    names = {"sample": "60k / 275k (sample, CSV)", "1m": "1M / 10M (Parquet)",
             "10m": "10M / 100M (Parquet)"}
    for r in rows:
        med = f"{r['median']:.1f}" if r["median"] is not None else "failed: " + r["error"]
        cpu = "" if r["cpu"] is None else f"{r['cpu']:.1f}"
        peak = "" if r["peak_mb"] is None else f"{r['peak_mb']:.0f}"
        lines.append(
            f"| {names[r['size']]} | {LABELS[r['step']]} | {med} | "
            f"{', '.join(f'{s:.1f}' for s in r['runs'])} | "
            f"{cpu} | {peak} | "
            f"{', '.join(str(x) for x in r['load_avg'])} |")
    return "\n".join(lines)


def _write(rows: list[dict], command: str, memory_limit: str, heading: str) -> None:
    write_section(heading, (
        f"`{command}` on {dt.date.today().isoformat()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, DuckDB memory limit {memory_limit}. Sizes are leads "
        "/ touchpoints. Every run in a fresh process; peak memory is the process's maximum "
        "resident set (DuckDB included; for the report, the largest child process). The "
        "load average before each run is given: the machine may be shared, and wall times "
        "are then noisy (CPU seconds less so).\n\n" + _table(rows)))

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["sample", "1m", "10m"],
                        choices=list(SIZES))
    parser.add_argument("--steps", nargs="+", default=list(LABELS), choices=list(LABELS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory-limit", default="4GB")
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    parser.add_argument("--heading", default="Scale",
                        help="section of bench/RESULTS.md to write (default: Scale)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    env = {**os.environ, "LEADROI_MEMORY_LIMIT": args.memory_limit,
           "LEADROI_TEMP_DIRECTORY": str(args.data / "spill")}
    rows = []
    for size in args.sizes:
        params = _prepare(size, args.data)
        rows += _measure(size, params, args.steps, args.repeat, env)
    print(_table(rows))
    if args.write:
        cmd = (f"python bench/bench_scale.py --sizes {' '.join(args.sizes)} --steps "
               f"{' '.join(args.steps)} --repeat {args.repeat} --memory-limit "
               f"{args.memory_limit} --write"
               + (f" --heading '{args.heading}'" if args.heading != "Scale" else ""))
        _write(rows, cmd, args.memory_limit, args.heading)


if __name__ == "__main__":
    main()
