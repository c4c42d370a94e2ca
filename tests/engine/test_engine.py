"""The engine settings (``engine:`` in params) and the DuckDB engine they configure."""

from __future__ import annotations

import gc
import os
import socket
from pathlib import Path

import ibis
import pytest

from leadroi.engine import CONNECTORS, Engine, collect, duckdb_connection
from leadroi.errors import ParamsError
from leadroi.params import BACKENDS, EngineSettings, params_from_dict

BASE = {"period": "2026-Q3", "data": {"leads": {"path": "leads.csv"}}}


def _setting(con, name: str) -> str:
    return con.raw_sql(f"SELECT current_setting('{name}')").fetchone()[0]


def test_default_is_duckdb_and_every_backend_has_a_connector():
    assert params_from_dict(BASE).engine.backend == "duckdb"
    assert set(CONNECTORS) == set(BACKENDS)


def test_memory_limit_and_temp_directory_reach_duckdb(tmp_path):
    params = params_from_dict({**BASE, "engine": {"memory_limit": "1GB", "threads": 1,
                                                  "temp_directory": "spill"}},
                              base_dir=tmp_path)
    assert params.engine.temp_directory == tmp_path / "spill"  # relative to the params
    engine = Engine.from_settings(params.engine)
    assert engine.backend == "duckdb" and engine.local is engine
    assert _setting(engine.con, "memory_limit") in ("953.6 MiB", "1.0 GB", "1000.0 MB")
    spill = Path(_setting(engine.con, "temp_directory"))
    assert spill.parent == tmp_path / "spill" and spill.name.startswith(f"run-{os.getpid()}@")
    assert _setting(engine.con, "threads") == 1


def test_each_connection_spills_to_its_own_folder_removed_after_use(tmp_path):
    """Two reports spilling into one folder would share DuckDB's file names; a killed
    process's folder is swept by the next connection."""
    host = socket.gethostname().replace("-", "_")
    dead = tmp_path / f"run-999999999@{host}-abc"
    elsewhere = tmp_path / "run-999999999@another_host-abc"  # maybe running there
    dead.mkdir()
    elsewhere.mkdir()
    (dead / "duckdb_temp_storage_DEFAULT-0.tmp").write_bytes(b"x" * 10)
    settings = EngineSettings(memory_limit="100MB", temp_directory=tmp_path)
    one, two = Engine.from_settings(settings), Engine.from_settings(settings)
    spills = [Path(_setting(e.con, "temp_directory")) for e in (one, two)]
    assert spills[0] != spills[1] and all(p.is_dir() for p in spills)
    assert not dead.exists() and elsewhere.exists()
    big = one.store("big", one.con.sql("SELECT range AS i, repeat('x', 100) AS s "
                                       "FROM range(3000000)"))
    assert one.count(big.order_by(ibis.random())) == 3_000_000
    assert any(spills[0].iterdir())  # 300 MB held under a 100 MB limit: spilled
    del one, two, big
    gc.collect()
    assert not any(p.exists() for p in spills)


def test_environment_sets_the_limits(monkeypatch, tmp_path):
    monkeypatch.setenv("LEADROI_MEMORY_LIMIT", "2GB")
    monkeypatch.setenv("LEADROI_TEMP_DIRECTORY", str(tmp_path))
    con = duckdb_connection()
    assert _setting(con, "memory_limit") in ("1.8 GiB", "2.0 GB", "1.9 GiB")
    assert Path(_setting(con, "temp_directory")).parent == tmp_path


@pytest.mark.parametrize("engine, fragment", [
    ({"backend": "oracle"}, "backend"),
    ({"memory_limit": "lots"}, "memory_limit"),
    ({"options": {"password": "hunter2"}}, "secrets"),
    ({"secrets": {"password": "hunter2!"}}, "environment variable"),
    ({"url": "postgres://me:hunter2@db/crm"}, "password"),
    ({"bakend": "spark"}, "backend"),
])
def test_invalid_engine_settings(engine, fragment):
    with pytest.raises(ParamsError, match=fragment):
        params_from_dict({**BASE, "engine": engine})


def test_secrets_come_from_the_environment(monkeypatch):
    from leadroi.engine.connect import _secrets

    settings = EngineSettings(backend="snowflake", secrets={"password": "SF_PASSWORD"})
    with pytest.raises(ParamsError, match="SF_PASSWORD"):
        _secrets(settings)
    monkeypatch.setenv("SF_PASSWORD", "s3cret")
    assert _secrets(settings) == {"password": "s3cret"}
    assert "s3cret" not in str(params_from_dict(
        {**BASE, "engine": {"backend": "snowflake", "secrets": {"password": "SF_PASSWORD"}}
         }).public_dict())


def test_store_and_collect_small_frames():
    import pandas as pd

    engine = Engine()
    table = engine.store("t", pd.DataFrame({"a": [1, 2, 3]}))
    assert engine.table("t") is table and engine.count(table) == 3
    assert collect(table.aggregate(s=table.a.sum()))["s"].tolist() == [6]
    assert engine.upload("t", table) is table  # no copy on DuckDB


def test_engine_tables_need_an_engine_that_holds_them():
    """``table:`` without ``url:`` reads from the engine: refused on the embedded DuckDB
    (which starts empty), accepted on Spark or a warehouse."""
    data = {"leads": {"table": "crm.leads"}}
    with pytest.raises(ParamsError, match="engine is the embedded DuckDB"):
        params_from_dict({"period": "2026-Q3", "data": data})
    p = params_from_dict({"period": "2026-Q3", "data": data, "engine": {"backend": "spark"}})
    assert p.data.leads.in_engine and p.data.leads.location == "engine table crm.leads"
    with pytest.raises(ParamsError, match="either `path:`"):
        params_from_dict({"period": "2026-Q3", "engine": {"backend": "spark"},
                          "data": {"leads": {"path": "l.csv", "url": "sqlite:///x.db",
                                             "table": "leads"}}})
    with pytest.raises(ParamsError, match="`table:` or `query:`"):
        params_from_dict({"period": "2026-Q3", "engine": {"backend": "spark"},
                          "data": {"leads": {"mapping": "canonical"}}})
