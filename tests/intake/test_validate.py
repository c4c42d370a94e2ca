"""``leadroi validate``: the reconciliation per table as text or JSON, fatal problems
collected rather than stopping at the first, exit code 2 when a table is unusable."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import yaml
from conftest import lead, write_case

from leadroi.engine import collect
from leadroi.intake.reconcile import validate_params


def _validate(*args):
    return subprocess.run([sys.executable, "-m", "leadroi.cli", "validate", *map(str, args)],
                          capture_output=True, text=True)


LEADS = [lead("1", "SEO"), lead("1", "SEO"), lead("2", " seo "),
         lead("3", "Webinar", created="not a date"), lead("4", "Webinar", amount="-3"),
         lead("5", "Webinar", won="2026-07-01", created="2026-07-09")]


def test_json_per_table_and_fatal(tmp_path):
    params = write_case(tmp_path, leads=LEADS,
                        spend=[{"date": "2026-07-01", "channel": "seo", "amount": "1万"},
                               {"date": "2026-07-01", "channel": "SEO", "amount": "(5)"}])
    res = _validate(params, "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert set(out) == {"leads", "spend", "fatal"} and out["fatal"] == []
    leads = out["leads"]
    assert (leads["rows_in"], leads["rows_used"], leads["rows_quarantined"]) == (6, 2, 4)
    assert leads["by_reason"] == {"duplicate:lead_id": 1, "missing:created_at": 1,
                                  "negative:amount": 1, "before_created:won_at": 1}
    assert leads["fixes"]["channel_folded:channel"] == 1
    assert out["spend"]["by_reason"] == {"negative:amount": 1}
    assert out["spend"]["file"].endswith("spend.csv")


def test_text_output(tmp_path):
    res = _validate(write_case(tmp_path, leads=LEADS))
    assert res.returncode == 0
    assert "duplicate lead_id (first row kept) [duplicate:lead_id]" in res.stdout
    assert "Every table reconciles" in res.stdout and "6 in" in res.stdout


def test_fatal_problems_are_collected_and_exit_2(tmp_path):
    params = write_case(tmp_path, leads=LEADS,
                        spend=[{"date": "x", "channel": "", "amount": ""}],
                        targets=[{"period": "2026-Q3", "metric": "leads", "value": "9"}])
    doc = yaml.safe_load(params.read_text())
    doc["data"]["touchpoints"] = {"path": "missing.csv"}
    params.write_text(yaml.safe_dump(doc))
    res = _validate(params, "--json")
    assert res.returncode == 2
    out = json.loads(res.stdout)
    assert [f["table"] for f in out["fatal"]] == ["spend", "touchpoints"]
    assert "all 1 rows were quarantined" in out["fatal"][0]["message"]
    assert "file not found" in out["fatal"][1]["message"]
    assert out["leads"]["rows_used"] == 2 and out["targets"]["rows_used"] == 1
    assert out["spend"]["rows_quarantined"] == 1       # counted though unusable
    text = _validate(params)
    assert text.returncode == 2 and "fatal:" in text.stdout and "Not usable" in text.stdout


def test_bad_params_exit_2(tmp_path):
    (tmp_path / "p.yaml").write_text("period: 2026-Q3\ndata: {leads: {pth: x.csv}}\n")
    res = _validate(tmp_path / "p.yaml")
    assert res.returncode == 2 and "'data.leads.pth'" in res.stderr


def test_summary_equals_the_dataset_and_its_quarantine(tmp_path):
    summary, data = validate_params(write_case(tmp_path, leads=LEADS))
    quarantine = collect(data.quarantine)
    for table, row in data.quality.set_index("table").iterrows():
        s = summary[table]
        assert s["rows_in"] == row["rows_in"] == s["rows_used"] + s["rows_quarantined"]
        mine = quarantine[quarantine["table"] == table]
        assert len(mine) == s["rows_quarantined"] == sum(s["by_reason"].values())
        counted = mine.groupby(["code", "column"]).size()
        assert {f"{c}:{col}": int(n) for (c, col), n in counted.items()} == s["by_reason"]
    assert isinstance(data.quality, pd.DataFrame)
