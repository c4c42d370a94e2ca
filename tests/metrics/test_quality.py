"""Seniority from titles, the rule-based lead score, its calibration and verdict (rich case
of conftest.py: scores a1 45, a2 20, a3 0, a4 0, b1 30, b2 20, d1 25; customers a1, b1, d1).
"""

import datetime as dt

import ibis
import numpy as np
import pandas as pd
import pytest

from leadroi.engine import Engine
from leadroi.metrics import lead_facts, score_auc, score_calibration, score_rules, seniority
from leadroi.metrics.quality import (
    rules_without_data,
    score_band_labels,
    score_verdict,
    seniority_mix,
)
from leadroi.params import ScoringSettings
from leadroi.periods import parse_period

Q3, AS_OF = parse_period("2026-Q3"), dt.date(2026, 10, 31)


@pytest.mark.parametrize("title, level", [
    ("CEO", "c_suite"), ("cfo", "c_suite"), ("CTO", "c_suite"), ("COO", "c_suite"),
    ("CMO", "c_suite"), ("Chief Information Officer", "c_suite"), ("President", "c_suite"),
    ("Co-founder & CEO", "c_suite"), ("首席执行官", "c_suite"), ("首席财务官", "c_suite"),
    ("总裁", "c_suite"), ("董事长", "c_suite"), ("总经理", "c_suite"),
    ("Vice President, Marketing", "vp"), ("VP of Sales", "vp"), ("SVP Operations", "vp"),
    ("副总裁", "vp"), ("执行副总裁", "vp"), ("销售副总裁", "vp"), ("副总经理", "vp"),
    ("Director of IT", "director"), ("Head of Procurement", "director"),
    ("市场总监", "director"), ("采购负责人", "director"),
    ("Marketing Manager", "other"), ("Coordinator", "other"), ("经理", "other"),
    ("", "unknown"), (None, "unknown"),
])
def test_seniority_from_english_and_chinese_titles(title, level):
    t = ibis.memtable({"title": pd.Series([title], dtype=object)},
                      schema={"title": "string"})
    got = ibis.duckdb.connect().execute(t.select(level=seniority(t.title)))["level"].iloc[0]
    assert got == level


def _facts(rich):
    _, data = rich
    return lead_facts(data, Q3, AS_OF)


def test_score_follows_the_seed_004_rules(rich):
    facts = _facts(rich)
    got = facts.table.select("lead_id", "_score").execute().set_index("lead_id")["_score"]
    # a1: company 1000+ (10) + CEO (20) + pricing page (15); b1: 总经理 (20) + white paper
    # (10), company 200-999 reads 200; d1: 500人以上 (10) + 访问了价格页面 (15)
    assert got.to_dict() == {"a1": 45, "a2": 20, "a3": 0, "a4": 0, "b1": 30, "b2": 20,
                             "d1": 25}


def test_calibration_by_band(rich):
    cal = score_calibration(_facts(rich).table, (0, 15, 30, 45), min_leads=2)
    assert cal["band"].tolist() == ["0–14", "15–29", "30–44", "45+"]
    assert cal["leads"].tolist() == [2, 3, 1, 1] and cal["customers"].tolist() == [0, 1, 1, 1]
    assert cal["conversion_rate"].tolist() == [0, 1 / 3, 1, 1]
    assert cal["too_few"].tolist() == [False, False, True, True]
    assert cal["share"].sum() == pytest.approx(1)


def test_auc_counts_ties_half():
    eng = Engine()
    t = eng.store("s", pd.DataFrame({"_score": [10.0, 20.0, 10.0, 0.0],
                                     "_won": [True, True, False, False]}))
    auc, low, high = score_auc(t)
    assert auc == pytest.approx(3.5 / 4)   # pairs: 10~10 half, the other three won
    assert low < auc < high
    none = eng.store("n", pd.DataFrame({"_score": [1.0], "_won": [False]}))
    assert all(np.isnan(x) for x in score_auc(none))


def test_verdict(rich):
    facts = _facts(rich)
    cal = score_calibration(facts.table, (0, 15, 30, 45), min_leads=1)
    v = score_verdict(cal, facts.table, min_leads=1)
    assert v["verdict"] == "works" and v["auc"] == 1.0      # every customer outscores
    assert v["low_band"] == "0–14" and v["low_rate"] == 0
    assert v["high_band"] == "15+" and v["high_rate"] == pytest.approx(3 / 5)
    assert score_verdict(cal, facts.table, min_leads=30)["verdict"] == "too_few"
    eng = Engine()
    flat = eng.store("f", pd.DataFrame({"_score": [0.0, 20.0] * 40,
                                        "_won": [True, False, False, True] * 20}))
    cal = score_calibration(flat, (0, 15), min_leads=10)
    assert score_verdict(cal, flat, min_leads=10)["verdict"] == "fails"   # AUC 0.5


def test_what_each_rule_is_worth(rich):
    rules = score_rules(_facts(rich).table, ScoringSettings(), min_leads=1).set_index("rule")
    assert rules.loc["company_500", "matched"] == 2                     # a1, d1
    assert rules.loc["company_500", "conversion_matched"] == 1.0
    assert rules.loc["company_500", "conversion_other"] == pytest.approx(1 / 5)
    assert rules.loc["company_500", "lift"] == pytest.approx(5)
    assert rules.loc["ceo_vp", "matched"] == 4                          # a1 a2 b1 b2
    assert rules.loc["ceo_vp", "lift"] == pytest.approx(0.5 / (1 / 3))
    assert rules.loc["white_paper", "lift"] == pytest.approx(1 / (2 / 6))


def test_rules_without_data_and_band_labels():
    s = ScoringSettings()
    assert rules_without_data(["lead_id", "title", "content"], s) == ["company_500",
                                                                      "pricing_page"]
    assert rules_without_data(["notes", "content", "company_size"], s) == ["ceo_vp"]
    assert score_band_labels((0, 15, 30)) == ["0–14", "15–29", "30+"]
    assert score_band_labels((0, 0.5)) == ["0–0.5", "0.5+"]


def test_seniority_mix(rich):
    mix = seniority_mix(_facts(rich).table, min_leads=1)
    a = mix[mix["channel"] == "A"].iloc[0]
    assert (a.leads, a.c_suite, a.vp, a.other, a.unknown) == (4, 1, 1, 1, 1)
    assert a.exec_share == 0.5
    total = mix.iloc[-1]
    assert total.channel is None and total.leads == 7 and total.exec_share == 4 / 7
    assert mix["channel"].iloc[0] == "B"          # 100% executives: first
