"""The params of a report notebook, however papermill was called.

* ``leadroi run`` and ``papermill … -p params_file FILE`` hand the notebook a params file
  (a relative one starts at the folder the kernel runs in: papermill's ``--cwd``, else the
  folder papermill was started in).
* ``papermill … -f FILE`` hands it the file's *keys* instead, as variables of the
  injected-parameters cell (``report``, ``period``, ``data`` ...), and papermill does
  not say which file they came from. Relative paths in a params file start at the file's
  folder, so leadroi looks for it: a YAML file in the working folder or its ``params/``
  folder whose ``data:`` is the injected one. When none is found, relative paths start at
  the working folder. Keys given with ``-p`` on top of ``-f`` override the file's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from leadroi.errors import ParamsError
from leadroi.params.load import load_params, params_from_dict
from leadroi.params.report import Params

__all__ = ["notebook_params", "PARAMS_KEYS", "SEARCHED"]

#: Top-level keys of a params file (the names papermill's ``-f`` injects).
PARAMS_KEYS = tuple(name for name in Params.model_fields if name != "source_file")

#: Folders, relative to the working folder, searched for the file ``-f`` read.
SEARCHED = (".", "params")

_PLAIN = (str, int, float, bool, list, dict, type(None), dt.date)


def notebook_params(params_file: str, namespace: Mapping[str, Any]) -> Params:
    """The report's :class:`Params`, from the notebook's parameters.

    Parameters
    ----------
    params_file : str
        The ``params_file`` parameter.
    namespace : mapping
        The notebook's variables (``globals()``): params keys papermill injected from
        ``-f FILE`` are taken from here and take precedence over ``params_file``.
    """
    injected = {k: namespace[k] for k in PARAMS_KEYS
                if k in namespace and isinstance(namespace[k], _PLAIN)}
    if not injected:
        return load_params(Path(params_file).absolute())
    if "data" not in injected:
        raise ParamsError("papermill's parameters (-f/-p) have no `data:`.", key="data",
                          hint="Pass the whole params file with `-f params/<quarter>.yaml`, "
                          "or `-p params_file params/<quarter>.yaml`.")
    found = _file_holding(injected)
    if found is None:
        return params_from_dict(injected, base_dir=Path.cwd())
    if found.is_dir():
        return params_from_dict(injected, base_dir=found)
    return params_from_dict(injected, base_dir=found.parent, source_file=found)


def _normal(value: Any) -> Any:
    """Dates as ISO text (papermill's YAML reader keeps them as text)."""
    if isinstance(value, dict):
        return {str(k): _normal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _file_holding(injected: dict[str, Any]) -> Path | None:
    """The params file papermill read the injected keys from: among the YAML files of
    :data:`SEARCHED`, the one whose keys are all injected unchanged, else the only one
    with the injected ``data:``; when several in one folder share it, that folder.
    ``None`` when there is none (or no ``data:``)."""
    wanted = _normal(injected)
    same_data: list[Path] = []
    for folder in SEARCHED:
        for path in sorted(Path(folder).glob("*.y*ml")):
            try:
                raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                continue
            if not isinstance(raw, dict) or _normal(raw.get("data")) != wanted["data"]:
                continue
            raw = _normal(raw)
            if all(wanted.get(k) == v for k, v in raw.items()):
                return path.resolve()
            same_data.append(path.resolve())
    if len(same_data) == 1:
        return same_data[0]
    if len({p.parent for p in same_data}) > 1:
        names = ", ".join(str(p) for p in same_data[:3])
        raise ParamsError(f"papermill's -f keys match params files in several folders "
                          f"({names}), so their relative paths are ambiguous.", key="data",
                          hint="Run papermill from the project folder, or pass the file with "
                          "`-p params_file FILE` instead of `-f`.")
    return same_data[0].parent if same_data else None
