"""The sample campaign retrospective, run as a marketer runs it: ``leadroi run`` on
``params/sample-campaign.yaml`` and its Chinese twin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.slow

RIDS = ["sample-campaign", "sample-campaign-zh"]
SECTIONS_EN = ["Executive summary", "1 · Input: what the campaign cost",
               "2 · Output: leads, customers and revenue",
               "3 · Comparison with the benchmark campaigns",
               "4 · Recommendations and action plan", "Appendix"]
SECTIONS_ZH = ["执行摘要", "一、投入:活动花了多少", "二、产出:线索、客户与收入",
               "三、对比:与基准活动比较", "四、建议与行动计划", "优化方案", "附录"]


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture(scope="module")
def reports(repo, sample_en, sample_zh, tmp_path_factory):
    out = tmp_path_factory.mktemp("campaign-reports")
    res = subprocess.run([sys.executable, "-m", "leadroi.cli", "run",
                          *(str(repo / "params" / f"{rid}.yaml") for rid in RIDS),
                          "--out", str(out)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return out


@pytest.mark.parametrize("rid", RIDS)
def test_four_files_and_no_errors(reports, rid):
    folder = reports / rid
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{rid}{s}" for s in (".html", ".ipynb", ".pdf", ".xlsx")] + ["run.json"])
    nb = json.loads((folder / f"{rid}.ipynb").read_text(encoding="utf-8"))
    outputs = [o for c in nb["cells"] for o in c.get("outputs", [])]
    assert not any(o.get("output_type") == "error" for o in outputs)
    streams = " ".join("".join(o.get("text", "")) for o in outputs
                       if o.get("output_type") == "stream")
    assert "missing from font" not in streams.lower()


def _positions(text: str, headings: list[str]) -> list[int]:
    return [text.find(h) for h in headings]


def test_pdf_en_tells_the_story(reports):
    text = _pdf_text(reports / "sample-campaign" / "sample-campaign.pdf")
    pos = _positions(text, SECTIONS_EN)
    assert all(p >= 0 for p in pos) and pos == sorted(pos)
    assert "Webinars-2026Q2-A" in text and "sign-ups" in text
    assert "Optimisation plan" in text and "import leadroi" not in text


def test_pdf_zh_has_chinese_headings(reports):
    text = _pdf_text(reports / "sample-campaign-zh" / "sample-campaign-zh.pdf")
    text = text.replace(":", ":")
    for heading in SECTIONS_ZH:
        assert heading.replace(":", ":") in text, heading
    assert "网络研讨会-2026Q2-A" in text and "报名" in text


def test_workbook_has_the_plan_and_benchmarks(reports):
    wb = load_workbook(reports / "sample-campaign" / "sample-campaign.xlsx", read_only=True)
    assert {"campaign_kpis", "campaign_benchmarks", "campaign_stages",
            "campaign_actions"} <= set(wb.sheetnames)
    rows = list(wb["campaign_actions"].values)
    header = rows[0]
    assert {"conclusion", "action", "owner", "deadline", "metric", "baseline",
            "target"} <= set(header)
    assert len(rows) >= 3  # the verdict and at least one more action
