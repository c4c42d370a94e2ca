"""Value normalisers: money (¥5万, 1.2万元, ¥50,000), dates in every layout exports use,
text tidying and placeholders, run in the engine."""

import datetime as dt

import pandas as pd
import pyarrow as pa
import pytest

from leadroi.engine import Engine, collect
from leadroi.intake import normalise

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
    out = _eval(normalise.money, [raw])[0]
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
    out = _eval(normalise.timestamp, [raw])[0]
    if expected is None:
        assert pd.isna(out)
    else:
        assert pd.Timestamp(out).to_pydatetime() == expected


@pytest.mark.parametrize("raw, expected", [
    ("  Google ", "Google"), ("Ｇｏｏｇｌｅ", "Google"), ("a  b\tc", "a b c"), ("N/A", None),
    ("null", None), ("—", None), ("正常文本", "正常文本"), ("\u3000SEO\u3000", "SEO"),
])
def test_text(raw, expected):
    assert _eval(normalise.text, [raw])[0] == expected or (expected is None and pd.isna(
        _eval(normalise.text, [raw])[0]))


def test_mixed_date_formats_in_one_column():
    out = _eval(normalise.timestamp, ["2023-10-01", "2023/10/2", "2023年10月3日", "45202"])
    assert [pd.Timestamp(x).day for x in out] == [1, 2, 3, 3]


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
    out = _eval(normalise.timestamp, [raw])[0]
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
    out = _eval(normalise.money, [raw])[0]
    assert (pd.isna(out) and expected is None) or out == pytest.approx(expected)
