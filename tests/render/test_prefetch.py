"""``leadroi run`` does the load and the lead score ahead, in its own process, while the
kernel starts: the notebook then reads both from the caches. Only when that is safe and
small: the cache on, leadroi's own notebook, local files under the size bound."""

from __future__ import annotations

import pytest

from leadroi.intake.dataset import load_data
from leadroi.metrics import model_cache
from leadroi.params import load_params
from leadroi.render import run
from leadroi.report.quarterly import _score_model, prefetch
from tests.conftest import RICH_LEADS, RICH_SPEND, RICH_TARGETS, write_case


@pytest.fixture
def params_file(tmp_path):
    return write_case(tmp_path / "case", leads=RICH_LEADS, spend=RICH_SPEND,
                      targets=RICH_TARGETS, cache={"folder": "cache"})


def test_prefetch_fills_both_caches(params_file, monkeypatch):
    params = load_params(params_file)
    prefetch(params)
    folder = params_file.parent / "cache"
    assert len(list(folder.glob("model-*.json"))) == 1
    assert not list(folder.glob("*.building"))

    def refuse(*args, **kwargs):
        raise AssertionError("the model was fitted again")

    monkeypatch.setattr(model_cache, "score_model", refuse)
    data = load_data(params)
    assert data.cache.state == "hit"
    _score_model(data, params)  # read from the entry prefetch wrote


def test_prefetch_without_a_cache_does_nothing(params_file, monkeypatch):
    monkeypatch.setenv("LEADROI_NO_CACHE", "1")
    prefetch(load_params(params_file))
    assert not (params_file.parent / "cache").exists()


def test_what_is_loaded_ahead(params_file, monkeypatch, tmp_path):
    params = load_params(params_file)
    assert run._prefetch_load(params, cache=True)
    assert not run._prefetch_load(params, cache=False)  # --no-cache
    custom = params.model_copy(update={"notebook": tmp_path / "mine.ipynb"})
    assert not run._prefetch_load(custom, cache=True)  # it may not load at all
    monkeypatch.setattr(run, "PREFETCH_MAX_BYTES", 10)
    assert not run._prefetch_load(params, cache=True)  # big: the kernel alone holds it
