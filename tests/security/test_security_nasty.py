"""The nasty-file corpus (``tests/data/nasty/``): each file's outcome, pinned.

Either the table loads with the right values, or a :class:`DataError` says which file,
which line and what to do — never a traceback, never silent mojibake.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from leadroi.engine import collect
from leadroi.errors import DataError
from leadroi.intake.dataset import load_data
from leadroi.params import params_from_dict

NASTY = Path(__file__).resolve().parents[1] / "data" / "nasty"
ZH = {"L1": ("百度推广", "访问了价格页面"), "L2": ("微信", "下载白皮书")}


def _load(name: str, **source):
    raw = {"period": "2026-Q3", "as_of": "2026-10-31",
           "data": {"leads": {"path": name, **source}}}
    data = load_data(params_from_dict(raw, base_dir=NASTY))
    return data, collect(data.leads).set_index("lead_id").sort_index()


@pytest.mark.parametrize("name,detail", [
    ("gbk.csv", "encoding gb18030"), ("utf8_chinese.csv", "encoding utf-8"),
    ("utf8_bom.csv", "encoding utf-8"), ("utf16_bom_tab.txt", "encoding utf-16"),
    ("crlf.csv", "encoding utf-8")])
def test_encodings_boms_and_crlf_load_the_same_chinese_text(name, detail):
    data, leads = _load(name)
    assert data.files["detail"].tolist() == [detail]
    for lead_id, (channel, notes) in ZH.items():
        assert leads.loc[lead_id, "channel"] == channel and leads.loc[lead_id, "notes"] == notes
    assert leads.index.tolist() == ["L1", "L2"]  # the BOM did not stick to "lead_id"
    assert not any("\r" in str(v) for v in leads["notes"])
    assert leads.loc["L2", "created_at"] == dt.datetime(2026, 7, 2, 11)


@pytest.mark.parametrize("name,declared,line", [("gbk.csv", "utf-8", 2),
                                                ("utf8_chinese.csv", "gbk", 2)])
def test_wrong_declared_encoding_is_a_clear_error(name, declared, line):
    with pytest.raises(DataError) as info:
        _load(name, encoding=declared)
    text = str(info.value)
    assert name in text and f"cannot be read as {declared}" in text
    assert f"line {line}" in text and "Remove `encoding:`" in text


def test_trailing_commas_add_no_data():
    data, leads = _load("trailing_commas.csv")
    assert leads.index.tolist() == ["L1", "L2"] and leads.loc["L2", "channel"] == "SEM"
    assert data.quality.loc[0, "rows_used"] == 2


def test_duplicate_column_names_first_wins_the_second_is_renamed():
    """DuckDB's rule (``channel_1`` for a second ``channel``), the same for XLSX."""
    from leadroi.engine import Engine
    from leadroi.intake.sources import read_raw

    table, _ = read_raw(Engine(), NASTY / "duplicate_columns.csv", "leads")
    assert table.columns == ("_row", "lead_id", "created_at", "channel", "channel_1")
    _, leads = _load("duplicate_columns.csv")
    assert leads["channel"].tolist() == ["SEO", "SEM"]


def test_formula_text_in_csv_stays_text():
    _, leads = _load("formula_text.csv")
    assert leads.loc["L1", "notes"] == '=HYPERLINK("http://x","y")'
    assert leads.loc["L2", "channel"] == "@SUM(1)" and leads.loc["L2", "notes"] == "+1"


def test_xlsx_formulas_are_never_evaluated():
    """Only a formula's cached value is read; without one the cell is missing, and a
    lead missing its channel is quarantined with that reason."""
    data, leads = _load("formulas.xlsx")
    assert leads.index.tolist() == ["L1"]
    assert leads["amount"].isna().all()
    reasons = data.reasons.set_index("column")
    assert reasons.loc["channel", "code"] == "missing" and reasons.loc["channel", "rows"] == 1


def test_merged_banner_and_merged_header_cells():
    """The merged banner row is skipped; a header cell merged over two columns names the
    first, and the column it hides has no name and is not read."""
    data, leads = _load("merged_header.xlsx")
    assert data.files["detail"].tolist() == ["sheet 线索"]
    assert leads.loc["L1", "channel"] == "百度推广"
    assert "notes" not in leads.columns


def test_dates_in_several_formats():
    data, leads = _load("dates_5_formats.csv")
    expected = {"D1": dt.datetime(2026, 7, 1, 9, 30), "D2": dt.datetime(2026, 7, 2),
                "D3": dt.datetime(2026, 7, 3), "D5": dt.datetime(2026, 7, 5),
                "D6": dt.datetime(2026, 7, 6, 8), "D7": dt.datetime(2026, 7, 7)}
    assert {k: v.to_pydatetime() for k, v in leads["created_at"].items()} == expected
    # the compact 20260704 and the non-date are quarantined, with their reason
    assert data.quality.loc[0, "rows_quarantined"] == 2
    assert data.reasons.loc[0, "column"] == "created_at"


@pytest.mark.parametrize("name,message", [("empty.csv", "file is empty"),
                                          ("bom_only.csv", "file is empty"),
                                          ("header_only.csv", "has a header but no data")])
def test_empty_files_are_clear_errors(name, message):
    with pytest.raises(DataError) as info:
        _load(name)
    assert name in str(info.value) and message in str(info.value)


def test_byte_order_mark_that_does_not_fit_the_text_is_a_clear_error(tmp_path):
    """FF FE 00 00 is UTF-32's mark, or UTF-16's followed by a NUL: neither reading may
    end in a UnicodeDecodeError."""
    from leadroi.engine import Engine
    from leadroi.intake.sources import read_raw

    path = tmp_path / "odd.csv"
    path.write_bytes(b"\xff\xfe\x00\x00,\x00,\x00")
    with pytest.raises(DataError) as info:
        read_raw(Engine(), path, "leads")
    assert "odd.csv" in str(info.value) and "cannot be read as" in str(info.value)


def test_damaged_xlsx_member_is_a_clear_error(tmp_path):
    """A workbook whose sheet's compressed bytes are damaged fails while streaming (zlib
    or XML errors): that is a DataError naming the file, not a traceback."""
    import zipfile

    from openpyxl import Workbook

    from leadroi.engine import Engine
    from leadroi.intake.sources import read_raw

    wb = Workbook()
    for i in range(300):
        wb.active.append([f"L{i}", "2026-07-01", f"channel {i * 7919 % 1000}"])
    path = tmp_path / "damaged.xlsx"
    wb.save(path)
    content = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for at in range(start + info.compress_size // 2, start + info.compress_size // 2 + 40):
        content[at] ^= 0x5A
    path.write_bytes(bytes(content))
    with pytest.raises(DataError) as err:
        read_raw(Engine(), path, "leads")
    assert "damaged.xlsx" in str(err.value) and "XLSX" in str(err.value)
