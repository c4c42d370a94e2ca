"""Normalisation of messy values, and quarantine rules, run in DuckDB through Ibis."""

import datetime as dt

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadroi import clean
from leadroi.engine import Engine, collect

_ENGINE = Engine()


def _eval(func, values):
    t = _ENGINE.store("t", pa.table({"v": pa.array(values, pa.string())}))
    return collect(t.select(out=func(t.v)))["out"].tolist()


@pytest.mark.parametrize("raw, expected", [
    ("¥50,000", 50000.0), ("50,000.00", 50000.0), ("5万", 50000.0), ("1.2万元", 12000.0),
    ("$1.5k", 1500.0), ("(1,000)", -1000.0), ("¥5万", 50000.0), ("1.5亿", 1.5e8),
    ("３万", 30000.0), ("  85000 ", 85000.0), ("-45000", -45000.0), ("RMB 2,000", 2000.0),
    ("#N/A", None), ("-", None), ("无", None), ("", None), ("abc", None),
])
def test_money(raw, expected):
    out = _eval(clean.money, [raw])[0]
    assert (pd.isna(out) and expected is None) or out == pytest.approx(expected)


@pytest.mark.parametrize("raw, expected", [
    ("2023-10-01", dt.datetime(2023, 10, 1)),
    ("2023/10/1", dt.datetime(2023, 10, 1)),
    ("2023年10月1日", dt.datetime(2023, 10, 1)),
    ("2023-10-01 14:30", dt.datetime(2023, 10, 1, 14, 30)),
    ("2023/10/1 9:05", dt.datetime(2023, 10, 1, 9, 5)),
    ("10/01/2023", dt.datetime(2023, 10, 1)),
    ("45200", dt.datetime(2023, 10, 1)),
    ("45200.5", dt.datetime(2023, 10, 1, 12, 0)),
    ("2023.10.01", dt.datetime(2023, 10, 1)),
    ("２０２３-１０-０１", dt.datetime(2023, 10, 1)),
    ("Select", None), ("未知", None), ("not a date", None), ("2023-13-45", None),
])
def test_timestamp(raw, expected):
    out = _eval(clean.timestamp, [raw])[0]
    if expected is None:
        assert pd.isna(out)
    else:
        assert pd.Timestamp(out).to_pydatetime() == expected


@pytest.mark.parametrize("raw, expected", [
    ("  Google ", "Google"), ("Ｇｏｏｇｌｅ", "Google"), ("a  b\tc", "a b c"), ("N/A", None),
    ("null", None), ("—", None), ("正常文本", "正常文本"), ("\u3000SEO\u3000", "SEO"),
])
def test_text(raw, expected):
    assert _eval(clean.text, [raw])[0] == expected or (expected is None and pd.isna(
        _eval(clean.text, [raw])[0]))


def test_mixed_date_formats_in_one_column():
    out = _eval(clean.timestamp, ["2023-10-01", "2023/10/2", "2023年10月3日", "45202"])
    assert [pd.Timestamp(x).day for x in out] == [1, 2, 3, 3]


def _flag(frame: pd.DataFrame, table: str = "leads") -> pd.DataFrame:
    """Raw text rows through tidy → parse → flag, as :func:`load_data` runs them."""
    raw = pa.table({"_row": pa.array(range(1, len(frame) + 1), pa.int64()),
                    **{c: pa.array([None if pd.isna(v) else str(v) for v in frame[c]],
                                   pa.string()) for c in frame.columns}})
    stored = _ENGINE.store("raw", raw)
    mapping = {c: c for c in frame.columns}
    tidy = _ENGINE.store("tidy", clean.tidy_text(stored, table, mapping))
    parsed = _ENGINE.store("parsed", clean.clean_table(tidy, table, mapping))
    return collect(clean.flag_rows(parsed, table, mapping)).sort_values("_row")


_messy = st.one_of(st.none(), st.text(max_size=12),
                   st.sampled_from(["¥5万", "-1", "2023/10/1", "#N/A", "", " ", "45200",
                                    "2026-07-01 10:00", "Select", "(3)", "1.2万元"]))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "lead_id": st.one_of(st.none(), st.sampled_from(["a", "b", "c", " a", "A"])),
    "created_at": _messy, "channel": _messy, "won_at": _messy, "amount": _messy,
}), min_size=1, max_size=25))
def test_rows_in_equal_used_plus_quarantined(rows):
    frame = pd.DataFrame(rows)
    flagged = _flag(frame)
    used = int(flagged["_reason"].isna().sum())
    assert len(flagged) == len(frame)            # one outcome per raw row
    assert used + int(flagged["_reason"].notna().sum()) == len(frame)
    ids = flagged.loc[flagged["_reason"].isna(), "lead_id"]
    assert ids.notna().all() and ids.is_unique   # what is used has unique ids


def test_rules_pick_first_reason_and_keep_first_duplicate():
    frame = pd.DataFrame([
        {"lead_id": "1", "created_at": "2026-07-01", "channel": "SEO", "won_at": "",
         "amount": ""},
        {"lead_id": "1", "created_at": "2026-07-02", "channel": "SEO", "won_at": "",
         "amount": ""},
        {"lead_id": "2", "created_at": "2026-07-05", "channel": "SEO",
         "won_at": "2026-07-01", "amount": "5万"},
        {"lead_id": "3", "created_at": "#N/A", "channel": "", "won_at": "", "amount": "-1"},
        {"lead_id": "4", "created_at": "2026-07-05", "channel": "SEO", "won_at": "",
         "amount": "-5"},
    ])
    out = _flag(frame)
    assert [None if pd.isna(x) else x for x in out["_reason"]] == [
        None, "duplicate lead_id (first row kept)", "won_at before created_at",
        "created_at missing or unreadable", "negative amount"]
    assert out["_value"].tolist()[1:] == ["1", "2026-07-01", "#N/A", "-5"]


@pytest.mark.parametrize("raw, expected", [
    ("10/1/2023 2:30 PM", dt.datetime(2023, 10, 1, 14, 30)),
    ("10/1/2023 12:05 AM", dt.datetime(2023, 10, 1, 0, 5)),
    ("2023/10/1 下午 02:30:00", dt.datetime(2023, 10, 1, 14, 30)),
    ("2023年10月1日 上午9:05", dt.datetime(2023, 10, 1, 9, 5)),
    ("2023-10-01T14:30:00Z", dt.datetime(2023, 10, 1, 14, 30)),
    ("2023-10-01 14:30:00.000", dt.datetime(2023, 10, 1, 14, 30)),
    ("45200.604167", dt.datetime(2023, 10, 1, 14, 30)),
    ("#VALUE!", None), ("请选择", None), ("/", None), ("Spam 2023", None),
])
def test_timestamp_more_layouts(raw, expected):
    out = _eval(clean.timestamp, [raw])[0]
    if expected is None:
        assert pd.isna(out)
    else:
        assert pd.Timestamp(out).to_pydatetime() == expected


@pytest.mark.parametrize("raw, expected", [
    ("5千", 5000.0), ("人民币 3万", 30000.0), ("−1,000", -1000.0), ("rmb 800", 800.0),
    ("1.2E+05", 120000.0), ("￥ 1,234.50", 1234.5), ("\u00a01,000\u00a0", 1000.0),
    ("暂无", None), ("#DIV/0!", None),
])
def test_money_more_forms(raw, expected):
    out = _eval(clean.money, [raw])[0]
    assert (pd.isna(out) and expected is None) or out == pytest.approx(expected)
