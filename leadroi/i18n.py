"""String catalogues: every heading, label, sentence and glossary entry, per language.

All user-facing text lives in ``leadroi/locales/<lang>/*.yaml`` (one file per area of the
report, merged; a key defined in two files is an error); code refers to it by dotted key
(``t("section.input")``). Both languages have the same keys (a test checks it).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["Catalogue", "catalogue", "LANGUAGES"]

LANGUAGES = ("en", "zh")


def _flatten(tree: dict, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in tree.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, full + "."))
        else:
            out[full] = value
    return out


#: libyaml's safe loader when PyYAML was built with it (ten times faster), else the pure
#: Python one: the same safe subset of YAML either way
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Catalogue:
    """The strings of one language.

    Parameters
    ----------
    lang : {"en", "zh"}
    """

    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
        self.lang = lang
        self.strings: dict[str, Any] = {}
        folder = resources.files("leadroi").joinpath("locales", lang)
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".yaml"):
                continue
            strings = _flatten(yaml.load(entry.read_text(encoding="utf-8"),
                                         Loader=_SAFE_LOADER) or {})
            twice = set(strings) & set(self.strings)
            if twice:
                raise ValueError(f"{lang}/{entry.name} redefines {sorted(twice)[0]!r}")
            self.strings.update(strings)

    def __call__(self, key: str, **values: Any) -> str:
        """The string at ``key`` with ``{placeholders}`` filled from ``values``."""
        try:
            template = self.strings[key]
        except KeyError:
            raise KeyError(f"no '{key}' in the {self.lang} catalogue") from None
        return str(template).format(**values) if values else str(template)

    def get(self, key: str, default: str | None = None, **values: Any) -> str | None:
        """Like calling the catalogue, but ``default`` when the key is absent."""
        return self(key, **values) if key in self.strings else default

    def keys(self, prefix: str = "") -> list[str]:
        """Keys starting with ``prefix``, in catalogue order."""
        return [k for k in self.strings if k.startswith(prefix)]


@cache
def catalogue(lang: str) -> Catalogue:
    """The (cached) catalogue of ``lang``."""
    return Catalogue(lang)
