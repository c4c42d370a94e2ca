"""Time the customer-value step on 1M customers with 5M won deals (issue 15).

Builds the tables in the engine itself (DuckDB SQL, hash-based pseudo-random values, no
files), then runs :func:`leadroi.metrics.customer_value.customer_value` ``--repeat`` times
and prints the median and the peak RSS. Usage::

    .venv/bin/python bench/bench_customer_value.py [--customers 1000000] [--deals 6]

Record the output in bench/RESULTS.md ("Customer value").
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import time
from types import SimpleNamespace

from leadroi.engine import Engine
from leadroi.metrics.customer_value import customer_value
from leadroi.params import CustomerValueSettings, ValueSettings

AS_OF = dt.date(2026, 10, 31)


def build(engine: Engine, customers: int, per: int):
    con = engine.con
    con.raw_sql(f"""
        CREATE OR REPLACE TABLE bench_leads AS
        SELECT 'L' || i AS lead_id,
               TIMESTAMP '2022-06-01' + INTERVAL (hash(i) % 1200) DAY AS created_at,
               'channel ' || (hash(i, 1) % 8) AS channel,
               'campaign ' || (hash(i, 2) % 200) AS campaign,
               'industry ' || (hash(i, 3) % 6) AS industry
        FROM range({customers}) t(i)""")
    con.raw_sql(f"""
        CREATE OR REPLACE TABLE bench_deals AS
        SELECT l.lead_id,
               l.created_at + INTERVAL (20 + k * (30 + hash(l.lead_id, k) % 120)) DAY
                 AS won_at,
               1000.0 + hash(l.lead_id, k, 1) % 90000 AS amount,
               'product ' || (hash(l.lead_id, k, 2) % 4) AS product
        FROM bench_leads l, range({per}) r(k)""")
    leads, deals = con.table("bench_leads"), con.table("bench_deals")
    deals = deals.filter(deals.won_at <= dt.datetime(2026, 10, 31))
    return SimpleNamespace(leads=leads, deals=deals, engine=engine)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--deals", type=int, default=6, help="deals per customer (those after "
                    "the cut-off are dropped: 6 gives about 5.9M won deals)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    engine = Engine()
    data = build(engine, args.customers, args.deals)
    n_deals = data.deals.count().execute()
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        cv = customer_value(data, AS_OF, settings=CustomerValueSettings(),
                            value=ValueSettings())
        times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"customers {args.customers:,}, won deals {n_deals:,}: customer_value median "
          f"{statistics.median(times):.1f} s of {args.repeat} "
          f"({', '.join(f'{t:.1f}' for t in times)}), peak RSS {peak:.0f} MB; "
          f"{len(cv.by_group)} groups, {len(cv.retention)} cohort rows")


if __name__ == "__main__":
    main()
