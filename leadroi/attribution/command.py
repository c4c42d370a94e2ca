"""``leadroi attribute FILE``: credit by channel under each model, as text or JSON.

The CLI parses the arguments (:mod:`leadroi.cli`); everything else is here.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from leadroi.attribution.credit import Credit, attribute
from leadroi.attribution.pathfile import PathColumns, journeys_from_paths, read_path_file
from leadroi.attribution.paths import Journeys, journeys_from_leads
from leadroi.attribution.registry import Settings
from leadroi.engine import Engine
from leadroi.errors import DataError, ParamsError

__all__ = ["AttributeRequest", "attribute_file", "detect_format", "format_text",
           "format_json", "FORMATS"]

FORMATS = ("touchpoints", "paths")
#: Time-decay half-life when none is given: in days for touchpoints, touches for paths.
DEFAULT_HALF_LIFE = {"touchpoints": 7.0, "paths": 1.0}


@dataclass(frozen=True)
class AttributeRequest:
    """What ``leadroi attribute`` was asked to do (see ``leadroi attribute --help``)."""

    file: Path
    format: str | None = None
    models: list[str] | None = None
    delimiter: str | None = None
    columns: PathColumns = PathColumns()
    leads: Path | None = None
    lookback_days: int = 90
    half_life: float | None = None
    period: str | None = None
    as_of: dt.date | None = None


def detect_format(engine: Engine, file: Path, *, delimiter: str | None,
                  path_column: str) -> str:
    """``paths`` when the file has the path column, else ``touchpoints``."""
    if not Path(file).is_file():
        raise DataError("file not found.", file=str(file))
    quoted = "'" + str(file).replace("'", "''") + "'"
    delim = "" if delimiter is None else ", delim = '" + delimiter.replace("'", "''") + "'"
    source = f"read_parquet({quoted})" if str(file).lower().endswith(".parquet") else \
        f"read_csv({quoted}, all_varchar = true, header = true{delim})"
    try:
        columns = engine.con.sql(f"SELECT * FROM {source} LIMIT 0").columns
    except Exception as exc:  # noqa: BLE001  DuckDB names the problem
        raise DataError(f"cannot be read: {str(exc).strip().splitlines()[0]}",
                        file=str(file)) from None
    return "paths" if path_column in columns else "touchpoints"


def _touchpoint_journeys(req: AttributeRequest, engine: Engine) -> Journeys:
    from leadroi.intake.dataset import load_data
    from leadroi.params import params_from_dict
    from leadroi.periods import parse_period

    if req.leads is None:
        raise ParamsError("touchpoints say who was touched when, not who converted.",
                          key="--leads", hint="Give the leads file too: --leads leads.csv "
                          "(won_at and amount give the conversions and their value).")
    # The intake needs a period; it does not use it (the cohort is chosen below).
    raw = {"period": req.period or "2000-Q1", "as_of": req.as_of,
           "data": {"leads": {"path": str(req.leads)}, "touchpoints": {"path": str(req.file)}}}
    params = params_from_dict({k: v for k, v in raw.items() if v is not None})
    data = load_data(params, engine)
    period = parse_period(req.period) if req.period else None
    return journeys_from_leads(data.leads, data.touchpoints, as_of=data.as_of,
                               lookback_days=req.lookback_days, period=period)


def attribute_file(req: AttributeRequest) -> tuple[Credit, str]:
    """Read ``req.file``, build its journeys and run the models.

    Returns
    -------
    (Credit, format)
        The credit and the format the file was read as.

    Raises
    ------
    DataError, ParamsError
        Unreadable file, missing column, unknown model, touchpoints without leads.
    """
    engine = Engine()
    fmt = req.format or detect_format(engine, req.file, delimiter=req.delimiter,
                                      path_column=req.columns.path)
    if fmt not in FORMATS:
        raise ParamsError(f"unknown format '{fmt}'.", key="--format",
                          hint=f"Use one of: {', '.join(FORMATS)}.")
    if fmt == "paths":
        table = read_path_file(engine, req.file, columns=req.columns, delimiter=req.delimiter)
        journeys = journeys_from_paths(table, sep=req.columns.sep)
    else:
        journeys = _touchpoint_journeys(req, engine)
    journeys = journeys.materialize(engine)
    half_life = req.half_life if req.half_life is not None else DEFAULT_HALF_LIFE[fmt]
    credit = attribute(journeys, req.models, Settings(half_life=half_life))
    if journeys.skipped["rows"]:
        credit.totals["skipped_rows"] = journeys.skipped["rows"]
        credit.totals["skipped_conversions"] = journeys.skipped["conversions"]
    return credit, fmt


def format_json(credit: Credit) -> str:
    """``{model: {channel: {"conversions": x, "value": y}}}`` as JSON."""
    return json.dumps(credit.to_dict(), ensure_ascii=False, indent=2)


def format_text(credit: Credit, fmt: str) -> str:
    """Per channel, the conversions (and value) credited by each model, as text tables."""
    tot = credit.totals
    unit = "paths" if fmt == "paths" else "leads"
    head = (f"{tot['paths']:,.0f} {unit}, {tot['journeys']:,.0f} journeys, "
            f"{tot['conversions']:,.2f} conversions")
    if credit.has_value:
        head += f", value {tot['value']:,.2f}"
    lines = [head]
    if tot.get("skipped_rows"):
        lines.append(f"Skipped {tot['skipped_rows']:,} rows with an empty path "
                     f"({tot['skipped_conversions']:,.2f} conversions).")
    metrics = ["conversions"] + (["value"] if credit.has_value else [])
    for metric in metrics:
        table = credit.wide(metric)
        table.loc["total"] = table.sum()
        lines += ["", f"{metric.capitalize()} credited by each model:",
                  _text_table(table)]
    return "\n".join(lines)


def _text_table(table: pd.DataFrame) -> str:
    shown = table.map(lambda v: f"{v:,.2f}")
    shown.index.name = "channel"
    return shown.reset_index().to_string(index=False)
