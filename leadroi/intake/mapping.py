"""Column mapping: source column names onto canonical names, by preset or explicit map.

Presets live in :mod:`leadroi.intake.presets` (``canonical``, ``zh-template``, ``hubspot``,
``salesforce``). An explicit mapping in the params names ``{canonical: source}`` and may
add ``preset: <name>`` for the columns it does not name. :func:`suggest_mapping` guesses
a mapping from English and Chinese synonyms for ``leadroi inspect``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from leadroi.canonical import TABLES
from leadroi.intake.messages import data_error
from leadroi.intake.presets import PRESETS, SYNONYMS, normalise_name, preset_columns

__all__ = ["PRESETS", "resolve_mapping", "suggest_mapping", "guess_table", "closest_columns"]

#: fuzzy matches of a column name to a synonym below this similarity are ignored
MATCH_CUTOFF = 0.85


def _split(mapping: str | Mapping[str, str], table: str, file: str) -> tuple[str, dict]:
    if isinstance(mapping, str):
        preset, explicit = mapping, {}
    else:
        explicit = dict(mapping)
        preset = explicit.pop("preset", "canonical")
    if preset not in PRESETS:
        close = difflib.get_close_matches(preset, list(PRESETS), n=1)
        raise data_error("unknown_preset", file=file, preset=preset,
                         closest=close[0] if close else ", ".join(PRESETS))
    unknown = [k for k in explicit if k not in TABLES[table].names]
    if unknown:
        raise data_error("unknown_canonical", file=file, name=unknown[0], table=table,
                         columns=", ".join(TABLES[table].names))
    return preset, explicit


def resolve_mapping(
    mapping: str | Mapping[str, str], table: str, found: list[str], *, file: str
) -> dict[str, str]:
    """Decide which source column feeds each canonical column.

    Parameters
    ----------
    mapping : str or mapping
        A preset name, or ``{canonical: source}`` (plus optional ``preset: <name>``,
        default ``canonical``, for the columns not named).
    table : str
        Canonical table name.
    found : list of str
        Columns present in the source.
    file : str
        Source, for messages.

    Returns
    -------
    dict
        ``{canonical: source}`` for every canonical column available in the source.

    Raises
    ------
    DataError
        Unknown preset, a mapped column that is not in the source, or a mandatory
        column that cannot be found (naming the closest columns and the line to add).
    """
    preset, explicit = _split(mapping, table, file)
    by_name = {}
    for f in found:
        by_name.setdefault(normalise_name(f), f)
    resolved: dict[str, str] = {}
    for canon, src in explicit.items():
        hit = src if src in found else by_name.get(normalise_name(src))
        if hit is None:
            raise data_error("mapped_missing", file=file, column=src, canonical=canon,
                             closest=closest_columns(src, found))
        resolved[canon] = hit
    used = set(resolved.values())
    for canon, candidates in preset_columns(preset, table).items():
        if canon in resolved:
            continue
        hit = next((by_name[n] for c in candidates
                    if (n := normalise_name(c)) in by_name and by_name[n] not in used), None)
        if hit is not None:
            resolved[canon] = hit
            used.add(hit)
    for canon in TABLES[table].required:
        if canon not in resolved:
            raise _mandatory_missing(canon, table, found, file)
    if table == "spend" and "date" not in resolved and "period" not in resolved:
        raise data_error("spend_date", file=file, closest=closest_columns("date", found))
    return resolved


def _mandatory_missing(canon: str, table: str, found: list[str], file: str):
    guess = suggest_mapping(table, found, cutoff=0.6).get(canon)
    near = closest_columns(canon, found, synonyms=SYNONYMS[table][canon])
    return data_error("mandatory_missing", file=file, column=canon, canonical=canon,
                      closest=near, example=guess or "<column>")


def closest_columns(name: str, found: list[str], *, synonyms: set[str] | None = None,
                    n: int = 3) -> str:
    """The found columns most like ``name`` (or any of ``synonyms``), comma-separated;
    the first columns found when none is close."""
    scored = []
    targets = {normalise_name(name)} | (synonyms or set())
    for f in found:
        key = normalise_name(f)
        score = max(difflib.SequenceMatcher(None, key, t).ratio() for t in targets)
        scored.append((score, f))
    close = [f for score, f in sorted(scored, key=lambda x: -x[0]) if score >= 0.4][:n]
    shown = close or found[:12]
    more = " ..." if not close and len(found) > 12 else ""
    return ", ".join(shown) + more


def _bare(name: str) -> str:
    """A normalised name without a trailing unit in brackets: ``成交金额(元)`` -> ``成交金额``."""
    return re.sub(r"\([^)]*\)$", "", name)


def _score(column: str, names: set[str], cutoff: float) -> float:
    key = normalise_name(column)
    if key in names:
        return 1.0
    if _bare(key) in {_bare(n) for n in names}:
        return 0.95
    best = max((difflib.SequenceMatcher(None, key, n).ratio() for n in names), default=0.0)
    return best if best >= cutoff else 0.0


def suggest_mapping(table: str, found: list[str], *,
                    cutoff: float = MATCH_CUTOFF) -> dict[str, str]:
    """Guess ``{canonical: source column}`` from column names alone.

    Each source column is matched against the names every preset uses plus English and
    Chinese synonyms (:data:`leadroi.intake.presets.SYNONYMS`): exactly, without a unit suffix,
    or fuzzily (similarity at least ``cutoff``). Each canonical column and each source
    column is used at most once, best matches first.
    """
    synonyms = SYNONYMS[table]
    order = {c: i for i, c in enumerate(TABLES[table].names)}
    pairs = []
    for column in found:
        for canon, names in synonyms.items():
            score = _score(column, names, cutoff)
            if score:
                pairs.append((-score, order[canon], canon, column))
    out: dict[str, str] = {}
    used: set[str] = set()
    for _, _, canon, column in sorted(pairs):
        if canon not in out and column not in used:
            out[canon] = column
            used.add(column)
    return {c: out[c] for c in TABLES[table].names if c in out}


def guess_table(found: list[str]) -> str:
    """The canonical table a source most looks like: all mandatory columns matched
    first, then the most columns matched (``leads`` on a tie)."""
    def rank(table: str) -> tuple[bool, int]:
        guess = suggest_mapping(table, found)
        return all(c in guess for c in TABLES[table].required), len(guess)
    return max(TABLES, key=rank)
