"""Reading a params file: ``yaml.safe_load`` semantics plus a duplicate-key check, then
validation into :class:`~leadroi.params.report.Params`, relative paths resolved against the
file's folder, and every problem one :class:`~leadroi.errors.ParamsError` naming the key
(and, for a typo, the closest valid key)."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from leadroi.errors import ParamsError
from leadroi.params.report import Params
from leadroi.params.sources import TableSource

__all__ = ["load_params", "params_from_dict", "source_from_cli"]


class _UniqueKeyLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses a key given twice in one mapping."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key '{key}' is given twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def load_params(path: str | Path) -> Params:
    """Read and validate a params YAML file.

    Parameters
    ----------
    path : str or Path
        The params file.

    Returns
    -------
    Params
        With data paths resolved against the file's folder.

    Raises
    ------
    ParamsError
        If the file is missing, is not valid YAML, or does not validate.
    """
    path = Path(path)
    if not path.is_file():
        raise ParamsError("params file not found.", path=str(path),
                          hint="Check the path, or scaffold one with `leadroi new`.")
    try:
        raw = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_UniqueKeyLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ParamsError(f"not valid YAML: {exc}".replace("\n", " "), path=str(path)) from None
    if not isinstance(raw, dict):
        raise ParamsError("expected a mapping of keys at the top level.", path=str(path))
    return params_from_dict(raw, base_dir=path.parent, source_file=path)


def _nul_key(value: Any, key: str = "") -> str | None:
    """The dotted key of the first key or string value holding a NUL byte, else None."""
    if isinstance(value, str):
        return key if "\x00" in value else None
    if isinstance(value, dict):
        for k, v in value.items():
            inner = f"{key}.{k}" if key else str(k)
            if "\x00" in str(k):
                return inner
            if (found := _nul_key(v, inner)) is not None:
                return found
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            if (found := _nul_key(v, f"{key}.{i}")) is not None:
                return found
    return None


def params_from_dict(
    raw: dict[str, Any], *, base_dir: str | Path = ".", source_file: str | Path | None = None
) -> Params:
    """Validate a params mapping (as read from YAML) into :class:`Params`.

    Parameters
    ----------
    raw : dict
        The params.
    base_dir : str or Path
        Folder that relative data paths start from.
    source_file : str or Path, optional
        The file the params came from, for messages and the default report id.

    Raises
    ------
    ParamsError
        Naming the first invalid key, with the closest valid key for a typo.
    """
    where = str(source_file) if source_file else None
    bad = _nul_key(raw)
    if bad is not None:
        raise ParamsError(f"'{bad}' holds a NUL character.", path=where, key=bad,
                          hint="Remove it: no path, id or text may contain one.")
    try:
        params = Params.model_validate(raw)
    except ValidationError as exc:
        raise _params_error(exc, where) from None
    base = Path(base_dir).resolve()
    sources = {name: _resolve(src, base) for name, src in params.data.items()}
    data = params.data.model_copy(update=sources)
    engine = params.engine
    if engine.temp_directory is not None:
        engine = engine.model_copy(update={"temp_directory": base / engine.temp_directory})
    notebook = params.notebook
    if notebook is not None:
        notebook = (base / notebook).resolve()
    cache = params.cache
    if cache.folder is not None:
        cache = cache.model_copy(update={"folder": (base / cache.folder).resolve()})
    return params.model_copy(update={
        "data": data, "engine": engine, "notebook": notebook, "cache": cache,
        "source_file": Path(source_file) if source_file else None})


#: URL schemes whose "host" part is a local file (``sqlite:///relative/path.db``)
_FILE_SCHEMES = ("sqlite", "duckdb")


def _resolve(source: TableSource, base: Path) -> TableSource:
    """Relative file paths (also inside ``sqlite:///`` and ``duckdb:///`` URLs) made
    absolute against ``base``."""
    if source.path is not None:
        return source.model_copy(update={"path": (base / source.path).resolve()})
    scheme, _, rest = (source.url or "").partition(":///")
    if scheme.lower() in _FILE_SCHEMES and rest and not rest.startswith("/"):
        return source.model_copy(update={"url": f"{scheme}:///{(base / rest).resolve()}"})
    return source


def source_from_cli(source: str, *, sheet: str | None = None, encoding: str | None = None,
                    table: str | None = None, query: str | None = None) -> TableSource:
    """A :class:`TableSource` from command-line arguments (``leadroi inspect``): a file
    path, or a URL with ``table``/``query``; relative paths start at the current folder.

    Raises
    ------
    ParamsError
        The combination is invalid (as it would be in a params file).
    """
    raw: dict[str, Any] = {"url": source} if "://" in source else {"path": source}
    if sheet is not None:
        raw["sheet"] = int(sheet) if sheet.isdigit() else sheet
    raw.update({k: v for k, v in (("encoding", encoding), ("table", table),
                                  ("query", query)) if v is not None})
    try:
        parsed = TableSource.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        text = err["msg"].removeprefix("Value error, ")
        raise ParamsError(f"{source}: {text}.", key=".".join(map(str, err["loc"]))) from None
    return _resolve(parsed, Path.cwd())


def _params_error(exc: ValidationError, where: str | None) -> ParamsError:
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"]]
    key = ".".join(loc)
    if err["type"] == "extra_forbidden":
        valid = _fields_at(loc[:-1])
        close = difflib.get_close_matches(loc[-1], valid, n=1, cutoff=0.5)
        hint = f"Did you mean '{close[0]}'?" if close else f"Valid keys: {', '.join(valid)}."
        return ParamsError(f"unknown key '{key}'.", path=where, key=key, hint=hint)
    if err["type"] == "missing":
        return ParamsError(f"missing required key '{key}'.", path=where, key=key)
    message = err["msg"].removeprefix("Value error, ")
    return ParamsError(f"invalid value for '{key}': {message}.", path=where, key=key)


def _fields_at(loc: list[str]) -> list[str]:
    """Names of the valid keys of the model found at ``loc`` under :class:`Params`
    (list positions such as ``scoring.rules.0`` lead into the item model)."""
    model: Any = Params
    for part in loc:
        if part.isdigit():
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        model = _model_in(field.annotation)
        if model is None:
            return []
    return [name for name, f in model.model_fields.items() if not f.exclude]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model in an annotation (``X``, ``X | None``, ``tuple[X, ...]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
