"""Journeys from touchpoints and from path files: windows, order, outcomes, counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import lead

from leadroi.attribution import attribute, journeys_from_leads, read_path_file
from leadroi.attribution.bootstrap import chain_batch
from leadroi.attribution.chain import Chain
from leadroi.attribution.pathfile import PathColumns, journeys_from_paths
from leadroi.attribution.paths import (
    CONVERSION,
    NULL,
    START,
    path_types,
    transition_counts,
)
from leadroi.engine import Engine, collect
from leadroi.errors import DataError

LEADS = [
    # won 2026-08-20: the April touch is outside the 90-day window, the one after
    # the win does not count
    lead("L1", "SEO", "2026-07-10 10:00", won="2026-08-20 12:00", amount=1000,
         sql_at="2026-07-30 09:00"),
    lead("L2", "Ads", "2026-07-15 09:00"),  # still open at the cut-off
    lead("L3", "Email", "2026-07-20 09:00", lost_at="2026-08-01 09:00"),  # lost
    lead("L4", "Referral", "2026-07-22 09:00", won="2026-09-10 09:00", amount=500),
    lead("L5", "SEO", "2026-06-01 09:00", won="2026-07-05 09:00", amount=70),  # Q2
]
TOUCHES = [
    {"lead_id": "L1", "touched_at": "2026-04-01 08:00", "channel": "Webinar"},
    {"lead_id": "L1", "touched_at": "2026-08-01 10:00", "channel": "Ads"},
    {"lead_id": "L1", "touched_at": "2026-07-10 10:00", "channel": "SEO"},
    {"lead_id": "L1", "touched_at": "2026-08-25 10:00", "channel": "Email"},
    {"lead_id": "L2", "touched_at": "2026-09-02 10:00", "channel": "SEO"},
    {"lead_id": "L2", "touched_at": "2026-09-01 10:00", "channel": "Ads"},
    {"lead_id": "L3", "touched_at": "2026-07-21 10:00", "channel": "Email"},
    {"lead_id": "L3", "touched_at": "2026-07-25 10:00", "channel": "Email"},
    {"lead_id": "L3", "touched_at": "2026-08-05 10:00", "channel": "SEO"},
    {"lead_id": "L5", "touched_at": "2026-06-01 09:00", "channel": "SEO"},
]


@pytest.fixture
def journeys(case):
    params, data = case(leads=LEADS, touchpoints=TOUCHES)
    return journeys_from_leads(data.leads, data.touchpoints, as_of=data.as_of,
                               lookback_days=90, period=params.window)


def test_touches_in_window_in_time_order(journeys):
    t = collect(journeys.touches).sort_values(["journey", "pos"])
    seq = t.groupby("journey")["channel"].agg(" > ".join).to_dict()
    assert seq == {"L1": "SEO > Ads", "L2": "Ads > SEO", "L3": "Email > Email",
                   "L4": "Referral"}  # L4 had no touch: its source channel at creation
    l1 = t[t["journey"] == "L1"].set_index("pos")
    assert l1.loc[0, "age"] == pytest.approx(22.0)  # 07-10 10:00 -> 08-01 10:00
    assert l1.loc[1, "age"] == 0.0
    assert (l1["lead_pos"] == 0).all() and (l1["opp_pos"] == 0).all()
    assert (l1["conversions"] == 1).all() and (l1["value"] == 1000).all()
    l2 = t[t["journey"] == "L2"]
    assert (l2["nulls"] == 1).all() and (l2["conversions"] == 0).all()
    assert l2["opp_pos"].isna().all()


def test_transition_counts_by_hand(journeys):
    got = transition_counts(journeys).set_index(["from", "to"])
    expected = {(START, "SEO"): 1, ("SEO", "Ads"): 1, ("Ads", CONVERSION): 1,
                (START, "Ads"): 1, ("Ads", "SEO"): 1, ("SEO", NULL): 1,
                (START, "Email"): 1, ("Email", NULL): 1,  # Email -> Email left out
                (START, "Referral"): 1, ("Referral", CONVERSION): 1}
    assert got["count"].to_dict() == expected
    assert got.loc[("Ads", CONVERSION), "value"] == 1000
    assert got.loc[("Referral", CONVERSION), "value"] == 500


def test_totals_and_steps_agree_with_touches(journeys):
    tot = journeys.totals()
    assert tot == {"touches": 7.0, "journeys": 4.0, "paths": 4.0, "conversions": 2.0,
                   "value": 1500.0, "nulls": 2.0}
    stored = journeys.materialize(Engine(journeys.touches.get_backend()), "t_check")
    key = ["from", "to"]
    a = transition_counts(stored).sort_values(key).reset_index(drop=True)
    b = transition_counts(journeys).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_credit_adds_up_to_cohort_customers_and_revenue(journeys):
    got = attribute(journeys).table.groupby("model")[["conversions", "value"]].sum()
    assert (got["conversions"].round(9) == 2).all() and (got["value"].round(6) == 1500).all()


def test_w_shaped_uses_the_opportunity_touch(case):
    leads = [lead("W1", "A", "2026-07-01 09:00", won="2026-07-20 09:00", amount=100,
                  sql_at="2026-07-02 12:00")]
    touches = [{"lead_id": "W1", "touched_at": f"2026-07-0{d} 10:00", "channel": c}
               for d, c in ((1, "A"), (3, "B"), (4, "C"), (5, "D"))]
    params, data = case(leads=leads, touchpoints=touches)
    j = journeys_from_leads(data.leads, data.touchpoints, as_of=data.as_of)
    got = attribute(j, ["w_shaped", "full_path"]).table.set_index(["model", "channel"])
    # the opportunity touch is A, the last touch before sql_at: A is first and
    # opportunity (2 x 30%), D last (30%), B and C share 10%
    w = got.loc["w_shaped", "conversions"]
    assert w.to_dict() == pytest.approx({"A": 0.6, "B": 0.05, "C": 0.05, "D": 0.3})
    # full path: no touch precedes the lead's creation (09:00), so the lead-creation
    # anchor falls at round(3 / 3) = B; A is first and opportunity (2 x 22.5%), D last
    # (22.5%), C takes the 10%
    f = got.loc["full_path", "conversions"]
    assert f.to_dict() == pytest.approx({"A": 0.45, "B": 0.225, "C": 0.1, "D": 0.225})


# ---- path files -----------------------------------------------------------------------

def _write(tmp_path, text: str, name: str = "paths.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_path_file_semicolons_and_other_column_names(tmp_path):
    f = _write(tmp_path, "route;conv;rev\nA > B;2;200\nB;0;0\n")
    cols = PathColumns(path="route", conversions="conv", value="rev", nulls=None)
    t = read_path_file(Engine(), f, columns=cols, delimiter=";")
    got = transition_counts(journeys_from_paths(t)).set_index(["from", "to"])["count"]
    assert got.to_dict() == {(START, "A"): 2, ("A", "B"): 2, ("B", CONVERSION): 2}


def test_path_file_other_separator_and_missing_optional_columns(tmp_path):
    f = _write(tmp_path, "path,total_conversions\nA|B|C,1\n")
    t = read_path_file(Engine(), f)
    j = journeys_from_paths(t, sep="|")
    assert not j.has_value
    credit = attribute(j, ["linear"])
    assert credit.table["conversions"].tolist() == pytest.approx([1 / 3] * 3)
    assert credit.table["value"].isna().all()


def test_path_file_ragged_paths_are_tidied_and_empty_ones_skipped(tmp_path):
    f = _write(tmp_path, "path;total_conversions;total_conversion_value;total_null\n"
                         " a >> b ;1;10;0\n>a>;1;5;1\n;2;7;0\n  ;1;1;0\nc;0;0;1\n")
    j = journeys_from_paths(read_path_file(Engine(), f, delimiter=";"))
    assert j.skipped == {"rows": 2, "conversions": 3.0}
    got = transition_counts(j).set_index(["from", "to"])["count"].to_dict()
    assert got == {(START, "a"): 3, ("a", "b"): 1, ("b", CONVERSION): 1,
                   ("a", CONVERSION): 1, ("a", NULL): 1, (START, "c"): 1, ("c", NULL): 1}


@pytest.mark.parametrize("text, column, rows", [
    ("path,total_conversions\nA,1\nB,x\nC,-1\n", "total_conversions", [2, 3]),
    ("path,total_conversions,total_null\nA,1,two\n", "total_null", [1]),
])
def test_path_file_bad_numbers_name_rows(tmp_path, text, column, rows):
    with pytest.raises(DataError) as err:
        read_path_file(Engine(), _write(tmp_path, text))
    assert err.value.column == column and err.value.rows == rows


def test_path_file_missing_column_lists_what_was_found(tmp_path):
    f = _write(tmp_path, "route,total_conversions\nA,1\n")
    with pytest.raises(DataError, match="no column 'path'.*route"):
        read_path_file(Engine(), f)
    with pytest.raises(DataError, match="not found"):
        read_path_file(Engine(), tmp_path / "nope.csv")


def test_path_file_parquet(tmp_path):
    f = tmp_path / "p.parquet"
    pd.DataFrame({"path": ["A > B"], "total_conversions": [1.0],
                  "total_conversion_value": [3.0], "total_null": [2.0]}).to_parquet(f)
    credit = attribute(journeys_from_paths(read_path_file(Engine(), f)), ["last_touch"])
    assert credit.table.set_index("channel")["value"].to_dict() == {"A": 0.0, "B": 3.0}
    assert credit.totals["journeys"] == 3


def test_path_types_rebuild_the_same_chain(tmp_path):
    f = _write(tmp_path, "path;total_conversions;total_conversion_value;total_null\n"
                         "A > B > A;2;20;1\nB > C;1;5;3\nA > B > A;1;4;0\nC;0;0;2\n")
    j = journeys_from_paths(read_path_file(Engine(), f, delimiter=";"))
    types = path_types(j)
    assert len(types) == 3 and types.channels == ["A", "B", "C"]
    batch = chain_batch(types, types.conversions[None, :], types.nulls[None, :])
    direct = Chain.from_counts(transition_counts(j))
    np.testing.assert_allclose(batch.P, direct.P)
    np.testing.assert_allclose(batch.r, direct.r)
    np.testing.assert_allclose(batch.journeys, direct.journeys)
