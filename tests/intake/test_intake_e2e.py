"""Whole reports on CRM-like exports: ``leadroi validate`` and the report (appendix,
Excel ``data_quality``, ``quarantine_reasons`` and ``quarantine`` sheets) agree on every
count; a report with only a minimal leads table renders and says what it cannot show."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pandas as pd
import pytest
import yaml
import zh_template
from openpyxl import load_workbook

pytestmark = pytest.mark.slow


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "leadroi.cli", *map(str, args)],
                          capture_output=True, text=True)


def _deals(rows):
    """Deals of the template's leads, with a few that must be quarantined."""
    out = []
    for i, row in enumerate(rows):
        lead_id = row["clean"]["线索编号"]
        if row["won"] is not None:
            out.append({"deal_id": f"D{i}", "lead_id": lead_id, "stage": "Closed Won",
                        "amount": ["5万", "¥12,000", "3.5万元"][i % 3],
                        "closed_at": row["won"].strftime("%Y/%m/%d")})
    out += [{"deal_id": "X1", "lead_id": "nobody", "stage": "Closed Won", "amount": "1"},
            {"deal_id": "D0", "lead_id": out[0]["lead_id"], "stage": "Open", "amount": "1"},
            {"deal_id": "X2", "lead_id": out[1]["lead_id"], "stage": "Open", "amount": "-9"}]
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crm")
    rows = zh_template.rows(80)
    messy = [dict(r, messy={**r["messy"]}) for r in rows]
    messy[3]["messy"]["线索编号"] = messy[2]["messy"]["线索编号"]       # a duplicate id
    messy[5]["messy"]["获取时间"] = "下周二"                          # unreadable date
    zh_template.write_csv(folder / "leads.csv", messy, "messy", "gbk")
    pd.DataFrame(_deals(rows)).to_excel(folder / "deals.xlsx", sheet_name="Deals",
                                        index=False)
    crm = {"period": "2023-Q4", "as_of": "2024-03-31", "min_leads": 5, "language": "en",
           "data": {"leads": {"path": "leads.csv", "mapping": "zh-template"},
                    "deals": {"path": "deals.xlsx", "sheet": "Deals"}}}
    (folder / "crm.yaml").write_text(yaml.safe_dump(crm, allow_unicode=True))
    minimal = pd.DataFrame([{"id": f"L{i}", "created": f"2023-{10 + i % 3}-{1 + i % 28:02d}",
                             "source": ["SEO", "展会", "百度"][i % 3]} for i in range(120)])
    minimal.to_csv(folder / "minimal.csv", index=False)
    bare = {"period": "2023-Q4", "language": "zh", "data": {"leads": {
        "path": "minimal.csv",
        "mapping": {"lead_id": "id", "created_at": "created", "channel": "source"}}}}
    (folder / "bare.yaml").write_text(yaml.safe_dump(bare, allow_unicode=True))
    res = _cli("run", folder / "crm.yaml", folder / "bare.yaml", "--out", folder / "out")
    assert res.returncode == 0, res.stderr
    validated = _cli("validate", folder / "crm.yaml", "--json")
    assert validated.returncode == 0, validated.stderr
    return {"folder": folder, "out": folder / "out", "validate": json.loads(validated.stdout)}


def _sheet(path, name) -> pd.DataFrame:
    rows = list(load_workbook(path, read_only=True)[name].values)
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_validate_and_workbook_agree(runs):
    summary = runs["validate"]
    book = runs["out"] / "crm" / "crm.xlsx"
    quality = _sheet(book, "data_quality").set_index("table")
    assert set(quality.index) == {"leads", "deals"} and summary["fatal"] == []
    for table, row in quality.iterrows():
        for key in ("rows_in", "rows_used", "rows_quarantined"):
            assert row[key] == summary[table][key], (table, key)
    reasons = _sheet(book, "quarantine_reasons")
    from_book = {(r.table, f"{r.code}:{r.column}"): r.rows for r in reasons.itertuples()}
    from_validate = {(t, k): n for t in ("leads", "deals")
                     for k, n in summary[t]["by_reason"].items()}
    assert from_book == from_validate
    rows = _sheet(book, "quarantine")
    counted = rows.groupby(["table", "code", "column"]).size()
    assert {(t, f"{c}:{col}"): n for (t, c, col), n in counted.items()} == from_validate


def test_validate_and_appendix_agree(runs):
    html = (runs["out"] / "crm" / "crm.html").read_text(encoding="utf-8")
    appendix = html[html.index('id="appendix"'):]
    table = appendix[appendix.index("rt-data_quality"):appendix.index("</table>")]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>.*?</td>",
                                                                      table, re.S)]
    summary = runs["validate"]
    for name in ("leads", "deals"):
        i = cells.index(name)
        shown = [int(c.replace(",", "")) for c in cells[i + 2:i + 5]]
        assert shown == [summary[name]["rows_in"], summary[name]["rows_used"],
                         summary[name]["rows_quarantined"]]


def test_the_expected_problems_were_found(runs):
    leads, deals = runs["validate"]["leads"], runs["validate"]["deals"]
    assert leads["by_reason"] == {"duplicate:lead_id": 1, "missing:created_at": 1}
    assert deals["by_reason"] == {"orphan:lead_id": 1, "duplicate_deal:deal_id": 1,
                                  "negative:amount": 1}
    assert leads["rows_in"] == 80 and deals["rows_used"] == deals["rows_in"] - 3
    html = (runs["out"] / "crm" / "crm.html").read_text(encoding="utf-8")
    assert "deals were joined onto" in html


def test_minimal_leads_report_renders_and_says_why(runs):
    folder = runs["out"] / "bare"
    assert sorted(p.suffix for p in folder.iterdir()) == [".html", ".ipynb", ".json", ".pdf",
                                                          ".xlsx"]
    text = subprocess.run(["pdftotext", "-layout", str(folder / "bare.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    for sentence in ("未提供spend表", "未提供touchpoints表", "线索数据没有won_at列",
                     "线索数据没有amount列", "漏斗只显示线索获取这一步", "无法计算响应时间"):
        assert sentence in flat, sentence
