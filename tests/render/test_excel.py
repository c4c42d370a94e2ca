import pandas as pd
from openpyxl import load_workbook

from leadroi.render.excel import write_workbook
from leadroi.report.tables import ReportTable


def test_formula_like_text_stays_text_and_numbers_stay_numbers(tmp_path):
    df = pd.DataFrame({"name": ["=HYPERLINK(\"http://x\")", "+86 138", "-cut", "@SUM(A1)",
                                "\tx", "ok"],
                       "value": [1.5, -2.0, 3.0, float("nan"), 0.0, 7.0]})
    path = write_workbook([ReportTable("by_channel", df, {"name": "text", "value": "pct"})],
                          tmp_path / "w.xlsx")
    ws = load_workbook(path)["by_channel"]
    assert [c.value for c in ws[1]] == ["name", "value"]
    for row in ws.iter_rows(min_row=2):
        assert row[0].data_type == "s"
    assert ws["A2"].value == "=HYPERLINK(\"http://x\")"
    assert ws["B3"].value == -2.0 and ws["B3"].data_type == "n"
    assert ws["B5"].value is None
    assert ws["B2"].number_format == "0.0%"


def test_sheets_in_order_and_zh_headers(tmp_path):
    tables = [ReportTable("summary", pd.DataFrame({"metric": ["leads"]}), {"metric": "text"}),
              ReportTable("by_channel", pd.DataFrame({"channel": ["抖音"], "leads": [3]}),
                          {"channel": "text", "leads": "int"})]
    path = write_workbook(tables, tmp_path / "w.xlsx", lang="zh")
    wb = load_workbook(path)
    assert wb.sheetnames == ["summary", "by_channel"]
    assert [c.value for c in wb["by_channel"][1]] == ["来源渠道", "线索量"]


def test_same_tables_give_the_same_bytes_at_any_time(tmp_path, monkeypatch):
    """No clock in the file: neither the properties nor any zip member's time (openpyxl
    stamps both with the current time, and worksheets with their temp files' time)."""
    import time

    tables = [ReportTable("by_channel", pd.DataFrame({"channel": ["SEO", "Ads"],
                                                      "leads": [3, 4]}),
                          {"channel": "text", "leads": "int"}),
              ReportTable("notes", pd.DataFrame({"note": ["=1+1", "ok"]}), {"note": "text"})]
    first = write_workbook(tables, tmp_path / "a.xlsx").read_bytes()
    later = time.time() + 3 * 86_400
    monkeypatch.setattr(time, "time", lambda: later)
    second = write_workbook(tables, tmp_path / "b.xlsx").read_bytes()
    assert first == second
    assert load_workbook(tmp_path / "b.xlsx").properties.modified.year == 2000
