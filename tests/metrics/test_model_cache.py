"""The fitted score kept beside the load cache: a rerun reads it instead of refitting,
and anything the fit read gives another entry."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest

from leadroi.intake.cache import CacheStatus
from leadroi.metrics import model_cache
from leadroi.metrics.model_cache import cached_score_model, model_key, read_model
from leadroi.metrics.predict import score_model


@pytest.fixture(scope="module")
def fresh(sample_data, sample_params):
    return score_model(sample_data, sample_params.window, sample_data.as_of,
                       sample_params.scoring, margin=sample_params.value.margin)


@pytest.fixture
def keyed(sample_data, tmp_path):
    """The sample load as if the load cache had keyed it into ``tmp_path``."""
    status = CacheStatus("stored", "0123456789abcdef0123456789abcdef", folder=str(tmp_path))
    return dataclasses.replace(sample_data, cache=status)


def _call(data, params, scoring=None):
    return cached_score_model(data, params.window, data.as_of, scoring or params.scoring,
                              margin=params.value.margin)


def _same(a, b):
    assert (a.status, a.chosen, a.split) == (b.status, b.chosen, b.split)
    assert a.why == b.why
    for name in model_cache._FRAMES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)


def _entries(folder):
    return sorted(p.name for p in folder.glob("model-*.json"))


def _no_fit(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the model was fitted again")
    monkeypatch.setattr(model_cache, "score_model", refuse)


def test_a_rerun_reads_the_stored_fit_and_it_equals_a_fresh_one(keyed, sample_params, fresh,
                                                                 tmp_path, monkeypatch):
    first = _call(keyed, sample_params)
    _same(first, fresh)
    assert len(_entries(tmp_path)) == 1
    _no_fit(monkeypatch)
    second = _call(keyed, sample_params)
    _same(second, fresh)  # every number, every bit, from the JSON entry
    assert second.used and len(second.priority) > 0


def test_another_scoring_param_or_load_is_another_entry(keyed, sample_params, tmp_path):
    _call(keyed, sample_params)
    model = sample_params.scoring.model.model_copy(update={"seed": 7})
    other = sample_params.scoring.model_copy(update={"model": model})
    _call(keyed, sample_params, other)
    other_load = dataclasses.replace(keyed, cache=dataclasses.replace(keyed.cache,
                                                                      key="f" * 32))
    k = [model_key(s.cache.key, sample_params.window, keyed.as_of, sc,
                   sample_params.value.margin)
         for s, sc in ((keyed, sample_params.scoring), (keyed, other),
                       (other_load, sample_params.scoring))]
    assert len(set(k)) == 3
    assert _entries(tmp_path) == sorted(f"model-{x}.json" for x in k[:2])


@pytest.mark.parametrize("damage", ["truncated", "other_key", "other_format", "not_json"])
def test_a_damaged_entry_is_not_trusted_and_is_fitted_again(keyed, sample_params, fresh,
                                                            tmp_path, damage):
    _call(keyed, sample_params)
    (path,) = tmp_path.glob("model-*.json")
    text = path.read_text("utf-8")
    doc = json.loads(text)
    if damage == "truncated":
        path.write_text(text[: len(text) // 2], "utf-8")
    elif damage == "other_key":
        path.write_text(json.dumps({**doc, "key": "0" * 32}), "utf-8")
    elif damage == "other_format":
        path.write_text(json.dumps({**doc, "format": 0}), "utf-8")
    else:
        path.write_bytes(b"\x00\xff not json")
    assert read_model(tmp_path, path.stem.removeprefix("model-")) is None
    _same(_call(keyed, sample_params), fresh)
    assert read_model(tmp_path, path.stem.removeprefix("model-")) is not None  # rewritten


def test_a_load_the_cache_did_not_key_is_fitted_every_time(sample_data, sample_params, fresh,
                                                           tmp_path):
    off = dataclasses.replace(sample_data, cache=CacheStatus("off", why="flag"))
    _same(_call(off, sample_params), fresh)
    assert not _entries(tmp_path)


def test_a_segment_is_its_own_entry(keyed):
    from leadroi.metrics import segment_dataset

    seg = segment_dataset(keyed, "vp_plus")
    assert seg.cache.keyed and seg.cache.key != keyed.cache.key
    assert segment_dataset(keyed, "all").cache == keyed.cache


def test_a_fit_another_run_is_doing_is_waited_for(keyed, sample_params, fresh, tmp_path,
                                                   monkeypatch):
    """While another run holds the claim, this one waits and reads that run's entry
    instead of fitting the same model twice."""
    import os
    import threading

    _call(keyed, sample_params)
    (entry,) = tmp_path.glob("model-*.json")
    held = entry.read_bytes()
    entry.unlink()
    marker = tmp_path / f"{entry.stem}.building"
    marker.write_text(f"{os.getpid()} {__import__('platform').node()}")
    _no_fit(monkeypatch)

    def finish():  # the other run writes its entry and releases its claim
        entry.write_bytes(held)
        marker.unlink()

    timer = threading.Timer(0.5, finish)
    timer.start()
    try:
        _same(_call(keyed, sample_params), fresh)
    finally:
        timer.cancel()
