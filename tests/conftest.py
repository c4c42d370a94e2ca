"""Shared fixtures: the sample data on disk, and small hand-made datasets.

Small datasets go through the real path (CSV files → params → DuckDB via Ibis), so the
unit tests exercise the same engine the reports use.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import pytest
import yaml

from leadroi.params import Params, load_params

ROOT = Path(__file__).resolve().parents[1]

# The load cache of every test run lives in a temporary folder (not ./.leadroi-cache in
# the checkout); the kernels of the report runs inherit it.
if not os.environ.get("LEADROI_CACHE_DIR"):
    import tempfile

    os.environ["LEADROI_CACHE_DIR"] = tempfile.mkdtemp(prefix="leadroi-test-cache-")


def _ensure_sample(folder: Path, lang: str) -> Path:
    if not (folder / "leads.csv").is_file():
        from leadroi.sample import generate_sample

        generate_sample(folder, lang=lang)
    return folder


@pytest.fixture(scope="session")
def repo() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def sample_en() -> Path:
    """``data/sample`` (generated if missing; deterministic, so sharing it is safe)."""
    return _ensure_sample(ROOT / "data" / "sample", "en")


@pytest.fixture(scope="session")
def sample_zh() -> Path:
    return _ensure_sample(ROOT / "data" / "sample-zh", "zh")


@pytest.fixture(scope="session")
def sample_params(sample_en) -> Params:
    return load_params(ROOT / "params" / "sample-2026-Q3.yaml")


@pytest.fixture(scope="session")
def postgres_url():
    """URL of a real PostgreSQL server: ``LEADROI_TEST_POSTGRES_URL``, else a throwaway
    cluster started for the session (see ``postgres_server.py``). Skips when none can be
    started, unless ``LEADROI_REQUIRE_POSTGRES=1`` (CI), which makes it fail instead."""
    from postgres_server import PostgresServer

    if os.environ.get("LEADROI_TEST_POSTGRES_URL"):
        yield os.environ["LEADROI_TEST_POSTGRES_URL"]
        return
    server = PostgresServer()
    try:
        url = server.start()
    except RuntimeError as exc:
        server.stop()
        if os.environ.get("LEADROI_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required (LEADROI_REQUIRE_POSTGRES=1): {exc}")
        pytest.skip(f"no PostgreSQL server could be started locally: {exc}")
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def sample_data(sample_params):
    from leadroi.intake.dataset import load_data

    return load_data(sample_params)


def write_case(folder: Path, *, leads: list[dict], spend: list[dict] | None = None,
               targets: list[dict] | None = None, touchpoints: list[dict] | None = None,
               deals: list[dict] | None = None, **params) -> Path:
    """Write CSVs and a params file for a small case; return the params path."""
    folder.mkdir(parents=True, exist_ok=True)
    data = {}
    for name, rows in (("leads", leads), ("deals", deals), ("spend", spend),
                       ("targets", targets), ("touchpoints", touchpoints)):
        if rows is None:
            continue
        pd.DataFrame(rows).to_csv(folder / f"{name}.csv", index=False)
        data[name] = {"path": f"{name}.csv"}
    doc = {"report": "quarterly", "period": "2026-Q3", "as_of": dt.date(2026, 10, 31),
           "language": "en", "min_leads": 1, "data": data, **params}
    path = folder / "params.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def case(tmp_path):
    """``case(leads=[...], spend=[...], **params)`` → (Params, Dataset) of a small case."""
    from leadroi.intake.dataset import load_data

    def build(**kwargs):
        params = load_params(write_case(tmp_path / "case", **kwargs))
        return params, load_data(params)

    return build


def lead(lead_id: str, channel: str, created: str = "2026-07-10 10:00", *,
         won: str | None = None, amount: float | str | None = None, **stages) -> dict:
    """One lead row; stage timestamps as keyword arguments (``first_contact_at=...``)."""
    row = {"lead_id": lead_id, "created_at": created, "channel": channel,
           "won_at": won or "", "amount": "" if amount is None else amount}
    row.update(stages)
    return row


# A small case with every column the metrics use, computed by hand in the tests that use
# it (tests/test_drilldown.py, test_timing.py, test_quality.py, test_segment.py ...).
# Q3 2026, cut-off 2026-10-31. Channel A has campaign and channel spend, B spend on a
# campaign without leads, C spend but no leads, D leads but no spend row. h1-h4 (Q2) are
# the history behind the stage win rates.
RICH_LEADS = [
    lead("a1", "A", "2026-07-01 00:00", won="2026-07-31 00:00", amount=10000, campaign="A1",
         title="CEO", industry="Education", owner="Ann", company_size="1000+",
         notes="Visited the pricing page", mql_at="2026-07-02", sql_at="2026-07-03",
         assigned_at="2026-07-01 01:00", first_contact_at="2026-07-01 12:00",
         needs_confirmed_at="2026-07-05", proposal_at="2026-07-10",
         negotiation_at="2026-07-15", nps=9, rating="A"),
    lead("a2", "A", "2026-07-11 00:00", campaign="A1", title="Vice President, Sales",
         industry="Healthcare", owner="Bo", mql_at="2026-07-12",
         assigned_at="2026-07-11 03:00", first_contact_at="2026-07-12 00:00",
         needs_confirmed_at="2026-07-20", lost_at="2026-08-01", lost_reason="Budget",
         nps=6, rating="A"),
    lead("a3", "A", "2026-08-01 00:00", campaign="A2", title="Engineer", owner="Ann",
         first_contact_at="2026-08-03 00:00"),
    lead("a4", "A", "2026-09-25 00:00", campaign="A2", owner="Ann",
         first_contact_at="2026-10-10 00:00"),
    lead("b1", "B", "2026-07-05 10:00", won="2026-09-04 10:00", amount="¥2万", title="总经理",
         industry="Education", owner="Bo", company_size="200-999",
         content="Industry white paper", sql_at="2026-07-09",
         first_contact_at="2026-07-05 12:00", needs_confirmed_at="2026-07-10",
         proposal_at="2026-08-01", negotiation_at="2026-08-15", nps=10, rating="B"),
    lead("b2", "B", "2026-07-06 00:00", title="副总裁", owner="Bo",
         first_contact_at="2026-07-07 00:00", lost_at="2026-07-20", lost_reason="Budget",
         nps=8, rating="A"),
    lead("d1", "D", "2026-07-07 00:00", won="2026-08-06 00:00", amount=5000, title="总监",
         industry="Healthcare", owner="Bo", company_size="500人以上",
         notes="访问了价格页面"),
    lead("h1", "A", "2026-05-01 00:00", won="2026-06-01 00:00", amount=8000,
         needs_confirmed_at="2026-05-05"),
    lead("h2", "A", "2026-05-02 00:00", first_contact_at="2026-05-03", lost_at="2026-05-20"),
    lead("h3", "B", "2026-04-10 00:00", needs_confirmed_at="2026-04-15",
         lost_at="2026-04-30"),
    lead("h4", "B", "2026-06-01 00:00", won="2026-07-15 00:00", amount=3000),
]
RICH_SPEND = [
    {"date": "2026-07-01", "channel": "A", "campaign": "A1", "cost_type": "marketing",
     "amount": 1000},
    {"date": "2026-08-01", "channel": "A", "campaign": "", "cost_type": "marketing",
     "amount": 500},
    {"date": "2026-08-01", "channel": "A", "campaign": "", "cost_type": "sales",
     "amount": 500},
    {"date": "2026-09-01", "channel": "B", "campaign": "B-x", "cost_type": "marketing",
     "amount": 1000},
    {"date": "2026-07-01", "channel": "C", "campaign": "", "cost_type": "marketing",
     "amount": 3000},
    {"date": "2026-04-01", "channel": "A", "campaign": "", "cost_type": "marketing",
     "amount": 999},
]
RICH_TARGETS = [
    {"period": "2026-Q3", "channel": "all", "metric": "spend", "value": 5000},
    {"period": "2026-Q3", "channel": "A", "metric": "spend", "value": 2500},
    {"period": "2026-Q3", "channel": "B", "metric": "spend", "value": 800},
    {"period": "2026-Q3", "channel": "all", "metric": "revenue", "value": 40000},
]


@pytest.fixture
def rich(case):
    """(Params, Dataset) of the rich hand-computed case (repeat purchases 2)."""
    return case(leads=RICH_LEADS, spend=RICH_SPEND, targets=RICH_TARGETS,
                value={"repeat_purchases": 2.0})
