"""The load cache in whole runs: a rerun and a second report on the same exports load
from the cache, and the outputs are those of a run without it (the appendix's one
sentence about the cache aside)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow

_NOTE = re.compile(r'<p class="note">[^<]*load cache[^<]*</p>')


def _params(repo: Path, name: str, dest: Path) -> Path:
    """The sample params with absolute data paths, one DuckDB thread (byte-stable
    workbooks) and a cache folder of this test."""
    doc = yaml.safe_load((repo / "params" / name).read_text(encoding="utf-8"))
    for source in doc["data"].values():
        source["path"] = str((repo / "params" / source["path"]).resolve())
    doc["engine"] = {"threads": 1}
    doc["cache"] = {"folder": "cache"}
    path = dest / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def _run(*args) -> None:
    res = subprocess.run([sys.executable, "-m", "leadroi.cli", "run", *map(str, args)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


@pytest.fixture(scope="module")
def runs(repo, sample_en, tmp_path_factory):
    root = tmp_path_factory.mktemp("cache-e2e")
    quarterly = _params(repo, "sample-2026-Q3.yaml", root)
    executive = _params(repo, "sample-2026-Q3-exec.yaml", root)
    for out, extra in (("cold", ()), ("warm", ()), ("nocache", ("--no-cache",))):
        _run(quarterly, "--out", root / out, *extra)
    _run(executive, "--out", root / "exec")
    return root


def _html(runs: Path, out: str, rid: str = "sample-2026-Q3") -> str:
    return (runs / out / rid / f"{rid}.html").read_text(encoding="utf-8")


def test_the_appendix_says_where_each_load_came_from(runs):
    assert "kept in the load cache" in _NOTE.search(_html(runs, "cold")).group(0)
    assert "Loaded from the load cache" in _NOTE.search(_html(runs, "warm")).group(0)
    assert "load cache off: leadroi run --no-cache" in _NOTE.search(
        _html(runs, "nocache")).group(0)
    # another report on the same exports: loaded once for both
    assert "Loaded from the load cache" in _NOTE.search(
        _html(runs, "exec", "sample-2026-Q3-exec")).group(0)


def test_outputs_with_and_without_the_cache_are_identical(runs):
    cold, warm, nocache = (_NOTE.sub("", _html(runs, o)) for o in ("cold", "warm", "nocache"))
    assert cold == warm == nocache
    books = {(runs / o / "sample-2026-Q3" / "sample-2026-Q3.xlsx").read_bytes()
             for o in ("cold", "warm", "nocache")}
    assert len(books) == 1
