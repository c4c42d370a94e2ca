"""KPI tiles of page 1: order by profile, change and target, coloured by direction."""

import numpy as np
import pandas as pd
import pytest

from leadroi.i18n import catalogue
from leadroi.report import narrative
from leadroi.report.formats import Formatter

NOW = pd.Series({"spend": 1000.0, "leads": 110, "customers": 9, "revenue": 5000.0,
                 "roi": 4.0, "cac": 111.1, "ltv_cac": 2.5, "cpl": 9.1,
                 "conversion_rate": 0.0818, "clv": 278.0})
PREV = pd.Series({"spend": 800.0, "leads": 100, "customers": 10, "revenue": 4000.0,
                  "roi": 4.0, "cac": 80.0, "ltv_cac": 3.5, "cpl": 8.0,
                  "conversion_rate": 0.10, "clv": 280.0})
TARGETS = pd.DataFrame({"channel": ["all", "all", "all", "X"],
                        "metric": ["revenue", "cac", "roi", "revenue"],
                        "value": [4000.0, 100.0, 5.0, 1.0]})


def _tiles(profile="growth", lang="en"):
    return {t["key"]: t for t in narrative.kpi_tiles(
        NOW, PREV, TARGETS, previous_label="Q2", t=catalogue(lang), fmt=Formatter(lang),
        profile=profile)}


@pytest.mark.parametrize("profile, first", [  # seed 003's KPIs of each company stage
    ("startup", ["lead_growth", "cac", "content_roi"]),
    ("growth", ["conversion_rate", "retention_12m", "marketing_revenue_share"]),
    ("mature", ["clv", "retention_12m", "cross_sell_rate"])])
def test_profile_chooses_the_headline(profile, first):
    tiles = narrative.kpi_tiles(NOW, PREV, TARGETS, previous_label="Q2", t=catalogue("en"),
                                fmt=Formatter("en"), profile=profile)
    assert [t["key"] for t in tiles if t["headline"]] == first
    # the seven KPIs of the brief are on page 1 whatever the profile
    assert {"spend", "leads", "customers", "revenue", "roi", "cac", "ltv_cac"} <= {
        t["key"] for t in tiles}


def test_changes_are_coloured_by_direction():
    tiles = _tiles()
    assert tiles["revenue"]["delta"].startswith("+25.0%") and \
        tiles["revenue"]["delta_class"] == "good"
    assert tiles["customers"]["delta_class"] == "bad"         # 10 -> 9
    assert tiles["cac"]["delta_class"] == "bad"               # cost up is bad
    assert tiles["spend"]["delta_class"] == "neutral"         # spending more is neither
    assert tiles["roi"]["delta_class"] == "neutral"           # unchanged
    assert tiles["conversion_rate"]["delta"].startswith("−1.8 pp")


def test_targets_and_healthy_levels():
    tiles = _tiles()
    assert tiles["revenue"]["target"] == "125% of target"
    assert tiles["revenue"]["target_class"] == "good"
    assert tiles["cac"]["target_class"] == "bad"              # 111 against 100
    assert tiles["roi"]["target"] == "target 500%" and tiles["roi"]["target_class"] == "bad"
    assert tiles["ltv_cac"]["target"] == "healthy ≥ 3.0×"      # no target: the 3× rule
    assert tiles["ltv_cac"]["target_class"] == "bad"
    assert tiles["leads"]["target"] == "no target set"


def test_zh_tiles_use_wan_and_chinese_labels():
    big = NOW.copy()
    big["revenue"] = 24_587_800.0
    tiles = {t["key"]: t for t in narrative.kpi_tiles(
        big, PREV, TARGETS, previous_label="2026-Q2", t=catalogue("zh"),
        fmt=Formatter("zh"))}
    assert tiles["revenue"]["value"] == "¥2,458.8万" and tiles["revenue"]["label"] == "成交金额"
    assert "较2026-Q2" in tiles["revenue"]["delta"]


def test_missing_previous_is_a_dash_not_nan():
    prev = PREV.copy()
    prev["revenue"] = np.nan
    assert _tiles()["revenue"]["delta_class"] == "good"
    tiles = {t["key"]: t for t in narrative.kpi_tiles(
        NOW, prev, TARGETS.iloc[:0], previous_label="Q2", t=catalogue("en"),
        fmt=Formatter("en"))}
    assert tiles["revenue"]["delta"].startswith("—") and \
        tiles["revenue"]["delta_class"] == "neutral"


def test_bridge_and_heatmap_takeaways():
    bc = pd.DataFrame({"channel": ["A", "B"], "spend": [100.0, 300.0],
                       "revenue": [900.0, 200.0]})
    text = narrative.takeaway_bridge(bc, t=catalogue("en"), fmt=Formatter("en"))
    assert text == ("¥400 of spend became ¥1.1K of revenue: A added the most (¥800); "
                    "B returned less than they cost.")
    monthly = pd.DataFrame({"month": ["2026-07", "2026-08"], "channel": ["A", "A"],
                            "leads": [3, 5]})
    assert "2026-08 (5 leads)" in narrative.takeaway_heatmap(monthly, t=catalogue("en"),
                                                             fmt=Formatter("en"))
