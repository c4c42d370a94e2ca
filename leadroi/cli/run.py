"""``leadroi run PARAMS.yaml [...] [--out DIR] [--jobs N] [--json]``: execute the report
notebooks and export HTML, PDF and Excel (:mod:`leadroi.render`). With ``--json``, stdout
is one JSON document on one line, for a pipeline step to read:
``{"exit_code": worst, "reports": [...]}``, one record per params file (status, exit code,
outputs, seconds, rows in / used / quarantined), failures included; messages still go to
stderr."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from leadroi.cli._common import report_error
from leadroi.errors import EXIT_OK, LeadRoiError

__all__ = ["add_parser", "command"]


def add_parser(sub) -> None:
    p = sub.add_parser("run", help="run reports: execute, export HTML, PDF and Excel")
    p.add_argument("params", nargs="+", type=Path, help="params YAML file(s)")
    p.add_argument("--out", type=Path, default=None,
                   help="folder receiving <id>/ (default: ./reports)")
    p.add_argument("--timeout", type=float, default=None,
                   help="per-cell execution timeout in seconds")
    p.add_argument("--jobs", type=int, default=1,
                   help="reports run in parallel when several params files are given")
    p.add_argument("--no-cache", dest="cache", action="store_false",
                   help="read every input again instead of reusing an earlier load "
                   "(the load cache, ./.leadroi-cache)")
    p.add_argument("--json", action="store_true",
                   help="print one JSON document: per report status, exit code, outputs, "
                   "seconds, rows in/used/quarantined")
    p.set_defaults(func=command)


def command(args: argparse.Namespace) -> int:
    from leadroi.render.run import failure_record, run_report

    if len(args.params) > 1 or args.jobs > 1:
        from leadroi.render.batch import format_summary, run_batch

        items = run_batch(args.params, jobs=args.jobs, out_dir=args.out, timeout=args.timeout,
                          cache=args.cache)
        worst = max(i.exit_code for i in items)
        if args.json:
            _print_json([i.record for i in items], worst)
        else:
            print(format_summary(items))
        return worst
    worst = EXIT_OK
    records = []
    for params_file in args.params:
        started = time.perf_counter()
        try:
            result = run_report(params_file, out_dir=args.out, timeout=args.timeout,
                                cache=args.cache)
        except LeadRoiError as exc:
            report_error(exc, args.debug, prefix=str(params_file))
            worst = max(worst, exc.exit_code)
            records.append(failure_record(params_file, exc, time.perf_counter() - started,
                                          out_dir=args.out))
            continue
        records.append(result.record())
        if not args.json:
            steps = ", ".join(f"{k} {v:.1f}s" for k, v in result.timings.items())
            print(f"{result.report_id}: {result.folder}  ({steps})")
    if args.json:
        _print_json(records, worst)
    return worst


def _print_json(records: list[dict], worst: int) -> None:
    # one line: a scheduler step (Airflow's BashOperator pushes the last line to XCom)
    # reads it whole; `| python -m json.tool` pretty-prints it
    print(json.dumps({"exit_code": worst, "reports": records}, ensure_ascii=False))
