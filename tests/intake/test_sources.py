"""Reading sources: CSV encodings, XLSX, Parquet, and databases (SQLite, DuckDB files,
PostgreSQL) by URL — each against real files and a real server."""

from __future__ import annotations

import sqlite3

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from leadroi.engine import Engine, collect
from leadroi.errors import DataError
from leadroi.intake.dataset import load_data
from leadroi.intake.sources import read_raw, read_source, text
from leadroi.params import TableSource, params_from_dict

HEADER = "lead_id,created_at,channel,amount\n"
ROWS = [("1", "2026-07-01 10:00", "行业展会", "5万"), ("2", "2026-07-02", "SEO", '"￥1,200"'),
        ("3", "2026/7/3", "抖音信息流", "")]
EXPECTED = [("1", "2026-07-01 10:00:00", "行业展会", 50000.0),
            ("2", "2026-07-02 00:00:00", "SEO", 1200.0),
            ("3", "2026-07-03 00:00:00", "抖音信息流", None)]


def _csv_text(sep: str = ",") -> str:
    return HEADER.replace(",", sep) + "".join(sep.join(r) + "\n" for r in ROWS)


def _load(folder, **source):
    params = params_from_dict({"period": "2026-Q3", "data": {"leads": source}},
                              base_dir=folder)
    return load_data(params)


def _rows(data) -> list[tuple]:
    frame = collect(data.leads).sort_values("lead_id")
    return [(r.lead_id, str(r.created_at), r.channel,
             None if pd.isna(r.amount) else float(r.amount)) for r in frame.itertuples()]


@pytest.mark.parametrize("encoding, sep", [
    ("utf-8", ","), ("utf-8-sig", ","), ("gbk", ","), ("gb18030", ";"), ("utf-16", "\t"),
])
def test_csv_encodings_are_detected(tmp_path, encoding, sep):
    (tmp_path / "l.csv").write_bytes(_csv_text(sep).encode(encoding))
    data = _load(tmp_path, path="l.csv")
    assert _rows(data) == EXPECTED
    found = data.files.iloc[0]["detail"]
    assert found == {"utf-8-sig": "encoding utf-8", "gbk": "encoding gb18030"}.get(
        encoding, f"encoding {encoding.replace('-sig', '')}")


def test_gbk_after_a_long_ascii_head_is_still_detected(tmp_path):
    """The whole file is checked, not its head: DuckDB itself would read the GBK bytes
    as they are, without an error."""
    body = "lead_id,created_at,channel\n" + "".join(f"{i},2026-07-01,SEO\n"
                                                  for i in range(20_000))
    (tmp_path / "l.csv").write_bytes(body.encode() + "x,2026-07-02,行业展会\n".encode("gbk"))
    data = _load(tmp_path, path="l.csv")
    assert data.files.iloc[0]["detail"] == "encoding gb18030"
    assert "行业展会" in set(collect(data.leads)["channel"])


def test_declared_encoding_overrides_detection(tmp_path):
    body = "lead_id,created_at,channel\n1,2026-07-01,Café\n"
    (tmp_path / "l.csv").write_bytes(body.encode("latin-1"))
    data = _load(tmp_path, path="l.csv", encoding="latin-1")
    assert collect(data.leads)["channel"].tolist() == ["Café"]
    with pytest.raises(DataError, match="cannot be read as utf-8 text") as err:
        _load(tmp_path, path="l.csv", encoding="utf-8")
    assert "line 2" in str(err.value)


def test_transcoding_across_chunk_boundaries(tmp_path, monkeypatch):
    """Two-byte GBK characters cut by a chunk boundary are decoded whole."""
    monkeypatch.setattr(text, "CHUNK", 7)
    (tmp_path / "l.csv").write_bytes(_csv_text().encode("gbk"))
    assert _rows(_load(tmp_path, path="l.csv")) == EXPECTED


def test_csv_problems_are_clear(tmp_path):
    (tmp_path / "ws.csv").write_text("  \n\n")
    with pytest.raises(DataError, match="file is empty"):
        _load(tmp_path, path="ws.csv")
    (tmp_path / "header.csv").write_text("lead_id,created_at,channel\n")
    with pytest.raises(DataError, match="header but no data rows"):
        _load(tmp_path, path="header.csv")
    (tmp_path / "x.json").write_text("{}")
    with pytest.raises(DataError, match="unsupported file type '.json'") as err:
        _load(tmp_path, path="x.json")
    assert err.value.exit_code == 2 and ".xlsx" in str(err.value)
    (tmp_path / "l.csv").write_text(_csv_text())
    with pytest.raises(DataError, match="sheet"):
        _load(tmp_path, path="l.csv", sheet="Leads")


def _workbook(path, *, title_row=False):
    wb = Workbook()
    wb.active.title = "Notes"
    ws = wb.create_sheet("Leads")
    if title_row:
        ws.append(["Lead export, October"])
        ws.append([])
    ws.append(["lead_id", "created_at", "channel", "amount", None])
    import datetime as dt
    ws.append([202410010001, dt.datetime(2026, 7, 1, 10, 0), "行业展会", "5万"])
    ws.append([202410010002, dt.date(2026, 7, 2), "SEO", 1200])
    ws.append([None, None, None, None])             # formatting, not a record
    ws.append([202410010003, "2026/7/3", "抖音信息流", 1200.5])
    wb.save(path)


def test_xlsx_sheet_by_name_and_number_with_title_rows(tmp_path):
    _workbook(tmp_path / "l.xlsx", title_row=True)
    for sheet in ("Leads", 2):
        data = _load(tmp_path, path="l.xlsx", sheet=sheet)
        assert _rows(data) == [("202410010001", "2026-07-01 10:00:00", "行业展会", 50000.0),
                               ("202410010002", "2026-07-02 00:00:00", "SEO", 1200.0),
                               ("202410010003", "2026-07-03 00:00:00", "抖音信息流", 1200.5)]
        assert data.quality.iloc[0]["rows_in"] == 3


def test_xlsx_problems_are_clear(tmp_path):
    _workbook(tmp_path / "l.xlsx")
    with pytest.raises(DataError, match="has no sheet 'Lead'") as err:
        _load(tmp_path, path="l.xlsx", sheet="Lead")
    assert "Notes, Leads" in str(err.value) and "sheet: Leads" in str(err.value)
    with pytest.raises(DataError, match="no header row"):
        _load(tmp_path, path="l.xlsx", sheet="Notes")
    (tmp_path / "fake.xlsx").write_text("lead_id,created_at\n")
    with pytest.raises(DataError, match="cannot be read as an XLSX workbook"):
        _load(tmp_path, path="fake.xlsx")
    with pytest.raises(DataError, match="encoding"):
        _load(tmp_path, path="l.xlsx", encoding="gbk")


def test_parquet_typed_columns_are_read(tmp_path):
    import datetime as dt

    table = pa.table({"lead_id": pa.array([1, 2], pa.int64()),
                      "created_at": pa.array([dt.datetime(2026, 7, 1, 10), None]),
                      "channel": ["SEO", "行业展会"], "amount": pa.array([1200.5, None])})
    pq.write_table(table, tmp_path / "l.parquet")
    data = _load(tmp_path, path="l.parquet")
    assert _rows(data) == [("1", "2026-07-01 10:00:00", "SEO", 1200.5)]
    assert data.reasons.iloc[0]["code"] == "missing"      # row 2: created_at missing
    with pytest.raises(DataError, match="Parquet"):
        _load(tmp_path, path="l.parquet", encoding="gbk")


def test_typed_parquet_loads_like_its_csv_text(tmp_path):
    """Dates, timestamps and numbers that Parquet already types skip the text round trip;
    the tables, quarantine and reconciliation equal those of the same values as CSV text."""
    import datetime as dt

    t = dt.datetime
    leads = pa.table({
        "lead_id": ["1", "2", "3", "4", "5", "5"],
        "created_at": pa.array([t(2026, 7, 1, 10), t(2026, 7, 2), None, t(2026, 7, 4),
                                t(2026, 7, 5, 8, 30), t(2026, 7, 6)], pa.timestamp("ns")),
        "channel": ["SEO", "行业展会", "SEO", "SEO", " seo ", "SEO"],
        "won_at": pa.array([t(2026, 7, 20), None, None, t(2026, 6, 1), None, None]),
        "amount": pa.array([1200.5, None, 3.0, 50000.0, -10.0, 7.0]),
        "score": pa.array([80, None, 10, 20, 30, 40], pa.int32()),
    })
    spend = pa.table({"date": pa.array([dt.date(2026, 7, 1), dt.date(2026, 7, 2), None]),
                      "channel": ["SEO", "行业展会", "SEO"],
                      "amount": pa.array([100, -5, 30], pa.int64())})
    folder_pq, folder_csv = tmp_path / "pq", tmp_path / "csv"
    folder_pq.mkdir()
    folder_csv.mkdir()
    for name, table in (("leads", leads), ("spend", spend)):
        pq.write_table(table, folder_pq / f"{name}.parquet")
        table.to_pandas().to_csv(folder_csv / f"{name}.csv", index=False)

    def load(folder, suffix):
        params = params_from_dict({"period": "2026-Q3", "data": {
            "leads": {"path": f"leads.{suffix}"}, "spend": {"path": f"spend.{suffix}"}}},
            base_dir=folder)
        return load_data(params)

    typed, text_ = load(folder_pq, "parquet"), load(folder_csv, "csv")
    for name in ("leads", "spend"):
        a = collect(typed.tables[name]).sort_values(list(typed.columns[name][:2]))
        b = collect(text_.tables[name]).sort_values(list(text_.columns[name][:2]))
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True),
                                      check_dtype=False)
    cols = ["rows_in", "rows_used", "rows_quarantined"]
    assert typed.quality[cols].values.tolist() == text_.quality[cols].values.tolist()
    assert typed.quality["rows_used"].tolist() == [3, 1]
    q_typed, q_text = collect(typed.quarantine), collect(text_.quarantine)
    assert q_typed[["table", "row", "code", "column"]].values.tolist() == \
        q_text[["table", "row", "code", "column"]].values.tolist()
    shown = dict(zip(q_typed["table"] + "|" + q_typed["code"], q_typed["value"]))
    assert shown["leads|negative"] == "-10.0"              # the typed value, as text
    assert shown["leads|before_created"].startswith("2026-06-01")
    assert shown["spend|negative"] == "-5.0"


def test_damaged_parquet_pages_are_a_clear_error(tmp_path):
    """The Parquet file is read through a view: a damaged data page surfaces when the
    rows are first read, still as one message naming the file."""
    n = 50_000
    table = pa.table({"lead_id": [f"L{i}" for i in range(n)],
                      "created_at": ["2026-07-01"] * n, "channel": ["SEO"] * n})
    pq.write_table(table, tmp_path / "l.parquet", compression="none")
    damaged = bytearray((tmp_path / "l.parquet").read_bytes())
    for i in range(2000, 200_000, 997):
        damaged[i] ^= 0xFF
    (tmp_path / "l.parquet").write_bytes(bytes(damaged))
    with pytest.raises(DataError, match=r"l\.parquet: cannot be read as Parquet"):
        _load(tmp_path, path="l.parquet")


def test_fingerprint_is_of_the_file(tmp_path):
    import hashlib

    (tmp_path / "l.csv").write_text(_csv_text())
    data = _load(tmp_path, path="l.csv")
    assert data.files.iloc[0]["sha256"] == hashlib.sha256(
        (tmp_path / "l.csv").read_bytes()).hexdigest()


def test_read_raw_keeps_every_column_as_text(tmp_path):
    (tmp_path / "l.csv").write_text("a,a,,_row\n1,2,3,4\n")
    table, detail = read_raw(Engine(), tmp_path / "l.csv", "t")
    assert table.columns == ("_row", "a", "a_1", "column2", "_row_1")
    assert all(str(t) == "string" for t in table.schema().types[1:])


# --- databases ---------------------------------------------------------------------

def _fill(execute):
    execute("CREATE TABLE crm_leads (lead_id INTEGER, created_at TEXT, channel TEXT, "
            "amount REAL)")
    execute("INSERT INTO crm_leads VALUES (1, '2026-07-01 10:00', '行业展会', 50000), "
            "(2, '2026-07-02', 'SEO', 1200), (3, '2026/7/3', '抖音信息流', NULL)")


def _sqlite(path):
    con = sqlite3.connect(path)
    _fill(con.execute)
    con.commit()
    con.close()


def _duckdb(path):
    con = duckdb.connect(str(path))
    _fill(con.execute)
    con.close()


@pytest.mark.parametrize("scheme, make", [("sqlite", _sqlite), ("duckdb", _duckdb)])
def test_database_files_by_table_and_query(tmp_path, scheme, make):
    make(tmp_path / "crm.db")
    url = f"{scheme}:///crm.db"                      # relative to the params folder
    data = _load(tmp_path, url=url, table="crm_leads")
    assert _rows(data) == EXPECTED
    assert data.files.iloc[0]["detail"] == "table crm_leads"
    assert len(data.files.iloc[0]["sha256"]) == 64 and pd.isna(data.files.iloc[0]["bytes"])
    data = _load(tmp_path, url=url, query="SELECT * FROM crm_leads WHERE lead_id < 3;")
    assert _rows(data) == EXPECTED[:2]


@pytest.mark.parametrize("scheme, make", [("sqlite", _sqlite), ("duckdb", _duckdb)])
def test_database_file_problems(tmp_path, scheme, make):
    make(tmp_path / "crm.db")
    with pytest.raises(DataError, match="has no table 'crm_lead'") as err:
        _load(tmp_path, url=f"{scheme}:///crm.db", table="crm_lead")
    assert "crm_leads" in str(err.value)
    with pytest.raises(DataError, match="database file not found"):
        _load(tmp_path, url=f"{scheme}:///nope.db", table="crm_leads")
    with pytest.raises(DataError, match="reading the query failed"):
        _load(tmp_path, url=f"{scheme}:///crm.db", query="SELECT nope FROM crm_leads")


def test_same_rows_same_digest(tmp_path):
    _sqlite(tmp_path / "crm.db")
    source = TableSource(url=f"sqlite:///{tmp_path}/crm.db", table="crm_leads")
    one = read_source(Engine(), source, "leads").sha256
    assert one == read_source(Engine(), source, "leads").sha256


@pytest.fixture(scope="module")
def postgres_leads(postgres_url):
    import adbc_driver_postgresql.dbapi as pg

    con = pg.connect(postgres_url)
    cur = con.cursor()
    cur.execute("DROP TABLE IF EXISTS crm_leads")
    cur.execute("CREATE TABLE crm_leads (lead_id BIGINT, created_at TIMESTAMP, "
                "channel TEXT, amount NUMERIC(12, 2))")
    cur.execute("INSERT INTO crm_leads VALUES (1, '2026-07-01 10:00', '行业展会', 50000), "
                "(2, '2026-07-02', 'SEO', 1200), (3, '2026-07-03', '抖音信息流', NULL)")
    con.commit()
    con.close()
    return postgres_url


def test_postgresql_by_table_and_query(tmp_path, postgres_leads):
    data = _load(tmp_path, url=postgres_leads, table="crm_leads")
    assert _rows(data) == EXPECTED
    data = _load(tmp_path, url=postgres_leads,
                 query="SELECT * FROM crm_leads WHERE channel <> 'SEO'")
    assert [r[0] for r in _rows(data)] == ["1", "3"]


def test_postgresql_problems(tmp_path, postgres_leads):
    with pytest.raises(DataError, match="has no table 'crm_lead'") as err:
        _load(tmp_path, url=postgres_leads, table="crm_lead")
    assert "crm_leads" in str(err.value)
    with pytest.raises(DataError, match="reading the query failed"):
        _load(tmp_path, url=postgres_leads, query="SELECT nope FROM crm_leads")
    port = postgres_leads.rsplit(":", 1)[1].split("/")[0]
    wrong = postgres_leads.replace(f":{port}/", ":1/").replace("postgres@", "u:secret@")
    with pytest.raises(DataError, match="cannot connect to the database") as err:
        _load(tmp_path, url=wrong, table="crm_leads")
    assert "secret" not in str(err.value) and "***" in str(err.value)
    assert err.value.exit_code == 2
