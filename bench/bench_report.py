"""Time the sample quarterly report end to end against the floor of the same stack.

    .venv/bin/python bench/bench_report.py [--repeat 3] [--write]

Runs, in one process and alternating so machine noise hits all alike:
  * cold: ``leadroi run params/sample-2026-Q3.yaml`` (execute, HTML, PDF, Excel) on an
    empty load cache (the exports are read, cleaned and stored),
  * warm: a rerun after editing the params (one owner of the action plan changed): the
    load and the fitted lead score come from the cache, and
  * the floor: an empty notebook executed with papermill and exported to HTML and PDF
    with the same template and WeasyPrint.
Prints medians and the per-step split of the report; ``--write`` records them in
``bench/RESULTS.md`` (section "Sample report").
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
PARAMS = ROOT / "params" / "sample-2026-Q3.yaml"


def _edited(folder: Path) -> Path:
    """The sample params with one owner of the action plan changed (the analyst's edit
    before a rerun), beside the original so its relative data paths still hold."""
    text = PARAMS.read_text(encoding="utf-8")
    edited = text.replace("channel: Marketing manager", "channel: Head of marketing", 1)
    assert edited != text, "the sample params no longer name the channel owner"
    path = PARAMS.with_name(f".bench-edited-{os.getpid()}-{folder.name}.yaml")
    path.write_text(edited, encoding="utf-8")
    return path


def _time_report(out: Path, cache: Path, params: Path = PARAMS) -> tuple[float, dict]:
    start = time.perf_counter()
    env = {**os.environ, "LEADROI_CACHE_DIR": str(cache)}
    res = subprocess.run([sys.executable, "-m", "leadroi.cli", "run", str(params), "--out",
                          str(out)], capture_output=True, text=True, check=True, cwd=ROOT,
                         env=env)
    wall = time.perf_counter() - start
    steps = {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+)s", res.stdout)}
    return wall, steps


_FLOOR = r"""
import sys, time, nbformat, papermill
from nbformat.v4 import new_notebook, new_code_cell
from leadroi.render.execute import _kernel_manager
from leadroi.render.html import to_html
from leadroi.render.pdf import html_to_pdf
out = sys.argv[1]
nb = new_notebook(cells=[new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                         new_code_cell("x")],
                  metadata={"kernelspec": {"name": "python3", "language": "python",
                                           "display_name": "Python 3"}})
nbformat.write(nb, out + "/empty.ipynb")
done = papermill.execute_notebook(out + "/empty.ipynb", out + "/done.ipynb",
                                  kernel_name="python3", progress_bar=False,
                                  kernel_manager_class=_kernel_manager(out, []))
html = to_html(nbformat.from_dict(done), title="t", period="p", lang="en", version="0")
html_to_pdf(html, out + "/empty.pdf")
"""


def _time_floor(out: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _FLOOR, str(out)], check=True, cwd=ROOT,
                   capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = parser.parse_args()
    ensure_sample()
    reports, warms, floors, splits, warm_splits = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            cache = Path(tmp) / f"cache{i}"  # empty: a cold run
            wall, steps = _time_report(Path(tmp) / f"r{i}", cache)
            reports.append(wall)
            splits.append(steps)
            edited = _edited(Path(tmp) / f"w{i}")
            try:
                warm, steps = _time_report(Path(tmp) / f"w{i}", cache, edited)
            finally:
                edited.unlink()
            warms.append(warm)
            warm_splits.append(steps)
            floors.append(_time_floor(Path(tmp)))
            print(f"run {i + 1}: cold {wall:.1f}s ({splits[-1]}), warm {warm:.1f}s "
                  f"({steps}), floor {floors[-1]:.1f}s")
    med_report, med_floor = statistics.median(reports), statistics.median(floors)
    med_warm = statistics.median(warms)
    split = {k: statistics.median(s[k] for s in splits) for k in splits[0]}
    warm_split = {k: statistics.median(s[k] for s in warm_splits) for k in warm_splits[0]}
    print(f"median cold {med_report:.1f}s ({med_report / med_floor:.2f}x), warm "
          f"{med_warm:.1f}s ({med_warm / med_floor:.2f}x), floor {med_floor:.1f}s")
    if args.write:
        _write(med_report, med_floor, split, reports, floors, args.repeat,
               warm=(med_warm, warms, warm_split))


def _write(report, floor, split, reports, floors, repeat, *, warm) -> None:
    med_warm, warms, warm_split = warm
    write_section("Sample report", "\n".join([
        f"`python bench/bench_report.py --repeat {repeat} --write` on "
        f"{dt.date.today().isoformat()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; 60k leads, 275k touchpoints (the sample).",
        "",
        "| measure | median (s) | runs (s) |",
        "|---|---|---|",
        f"| cold: `leadroi run params/sample-2026-Q3.yaml`, empty load cache (wall) | "
        f"{report:.1f} | {', '.join(f'{x:.1f}' for x in reports)} |",
        f"| warm: rerun after changing an owner in the params; load and score from the "
        f"cache (wall) | {med_warm:.1f} | "
        f"{', '.join(f'{x:.1f}' for x in warms)} |",
        f"| floor: empty notebook, same stack, HTML + PDF | {floor:.1f} | "
        f"{', '.join(f'{x:.1f}' for x in floors)} |",
        f"| ratio cold / floor | {report / floor:.2f} | |",
        f"| ratio warm / floor | {med_warm / floor:.2f} | |",
        "",
        "Split of the cold report (medians, seconds): "
        + ", ".join(f"{k} {v:.1f}" for k, v in split.items()) + "; of the warm one: "
        + ", ".join(f"{k} {v:.1f}" for k, v in warm_split.items()) + ".",
    ]))

if __name__ == "__main__":
    main()
