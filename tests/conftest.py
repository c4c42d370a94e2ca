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
    from leadroi.dataset import load_data

    return load_data(sample_params)


def write_case(folder: Path, *, leads: list[dict], spend: list[dict] | None = None,
               targets: list[dict] | None = None, touchpoints: list[dict] | None = None,
               **params) -> Path:
    """Write CSVs and a params file for a small case; return the params path."""
    folder.mkdir(parents=True, exist_ok=True)
    data = {}
    for name, rows in (("leads", leads), ("spend", spend), ("targets", targets),
                       ("touchpoints", touchpoints)):
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
    from leadroi.dataset import load_data

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
