"""Page 1 by company stage (seed 003): each profile headlines its own KPIs, and the KPIs
beyond the channel drill-down agree with a computation from the report's frames."""

from __future__ import annotations

import numpy as np
import pytest

from leadroi.i18n import catalogue
from leadroi.report import narrative
from leadroi.report.formats import Formatter
from leadroi.report.quarterly import analyse
from leadroi.report.sections.summary import profile_values


@pytest.fixture(scope="module")
def results(sample_data, sample_params):
    return analyse(sample_data, sample_params)


def test_profile_kpis_by_hand(results, sample_params):
    now, prev = profile_values(results, sample_params)
    assert now["lead_growth"] == pytest.approx(
        (results.totals["leads"] / results.totals_previous["leads"]) ** (1 / 3) - 1)
    content = results.drilldowns["content"].iloc[:-1]
    content = content[content["group"].notna() & ~content["group"].isin(
        ["(unknown)", "(no leads)"])]
    assert now["content_roi"] == pytest.approx(
        (content["revenue"].sum() - content["spend"].sum()) / content["spend"].sum())
    bc = results.by_channel
    assert now["marketing_revenue_share"] == pytest.approx(
        bc.loc[bc["channel"] != "Cold email", "revenue"].sum() / bc["revenue"].sum())
    cv = results.customer_value
    assert now["retention_12m"] == cv.total["retention_12m"]
    assert now["cross_sell_rate"] == cv.total["cross_sell_rate"]
    health = cv.health[cv.health["channel"].isna()].iloc[0]
    assert now["healthy_share"] == pytest.approx(health["healthy"] / health["customers"])
    assert np.isnan(prev["clv"])            # measured over the history: no previous value


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_three_profiles_headline_different_kpis(results, sample_params, lang):
    now, prev = profile_values(results, sample_params)
    heads = {}
    for profile in ("startup", "growth", "mature"):
        tiles = narrative.kpi_tiles(now, prev, results.targets, previous_label="2026-Q2",
                                    t=catalogue(lang), fmt=Formatter(lang), profile=profile)
        heads[profile] = [t["key"] for t in tiles if t["headline"]]
        assert all(t["value"] != "—" for t in tiles if t["headline"]), (profile, tiles)
    assert heads == {"startup": ["lead_growth", "cac", "content_roi"],
                     "growth": ["conversion_rate", "retention_12m", "marketing_revenue_share"],
                     "mature": ["clv", "retention_12m", "cross_sell_rate"]}
