"""Files leadroi ships beside its code: the report notebooks and the sample params.

Each has one source, the repository's ``notebooks/`` and ``params/``. A source checkout
(and an editable install) reads them there; a wheel carries copies inside the package,
``leadroi/notebooks/`` and ``leadroi/sample/params/`` (``force-include`` in
``pyproject.toml``), so an installed leadroi renders reports from any folder.
``LEADROI_NOTEBOOKS`` names another notebooks folder.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

__all__ = ["notebooks_dir", "sample_params_dir", "source_hash", "NOTEBOOKS"]

#: report kind -> notebook file name
NOTEBOOKS = {"quarterly": "quarterly_report.ipynb", "campaign": "campaign_retrospective.ipynb"}

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def _shipped(inside: Path, in_checkout: str) -> Path:
    """``inside`` the installed package when it is there, else the checkout's folder."""
    if inside.is_dir():
        return inside
    checkout = _CHECKOUT / in_checkout
    if (_CHECKOUT / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    return inside


def notebooks_dir() -> Path:
    """The folder holding the report notebooks."""
    env = os.environ.get("LEADROI_NOTEBOOKS")
    if env:
        return Path(env)
    return _shipped(_PACKAGE / "notebooks", "notebooks")


def sample_params_dir() -> Path:
    """The folder holding the sample params files (``sample-*.yaml``)."""
    return _shipped(_PACKAGE / "sample" / "params", "params")


@functools.cache
def source_hash(parts: tuple[str, ...] = ()) -> str:
    """A sha256 of leadroi's own source: the ``.py`` files under ``parts`` (folders or
    files relative to the package; empty: the whole package), names and bytes, in a
    fixed order. Caches put it in their keys, so a change of the code that made an entry
    never reuses it."""
    digest = hashlib.sha256()
    for part in parts or ("",):
        root = _PACKAGE / part
        files = sorted(root.rglob("*.py")) if root.is_dir() else [root]
        for path in files:
            digest.update(str(path.relative_to(_PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
