"""Lost reasons Pareto, weighted by the pipeline value a lost lead carried."""

import datetime as dt

import pandas as pd
import pytest

from leadroi.metrics import lead_facts, lost_by_reason_channel, lost_pareto
from leadroi.periods import parse_period

Q3, AS_OF = parse_period("2026-Q3"), dt.date(2026, 10, 31)


def test_lost_value_from_stage_win_rates(rich):
    _, data = rich
    lost = lost_by_reason_channel(lead_facts(data, Q3, AS_OF))
    # a2 lost after needs confirmed: P(win) 2/3 x A's deal 8,000; b2 after first contact:
    # 1/2 x B's deal 3,000
    assert lost[["reason", "channel", "lost_leads"]].values.tolist() == [
        ["Budget", "A", 1], ["Budget", "B", 1]]
    assert lost["lost_value"].tolist() == pytest.approx([8000 * 2 / 3, 1500])
    p = lost_pareto(lost).iloc[0]
    assert (p.reason, p.lost_leads, p.share, p.cumulative_share) == ("Budget", 2, 1.0, 1.0)
    assert p.top_channel == "A" and p.top_channel_share == pytest.approx(16000 / 3 / 6833.34,
                                                                        rel=1e-4)


def test_pareto_order_and_cumulative_share():
    df = pd.DataFrame({"reason": ["x", "y", "y", "z"], "channel": ["A", "A", "B", "B"],
                       "lost_leads": [5, 1, 2, 10], "lost_value": [50.0, 100.0, 30.0, 20.0]})
    p = lost_pareto(df)
    assert p["reason"].tolist() == ["y", "x", "z"]
    assert p["lost_value"].tolist() == [130, 50, 20] and p["lost_leads"].tolist() == [3, 5, 10]
    assert p["cumulative_share"].tolist() == pytest.approx([0.65, 0.9, 1.0])
    assert p.iloc[0].top_channel == "A" and p.iloc[0].top_channel_share == pytest.approx(
        100 / 130)
    assert lost_pareto(df.iloc[0:0]).empty
