"""Seed 002's lead tracking table as Chinese Excel writes it (GBK CSV, XLSX with a title
row, ``5万``, ``2023年10月1日``, serial dates) gives the same numbers as a clean UTF-8 copy."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
import zh_template

from leadroi import metrics
from leadroi.engine import collect
from leadroi.intake.dataset import load_data
from leadroi.params import load_params
from leadroi.periods import parse_period

ROWS = zh_template.rows(60)


def _load(folder, name, **source):
    doc = {"period": "2023-Q4", "as_of": "2024-03-31", "min_leads": 1, "language": "zh",
           "data": {"leads": {"mapping": "zh-template", **source}}}
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return load_data(load_params(path))


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("zh")
    zh_template.write_csv(folder / "clean.csv", ROWS, "clean", "utf-8")
    zh_template.write_csv(folder / "messy-gbk.csv", ROWS, "messy", "gbk")
    zh_template.write_xlsx(folder / "messy.xlsx", ROWS)
    return {
        "clean": _load(folder, "clean", path="clean.csv"),
        "gbk": _load(folder, "gbk", path="messy-gbk.csv"),
        "xlsx": _load(folder, "xlsx", path="messy.xlsx", sheet="线索跟踪"),
    }


def _leads(data) -> pd.DataFrame:
    frame = collect(data.leads).sort_values("lead_id").reset_index(drop=True)
    return frame[sorted(frame.columns)]


def test_the_messy_file_really_is_gbk_and_messy(tmp_path):
    path = zh_template.write_csv(tmp_path / "m.csv", ROWS, "messy", "gbk")
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gbk")
    for token in ("5万", "1.2万元", "年10月", "ＳＥＯ", " 抖音信息流 ", "N/A", "45"):
        assert token in text, token


@pytest.mark.parametrize("messy", ["gbk", "xlsx"])
def test_same_canonical_leads(loaded, messy):
    clean, other = _leads(loaded["clean"]), _leads(loaded[messy])
    assert len(clean) == len(ROWS) and list(clean.columns) == list(other.columns)
    pd.testing.assert_frame_equal(clean, other, check_dtype=False)
    for data in (loaded["clean"], loaded[messy]):
        q = data.quality.iloc[0]
        assert (q["rows_in"], q["rows_used"], q["rows_quarantined"]) == (len(ROWS), len(ROWS), 0)


@pytest.mark.parametrize("messy", ["gbk", "xlsx"])
def test_same_numbers(loaded, messy):
    period = parse_period("2023-Q4")
    as_of = loaded["clean"].as_of
    ours = metrics.by_channel(loaded[messy], period, as_of, min_leads=1).set_index("channel")
    base = metrics.by_channel(loaded["clean"], period, as_of, min_leads=1).set_index("channel")
    pd.testing.assert_frame_equal(ours.sort_index(), base.sort_index())


def test_numbers_match_a_hand_count(loaded):
    """Revenue and customers per channel straight from the generator's own numbers."""
    period = parse_period("2023-Q4")
    got = metrics.by_channel(loaded["gbk"], period, loaded["gbk"].as_of,
                             min_leads=1).set_index("channel")
    expected: dict[str, list[float]] = {}
    for row in ROWS:
        created = row["times"]["获取时间"]
        if not (period.start <= created.date() < period.end):
            continue
        e = expected.setdefault(row["clean"]["来源渠道"], [0, 0, 0.0])
        e[0] += 1
        if row["won"] is not None and row["won"].date() <= loaded["gbk"].as_of:
            e[1] += 1
            e[2] += row["amount"]
    assert sorted(got.index) == sorted(expected)
    for channel, (leads, customers, revenue) in expected.items():
        assert got.loc[channel, "leads"] == leads
        assert got.loc[channel, "customers"] == customers
        assert got.loc[channel, "revenue"] == pytest.approx(revenue)


def test_detected_encoding_and_fixes_are_reported(loaded):
    files = loaded["gbk"].files.iloc[0]
    assert files["detail"] == "encoding gb18030"
    fixes = loaded["gbk"].fixes.set_index(["code", "column"])["rows"]
    assert fixes[("amount_format", "amount")] > 0 and fixes[("date_format", "created_at")] > 0
    assert fixes[("channel_folded", "channel")] > 0 and fixes[("placeholder", "owner")] > 0
    assert loaded["xlsx"].files.iloc[0]["detail"] == "sheet 线索跟踪"
