"""``leadroi run a.yaml b.yaml --jobs N``: the others complete when one fails."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from leadroi.render.batch import BatchItem, format_summary


def test_summary_counts_failures_and_names_the_error():
    text = format_summary([BatchItem("a.yaml", 0, 12.5, folder="reports/a"),
                           BatchItem("b.yaml", 2, 0.4, message="b.yaml: leads file missing")])
    lines = text.splitlines()
    assert "ok" in lines[1] and "reports/a" in lines[1]
    assert "exit 2" in lines[2] and "leads file missing" in lines[2]
    assert lines[-1] == "1 of 2 reports ok, 1 failed"


@pytest.mark.slow
def test_parallel_batch_continues_past_a_failing_report(repo, sample_en, tmp_path):
    good = tmp_path / "campaign.yaml"
    doc = yaml.safe_load((repo / "params" / "sample-campaign.yaml").read_text())
    for table in doc["data"].values():
        if isinstance(table, dict) and "path" in table:
            table["path"] = str((repo / "params" / table["path"]).resolve())
    good.write_text(yaml.safe_dump(doc, allow_unicode=True))
    bad = tmp_path / "broken.yaml"
    bad.write_text(yaml.safe_dump({"period": "2026-Q3",
                                   "data": {"leads": {"path": "no-such-file.csv"}}}))
    out = tmp_path / "out"
    res = subprocess.run([sys.executable, "-m", "leadroi.cli", "run", str(bad), str(good),
                          "--jobs", "2", "--out", str(out)],
                         capture_output=True, text=True, timeout=900)
    assert res.returncode == 2, res.stderr
    assert "1 of 2 reports ok, 1 failed" in res.stdout + res.stderr
    assert "no-such-file.csv" in res.stdout + res.stderr
    folder = out / "campaign"
    assert {p.suffix for p in folder.iterdir() if p.is_file()} >= {".html", ".pdf", ".xlsx"}
    assert not (out / "broken").exists() or not list((out / "broken").glob("*.pdf"))
