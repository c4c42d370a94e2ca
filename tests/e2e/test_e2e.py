"""Whole reports, run as a user runs them: ``leadroi run`` on the sample params.

The by-channel numbers of the Excel workbook are checked against an independent pandas
computation straight from the sample CSVs (its own parsing of ``¥5万``, dates, duplicates).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

pytestmark = pytest.mark.slow

SECTIONS_EN = ["Executive summary", "1 · Input: what we spent",
               "2 · Output: leads, customers and revenue",
               "3 · Comparison: channels and quarters", "4 · Recommendations and action plan",
               "Appendix"]
SECTIONS_ZH = ["执行摘要", "一、投入:营销与销售费用", "二、产出:线索、客户与收入",
               "三、对比:渠道与季度", "四、建议与行动计划", "附录"]


def _run(*args, env=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "leadroi.cli", "run", *map(str, args)],
                          capture_output=True, text=True, env=env, cwd=cwd)


def _copy_params(repo: Path, name: str, dest: Path) -> Path:
    """The sample params with absolute data paths, so they run from a temp folder."""
    doc = yaml.safe_load((repo / "params" / name).read_text(encoding="utf-8"))
    for source in doc["data"].values():
        source["path"] = str((repo / "params" / source["path"]).resolve())
    path = dest / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reports(repo, sample_en, sample_zh, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    res = _run(repo / "params" / "sample-2026-Q3.yaml", repo / "params" / "sample-2026-Q3-zh.yaml",
               "--out", out)
    assert res.returncode == 0, res.stderr
    return out


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.parametrize("rid", ["sample-2026-Q3", "sample-2026-Q3-zh"])
def test_four_files_and_the_run_record(reports, repo, rid):
    folder = reports / rid
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{rid}{s}" for s in (".html", ".ipynb", ".pdf", ".xlsx")] + ["run.json"])
    record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert record["status"] == "ok" and record["exit_code"] == 0
    assert record["report_id"] == rid and record["seconds"] > 0
    assert {k: Path(v) for k, v in record["outputs"].items()} == {
        s: folder / f"{rid}.{s}" for s in ("html", "ipynb", "pdf", "xlsx")}
    # rows in: the data rows of each CSV, counted here with the csv module
    import csv

    sample = repo / "data" / ("sample-zh" if rid.endswith("-zh") else "sample")
    for table, rows in record["rows"].items():
        with open(sample / f"{table}.csv", encoding="utf-8-sig", newline="") as f:
            assert rows["in"] == sum(1 for _ in csv.reader(f)) - 1, table
        assert rows["in"] == rows["used"] + rows["quarantined"]
    assert set(record["rows"]) == {"leads", "deals", "spend", "touchpoints", "targets"}
    assert record["rows_total"]["quarantined"] == sum(
        r["quarantined"] for r in record["rows"].values()) > 0


def test_pdf_structure_en(reports):
    pdf = reports / "sample-2026-Q3" / "sample-2026-Q3.pdf"
    pages = _pdf_text(pdf).split("\f")
    assert "Executive summary" in pages[0] and "Key findings" in pages[0]
    assert "Top actions" in pages[0] and re.search(r"\b1 / \d+", pages[0])
    text = "\n".join(pages)
    positions = [text.find(s) for s in SECTIONS_EN]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    for p, page in enumerate(pages[:-1], start=1):
        assert re.search(rf"\b{p} / {len(pages) - 1}\b", page), p
    assert "import leadroi" not in text and "sections." not in text


def test_pdf_zh_has_chinese_text_and_embedded_cjk_font(reports):
    pdf = reports / "sample-2026-Q3-zh" / "sample-2026-Q3-zh.pdf"
    text = _pdf_text(pdf)
    for heading in SECTIONS_ZH:
        assert heading.replace(":", ":") in text.replace(":", ":"), heading
    for channel in ("抖音信息流", "行业展会", "冷邮件", "网络研讨会"):
        assert channel in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout
    cjk = [line for line in fonts.splitlines() if re.search(r"CJK|Han|WenQuanYi|Hei", line)]
    assert cjk and all(" yes " in line for line in cjk)   # embedded


def test_zh_notebook_has_no_missing_glyph_warnings(reports):
    nb = json.loads((reports / "sample-2026-Q3-zh" / "sample-2026-Q3-zh.ipynb").read_text())
    streams = " ".join("".join(o.get("text", "")) for c in nb["cells"]
                       for o in c.get("outputs", []) if o.get("output_type") == "stream")
    assert "missing from font" not in streams.lower()
    assert not any(o.get("output_type") == "error" for c in nb["cells"]
                   for o in c.get("outputs", []))


def test_html_is_offline_and_codeless(reports):
    html = (reports / "sample-2026-Q3" / "sample-2026-Q3.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "import leadroi" not in html and "jp-InputArea" not in html
    assert "Executive summary" in html and "data:image/png;base64," in html


def test_excel_sheets_and_columns(reports):
    wb = load_workbook(reports / "sample-2026-Q3" / "sample-2026-Q3.xlsx")
    for sheet in ("summary", "by_channel", "funnel", "actions", "data_quality"):
        assert sheet in wb.sheetnames
    header = [c.value for c in wb["by_channel"][1]]
    for col in ("dimension", "group", "leads", "customers", "conversion_rate",
                "conversion_rate_low", "conversion_rate_high", "spend", "cpl", "cac",
                "revenue", "roi", "roas"):
        assert col in header
    assert [c.value for c in wb["funnel"][1]][:4] == ["stage", "leads",
                                                       "conversion_from_previous",
                                                       "conversion_from_previous_low"]
    assert {"drop_off"} <= {c.value for c in wb["funnel"][1]}
    dq = pd.DataFrame(wb["data_quality"].values)
    dq.columns = dq.iloc[0]
    dq = dq.iloc[1:]
    assert (dq["rows_in"] == dq["rows_used"] + dq["rows_quarantined"]).all()
    # the predictive score (issue 16): model and rules on the same test quarter
    assert {"model", "auc", "brier", "top_decile_lift"} <= {c.value for c in wb["score_model"][1]}
    assert [c.value for c in wb["score_model"]["A"]][1:] == ["model", "rules"]
    assert [c.value for c in wb["score_calibration_model"][1]][:6] == [
        "decile", "leads", "predicted", "actual", "actual_low", "actual_high"]
    pri = [c.value for c in wb["priority_leads"][1]]
    assert pri[:6] == ["lead_id", "lead_name", "owner", "channel", "probability",
                       "expected_value"] and "reasons" in pri
    names = [r[1].value for r in wb["priority_leads"].iter_rows(min_row=2)]
    assert names and all(n.endswith("***") for n in names)


@pytest.mark.parametrize("rid", ["sample-2026-Q3", "sample-2026-Q3-zh"])
def test_excel_has_a_drilldown_sheet_per_dimension_with_the_same_columns(reports, rid):
    wb = load_workbook(reports / rid / f"{rid}.xlsx")
    dims = ("channel", "campaign", "strategy", "content", "industry", "region", "owner",
            "seniority")
    headers = {d: [c.value for c in wb[f"by_{d}"][1]] for d in dims}
    assert all(h == headers["channel"] for h in headers.values()), headers
    assert len(headers["channel"]) > 40
    for d in dims:                                # every sheet adds up to the same total
        rows = list(wb[f"by_{d}"].values)[1:]
        assert rows[-1][2] == sum(r[2] for r in rows[:-1]) == 8378, d   # leads


def _money(value: str) -> float:
    """Independent reading of the sample's amounts: 85000.00, ¥8.5万, 8.5万元, ¥85,000."""
    if pd.isna(value) or value.strip() == "":
        return np.nan
    s = value.strip().replace("¥", "").replace(",", "").replace("元", "")
    return float(s[:-1]) * 10_000 if s.endswith("万") else float(s)


def _expected_by_channel(folder: Path) -> pd.DataFrame:
    leads = pd.read_csv(folder / "leads.csv", dtype=str, keep_default_na=False)
    leads["created"] = pd.to_datetime(leads["created_at"], format="mixed", errors="coerce")
    leads["won"] = pd.to_datetime(leads["won_at"].replace("", None), errors="coerce")
    leads["amt"] = leads["amount"].map(_money)
    stripped = leads["channel"].str.strip()
    spelling = stripped.groupby(stripped.str.lower()).agg(lambda s: s.value_counts().index[0])
    leads["ch"] = stripped.str.lower().map(spelling)
    ok = leads["created"].notna() & leads["lead_id"].ne("") & ~(leads["amt"] < 0)
    ok &= ~(leads["won"].dt.normalize() < leads["created"].dt.normalize())
    leads = leads[ok]
    leads = leads[~leads.duplicated("lead_id", keep="first")]
    q3 = leads[(leads["created"] >= "2026-07-01") & (leads["created"] < "2026-10-01")]
    won = q3["won"] < "2026-11-01"
    out = pd.DataFrame({"leads": q3.groupby("ch").size(),
                        "customers": won.groupby(q3["ch"]).sum(),
                        "revenue": q3["amt"].where(won, 0).groupby(q3["ch"]).sum()})
    spend = pd.read_csv(folder / "spend.csv")
    spend["ch"] = spend["channel"].str.strip().str.lower().map(spelling)
    spend = spend[(spend["date"] >= "2026-07-01") & (spend["date"] < "2026-10-01")]
    out["spend"] = spend.groupby("ch")["amount"].sum()
    out["marketing"] = spend[spend["cost_type"] == "marketing"].groupby("ch")["amount"].sum()
    out["conversion_rate"] = out["customers"] / out["leads"]
    z = 1.959963984540054
    n, p = out["leads"], out["conversion_rate"]
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    out["conversion_rate_low"], out["conversion_rate_high"] = centre - half, centre + half
    out["cpl"] = out["marketing"] / out["leads"]
    out["cac"] = out["spend"] / out["customers"]
    out["roi"] = (out["revenue"] - out["spend"]) / out["spend"]
    out["roas"] = out["revenue"] / out["marketing"]
    return out


@pytest.mark.parametrize("rid, folder", [("sample-2026-Q3", "sample"),
                                         ("sample-2026-Q3-zh", "sample-zh")])
def test_by_channel_equals_independent_pandas(reports, repo, rid, folder):
    wb = load_workbook(reports / rid / f"{rid}.xlsx")
    rows = list(wb["by_channel"].values)
    got = pd.DataFrame(rows[1:], columns=rows[0])
    if rid.endswith("zh"):  # zh workbook headers are translated; map back by position
        got.columns = [c for c in pd.DataFrame(list(load_workbook(
            reports / "sample-2026-Q3" / "sample-2026-Q3.xlsx")["by_channel"].values)).iloc[0]]
    got = got.iloc[:-1].set_index("group")   # last row: all channels
    expected = _expected_by_channel(repo / "data" / folder)
    assert sorted(got.index) == sorted(expected.index)
    for col in ("leads", "customers"):
        assert (got[col].astype(int) == expected.loc[got.index, col].astype(int)).all(), col
    for col in ("revenue", "spend", "conversion_rate", "conversion_rate_low",
                "conversion_rate_high", "cpl", "cac", "roi", "roas"):
        np.testing.assert_allclose(got[col].astype(float), expected.loc[got.index, col],
                                   rtol=1e-9, err_msg=col)


def _expected_customer_value(folder: Path, horizon: int = 12) -> pd.DataFrame:
    """Measured CLV, repeat and cross-sell by channel straight from the sample CSVs."""
    leads = pd.read_csv(folder / "leads.csv", dtype=str, keep_default_na=False)
    leads["created"] = pd.to_datetime(leads["created_at"], format="mixed", errors="coerce")
    leads["won"] = pd.to_datetime(leads["won_at"].replace("", None), errors="coerce")
    amt = leads["amount"].map(_money)
    ok = leads["created"].notna() & leads["lead_id"].ne("") & ~(amt < 0)
    ok &= ~(leads["won"].dt.normalize() < leads["created"].dt.normalize())
    leads = leads[ok & ~leads.duplicated("lead_id", keep="first")]
    stripped = leads["channel"].str.strip()
    leads = leads.assign(ch=stripped.str.lower().map(
        stripped.groupby(stripped.str.lower()).agg(lambda s: s.value_counts().index[0])))
    deals = pd.read_csv(folder / "deals.csv", dtype=str, keep_default_na=False)
    readable = deals["amount"].str.contains(r"\d")            # "TBD" / "待定" are not
    deals["amt"] = deals["amount"].where(readable, "").map(_money)
    deals["at"] = pd.to_datetime(deals["closed_at"])
    deals = deals[(deals["currency"] == "CNY") & deals["amt"].notna() & (deals["amt"] >= 0)]
    deals = deals.merge(leads[["lead_id", "created", "ch"]], on="lead_id")
    deals = deals[deals["at"].dt.normalize() >= deals["created"].dt.normalize()]
    deals = deals[deals["at"] < "2026-11-01"]
    first = deals.groupby("lead_id")["at"].transform("min")
    deals["idx"] = (deals["at"].dt.year * 12 + deals["at"].dt.month) - (
        first.dt.year * 12 + first.dt.month)
    deals["repeat"] = deals["at"] > first + pd.Timedelta(days=30)
    age = (2026 * 12 + 10) - (first.dt.year * 12 + first.dt.month)
    deals = deals[(age >= horizon) & (deals["idx"] < horizon)]
    per = deals.groupby("lead_id").agg(ch=("ch", "first"), value=("amt", "sum"),
                                       repeat=("repeat", "any"),
                                       lines=("product", "nunique"))
    return per.groupby("ch").agg(observed=("value", "size"), clv=("value", "mean"),
                                 repeat_rate=("repeat", "mean"),
                                 cross_sell_rate=("lines", lambda x: (x > 1).mean()))


def test_customer_value_and_retention_sheets(reports, repo):
    """Issue 15: measured CLV with its range by channel, against pandas on the CSVs."""
    wb = load_workbook(reports / "sample-2026-Q3" / "sample-2026-Q3.xlsx")
    rows = list(wb["customer_value"].values)
    cv = pd.DataFrame(rows[1:], columns=rows[0])
    for col in ("group", "customers", "repeat_rate", "repeat_rate_low", "repeat_rate_high",
                "retention_12m", "cross_sell_rate", "clv", "clv_low", "clv_high",
                "clv_basis", "ltv_cac"):
        assert col in cv.columns, col
    channel = cv[cv["dimension"] == "channel"].set_index("group")
    want = _expected_customer_value(repo / "data" / "sample")
    measured = channel[channel["clv_basis"] == "measured"]
    assert len(measured) >= 6 and "assumed" in set(channel["clv_basis"])
    for ch, row in measured.iterrows():
        assert row["observed"] == want.loc[ch, "observed"], ch
        for col in ("clv", "repeat_rate", "cross_sell_rate"):
            np.testing.assert_allclose(float(row[col]), want.loc[ch, col], rtol=1e-9,
                                       err_msg=f"{ch} {col}")
        assert row["clv_low"] < row["clv"] < row["clv_high"]
    retention = [c.value for c in wb["retention"][1]]
    assert retention[:4] == ["cohort", "measure", "customers", "min_age"]
    assert {"m0", "m1", "m12", "m24"} <= set(retention)
    assert {"customer_health", "cross_sell_candidates"} <= set(wb.sheetnames)


def test_failing_cell_exits_1_and_leaves_no_report(repo, sample_en, tmp_path):
    broken = tmp_path / "nb"
    broken.mkdir()
    nb = json.loads((repo / "notebooks" / "quarterly_report.ipynb").read_text())
    nb["cells"].insert(3, {"cell_type": "code", "execution_count": None, "id": "boom",
                           "metadata": {}, "outputs": [],
                           "source": "raise ZeroDivisionError('deliberate failure')"})
    (broken / "quarterly_report.ipynb").write_text(json.dumps(nb))
    env = {**__import__("os").environ, "LEADROI_NOTEBOOKS": str(broken)}
    params = _copy_params(repo, "sample-2026-Q3.yaml", tmp_path)
    res = _run(params, "--out", tmp_path / "out", env=env)
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "ZeroDivisionError" in lines[0] and "cell" in lines[0]
    assert not list((tmp_path / "out").rglob("*.pdf"))
    # only the failed notebook, for debugging (tests/test_failure.py checks it)
    assert [p.name for p in (tmp_path / "out").rglob("*.html")] == ["FAILED.html"]


def test_unusable_data_inside_notebook_exits_2(repo, tmp_path):
    leads = tmp_path / "leads.csv"
    leads.write_text("lead_id,created_at,channel\n1,not a date,SEO\n2,#N/A,SEO\n")
    params = tmp_path / "p.yaml"
    params.write_text(yaml.safe_dump({"period": "2026-Q3", "data": {
        "leads": {"path": "leads.csv"}}}))
    res = _run(params, "--out", tmp_path / "out")
    assert res.returncode == 2
    assert "all 2 rows were quarantined" in res.stderr and "leads.csv" in res.stderr
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_previous_good_report_survives_a_failed_run(reports, repo, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(reports / "sample-2026-Q3", out / "sample-2026-Q3")
    before = (out / "sample-2026-Q3" / "sample-2026-Q3.pdf").read_bytes()
    params = _copy_params(repo, "sample-2026-Q3.yaml", tmp_path)
    doc = yaml.safe_load(params.read_text())
    bad = tmp_path / "bad.csv"
    bad.write_text("lead_id,created_at,channel\n1,x,SEO\n")
    doc["data"]["leads"]["path"] = str(bad)
    params.write_text(yaml.safe_dump(doc))
    assert _run(params, "--out", out).returncode == 2
    assert (out / "sample-2026-Q3" / "sample-2026-Q3.pdf").read_bytes() == before
    assert not [p for p in (out / "sample-2026-Q3").iterdir() if p.name.startswith(".")]


def test_executive_report_renders_with_the_panel_beside_roi(repo, sample_en, tmp_path):
    params = _copy_params(repo, "sample-2026-Q3-exec.yaml", tmp_path)
    res = _run(params, "--out", tmp_path / "out")
    assert res.returncode == 0, res.stderr
    folder = tmp_path / "out" / "sample-2026-Q3-exec"
    text = _pdf_text(folder / "sample-2026-Q3-exec.pdf")
    assert "Executive-lead report: VP-and-up leads only" in " ".join(text.split())
    assert "Non-monetary returns of executive leads" in text
    wb = load_workbook(folder / "sample-2026-Q3-exec.xlsx")
    assert {"nonmonetary", "exec_unconverted", "by_seniority"} <= set(wb.sheetnames)
    levels = {r[1] for r in list(wb["by_seniority"].values)[1:-1]}
    assert levels == {"C-suite", "VP"}


def test_two_runs_give_byte_identical_html_and_pdf(reports, repo, tmp_path):
    """Same inputs and params, same bytes: no clock, no random ids in HTML or PDF (the
    PDF's dates are the params' as_of). The executed notebook is the audit record of a
    run and keeps papermill's execution times: excluded from the comparison by design."""
    res = _run(repo / "params" / "sample-2026-Q3.yaml", "--out", tmp_path)
    assert res.returncode == 0, res.stderr
    rid = "sample-2026-Q3"
    for suffix in (".html", ".pdf"):
        first = (reports / rid / f"{rid}{suffix}").read_bytes()
        again = (tmp_path / rid / f"{rid}{suffix}").read_bytes()
        assert first == again, suffix


def test_exported_tables_mask_lead_names(reports):
    rid = "sample-2026-Q3"
    wb = load_workbook(reports / rid / f"{rid}.xlsx", read_only=True)
    names = [row[1] for row in wb["stale_leads"].iter_rows(min_row=2, values_only=True)]
    assert names and all(n is None or n.endswith("***") for n in names)
