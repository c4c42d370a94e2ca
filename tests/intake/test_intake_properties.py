"""Property: whatever messy rows go in, through whichever loader (CSV in UTF-8 or GBK,
XLSX, Parquet, SQLite; leads with deals), every table reconciles — rows in = rows used +
rows quarantined, the quarantine lists exactly the rows set aside, the leads used have
unique ids — or loading stops with one of our own errors. Nothing else may escape."""

from __future__ import annotations

import csv
import sqlite3

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadroi.engine import collect
from leadroi.errors import LeadRoiError
from leadroi.intake.dataset import load_data
from leadroi.params import load_params

#: characters real exports carry: ASCII, CJK, full-width, currency, quotes, separators
_ALPHABET = st.sampled_from(list("abcXYZ0123456789 -/.,:;|\t\"'()%¥￥$万元年月日抖音展会线索"
                                 "ＳＥＯ　—－无未知") + ["\n"])
_VALUES = st.one_of(
    st.none(), st.text(_ALPHABET, max_size=10),
    st.sampled_from(["¥5万", "-1", "(3)", "1.2万元", "$1.5k", "50,000.00", "2023/10/1",
                     "2023年10月1日", "45200", "45200.5", "2026-07-01 10:00",
                     "10/1/2026 2:30 PM", "#N/A", "Select", "N/A", "null", "-", "—", "无",
                     "未知", "", " ", "Google", " google ", "ＧＯＯＧＬＥ", "2026-13-45"]),
)
_IDS = st.one_of(st.none(), st.sampled_from(["1", "2", "3", " 1", "１", "A-1", "", "#N/A"]))
LEAD_COLUMNS = ["lead_id", "created_at", "channel", "first_contact_at", "won_at", "amount",
                "score", "notes"]
DEAL_COLUMNS = ["deal_id", "lead_id", "stage", "amount", "closed_at"]

_lead = st.fixed_dictionaries({c: (_IDS if c == "lead_id" else _VALUES)
                               for c in LEAD_COLUMNS})
_deal = st.fixed_dictionaries({"deal_id": _IDS, "lead_id": _IDS,
                               "stage": st.sampled_from(["Closed Won", "closedlost", "输单",
                                                         "Proposal", "", "won"]),
                               "amount": _VALUES, "closed_at": _VALUES})


def _write(folder, name, rows, columns, fmt):
    frame = pd.DataFrame(rows, columns=columns)
    if fmt in ("csv", "gbk"):
        path = folder / f"{name}.csv"
        with open(path, "w", encoding="utf-8" if fmt == "csv" else "gbk", errors="replace",
                  newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(columns)
            writer.writerows([["" if v is None else v for v in r] for r in
                              frame.itertuples(index=False)])
        return {"path": path.name}
    if fmt == "xlsx":
        path = folder / f"{name}.xlsx"
        frame.to_excel(path, index=False)
        return {"path": path.name}
    if fmt == "parquet":
        path = folder / f"{name}.parquet"
        pq.write_table(pa.Table.from_pandas(frame.astype("string"), preserve_index=False),
                       path)
        return {"path": path.name}
    path = folder / "crm.db"
    with sqlite3.connect(path) as con:
        con.execute(f"DROP TABLE IF EXISTS {name}")
        con.execute(f"CREATE TABLE {name} ({', '.join(f'{c} TEXT' for c in columns)})")
        con.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * len(columns))})",
                        [tuple(r) for r in frame.itertuples(index=False)])
    return {"url": "sqlite:///crm.db", "table": name}


def _expected_rows(rows, fmt) -> int:
    """Rows a loader must account for: an XLSX row with no filled cell is formatting."""
    if fmt != "xlsx":
        return len(rows)
    return sum(any(v not in (None, "") for v in r.values()) for r in rows)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(leads=st.lists(_lead, min_size=1, max_size=12),
       deals=st.one_of(st.none(), st.lists(_deal, min_size=1, max_size=8)),
       fmt=st.sampled_from(["csv", "gbk", "xlsx", "parquet", "sqlite"]))
def test_every_loader_reconciles_or_raises_our_error(tmp_path_factory, leads, deals, fmt):
    folder = tmp_path_factory.mktemp("prop")
    data_doc = {"leads": _write(folder, "leads", leads, LEAD_COLUMNS, fmt)}
    if deals is not None:
        data_doc["deals"] = _write(folder, "deals", deals, DEAL_COLUMNS, fmt)
    (folder / "p.yaml").write_text(yaml.safe_dump({"period": "2026-Q3", "data": data_doc},
                                                  allow_unicode=True))
    try:
        data = load_data(load_params(folder / "p.yaml"), keep_going=True)
    except LeadRoiError:
        return  # one of ours, with its message: allowed
    written = {"leads": _expected_rows(leads, fmt)}
    if deals is not None:
        written["deals"] = _expected_rows(deals, fmt)
    quarantine = collect(data.quarantine) if data.quarantine is not None else pd.DataFrame(
        columns=["table"])
    for row in data.quality.itertuples():
        assert row.rows_in == written[row.table]
        assert row.rows_in == row.rows_used + row.rows_quarantined
        assert (quarantine["table"] == row.table).sum() == row.rows_quarantined
        if row.table in data.tables:
            assert data.engine.count(data.tables[row.table]) == row.rows_used
    if "leads" in data.tables:
        ids = collect(data.leads.select("lead_id"))["lead_id"]
        assert ids.notna().all() and ids.is_unique
    loaded = set(data.quality["table"]) | {f["table"] for f in data.fatal}
    assert loaded == set(written)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "sqlite"])
def test_a_fixed_messy_case_through_each_loader(tmp_path, fmt):
    """The same rows give the same reconciliation whichever loader reads them."""
    rows = [{"lead_id": "1", "created_at": "2026-07-01", "channel": "SEO", "amount": "5万"},
            {"lead_id": "1", "created_at": "2026-07-02", "channel": "seo", "amount": ""},
            {"lead_id": "2", "created_at": "#N/A", "channel": "SEO", "amount": ""},
            {"lead_id": "3", "created_at": "45200", "channel": " SEO ", "amount": "-1"},
            {"lead_id": "4", "created_at": "2023年10月1日", "channel": "Ｓｅｏ",
             "amount": "¥1,000"}]
    cols = ["lead_id", "created_at", "channel", "amount"]
    source = _write(tmp_path, "leads", rows, cols, fmt)
    (tmp_path / "p.yaml").write_text(yaml.safe_dump({"period": "2026-Q3",
                                                     "data": {"leads": source}}))
    data = load_data(load_params(tmp_path / "p.yaml"))
    q = data.quality.iloc[0]
    assert (q["rows_in"], q["rows_used"], q["rows_quarantined"]) == (5, 2, 3)
    assert sorted(data.reasons["code"]) == ["duplicate", "missing", "negative"]
    assert sorted(collect(data.leads)["lead_id"]) == ["1", "4"]
    assert collect(data.leads).set_index("lead_id").loc["4", "amount"] == 1000.0
