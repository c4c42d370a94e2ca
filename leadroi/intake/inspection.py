"""``leadroi inspect FILE``: the columns of an export and a mapping to paste into params.

The file (or database table) is read exactly as the report would read it; each column is
profiled (filled values, first example) and matched against the names of every preset
plus English and Chinese synonyms (:func:`leadroi.intake.mapping.suggest_mapping`). The result
prints as YAML ready to paste under ``data:``, with the rest as comments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from leadroi.canonical import TABLES
from leadroi.engine import Engine, collect
from leadroi.intake.mapping import guess_table, resolve_mapping, suggest_mapping
from leadroi.intake.messages import message
from leadroi.intake.presets import PRESETS
from leadroi.intake.sources import read_source
from leadroi.params import TableSource

__all__ = ["Inspection", "ColumnProfile", "inspect_source", "to_yaml"]


@dataclass(frozen=True)
class ColumnProfile:
    """One source column: its name, how many values are filled, the first one."""

    name: str
    filled: int
    example: str | None


@dataclass
class Inspection:
    """What :func:`inspect_source` found.

    Attributes
    ----------
    source : TableSource
        How to read it again (``path`` or ``url``, ``sheet``, ``encoding`` ...).
    detail : str
        How it was read (``encoding gb18030``, ``sheet 线索``).
    rows : int
    columns : list of ColumnProfile
    table : str
        The canonical table it looks like (or the one asked for).
    mapping : dict
        Suggested ``{canonical: source column}``.
    preset : str or None
        A preset that maps exactly the same columns, if any.
    """

    source: TableSource
    detail: str
    rows: int
    columns: list[ColumnProfile]
    table: str
    mapping: dict[str, str]
    preset: str | None = None
    unmapped: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _profile(raw) -> tuple[int, list[ColumnProfile]]:
    cols = [c for c in raw.columns if c != "_row"]
    aggs = {"_rows": raw.count()}
    for i, c in enumerate(cols):
        filled = raw[c].cast("string").strip().nullif("")
        aggs[f"f{i}"] = filled.count()
        aggs[f"e{i}"] = raw[c].cast("string").first(where=filled.notnull(), order_by=raw._row)
    row = collect(raw.aggregate(**aggs)).iloc[0]
    return int(row["_rows"]), [ColumnProfile(c, int(row[f"f{i}"]),
                                             None if row[f"e{i}"] is None else
                                             str(row[f"e{i}"])) for i, c in enumerate(cols)]


def _same_preset(table: str, found: list[str], mapping: dict[str, str]) -> str | None:
    for name in PRESETS:
        try:
            if resolve_mapping(name, table, found, file="") == mapping:
                return name
        except Exception:  # noqa: BLE001 - a preset that does not fit is simply not named
            continue
    return None


def inspect_source(source: TableSource, *, table: str | None = None) -> Inspection:
    """Read a source and suggest how to map it.

    Parameters
    ----------
    source : TableSource
        A file (``path``, optional ``sheet``/``encoding``) or a database (``url`` with
        ``table`` or ``query``).
    table : str, optional
        The canonical table it holds; default: guessed from the column names.

    Raises
    ------
    DataError
        The source cannot be read (as for a report).
    """
    engine = Engine()
    raw = read_source(engine, source, "inspect")
    rows, columns = _profile(raw.table)
    found = [c.name for c in columns]
    table = table or guess_table(found)
    mapping = suggest_mapping(table, found)
    return Inspection(
        source=source, detail=raw.detail, rows=rows, columns=columns, table=table,
        mapping=mapping, preset=_same_preset(table, found, mapping),
        unmapped=[c for c in found if c not in mapping.values()],
        missing=[c for c in TABLES[table].required if c not in mapping])


def _entry(ins: Inspection, path: str | None) -> dict:
    src = ins.source
    entry: dict = {}
    if src.path is not None:
        entry["path"] = path or str(src.path)
    else:
        entry["url"] = src.url
        entry["table" if src.table else "query"] = src.table or src.query
    if src.sheet is not None:
        entry["sheet"] = src.sheet
    encoding = ins.detail.removeprefix("encoding ") if ins.detail.startswith("encoding") \
        else None
    if src.encoding or (encoding and encoding != "utf-8"):
        entry["encoding"] = src.encoding or encoding
    entry["mapping"] = dict(ins.mapping)
    return {ins.table: entry}


def to_yaml(ins: Inspection, *, path: str | None = None, lang: str = "en") -> str:
    """The inspection as commented YAML: the ``data:`` entry to paste, with the columns
    found, unmapped columns and any mandatory column left to map as comments.

    ``path`` is the file as the user wrote it (default: the absolute path)."""
    def note(key: str, **values) -> str:
        return "# " + message(f"inspect.{key}", lang, **values)

    width = max((len(c.name) for c in ins.columns), default=0)
    counts = max((len(f"{c.filled:,}") for c in ins.columns), default=0)
    lines = [note("header", file=ins.source.location),
             note("summary", rows=f"{ins.rows:,}", columns=len(ins.columns),
                  detail=ins.detail, table=ins.table),
             note("columns")]
    for c in ins.columns:
        example = (c.example or "")[:40].replace("\n", " ")
        lines.append("#" + message("inspect.column_line", lang, name=c.name.ljust(width),
                                   filled=f"{c.filled:,}".rjust(counts), example=example))
    if ins.preset and ins.preset != "canonical":
        lines.append(note("preset_note", preset=ins.preset))
    if ins.unmapped:
        lines.append(note("unmapped") + " " + ", ".join(ins.unmapped))
    for column in ins.missing:
        lines.append(note("missing", column=column))
    lines.append(note("paste"))
    body = yaml.safe_dump(_entry(ins, path), allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=1000)
    return "\n".join(lines) + "\n" + body
