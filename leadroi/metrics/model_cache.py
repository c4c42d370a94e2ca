"""The predictive score's results kept beside the load cache, so a rerun does not refit.

Fitting and validating the score (:func:`leadroi.metrics.predict.score_model`) is the
largest share of a report's analysis. Its result is a pure function of the loaded tables,
the period, the cut-off, the scoring params, the margin, leadroi's code and the versions
of scikit-learn and NumPy; when the load came from (or went into) the load cache, the
load's key stands for the tables, and the result is stored as ``model-<key>.json`` in the
same folder, under a key over all of these. A rerun after editing, say, an owner in the
action plan then reads it instead of fitting again.

The entry is plain JSON (no pickle: a cache file is data, never code), written under a
temporary name and renamed into place; one that does not parse, is for another key or
another format is ignored and the model is fitted again. Entries age out with the load
cache's (least recently used first). Runs that need the same fit at once fit it once
(:func:`leadroi.intake.cache.claim`): the others wait for the entry.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import os
import threading
import time
from pathlib import Path

import pandas as pd

from leadroi.intake.cache import claim
from leadroi.metrics.predict import ScoreModel, TimeSplit, score_model
from leadroi.params import ScoringSettings
from leadroi.periods import Period
from leadroi.shipped import source_hash

__all__ = ["cached_score_model", "model_key", "read_model", "write_model", "FORMAT"]

#: Bumped when the entry layout changes.
FORMAT = 1
_FRAMES = ("validation", "selection", "calibration", "effects", "suggested_rules",
           "priority", "channels")
_SPLIT = ("fit", "select", "train", "test", "use")
_code_hash: str | None = None  # set by tests: another code version


def _code() -> str:
    """A hash of leadroi's whole source: any change of the code fits again."""
    return _code_hash or source_hash()


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("scikit-learn", "numpy", "pandas"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "none"
    return out


def model_key(load_key: str, period: Period, as_of: dt.date, scoring: ScoringSettings,
              margin: float | None) -> str:
    """The key of one fitted score: everything :func:`score_model` reads."""
    doc = {"format": FORMAT, "load": load_key, "code": _code(), "versions": _versions(),
           "period": [period.label, period.kind, period.start.isoformat(),
                      period.end.isoformat()],
           "as_of": as_of.isoformat(), "scoring": scoring.model_dump(mode="json"),
           "margin": margin}
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:32]


def _plain(value):
    """A JSON value for one cell (NaN and missing are null; numbers keep every bit)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (pd.Timestamp, dt.date)):
        return value.isoformat()
    if hasattr(value, "item"):  # a NumPy scalar in an object column
        return _plain(value.item())
    return value


def _frame_doc(frame: pd.DataFrame) -> dict:
    return {"columns": [str(c) for c in frame.columns],
            "dtypes": [str(t) for t in frame.dtypes],
            "index": None if isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0
            and frame.index.step == 1 else [_plain(v) for v in frame.index.tolist()],
            "data": [[_plain(v) for v in frame[c].tolist()] for c in frame.columns]}


def _frame(doc: dict) -> pd.DataFrame:
    columns = {}
    for name, dtype, values in zip(doc["columns"], doc["dtypes"], doc["data"]):
        if dtype.startswith("datetime64"):
            columns[name] = pd.Series(pd.to_datetime(values), dtype=dtype)
        elif dtype == "object":
            columns[name] = pd.Series(values, dtype=object)
        else:  # numbers and booleans: null is NaN in a float column
            columns[name] = pd.Series([math.nan if v is None else v for v in values],
                                      dtype=dtype)
    frame = pd.DataFrame(columns, columns=doc["columns"])
    if doc["index"] is not None:
        frame.index = doc["index"]
    return frame


def _period(doc: list) -> Period:
    label, kind, start, end = doc
    return Period(label, kind, dt.date.fromisoformat(start), dt.date.fromisoformat(end))


def _period_doc(p: Period) -> list:
    return [p.label, p.kind, p.start.isoformat(), p.end.isoformat()]


def write_model(folder: Path, key: str, model: ScoreModel) -> None:
    """Store ``model`` as ``model-<key>.json`` (a write that fails is no error)."""
    split = None if model.split is None else {
        name: _period_doc(getattr(model.split, name)) for name in _SPLIT}
    why = {k: v.item() if hasattr(v, "item") else v for k, v in model.why.items()}
    doc = {"format": FORMAT, "key": key, "status": model.status, "why": why,
           "chosen": model.chosen, "split": split,
           "frames": {f: _frame_doc(getattr(model, f)) for f in _FRAMES}}
    tmp = folder / f".tmp-model-{key}-{os.getpid()}-{threading.get_ident()}.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
        os.replace(tmp, folder / f"model-{key}.json")
    except (OSError, TypeError, ValueError):
        with contextlib.suppress(OSError):
            tmp.unlink()


def read_model(folder: Path, key: str) -> ScoreModel | None:
    """The stored model ``key``, or None when there is none or it cannot be trusted."""
    path = folder / f"model-{key}.json"
    try:
        doc = json.loads(path.read_text("utf-8"))
        if doc.get("format") != FORMAT or doc.get("key") != key:
            return None
        split = None if doc["split"] is None else TimeSplit(
            **{name: _period(doc["split"][name]) for name in _SPLIT})
        frames = {f: _frame(doc["frames"][f]) for f in _FRAMES}
        model = ScoreModel(doc["status"], dict(doc["why"]), doc["chosen"], split, **frames)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    with contextlib.suppress(OSError):  # least recently used: a hit counts as a use
        now = time.time()
        os.utime(path, (now, now))
    return model


def cached_score_model(data, period: Period, as_of: dt.date, scoring: ScoringSettings, *,
                       margin: float | None = None) -> ScoreModel:
    """:func:`score_model`, read from the cache when the same fit was stored before.

    Only a load that the load cache keyed (``data.cache``) is cached: its key is what
    stands for the tables. Otherwise this is :func:`score_model`.
    """
    status = getattr(data, "cache", None)
    if status is None or not status.keyed or not scoring.model.enabled:
        return score_model(data, period, as_of, scoring, margin=margin)
    folder = Path(status.folder)
    key = model_key(status.key, period, as_of, scoring, margin)
    found = read_model(folder, key)
    if found is not None:
        return found
    path = folder / f"model-{key}.json"
    building = claim(folder, f"model-{key}", path.is_file)
    if building is None:  # another run fitted it meanwhile
        found = read_model(folder, key)
        if found is not None:
            return found
    try:
        model = score_model(data, period, as_of, scoring, margin=margin)
        write_model(folder, key, model)
    finally:
        if building is not None:
            building.release()
    return model
