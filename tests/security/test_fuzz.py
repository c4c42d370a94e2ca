"""Fuzzing (hypothesis): params and every file loader meet arbitrary input.

The contract: a params mapping or file either validates or raises ``ParamsError``; a
CSV, XLSX or Parquet file either loads (a table whose rows can be counted) or raises
``DataError`` — never another exception, never a hang. Example counts stay modest for
CI; ``deadline=None`` because the machine is shared.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from leadroi.engine import Engine
from leadroi.errors import DataError, ParamsError
from leadroi.intake.sources import read_raw
from leadroi.params import Params, load_params, params_from_dict

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# -- params ----------------------------------------------------------------------------

_KEYS = sorted(set(Params.model_fields) | {"leads", "spend", "deals", "path", "url",
                                           "mapping", "rules", "stages", "owners", "id",
                                           "table", "query", "sheet", "encoding"})
_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) \
    | st.dates() | st.sampled_from(["2026-Q3", "../../x", "\x00", "leads.csv", "canonical",
                                    "sqlite:///x.db", "-1", "1e309", "NaN", "zh", "en"])
_keys = st.sampled_from(_KEYS) | st.text(max_size=12)
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(_keys, inner, max_size=5), max_leaves=25)
_near_valid = st.fixed_dictionaries(
    {"period": st.sampled_from(["2026-Q3", "2026-07", "2026-Q5", "q3", ""]),
     "data": st.dictionaries(st.sampled_from(["leads", "spend", "deals", "x"]),
                             st.dictionaries(_keys, _values, max_size=4), max_size=3)},
    optional={k: _values for k in _KEYS if k not in ("period", "data")})


@FUZZ
@given(raw=st.dictionaries(_keys, _values, max_size=8) | _near_valid)
def test_params_mapping_validates_or_raises_params_error(raw):
    try:
        result = params_from_dict(raw, base_dir="/nonexistent")
    except ParamsError as exc:
        assert str(exc) and exc.exit_code == 2
    else:
        assert isinstance(result, Params) and "/" not in result.report_id


@FUZZ
@given(content=st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_params_file_bytes_validate_or_raise_params_error(content):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.yaml"
        path.write_bytes(content)
        try:
            load_params(path)
        except ParamsError as exc:
            assert str(exc)


# -- loaders ---------------------------------------------------------------------------


def _load(content: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(content)
        try:
            table, _ = read_raw(Engine(), path, "leads")
            assert int(table.count().to_pyarrow().as_py()) >= 0
        except DataError as exc:
            assert str(exc)


_cell = st.text(alphabet=st.characters(codec="utf-8"), max_size=8) \
    | st.sampled_from(['"', '""', ",", "\r\n", "\n", "#N/A", "=1+1", "\ufeff", "\x00",
                       "2026-07-01", "-1", "¥5万", "\t"])
_csv_text = st.lists(st.lists(_cell, min_size=1, max_size=6), min_size=1, max_size=12).map(
    lambda rows: "\n".join(",".join(r) for r in rows))
_encodings = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1"])


@FUZZ
@given(text=_csv_text, encoding=_encodings)
def test_csv_text_loads_or_raises_data_error(text, encoding):
    _load(text.encode(encoding, errors="replace"), ".csv")


@FUZZ
@given(content=st.binary(min_size=1, max_size=600))
def test_csv_bytes_load_or_raise_data_error(content):
    _load(content, ".csv")


def _xlsx_bytes(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_xlsx_cell = st.none() | st.integers(-10**12, 10**12) | st.floats(allow_nan=True) \
    | st.text(st.characters(min_codepoint=32), max_size=10).filter(
        lambda s: not s.startswith("=")) | st.dates() \
    | st.datetimes() | st.booleans()


@FUZZ
@given(rows=st.lists(st.lists(_xlsx_cell, max_size=5), max_size=8))
def test_xlsx_workbooks_load_or_raise_data_error(rows):
    _load(_xlsx_bytes(rows), ".xlsx")


_VALID_XLSX = _xlsx_bytes([["lead_id", "created_at", "channel"], [1, "2026-07-01", "SEO"]])


@FUZZ
@given(cut=st.integers(0, len(_VALID_XLSX)), flips=st.lists(
    st.tuples(st.integers(0, len(_VALID_XLSX) - 1), st.integers(0, 255)), max_size=6),
    junk=st.binary(max_size=300))
def test_corrupted_xlsx_loads_or_raises_data_error(cut, flips, junk):
    _load(_damaged(_VALID_XLSX, cut, junk, flips), ".xlsx")


def _damaged(valid: bytes, cut: int, junk: bytes, flips: list[tuple[int, int]]) -> bytes:
    """``valid`` cut short at ``cut``, ``junk`` appended, bytes overwritten at ``flips``."""
    content = bytearray(valid[:cut] + junk)
    for at, byte in flips:
        if at < len(content):
            content[at] = byte
    return bytes(content) or b"x"


@FUZZ
@given(members=st.dictionaries(st.sampled_from(["[Content_Types].xml", "xl/workbook.xml",
                                                "xl/worksheets/sheet1.xml", "x"]),
                               st.binary(max_size=200), max_size=4))
def test_zip_with_random_members_raises_data_error(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    _load(buf.getvalue(), ".xlsx")


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buf)
    return buf.getvalue()


_VALID_PARQUET = _parquet_bytes(pd.DataFrame({"lead_id": ["1"], "channel": ["SEO"]}))


@FUZZ
@given(columns=st.dictionaries(st.text(min_size=1, max_size=6),
                               st.lists(st.none() | st.integers() | st.text(max_size=5),
                                        min_size=2, max_size=2), max_size=4))
def test_parquet_tables_load_or_raise_data_error(columns):
    frame = pd.DataFrame({k: pd.Series(v, dtype=object).astype(str) for k, v in columns.items()})
    _load(_parquet_bytes(frame), ".parquet")


@FUZZ
@given(cut=st.integers(0, len(_VALID_PARQUET)), junk=st.binary(max_size=200),
       flips=st.lists(st.tuples(st.integers(0, len(_VALID_PARQUET) - 1),
                                st.integers(0, 255)), max_size=6))
def test_corrupted_parquet_loads_or_raises_data_error(cut, junk, flips):
    _load(_damaged(_VALID_PARQUET, cut, junk, flips), ".parquet")
