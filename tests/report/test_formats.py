import datetime as dt

import pytest

from leadroi.report.formats import Formatter


@pytest.mark.parametrize("lang, value, expected", [
    ("en", 24_587_800, "¥24.6M"), ("en", 950_000, "¥950K"), ("en", 1_500, "¥1.5K"),
    ("en", 999, "¥999"), ("en", -4_000, "-¥4.0K"), ("en", 2.5e9, "¥2.5B"),
    ("zh", 24_587_800, "¥2,458.8万"), ("zh", 123_000_000, "¥1.23亿"), ("zh", 9_500, "¥9,500"),
    ("zh", 50_000, "¥5.0万"), ("en", float("nan"), "—"), ("zh", float("inf"), "—"),
])
def test_money(lang, value, expected):
    assert Formatter(lang, "CNY").money(value) == expected


def test_other_formats():
    en, zh = Formatter("en", "USD"), Formatter("zh", "CNY")
    assert en.money(1500) == "$1.5K"
    assert en.pct(0.0357) == "3.6%" and en.pct(2.11, 0) == "211%"
    assert en.ratio(4.8) == "1:4.8"
    assert en.delta_pct(-0.126) == "−12.6%" and en.delta_pct(0.064) == "+6.4%"
    assert en.delta_pp(-0.007) == "−0.7 pp" and zh.delta_pp(0.012) == "+1.2个百分点"
    assert en.number(8378) == "8,378" and en.hours(11.9) == "11.9 h"
    assert zh.hours(11.9) == "11.9小时"
    assert en.date(dt.date(2026, 10, 31)) == "2026-10-31"
    assert zh.date(dt.date(2026, 10, 31)) == "2026年10月31日"
    assert en.pct(None) == "—" and en.money_exact(1748309.4) == "$1,748,309"
