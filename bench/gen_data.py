"""Generate N leads and M touchpoints (+ spend, targets) as Parquet and CSV, fast.

    .venv/bin/python bench/gen_data.py DIR --leads 1000000 --touchpoints 10000000
        [--formats parquet csv] [--seed 2026]

Deterministic (same arguments, same files) and vectorised: everything is one DuckDB SQL
query per table over ``range(N)``, with per-row pseudo-random numbers from ``hash(row,
seed, column)``, so 10M leads and 100M touchpoints take minutes and little memory (DuckDB
streams and spills). The channel economics are the sample generator's
(:data:`leadroi.sample.vocab.CHANNELS`: lead shares, pass rates per stage, deal sizes,
stage cycle, cost per lead), over the eight quarters ending 2026-Q3 with the export taken
on 2026-10-31. The columns are the canonical ones (a clean CRM export: no defects, which
the sample keeps for the data-quality story); ids are integers as text. In Parquet, dates,
timestamps and amounts are typed (:data:`TYPES`), as a warehouse export has them.

Writes ``DIR/{leads,touchpoints,spend,targets}.{parquet,csv}`` and
``DIR/params-{parquet,csv}.yaml`` (quarter 2026-Q3).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from leadroi.sample.vocab import CHANNELS, VOCAB  # noqa: E402

__all__ = ["generate", "main"]

START, AS_OF, DAYS = "2024-10-01", "2026-10-31 23:59:00", 730  # eight quarters
STAGES = ("first_contact_at", "needs_confirmed_at", "proposal_at", "negotiation_at", "won_at")
GAP_DAYS = (0.0, 0.9, 1.0, 1.0, 1.3)  # the sample's stage gaps (x channel cycle)


def _u(key: str, seed: int, row: str = "i") -> str:
    """SQL for a uniform [0, 1) number per row, fixed by ``seed`` and ``key``."""
    return f"((hash({row}, {seed}, '{key}') % 1000000007) / 1000000007.0)"


def _channels_sql() -> str:
    rows = []
    cum = 0.0
    total = sum(c.share for c in CHANNELS)
    for k, c in enumerate(CHANNELS):
        lo, cum = cum, cum + c.share / total
        rows.append(f"({k}, '{c.en}', {lo}, {cum if k < len(CHANNELS) - 1 else 1.0001}, "
                    + ", ".join(str(p) for p in c.stage_p)
                    + f", {c.deal}, {c.cycle}, {c.response_h}, {c.cpl}, {c.sales_cpl})")
    return ("SELECT * FROM (VALUES " + ", ".join(rows) + ") AS c(k, channel, lo, hi, p0, p1, "
            "p2, p3, p4, deal, cycle, response_h, cpl, sales_cpl)")


def _channel_index(u: str) -> str:
    """SQL: the channel number (0-based) a uniform number ``u`` falls on, by lead share."""
    total = sum(c.share for c in CHANNELS)
    cum, whens = 0.0, []
    for k, c in enumerate(CHANNELS[:-1]):
        cum += c.share / total
        whens.append(f"WHEN {u} < {cum} THEN {k}")
    return f"(CASE {' '.join(whens)} ELSE {len(CHANNELS) - 1} END)"


def _created(seed: int, row: str) -> str:
    """SQL: the creation time of lead number ``row`` (the touchpoints recompute it)."""
    return (f"TIMESTAMP '{START}' + to_minutes(CAST({_u('created', seed, row)} * {DAYS} "
            "* 1440 AS BIGINT))")


def _list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _leads_sql(n: int, seed: int) -> str:
    """One row per lead: created over two years, stages passed with the channel's rates."""
    stage_cols = []
    prev = "created"
    alive = "TRUE"
    for s in range(len(STAGES)):
        if s == 0:
            gap = f"(exp(ln(c.response_h) + 0.9 * {_normal('r0', seed)}) * 60)"
        else:
            gap = f"(-ln(1 - {_u(f'g{s}', seed)}) * c.cycle * {GAP_DAYS[s]} * 1440 + 1)"
        t = f"t{s}"
        stage_cols.append(f"{prev} + to_minutes(CAST({gap} AS BIGINT)) AS {t}")
        prev = t
    passed = [f"{_u(f'p{s}', seed)} < p{s}" for s in range(5)]
    reach = []
    for s in range(5):
        alive = f"{alive} AND {passed[s]} AND t{s} <= TIMESTAMP '{AS_OF}'"
        reach.append(f"CASE WHEN {alive} THEN strftime(t{s}, '%Y-%m-%d %H:%M') END "
                     f"AS {STAGES[s]}")
    reasons = _list(VOCAB["lost_reason"]["en"])
    regions = _list(VOCAB["region"]["en"])
    industries = _list(VOCAB["industry"]["en"])
    owners = _list(VOCAB["owner"]["en"])
    won = f"({alive})"
    lost = (f"(NOT {won} AND {_u('lost', seed)} < 0.85 AND t0 + INTERVAL 10 DAY "
            f"<= TIMESTAMP '{AS_OF}')")
    return f"""
    WITH c AS ({_channels_sql()}),
    base AS (
      SELECT i, {_created(seed, 'i')} AS created,
             {_channel_index(_u('channel', seed))} AS ck FROM range({n}) t(i)),
    typed AS (
      SELECT base.i, base.created, c.*, {', '.join(stage_cols)}
      FROM base JOIN c ON base.ck = c.k)
    SELECT CAST(1000000000 + i AS VARCHAR) AS lead_id,
      strftime(created, '%Y-%m-%d %H:%M') AS created_at, channel,
      channel || '-' || CAST(year(created) AS VARCHAR) || 'Q'
        || CAST(quarter(created) AS VARCHAR) || '-'
        || CASE WHEN {_u('camp', seed)} < 0.5 THEN 'A' ELSE 'B' END AS campaign,
      list_extract({owners}, 1 + CAST({_u('owner', seed)} * {len(VOCAB['owner']['en'])}
                   AS INT)) AS owner,
      list_extract({regions}, 1 + CAST({_u('region', seed)} * 5 AS INT)) AS region,
      list_extract({industries}, 1 + CAST({_u('industry', seed)} * 6 AS INT)) AS industry,
      {', '.join(reach)},
      CASE WHEN {lost} THEN strftime(t0 + INTERVAL 10 DAY, '%Y-%m-%d %H:%M') END AS lost_at,
      CASE WHEN {lost} THEN list_extract({reasons}, 1 + CAST({_u('reason', seed)} * 6
           AS INT)) END AS lost_reason,
      CASE WHEN {won} THEN CAST(round(deal * exp(0.45 * {_normal('deal', seed)} - 0.1), -2)
           AS VARCHAR) END AS amount,
      CAST(CAST(least(100, greatest(0, 45 + 14 * {_normal('score', seed)})) AS INT)
           AS VARCHAR) AS score
    FROM typed ORDER BY i"""


def _normal(key: str, seed: int) -> str:
    """SQL for a standard normal number per row (Box-Muller)."""
    return (f"(sqrt(-2 * ln(1 - {_u(key + 'a', seed)})) * "
            f"cos(2 * pi() * {_u(key + 'b', seed)}))")


def _touch_sql(n_leads: int, m: int, seed: int) -> str:
    """``m`` touches spread evenly over the leads (consecutive rows per lead), in the 60
    days before the lead was created, channel from the same shares. The lead's creation
    time is recomputed from its number, so no join is needed and rows come out in order."""
    k = f"(j * {n_leads} // {m})"
    names = _list([c.en for c in CHANNELS])
    return f"""
    SELECT CAST(1000000000 + {k} AS VARCHAR) AS lead_id,
      strftime({_created(seed, k)} - to_minutes(CAST({_u('tt', seed, 'j')} * 60 * 1440
               AS BIGINT)), '%Y-%m-%d %H:%M') AS touched_at,
      list_extract({names}, 1 + {_channel_index(_u('tc', seed, 'j'))}) AS channel,
      NULL::VARCHAR AS campaign
    FROM range({m}) t(j)"""


def _spend_sql(n_leads: int, seed: int) -> str:
    """Per day, channel and campaign: the channel's cost per lead times its leads of the
    day (expected), marketing and sales."""
    per_day = f"{n_leads / DAYS:.6f}::DOUBLE"
    return f"""
    WITH c AS ({_channels_sql()})
    SELECT strftime(DATE '{START}' + CAST(d AS INT), '%Y-%m-%d') AS date, c.channel,
      c.channel || '-' || CAST(year(DATE '{START}' + CAST(d AS INT)) AS VARCHAR) || 'Q'
        || CAST(quarter(DATE '{START}' + CAST(d AS INT)) AS VARCHAR) || '-A' AS campaign,
      kind AS cost_type,
      CAST(round((CASE kind WHEN 'marketing' THEN c.cpl ELSE c.sales_cpl END)
                 * (c.hi - c.lo) * {per_day} * (0.8 + 0.4 * {_u('spend', seed, 'd * 7 + c.k')}),
                 2) AS VARCHAR) AS amount
    FROM range({DAYS}) r(d), c, (VALUES ('marketing'), ('sales')) k(kind)
    ORDER BY d, c.k, kind"""


def _targets_sql(n_leads: int) -> str:
    per_q = f"{n_leads / 8:.3f}::DOUBLE"
    return f"""
    WITH c AS ({_channels_sql()})
    SELECT q AS period, c.channel, m AS metric,
      CAST(round(CASE m WHEN 'leads' THEN (c.hi - c.lo) * {per_q}
                        ELSE (c.hi - c.lo) * {per_q} * c.p0 * c.p1 * c.p2 * c.p3 * c.p4
                        END) AS VARCHAR) AS value
    FROM c, (VALUES ('2026-Q3'), ('2026-Q4')) p(q), (VALUES ('leads'), ('customers')) x(m)
    ORDER BY q, c.k, m"""


#: Parquet column types (as a warehouse export has them); the CSV prints them as text
TYPES = {
    "leads": {**{c: "TIMESTAMP" for c in ("created_at", *STAGES, "lost_at")},
              "amount": "DOUBLE", "score": "DOUBLE"},
    "touchpoints": {"touched_at": "TIMESTAMP"},
    "spend": {"date": "DATE", "amount": "DOUBLE"},
    "targets": {"value": "DOUBLE"},
}


def _typed(sql: str, name: str) -> str:
    cast = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in TYPES[name].items())
    return f"SELECT * REPLACE ({cast}) FROM ({sql})"


def generate(folder: Path, n_leads: int, n_touch: int, *, seed: int = 2026,
             formats: tuple[str, ...] = ("parquet", "csv"), memory_limit: str = "4GB") -> dict:
    """Write the four tables in each format and a params file per format.

    Returns
    -------
    dict
        ``{format: params path}``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.sql(f"SET memory_limit = '{memory_limit}'")
    con.sql(f"SET temp_directory = '{folder / '.tmp'}'")
    con.sql("SET preserve_insertion_order = true")
    queries = {"leads": _leads_sql(n_leads, seed),
               "touchpoints": _touch_sql(n_leads, n_touch, seed),
               "spend": _spend_sql(n_leads, seed), "targets": _targets_sql(n_leads)}
    for name, sql in queries.items():  # leads first: touchpoints read them
        if n_touch == 0 and name == "touchpoints":
            continue
        start = time.perf_counter()
        con.sql(f"COPY ({_typed(sql, name)}) TO '{folder / name}.parquet' (FORMAT parquet, "
                "ROW_GROUP_SIZE 1000000)")
        if "csv" in formats:
            con.sql(f"COPY (SELECT * FROM '{folder / name}.parquet') TO "
                    f"'{folder / name}.csv' (HEADER, DELIMITER ',')")
        print(f"{name}: {time.perf_counter() - start:.1f} s", flush=True)
    params = {}
    for fmt in formats:
        tables = ["leads", "spend", "targets"] + (["touchpoints"] if n_touch else [])
        lines = ["period: 2026-Q3", "as_of: 2026-10-31", "min_leads: 30", "data:"]
        lines += [f"  {t}: {{path: {t}.{fmt}}}" for t in tables]
        path = folder / f"params-{fmt}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        params[fmt] = path
    if "parquet" not in formats:
        for name in queries:
            (folder / f"{name}.parquet").unlink(missing_ok=True)
    return params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--touchpoints", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--formats", nargs="+", default=["parquet", "csv"],
                        choices=["parquet", "csv"])
    args = parser.parse_args()
    generate(args.folder, args.leads, args.touchpoints, seed=args.seed,
             formats=tuple(args.formats))


if __name__ == "__main__":
    main()
