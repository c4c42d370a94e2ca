"""``cache:``: where the cleaned canonical tables of a load are kept for the next run."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from leadroi.params._base import Strict

__all__ = ["CacheSettings"]


class CacheSettings(Strict):
    """The load cache (:mod:`leadroi.intake.cache`): the canonical tables, quarantine and
    reconciliation of one load, reused while the input files, the params that shape the
    load and leadroi itself are unchanged."""

    enabled: bool = Field(True, description="Reuse an earlier load of the same inputs "
                          "(`leadroi run --no-cache` turns it off for one run).")
    folder: Path | None = Field(None, description="Cache folder, relative to the params "
                                "file's folder; default `.leadroi-cache` in the folder "
                                "`leadroi run` (or the notebook) runs in.")
    max_mb: int = Field(2048, ge=1, description="Largest total size of the cache; the "
                        "least recently used entries are removed beyond it.")
