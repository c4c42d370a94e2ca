"""The load cache: reused while nothing that shaped the load changed, rebuilt when an
entry is damaged or foreign, bounded in size, safe under concurrent runs.

Each test has its own cache folder (``cache: {folder: ...}`` in the params) and compares a
cached load with the load it stored, and with a load that bypasses the cache.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from leadroi.engine import collect
from leadroi.intake import cache
from leadroi.intake.dataset import load_data
from leadroi.params import load_params
from tests.conftest import RICH_LEADS, RICH_SPEND, RICH_TARGETS, write_case


@pytest.fixture
def params_file(tmp_path) -> Path:
    return write_case(tmp_path / "case", leads=RICH_LEADS, spend=RICH_SPEND,
                      targets=RICH_TARGETS, cache={"folder": "cache"})


def _frames(data) -> dict[str, pd.DataFrame]:
    out = {name: collect(t) for name, t in data.tables.items()}
    out["quarantine"] = collect(data.quarantine)
    for name in ("quality", "reasons", "fixes", "files"):
        out[name] = getattr(data, name)
    return out


def _same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def _sorted(frames: dict) -> dict:
    return {n: f.sort_values(list(f.columns)).reset_index(drop=True) if len(f) else f
            for n, f in frames.items()}


def _load(path: Path):
    return load_data(load_params(path))


def test_a_second_load_comes_from_the_cache_and_equals_the_first(params_file):
    first = _load(params_file)
    assert first.cache.state == "stored"
    second = _load(params_file)
    assert (second.cache.state, second.cache.key) == ("hit", first.cache.key)
    _same(_frames(first), _frames(second))
    assert (second.as_of, second.columns) == (first.as_of, first.columns)
    os.environ[cache.ENV_OFF] = "1"
    try:
        fresh = _load(params_file)
    finally:
        del os.environ[cache.ENV_OFF]
    assert fresh.cache == cache.CacheStatus("off", why="flag")
    _same(_sorted(_frames(fresh)), _sorted(_frames(second)))


def test_a_changed_input_byte_is_another_entry(params_file):
    first = _load(params_file)
    leads = params_file.parent / "leads.csv"
    leads.write_bytes(leads.read_bytes().replace(b"10000", b"10001"))
    second = _load(params_file)
    assert second.cache.state == "stored" and second.cache.key != first.cache.key
    amounts = collect(second.leads)["amount"]
    assert 10001 in amounts.tolist() and 10000 not in amounts.tolist()


@pytest.mark.parametrize("change", [
    {"data": {"channel_aliases": {"A": ["B"]}}},      # a cleaning param
    {"data": {"leads": {"mapping": {"channel": "campaign"}}}},  # the mapping
    {"max_channels": 2},
    {"as_of": "2026-10-30"},
])
def test_a_changed_mapping_or_cleaning_param_is_another_entry(params_file, change):
    first = _load(params_file)
    doc = yaml.safe_load(params_file.read_text())
    for key, value in change.items():
        if isinstance(value, dict):
            for inner, spec in value.items():
                if isinstance(spec, dict) and inner in doc[key]:
                    doc[key][inner].update(spec)
                else:
                    doc[key][inner] = spec
        else:
            doc[key] = value
    params_file.write_text(yaml.safe_dump(doc))
    second = _load(params_file)
    assert second.cache.state == "stored" and second.cache.key != first.cache.key


def test_other_intake_code_is_another_entry(params_file, monkeypatch):
    first = _load(params_file)
    monkeypatch.setattr(cache, "_code_hash", "0" * 64)
    assert _load(params_file).cache.key != first.cache.key


def _entry(params_file: Path, key: str, suffix: str) -> Path:
    return params_file.parent / "cache" / f"{key}{suffix}"


def test_a_damaged_cache_file_is_rebuilt_with_a_note(params_file):
    first = _load(params_file)
    db = _entry(params_file, first.cache.key, ".duckdb")
    raw = bytearray(db.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    db.write_bytes(bytes(raw))
    second = _load(params_file)
    assert second.cache.state == "rebuilt" and "damaged" in second.cache.why
    _same(_sorted(_frames(first)), _sorted(_frames(second)))
    assert _load(params_file).cache.state == "hit"  # the rebuilt entry is good


@pytest.mark.parametrize("damage", ["foreign", "truncated", "missing_db"])
def test_a_foreign_or_broken_index_is_rebuilt(params_file, damage):
    first = _load(params_file)
    meta = _entry(params_file, first.cache.key, ".json")
    if damage == "foreign":
        doc = json.loads(meta.read_text())
        doc["key"] = "someone-else"
        meta.write_text(json.dumps(doc))
    elif damage == "truncated":
        meta.write_text(meta.read_text()[:40])
    else:
        _entry(params_file, first.cache.key, ".duckdb").unlink()
    second = _load(params_file)
    assert second.cache.state == "rebuilt" and second.cache.why
    assert _load(params_file).cache.state == "hit"


def test_the_appendix_says_where_the_load_came_from(params_file):
    from leadroi.report.quarterly import analyse
    from leadroi.report.sections.appendix import appendix
    from leadroi.report.view import ReportView

    html = {}
    for run in ("cold", "warm"):
        params = load_params(params_file)
        data = load_data(params)
        view = ReportView(params, channels=data.channels())
        analyse(data, params)
        html[run] = str(appendix(view, data, params))
    key = load_data(load_params(params_file)).cache.key[:12]
    assert f"kept in the load cache (entry {key})" in html["cold"]
    assert f"Loaded from the load cache (entry {key})" in html["warm"]


def test_old_entries_are_evicted_beyond_max_mb(tmp_path):
    keys = []
    for i in range(3):
        path = write_case(tmp_path / f"c{i}", leads=RICH_LEADS[: 5 + i],
                          cache={"folder": "../cache", "max_mb": 1})
        keys.append(_load(path).cache.key)
        os.utime(tmp_path / "cache" / f"{keys[-1]}.json", (1_000_000 + i, 1_000_000 + i))
    sizes = sum(p.stat().st_size for p in (tmp_path / "cache").iterdir())
    assert sizes < 1024 * 1024 or len(list((tmp_path / "cache").glob("*.json"))) == 1
    assert (tmp_path / "cache" / f"{keys[-1]}.json").is_file()  # never the newest
    assert not (tmp_path / "cache" / f"{keys[0]}.json").exists()


def test_an_unwritable_cache_folder_is_no_error(tmp_path):
    (tmp_path / "blocker").write_text("a file where the folder should be")
    path = write_case(tmp_path / "case", leads=RICH_LEADS,
                      cache={"folder": "../blocker/cache"})
    data = _load(path)
    assert data.cache.state == "not_stored" and data.cache.why
    assert len(collect(data.leads)) > 0


@pytest.mark.parametrize(("extra", "why"), [({"cache": {"enabled": False}}, "disabled"),
                                            ({"engine": {"backend": "duckdb"}}, None)])
def test_off_says_why(tmp_path, extra, why):
    path = write_case(tmp_path / "case", leads=RICH_LEADS, **extra)
    state = _load(path).cache
    assert (state.state == "off") == (why is not None) and (why is None or state.why == why)
    validated = load_data(load_params(path), keep_going=True).cache
    assert validated == cache.CacheStatus("off", why="keep_going")


_CONCURRENT = """
import sys
from leadroi.intake.dataset import load_data
from leadroi.params import load_params
data = load_data(load_params(sys.argv[1]))
print(data.cache.state, len(data.leads.to_pyarrow()))
"""


def test_concurrent_runs_neither_corrupt_the_entry_nor_load_twice(params_file, repo):
    """Four processes load the same inputs at once: all finish, one loads and stores
    the entry while the others wait for it and read it whole, and the entry left behind
    is good."""
    env = {**os.environ, "PYTHONPATH": str(repo)}
    procs = [subprocess.Popen([sys.executable, "-c", _CONCURRENT, str(params_file)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env) for _ in range(4)]
    results = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [r[1][-500:] for r in results]
    states = sorted(r[0].split()[0] for r in results)
    assert states == ["hit", "hit", "hit", "stored"]
    assert len({r[0].split()[1] for r in results}) == 1
    again = _load(params_file)
    assert again.cache.state == "hit"
    assert not list((params_file.parent / "cache").glob(".tmp-*"))
    assert not list((params_file.parent / "cache").glob("*.building"))


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_builder_does_not_hold_the_entry(params_file):
    """A run killed while building leaves its marker; the next run takes it over."""
    key = _load(params_file).cache.key
    for path in (params_file.parent / "cache").glob(f"{key}.*"):
        path.unlink()
    marker = params_file.parent / "cache" / f"{key}.building"
    marker.write_text(f"{_dead_pid()} {platform.node()}")
    data = _load(params_file)
    assert data.cache.state == "stored" and data.cache.key == key
    assert not marker.exists()


def test_nobody_waits_past_the_bound(tmp_path):
    """A live holder that never finishes: the waiter builds without a marker after
    ``wait_s``, leaving the holder's marker alone."""
    marker = tmp_path / "k.building"
    marker.write_text(f"{os.getpid()} {platform.node()}")
    started = time.monotonic()
    got = cache.claim(tmp_path, "k", lambda: False, wait_s=0.3)
    assert got is not None and got.path is None
    assert 0.3 <= time.monotonic() - started < 5
    assert marker.exists()


def test_a_claim_is_one_runs_until_released(tmp_path):
    first = cache.claim(tmp_path, "k", lambda: False)
    assert first.path == tmp_path / "k.building"
    assert cache.claim(tmp_path, "k", lambda: False, wait_s=0.1).path is None
    first.release()
    assert not first.path and not (tmp_path / "k.building").exists()
    assert cache.claim(tmp_path, "k", lambda: True) is None  # ready: nothing to build


def test_the_kernel_of_the_run_that_stored_the_load_says_stored(params_file, monkeypatch):
    """``leadroi run`` loads ahead in its own process; its kernel, a child, then reads
    the entry its parent stored: that is this run's load, not an earlier one's."""
    key = _load(params_file).cache.key
    meta = params_file.parent / "cache" / f"{key}.json"
    doc = json.loads(meta.read_text(encoding="utf-8"))
    assert doc["builder"] == f"{os.getpid()} {platform.node()}"
    assert _load(params_file).cache.state == "hit"
    monkeypatch.setattr(os, "getppid", lambda: os.getpid())
    assert _load(params_file).cache.state == "stored"
