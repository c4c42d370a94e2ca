"""Report parameters: one YAML file per quarter or campaign, validated into a typed object.

The file is read with ``yaml.safe_load`` semantics (plus a duplicate-key check), validated
by pydantic models that forbid unknown keys, and relative data paths are resolved against
the params file's folder. Every problem becomes a :class:`~leadroi.errors.ParamsError`
naming the key, and for a typo the closest valid key.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from leadroi.errors import ParamsError
from leadroi.periods import Period, parse_period

__all__ = [
    "Params",
    "DataSources",
    "TableSource",
    "RecommendSettings",
    "AttributionSettings",
    "load_params",
    "params_from_dict",
]

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TableSource(_Strict):
    """Where one input table comes from and how its columns map to canonical names."""

    path: Path = Field(description="File path; relative paths start at the params file.")
    mapping: str | dict[str, str] = Field(
        "canonical",
        description="A preset name, or {canonical_column: source_column}.",
    )


class DataSources(_Strict):
    """The input tables; only ``leads`` is required."""

    leads: TableSource
    spend: TableSource | None = None
    touchpoints: TableSource | None = None
    targets: TableSource | None = None

    def items(self) -> list[tuple[str, TableSource]]:
        """``(table name, source)`` pairs of the tables that are given."""
        return [(k, v) for k in ("leads", "spend", "touchpoints", "targets")
                if (v := getattr(self, k)) is not None]


class Owners(_Strict):
    """Default owners of each kind of action in the action plan."""

    channel: str = "Marketing manager"
    funnel: str = "Sales manager"
    response: str = "Sales operations"


class RecommendSettings(_Strict):
    """Thresholds of the recommendation rules (see ``leadroi.recommend``)."""

    target_roi: float = Field(0.0, description="Cut/cap a channel whose ROI range is below.")
    scale_roi: float = Field(1.0, description="Scale a channel whose ROI range is above.")
    scale_step: float = Field(0.2, description="Suggested budget increase when scaling.")
    max_scale: int = Field(2, ge=0, description="Recommend scaling at most this many channels.")
    sla_target: float = Field(0.8, ge=0, le=1, description="Share of leads to contact "
                              "within the response SLA.")
    deadline_days: int = Field(45, ge=1, description="Days after period end to act.")
    owners: Owners = Owners()


class AttributionSettings(_Strict):
    """Multi-touch attribution (see ``leadroi.attribution``)."""

    models: list[str] | None = Field(
        None, description="Models to compare, by name; default: every registered model.")
    lookback_days: int = Field(90, ge=1, description="Touches this many days before a "
                               "journey's end count.")
    half_life_days: float = Field(7.0, gt=0, description="Time decay: a touch this many "
                                  "days before the last one counts half.")
    resamples: int = Field(200, ge=0, le=10_000, description="Bootstrap resamples for the "
                           "intervals of the data-driven models (0: none).")
    seed: int = Field(2026, ge=0, description="Seed of the bootstrap and Shapley sampling.")
    agreement: float = Field(0.6, ge=0.5, lt=1, description="Share of models that must "
                             "agree to call a channel an over- or under-performer.")

    @field_validator("models")
    @classmethod
    def _check_models(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return value
        from leadroi.attribution.registry import model_names  # registry loads on demand

        known = model_names()
        for name in value:
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
                tip = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(known)}"
                raise ValueError(f"unknown model '{name}' ({tip})")
        if not value:
            raise ValueError("give at least one model, or leave the key out for all")
        return value


class Params(_Strict):
    """A validated report configuration.

    Build it with :func:`load_params` (from YAML) or :func:`params_from_dict`.
    """

    report: Literal["quarterly", "campaign"] = "quarterly"
    id: str | None = Field(None, description="Report id; default: the params file stem.")
    title: str | None = None
    period: str
    as_of: dt.date | None = Field(
        None, description="Data cut-off date; default: the latest date found in the leads."
    )
    language: Literal["en", "zh"] = "en"
    currency: str = Field("CNY", pattern=r"^[A-Z]{3}$")
    min_leads: int = Field(30, ge=1, description="Smaller groups are 'too few to judge'.")
    response_sla_hours: float = Field(24.0, gt=0)
    data: DataSources
    recommend: RecommendSettings = RecommendSettings()
    attribution: AttributionSettings = AttributionSettings()
    source_file: Path | None = Field(None, exclude=True)

    @field_validator("period")
    @classmethod
    def _check_period(cls, value: str) -> str:
        return parse_period(value).label

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str | None) -> str | None:
        if value is not None and (not _ID.match(value) or ".." in value):
            raise ValueError(
                f"'{value}' is not a valid report id: use letters, digits, '.', '_' or '-'"
            )
        return value

    @property
    def window(self) -> Period:
        """The reporting period as a date window."""
        return parse_period(self.period)

    @property
    def report_id(self) -> str:
        """The id used for output folder and file names."""
        if self.id:
            return self.id
        stem = self.source_file.stem if self.source_file else f"report-{self.period}"
        return _slug(stem)

    def public_dict(self) -> dict[str, Any]:
        """The params as plain data for the appendix: data paths relative to the params
        file's folder (as an analyst writes them), defaults filled in."""
        out = self.model_dump(mode="json", exclude_none=True)
        if self.source_file is not None:
            base = self.source_file.resolve().parent
            for name, source in self.data.items():
                out["data"][name]["path"] = os.path.relpath(source.path, base)
        return out


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "report"
    return slug[:100]


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
    try:
        params = Params.model_validate(raw)
    except ValidationError as exc:
        raise _params_error(exc, where) from None
    base = Path(base_dir).resolve()
    sources = {
        name: src.model_copy(update={"path": (base / src.path).resolve()})
        for name, src in params.data.items()
    }
    data = params.data.model_copy(update=sources)
    return params.model_copy(
        update={"data": data, "source_file": Path(source_file) if source_file else None}
    )


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
    """Names of the valid keys of the model found at ``loc`` under :class:`Params`."""
    model: Any = Params
    for part in loc:
        field = model.model_fields.get(part)
        if field is None:
            return []
        annotation = field.annotation
        candidates = getattr(annotation, "__args__", (annotation,))
        model = next((c for c in candidates if isinstance(c, type)
                      and issubclass(c, BaseModel)), None)
        if model is None:
            return []
    return [name for name, f in model.model_fields.items() if not f.exclude]
