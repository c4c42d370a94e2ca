"""Resource limits: huge fields, a million channel names, a big CSV broken in the
middle, XLSX bombs. Each gives a clear error or a bounded result, quickly. Big inputs
are generated on the fly in ``tmp_path`` (never committed); the biggest are ``slow``.
"""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import pytest
from conftest import lead, write_case
from openpyxl import Workbook, load_workbook

from leadroi.engine import Engine, collect
from leadroi.errors import DataError
from leadroi.intake.dataset import load_data
from leadroi.intake.sources import read_raw
from leadroi.intake.sources import xlsx as xlsx_source
from leadroi.params import load_params
from leadroi.render.excel import write_workbook
from leadroi.report.tables import ReportTable


def test_megabyte_text_fields_load_and_the_workbook_cell_is_capped(tmp_path):
    huge = "注" + "x" * (1 << 20)
    leads = [lead(f"L{i}", "SEO", notes=huge if i % 2 else "short", title=huge)
             for i in range(6)]
    params = load_params(write_case(tmp_path / "case", leads=leads))
    data = load_data(params)
    notes = collect(data.leads.select("lead_id", "notes"))
    assert notes["notes"].str.len().max() == len(huge)  # kept whole in the engine
    import pandas as pd

    table = ReportTable("t", pd.DataFrame({"notes": [huge, "-1"]}), {"notes": "text"})
    ws = load_workbook(write_workbook([table], tmp_path / "w.xlsx")).worksheets[0]
    assert len(ws["A2"].value) == 32767 and ws["A3"].data_type == "s"  # Excel's cell limit


def test_channels_beyond_max_channels_are_one_other_channel(tmp_path):
    leads = [lead(f"L{i}", f"ch{i % 40}") for i in range(400)] + \
        [lead(f"B{i}", "Big") for i in range(50)]
    spend = [{"date": "2026-07-01", "channel": f"ch{i}", "campaign": "", "cost_type":
              "marketing", "amount": 10} for i in range(40)]
    params = load_params(write_case(tmp_path / "case", leads=leads, spend=spend,
                                    max_channels=5))
    data = load_data(params)
    got = collect(data.leads.group_by("channel").aggregate(n=data.leads.count()))
    counts = dict(zip(got["channel"], got["n"]))
    assert len(counts) == 5 + 1 and counts["Big"] == 50 and "Other channels" in counts
    assert sum(counts.values()) == 450  # nothing lost, only the tail merged
    spent = collect(data.spend.aggregate(total=data.spend.amount.sum()))["total"][0]
    assert spent == 400
    assert set(collect(data.spend.select("channel").distinct())["channel"]) <= set(counts)


@pytest.mark.slow
def test_a_million_distinct_channels_are_bounded(tmp_path):
    n = 1_000_000
    path = tmp_path / "leads.csv"
    with open(path, "w") as fh:
        fh.write("lead_id,created_at,channel\n")
        for i in range(n):
            fh.write(f"L{i},2026-07-{1 + i % 28:02d} 10:00,channel-{i}\n")
    params = load_params(write_case(tmp_path / "case", leads=[lead("x", "y")]))
    params = params.model_copy(update={"data": params.data.model_copy(update={
        "leads": params.data.leads.model_copy(update={"path": path})})})
    started = time.perf_counter()
    data = load_data(params)
    from leadroi.report.quarterly import analyse

    results = analyse(data, params)
    assert time.perf_counter() - started < 600
    assert len(results.by_channel) <= params.max_channels + 1
    names = collect(data.leads.select("channel").distinct())["channel"]
    assert len(names) == params.max_channels + 1
    assert int(data.leads.count().to_pyarrow().as_py()) == n


def _csv_with_broken_line(path: Path, rows: int, broken: str) -> int:
    """Write ``rows`` good rows with ``broken`` in the middle; return its line number."""
    middle = rows // 2
    with open(path, "w") as fh:
        fh.write("lead_id,created_at,channel\n")
        for i in range(rows):
            if i == middle:
                fh.write(broken)
            fh.write(f"L{i},2026-07-01 10:00,SEO\n")
    return middle + 2  # header is line 1


@pytest.mark.parametrize("broken", ['x,"2026-07-01,SEO\n', "x,2026-07-01,SEO,extra,more\n"])
def test_broken_line_in_a_large_csv_is_named(tmp_path, broken):
    path = tmp_path / "leads.csv"
    line = _csv_with_broken_line(path, 300_000, broken)
    started = time.perf_counter()
    with pytest.raises(DataError) as info:
        read_raw(Engine(), path, "leads")
    assert time.perf_counter() - started < 120
    assert f"Line: {line}" in str(info.value) and "leads.csv" in str(info.value)


@pytest.mark.slow
def test_broken_line_in_a_gigabyte_scale_csv_is_named(tmp_path):
    path = tmp_path / "big.csv"
    line = _csv_with_broken_line(path, 12_000_000, "x,2026-07-01,SEO,extra\n")
    assert path.stat().st_size > 300 << 20
    started = time.perf_counter()
    with pytest.raises(DataError) as info:
        read_raw(Engine(), path, "leads")
    assert time.perf_counter() - started < 600
    assert f"Line: {line}" in str(info.value)


def _small_workbook(path: Path) -> Path:
    wb = Workbook()
    wb.active.append(["lead_id", "created_at", "channel"])
    wb.active.append(["L1", "2026-07-01", "SEO"])
    wb.active.append(["L2", "2026-07-02", "SEM"])
    wb.save(path)
    return path


def _rewrite_sheet(path: Path, change) -> None:
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["xl/worksheets/sheet1.xml"] = change(members["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)


def test_xlsx_with_huge_declared_dimensions_reads_only_stored_cells(tmp_path, monkeypatch):
    """A sheet declaring A1:XFD1048576 would make openpyxl pad every row to 16,384
    cells (a 100k-row sheet: 1.6 billion cells): rows must come back as stored."""
    path = _small_workbook(tmp_path / "dims.xlsx")
    _rewrite_sheet(path, lambda xml: re.sub(rb'<dimension ref="[^"]*" */>',
                                            b'<dimension ref="A1:XFD1048576"/>', xml))
    widths = []
    filled = xlsx_source._filled
    monkeypatch.setattr(xlsx_source, "_filled", lambda row: widths.append(len(row))
                        or filled(row))
    table, _ = read_raw(Engine(), path, "leads")
    assert table.columns == ("_row", "lead_id", "created_at", "channel")
    assert int(table.count().to_pyarrow().as_py()) == 2
    assert widths and max(widths) <= 3


def test_xlsx_zip_bomb_is_refused_before_reading(tmp_path):
    path = _small_workbook(tmp_path / "bomb.xlsx")
    padding = b" " * (xlsx_source.RATIO_FROM + (8 << 20))
    _rewrite_sheet(path, lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + padding))
    assert path.stat().st_size < 2 << 20
    started = time.perf_counter()
    with pytest.raises(DataError) as info:
        read_raw(Engine(), path, "leads")
    assert time.perf_counter() - started < 10
    text = str(info.value)
    assert "bomb.xlsx" in text and "too large to read safely" in text and "ratio" in text


def test_xlsx_declaring_more_than_max_unpacked_is_refused(tmp_path, monkeypatch):
    path = _small_workbook(tmp_path / "big.xlsx")
    monkeypatch.setattr(xlsx_source, "MAX_UNPACKED", 1000)
    with pytest.raises(DataError, match="unpack to"):
        read_raw(Engine(), path, "leads")
