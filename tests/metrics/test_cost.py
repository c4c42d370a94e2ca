"""Spend by campaign and budget against actual."""

import pandas as pd
import pytest

from leadroi.metrics import budget_vs_actual, spend_by_campaign
from leadroi.periods import parse_period

Q3 = parse_period("2026-Q3")


def test_budget_vs_actual():
    targets = pd.DataFrame({"channel": ["all", "A", "B", "all"],
                            "metric": ["spend", "spend", "spend", "revenue"],
                            "value": [5000.0, 2500.0, 800.0, 1.0]})
    bc = pd.DataFrame({"channel": ["A", "B", "C"], "spend": [2000.0, 1000.0, 3000.0]})
    b = budget_vs_actual(targets, bc, 6000.0)
    assert b["channel"].tolist() == ["A", "B", None]
    assert b["variance"].tolist() == [-500, 200, 1000]
    assert b["used"].tolist() == pytest.approx([0.8, 1.25, 1.2])
    assert budget_vs_actual(targets[targets["metric"] == "revenue"], bc, 1.0).empty
    assert budget_vs_actual(targets.iloc[0:0], bc, 1.0).empty


def test_spend_by_campaign(rich):
    _, data = rich
    s = spend_by_campaign(data, Q3)
    assert s["amount"].sum() == 6000
    a1 = s[(s["channel"] == "A") & (s["campaign"] == "A1")]
    assert a1["amount"].tolist() == [1000]
    assert s.iloc[0]["channel"] == "C"                 # largest first
