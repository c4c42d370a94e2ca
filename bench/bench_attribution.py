"""Time leadroi's attribution against ChannelAttribution (and DP6's MAM), side by side.

    .venv/bin/python bench/bench_attribution.py [--sizes 100000 1000000]
        [--touchpoints 10000000] [--repeat 3] [--report] [--write]

In one run, on the same generated data (10 channels, seeded):

* aggregated paths (ChannelAttribution's format, one pandas frame given to every
  library): our exact Markov model and our first/last/linear touch against
  ChannelAttribution's ``markov_model`` (its defaults) and ``heuristic_models``, and DP6's
  ``marketing_attribution_models`` (``mam``) when it is installed. Each timing starts from
  the pandas frame and ends with credit by channel; ours includes loading the frame into
  DuckDB. The largest share difference between our Markov and ChannelAttribution's is
  printed as a sanity check (its simulation noise);
* touchpoints: ``N`` touchpoints of ``N / 5`` leads in DuckDB; the time to build the
  journeys (window, outcome, lookback) and count their transitions, which is all the
  Markov and Shapley models need;
* with ``--report``: ``leadroi run params/sample-2026-Q3.yaml``, and the time papermill
  records for its attribution cell.

Medians of ``--repeat`` runs. ``--write`` records the results in ``bench/RESULTS.md``
(section "Attribution"). The machine may be shared: the load average is recorded.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
import pandas as pd
from common import write_section  # noqa: E402

from leadroi.attribution import Settings, attribute, journeys_from_leads, journeys_from_paths
from leadroi.attribution.chain import Chain
from leadroi.attribution.heuristics import touch_credit
from leadroi.attribution.paths import transition_counts
from leadroi.attribution.registry import MODELS, resolve_models
from leadroi.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"
CHANNELS = [f"ch{i}" for i in range(10)]

with contextlib.redirect_stdout(io.StringIO()):  # it prints a banner on import
    try:
        import ChannelAttribution as ca
    except ImportError:  # pragma: no cover - the bench extra installs it
        ca = None
try:
    import mam
except ImportError:
    mam = None


def make_paths(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` aggregated paths over 10 channels in ChannelAttribution's format.

    Channel popularity and conversion differ by channel, so the models disagree.
    """
    rng = np.random.default_rng(seed)
    length = np.minimum(1 + rng.geometric(0.3, n), 20)
    popularity = np.array([20, 16, 13, 11, 9, 8, 7, 6, 5, 5], float)
    flat = rng.choice(10, length.sum(), p=popularity / popularity.sum())
    names = np.array(CHANNELS)[flat]
    ends = np.cumsum(length)
    starts = ends - length
    paths = [" > ".join(names[a:b]) for a, b in zip(starts, ends)]
    lift = np.array([0.10, 0.02, 0.06, 0.01, 0.08, 0.0, 0.04, 0.03, 0.12, 0.0])
    p = 0.05 + np.add.reduceat(lift[flat], starts) / np.sqrt(length)
    journeys = 1 + rng.poisson(2.0, n)
    conv = rng.binomial(journeys, np.clip(p, 0, 0.9))
    value = np.round(conv * rng.gamma(2.0, 60.0, n), 2)
    return pd.DataFrame({"path": paths, "total_conversions": conv,
                         "total_conversion_value": value, "total_null": journeys - conv})


def _cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_SELF)  # every library runs in-process
    return use.ru_utime + use.ru_stime


def _median(fn: Callable[[], object], repeat: int) -> tuple[float, list[float], object]:
    """Median wall seconds of ``repeat`` calls, the runs, and the last result; the median
    CPU seconds (all threads) go to ``_median.cpu``."""
    runs, cpus, out = [], [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), _cpu()
        out = fn()
        runs.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    _median.cpu = statistics.median(cpus)
    return statistics.median(runs), runs, out


def _timed(record: dict, key: str, fn: Callable[[], object], repeat: int) -> object:
    """Time ``fn`` into ``record[key]`` (wall) and ``record[key + '_cpu']``."""
    record[key], _, out = _median(fn, repeat)
    record[key + "_cpu"] = _median.cpu
    return out


def _load(engine: Engine, frame: pd.DataFrame):
    t = engine.con.create_table("bench_paths", frame, overwrite=True)
    t = t.select(path=t.path, conversions=t.total_conversions.cast("float64"),
                 value=t.total_conversion_value.cast("float64"),
                 nulls=t.total_null.cast("float64"))
    return journeys_from_paths(t, has_value=True)


def ours_markov(engine: Engine, frame: pd.DataFrame) -> pd.Series:
    chain = Chain.from_counts(transition_counts(_load(engine, frame)))
    credit = MODELS["markov"].func(chain, Settings())[0]
    return pd.Series(credit[:, 0], index=chain.channels)


def ours_heuristics(engine: Engine, frame: pd.DataFrame) -> pd.DataFrame:
    models = resolve_models(["first_touch", "last_touch", "linear"])
    return touch_credit(_load(engine, frame), models, Settings())


def ours_all(engine: Engine, frame: pd.DataFrame) -> pd.DataFrame:
    return attribute(_load(engine, frame), None, Settings(half_life=1.0)).table


def ca_markov(frame: pd.DataFrame) -> pd.Series:
    res = ca.markov_model(frame, "path", "total_conversions",
                          var_value="total_conversion_value", var_null="total_null",
                          verbose=False, flg_pro=False)
    return res.set_index("channel_name")["total_conversions"]


def ca_heuristics(frame: pd.DataFrame) -> pd.DataFrame:
    return ca.heuristic_models(frame, "path", "total_conversions",
                               var_value="total_conversion_value", flg_pro=False)


def _grouped(frame: pd.DataFrame) -> pd.DataFrame:
    """DP6's grouped-journey format: one row per (path, converted) with its count."""
    conv = frame[frame["total_conversions"] > 0]
    lost = frame[frame["total_null"] > 0]
    return pd.concat([
        pd.DataFrame({"path": conv["path"], "n": conv["total_conversions"], "conv": True,
                      "value": conv["total_conversion_value"]}),
        pd.DataFrame({"path": lost["path"], "n": lost["total_null"], "conv": False,
                      "value": 0.0})], ignore_index=True)


def dp6_run(grouped: pd.DataFrame, runs: tuple[str, ...]) -> object:
    model = mam.MAM(grouped, format_type="grouped_journey", channels_colname="path",
                    journey_with_conv_colname="conv", occurrences_colname="n",
                    path_separator=" > ", conversion_value_colname="value")
    return [getattr(model, f"run_{r}")() for r in runs]


def bench_size(engine: Engine, n: int, repeat: int) -> dict:
    """Every library on ``n`` generated paths: median seconds per task."""
    frame = make_paths(n)
    print(f"paths: {n:,} ({int(frame['total_conversions'].sum()):,} conversions)",
          flush=True)
    record: dict = {"paths": n}
    ours = _timed(record, "ours_markov", lambda: ours_markov(engine, frame), repeat)
    _timed(record, "ours_heuristics", lambda: ours_heuristics(engine, frame), repeat)
    _timed(record, "ours_all", lambda: ours_all(engine, frame), 1)
    if ca is not None:
        theirs = _timed(record, "ca_markov", lambda: ca_markov(frame), repeat)
        _timed(record, "ca_heuristics", lambda: ca_heuristics(frame), repeat)
        share = (ours / ours.sum()) - (theirs / theirs.sum()).reindex(ours.index)
        record["max_share_diff"] = float(share.abs().max())
    if mam is not None:
        grouped = _grouped(frame)
        _timed(record, "dp6_markov", lambda: dp6_run(grouped, ("markov",)), repeat)
        _timed(record, "dp6_heuristics",
               lambda: dp6_run(grouped, ("first_click", "last_click", "linear")), repeat)
    print("  " + ", ".join(f"{k} {v:.3g}" for k, v in record.items() if k != "paths"),
          flush=True)
    return record


def bench_paths(sizes: list[int], repeat: int) -> list[dict]:
    engine = Engine()
    return [bench_size(engine, n, repeat) for n in sizes]


def make_touchpoints(engine: Engine, n: int, seed: float = 0.42):
    """``n`` touchpoints of ``n / 5`` leads (20% won) as DuckDB tables."""
    leads = max(n // 5, 1)
    con = engine.con
    con.raw_sql(f"SELECT setseed({seed})")
    con.raw_sql(f"""CREATE OR REPLACE TABLE bench_raw AS SELECT
        'L' || lpad(CAST(i AS VARCHAR), 9, '0') AS lead_id,
        TIMESTAMP '2026-01-01' + to_minutes(CAST(floor(random() * 200 * 1440) AS BIGINT))
            AS created_at,
        'ch' || CAST(floor(random() * 10) AS BIGINT) AS channel,
        random() < 0.2 AS w, random() AS u FROM range({leads}) t(i)""")
    con.raw_sql("""CREATE OR REPLACE TABLE bench_leads AS SELECT lead_id, created_at,
        channel,
        CASE WHEN w THEN created_at + to_minutes(CAST(floor(u * 60 * 1440) AS BIGINT))
            END AS won_at,
        CASE WHEN w THEN round(10000 + u * 90000, 2) END AS amount,
        CASE WHEN NOT w AND u < 0.5
            THEN created_at + to_minutes(CAST(floor(u * 80 * 1440) AS BIGINT)) END AS lost_at,
        CAST(NULL AS TIMESTAMP) AS sql_at FROM bench_raw""")
    con.raw_sql(f"""CREATE OR REPLACE TABLE bench_touch AS SELECT
        'L' || lpad(CAST(floor(random() * {leads}) AS BIGINT)::VARCHAR, 9, '0') AS lead_id,
        TIMESTAMP '2025-12-01' + to_minutes(CAST(floor(random() * 260 * 1440) AS BIGINT))
            AS touched_at,
        'ch' || CAST(floor(random() * 10) AS BIGINT) AS channel FROM range({n}) t(i)""")
    return con.table("bench_leads"), con.table("bench_touch")


def bench_touchpoints(n: int, repeat: int) -> dict:
    engine = Engine()
    leads, touches = make_touchpoints(engine, n)
    print(f"touchpoints: {n:,} of {n // 5:,} leads", flush=True)

    def run():
        j = journeys_from_leads(leads, touches, as_of=dt.date(2026, 9, 30), lookback_days=90)
        return transition_counts(j)

    median, runs, counts = _median(run, repeat)
    print(f"  journeys + transition counts: median {median:.2f}s (CPU {_median.cpu:.2f}s), "
          f"runs {', '.join(f'{r:.2f}' for r in runs)}", flush=True)
    return {"touchpoints": n, "median": median, "runs": runs, "cpu": _median.cpu,
            "transitions": int(counts["count"].sum())}


def _time_report() -> dict[str, float]:
    """One ``leadroi run`` of the sample report: wall seconds, and the seconds papermill
    recorded for the attribution cell and for all cells."""
    import nbformat

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, "-m", "leadroi.cli", "run",
                        str(ROOT / "params" / "sample-2026-Q3.yaml"), "--out", out],
                       check=True, capture_output=True, cwd=ROOT)
        wall = time.perf_counter() - start
        nb = nbformat.read(Path(out) / "sample-2026-Q3" / "sample-2026-Q3.ipynb",
                           as_version=4)
    took = {c.get("id"): c.metadata.get("papermill", {}).get("duration") or 0.0
            for c in nb.cells}
    return {"wall": wall, "cell": took.get("cell-06-attribution", float("nan")),
            "cells": sum(took.values())}


def bench_report(repeat: int) -> dict:
    """The sample report: its wall time and the share its attribution cell takes."""
    runs = [_time_report() for _ in range(repeat)]
    for r in runs:
        print(f"  report {r['wall']:.1f} s, cells {r['cells']:.1f} s, attribution cell "
              f"{r['cell']:.2f} s", flush=True)
    return {k: statistics.median(r[k] for r in runs) for k in ("wall", "cell", "cells")}


def _versions() -> str:
    import duckdb

    parts = [f"Python {platform.python_version()}", f"DuckDB {duckdb.__version__}"]
    if ca is not None:
        from importlib.metadata import version
        parts.append(f"ChannelAttribution {version('ChannelAttribution')}")
    if mam is not None:
        from importlib.metadata import version
        parts.append(f"marketing_attribution_models {version('marketing_attribution_models')}")
    return ", ".join(parts)


def _markdown(paths: list[dict], touch: dict | None, report: dict | None, args,
              load: tuple) -> str:
    cmd = "python bench/bench_attribution.py " + " ".join(sys.argv[1:])
    lines = ["## Attribution", "",
             f"`{cmd.strip()}` on {dt.date.today().isoformat()}, {os.cpu_count()} cores, "
             f"{_versions()}; medians of {args.repeat} runs. Load average "
             f"{load[0]:.1f} before, {load[1]:.1f} after (the machine is shared with other "
             "jobs, so timings are noisy).", "",
             "Aggregated paths over 10 channels, from one pandas frame to credit by channel "
             "(ours includes loading it into DuckDB). ChannelAttribution's Markov model "
             "simulates journeys with its defaults; ours solves the absorbing chain exactly. "
             "Seconds: wall (CPU, all threads: less sensitive to the other jobs).",
             "", "| paths | ours Markov (s) | ChannelAttribution Markov (s) | speed-up | "
             "ours first/last/linear (s) | ChannelAttribution heuristics (s) | speed-up | "
             "ours, all 9 models (s) | DP6 Markov (s) | DP6 first/last/linear (s) | "
             "max Markov share difference |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in paths:
        lines.append(_row(r))
    if touch:
        lines += ["", f"Touchpoints → journeys → transition counts (what the Markov and "
                  f"Shapley models need): {touch['touchpoints']:,} touchpoints of "
                  f"{touch['touchpoints'] // 5:,} leads, 90-day lookback, median "
                  f"**{touch['median']:.2f} s** wall (runs "
                  f"{', '.join(f'{x:.2f}' for x in touch['runs'])} s), "
                  f"{touch['cpu']:.2f} s CPU on 2 threads."]
    if report:
        lines += ["", f"Cost in the sample report (`leadroi run params/sample-2026-Q3.yaml`,"
                  f" 275k touchpoints, medians of {args.repeat} runs): the attribution cell "
                  f"(journeys of the quarter's 8k leads, nine models, 200 bootstrap "
                  f"resamples, two charts, two tables) takes **{report['cell']:.2f} s** of "
                  f"{report['cells']:.1f} s of notebook execution; the whole run takes "
                  f"{report['wall']:.1f} s (HTML, PDF and Excel included)."]
    lines += ["", "Goals: ≥ 3× faster than ChannelAttribution's Markov at 1M paths; 10M "
              "touchpoints → transition counts in under 5 s."]
    big = next((r for r in paths if r["paths"] == 1_000_000 and "ca_markov" in r), None)
    if big:
        speed = big["ca_markov"] / big["ours_markov"]
        lines.append(f"- Markov at 1M paths: {speed:.1f}× — "
                     f"{'met' if speed >= 3 else 'not met'}.")
    if touch and touch["touchpoints"] == 10_000_000:
        met = "met" if touch["median"] < 5 else "not met by the median"
        lines.append(f"- 10M touchpoints: median {touch['median']:.2f} s, best "
                     f"{min(touch['runs']):.2f} s — {met} ({touch['cpu']:.1f} s of CPU: "
                     "under 5 s when the two cores are free).")
    if mam is not None:
        lines.append("- DP6's `marketing_attribution_models` is not in the bench extra "
                     "(it pulls polars, plotly and scipy): `pip install "
                     "marketing_attribution_models` to include it.")
    return "\n".join(lines) + "\n"


def _row(r: dict) -> str:
    def cell(key: str) -> str:
        return f"{r[key]:.2f} ({r[key + '_cpu']:.2f})" if key in r else "—"

    def ratio(ours: str, theirs: str) -> str:
        if ours not in r or theirs not in r:
            return "—"
        return f"{r[theirs] / r[ours]:.1f}× ({r[theirs + '_cpu'] / r[ours + '_cpu']:.1f}×)"

    diff = f"{r['max_share_diff']:.4f}" if "max_share_diff" in r else "—"
    return (f"| {r['paths']:,} | {cell('ours_markov')} | {cell('ca_markov')} | "
            f"{ratio('ours_markov', 'ca_markov')} | {cell('ours_heuristics')} | "
            f"{cell('ca_heuristics')} | {ratio('ours_heuristics', 'ca_heuristics')} | "
            f"{cell('ours_all')} | {cell('dp6_markov')} | {cell('dp6_heuristics')} | {diff} |")


def write_results(text: str, path: Path = RESULTS) -> None:
    """Replace (or append) the "## Attribution" section of ``bench/RESULTS.md``."""
    heading = "## Attribution\n"
    write_section("Attribution", text.removeprefix(heading), path)

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--touchpoints", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--report", action="store_true",
                        help="also time the sample report with and without attribution")
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args()
    if ca is None:
        print("ChannelAttribution is not installed (pip install -e '.[bench]'): timing "
              "ours only.")
    if mam is None:
        print("DP6's marketing_attribution_models is not installed "
              "(pip install marketing_attribution_models): left out.")
    before = os.getloadavg()[0]
    paths = bench_paths(args.sizes, args.repeat)
    touch = bench_touchpoints(args.touchpoints, args.repeat) if args.touchpoints else None
    report = bench_report(args.repeat) if args.report else None
    text = _markdown(paths, touch, report, args, (before, os.getloadavg()[0]))
    print()
    print(text)
    if args.write:
        write_results(text)
        print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
