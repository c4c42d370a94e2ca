import datetime as dt

import pytest

from leadroi.periods import parse_period


@pytest.mark.parametrize("text, label, start, end", [
    ("2026-Q3", "2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 10, 1)),
    ("2026q4", "2026-Q4", dt.date(2026, 10, 1), dt.date(2027, 1, 1)),
    ("2026-07", "2026-07", dt.date(2026, 7, 1), dt.date(2026, 8, 1)),
    ("2026-12", "2026-12", dt.date(2026, 12, 1), dt.date(2027, 1, 1)),
    ("2026", "2026", dt.date(2026, 1, 1), dt.date(2027, 1, 1)),
])
def test_parse(text, label, start, end):
    p = parse_period(text)
    assert (p.label, p.start, p.end) == (label, start, end)


@pytest.mark.parametrize("text", ["2026-Q5", "2026-13", "Q3", "", "2026-07-01"])
def test_parse_rejects(text):
    with pytest.raises(ValueError):
        parse_period(text)


def test_shifts():
    q = parse_period("2026-Q1")
    assert q.previous().label == "2025-Q4"
    assert q.year_ago().label == "2025-Q1"
    assert q.shift(3).label == "2026-Q4"
    assert parse_period("2026-01").previous().label == "2025-12"
    assert q.months() == ["2026-01", "2026-02", "2026-03"]
    assert q.last_day == dt.date(2026, 3, 31)
