"""Column mapping: source column names onto canonical names, by preset or explicit map.

Presets are registered by name in :data:`PRESETS`; adding one is adding one entry.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping

from leadroi.canonical import TABLES
from leadroi.errors import DataError

__all__ = ["PRESETS", "register_preset", "resolve_mapping"]

#: preset name -> function(table name) -> {canonical column: source column}
PRESETS: dict[str, Callable[[str], dict[str, str]]] = {}


def register_preset(name: str) -> Callable:
    """Decorator registering a mapping preset under ``name``."""
    def deco(func: Callable[[str], dict[str, str]]) -> Callable[[str], dict[str, str]]:
        PRESETS[name] = func
        return func
    return deco


@register_preset("canonical")
def _canonical(table: str) -> dict[str, str]:
    return {name: name for name in TABLES[table].names}


def resolve_mapping(
    mapping: str | Mapping[str, str], table: str, found: list[str], *, file: str
) -> dict[str, str]:
    """Decide which source column feeds each canonical column.

    Parameters
    ----------
    mapping : str or mapping
        A preset name, or ``{canonical: source}``; canonical columns not named in an
        explicit mapping are taken by their canonical name when present.
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
    spec = TABLES[table]
    if isinstance(mapping, str):
        if mapping not in PRESETS:
            close = difflib.get_close_matches(mapping, list(PRESETS), n=1)
            hint = f"Did you mean '{close[0]}'?" if close else f"Known: {', '.join(PRESETS)}."
            raise DataError(f"unknown mapping preset '{mapping}'.", file=file, hint=hint)
        wanted = PRESETS[mapping](table)
    else:
        unknown = [k for k in mapping if k not in spec.names]
        if unknown:
            raise DataError(f"mapping names unknown canonical column '{unknown[0]}'.",
                            file=file, hint=f"Canonical {table} columns: "
                            f"{', '.join(spec.names)}.")
        wanted = {**_canonical(table), **dict(mapping)}
        missing = [src for canon, src in mapping.items() if src not in found]
        if missing:
            raise DataError(f"mapped column '{missing[0]}' is not in the file.", file=file,
                            column=missing[0], hint=_closest(missing[0], found))
    stripped = {f.strip().lstrip("\ufeff"): f for f in found}
    resolved = {canon: stripped[src] for canon, src in wanted.items() if src in stripped}
    for canon in spec.required:
        if canon not in resolved:
            raise DataError(
                f"mandatory column '{canon}' not found.", file=file, column=canon,
                hint=_closest(canon, found) + f" Add `{canon}: <column>` under `mapping:` "
                "in the params file.")
    if table == "spend" and "date" not in resolved and "period" not in resolved:
        raise DataError("spend needs a 'date' or a 'period' column.", file=file,
                        hint=_closest("date", found))
    return resolved


def _closest(name: str, found: list[str]) -> str:
    close = difflib.get_close_matches(name, found, n=3, cutoff=0.4)
    if close:
        return f"Closest columns found: {', '.join(close)}."
    return f"Columns found: {', '.join(found[:12])}{' ...' if len(found) > 12 else ''}."
