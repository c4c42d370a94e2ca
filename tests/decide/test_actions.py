"""The action plan lifecycle: review of carried actions, the what-if, and
`leadroi new quarterly` then `leadroi run` end to end."""

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from leadroi.decide.actions import _status, review
from leadroi.decide.rules import Recommendation
from leadroi.decide.whatif import reallocate
from leadroi.params import ActionItem, WhatIfSettings


@pytest.mark.parametrize("now, target, direction, status", [
    (0.31, 0.30, "up", "met"), (0.29, 0.30, "up", "not_met"), (0.30, 0.30, "up", "met"),
    (20000, 25000, "down", "met"), (26000, 25000, "down", "not_met"),
    (float("nan"), 0.3, "up", "no_data")])
def test_status(now, target, direction, status):
    assert _status(now, target, direction) == status


def _item(**kw):
    base = dict(conclusion="c", action="a", owner="o", deadline=dt.date(2026, 11, 14),
                target=0.0, period="2026-Q2")
    return ActionItem(**{**base, **kw})


def test_review_reads_each_metric(sample_data, sample_params):
    from leadroi.report.quarterly import analyse

    r = analyse(sample_data, sample_params)
    items = (_item(metric="roi", subject="Cold email", baseline=-0.8, target=0.0),
             _item(metric="stage_conversion", subject="needs_confirmed", baseline=0.3,
                   target=0.2),
             _item(metric="leads", subject="No such channel", target=10),
             _item(metric="group_conversion", subject="Industry targeting",
                   dimension="strategy", target=0.01))
    rev = review(items, r).set_index("subject")
    bc = r.by_channel.set_index("channel")
    assert rev.loc["Cold email", "now"] == pytest.approx(bc.loc["Cold email", "roi"])
    assert rev.loc["Cold email", "status"] == "not_met"  # still losing money
    fun = r.funnel.set_index("stage")
    assert rev.loc["needs_confirmed", "now"] == pytest.approx(
        1 - fun.loc["needs_confirmed", "drop_off"])
    assert rev.loc["needs_confirmed", "status"] == "met"
    assert rev.loc["No such channel", "status"] == "no_data"
    assert rev.loc["Industry targeting", "status"] == "met"


def _bc():
    return pd.DataFrame({
        "channel": ["Loser", "Winner", "Other"], "leads": [1000, 200, 500],
        "customers": [10, 40, 25], "revenue": [1e5, 2e6, 5e5], "spend": [5e5, 4e5, 2e5],
        "roi": [-0.8, 4.0, 1.5], "roi_low": [-0.9, 3.0, 0.8], "too_few": [False] * 3})


def _recs():
    d = dt.date(2026, 11, 14)
    return [Recommendation("cut_channel", "Loser", 1, "high", "m", d, "roi", -0.8, 0.0),
            Recommendation("scale_channel", "Winner", 4, "high", "m", d, "roi", 4.0, 1.0)]


def test_whatif_constant_returns_by_hand():
    no_fit = pd.DataFrame(columns=["channel", "quarters", "b", "fitted"])
    w = reallocate(_bc(), _recs(), no_fit, WhatIfSettings(move_share=0.2, max_increase=0.5))
    t = w.table.set_index("role")
    # 20% of Loser's 500k = 100k moves to Winner (cap 200k not reached)
    assert w.moved == pytest.approx(1e5)
    assert t.loc["to", "spend_after"] == pytest.approx(5e5)
    assert t.loc["to", "leads_after"] == pytest.approx(250)  # constant CPL: 200 * 1.25
    assert t.loc["to", "revenue_after"] == pytest.approx(2.5e6)
    assert t.loc["from", "customers_after"] == pytest.approx(8)
    total = t.loc["total"]
    assert total["spend_after"] == pytest.approx(total["spend"])  # same budget
    assert total["revenue_after"] == pytest.approx(2.6e6 + 0.5e6 - 0.02e6 - 0.5e6 + 0.5e6)


def test_whatif_cap_and_diminishing_returns():
    fit = pd.DataFrame({"channel": ["Winner"], "quarters": [8], "b": [0.5], "fitted": [True]})
    w = reallocate(_bc(), _recs(), fit, WhatIfSettings(move_share=1.0, max_increase=0.25))
    t = w.table.set_index("role")
    assert w.moved == pytest.approx(1e5)  # capped at 25% of Winner's 400k
    assert t.loc["to", "leads_after"] == pytest.approx(200 * math.sqrt(1.25))


def test_whatif_needs_donor_and_receiver():
    assert reallocate(_bc(), _recs()[1:], pd.DataFrame(), WhatIfSettings()) is None


@pytest.mark.slow
def test_new_then_run_reviews_carried_actions(repo, sample_en, tmp_path):
    from openpyxl import load_workbook

    from leadroi.cli import main

    q2 = yaml.safe_load((repo / "params" / "sample-2026-Q3.yaml").read_text())
    q2.update(period="2026-Q2", as_of="2026-07-31")
    for spec in q2["data"].values():
        spec["path"] = str((repo / "params" / spec["path"]).resolve())
    src = tmp_path / "old" / "q2.yaml"
    src.parent.mkdir()
    src.write_text(yaml.safe_dump(q2, allow_unicode=True))
    new = tmp_path / "params" / "q3.yaml"
    assert main(["new", "quarterly", "2026-Q3", "--from", str(src), "--out", str(new)]) == 0
    carried = yaml.safe_load(new.read_text())
    assert carried["period"] == "2026-Q3" and "as_of" not in carried
    assert {a["rule"] for a in carried["actions"]} >= {"cut_channel", "fix_bottleneck"}
    assert all(a["period"] == "2026-Q2" for a in carried["actions"])
    assert main(["new", "quarterly", "2026-Q3", "--from", str(src), "--out", str(new)]) == 2
    assert main(["run", str(new), "--out", str(tmp_path / "reports")]) == 0
    book = load_workbook(tmp_path / "reports" / "q3" / "q3.xlsx", read_only=True)
    sheet = [r for r in book["actions_review"].iter_rows(values_only=True)]
    header, rows = sheet[0], sheet[1:]
    assert len(rows) == len(carried["actions"])
    status = [dict(zip(header, r))["status"] for r in rows]
    assert set(status) <= {"met", "not_met", "no_data"} and "no_data" not in status
    html = (tmp_path / "reports" / "q3" / "q3.html").read_text()
    assert "Last quarter" in html and "Cold email" in html
    assert np.isfinite([dict(zip(header, r))["now"] for r in rows]).all()
    assert Path(tmp_path / "reports" / "q3" / "q3.pdf").stat().st_size > 0
