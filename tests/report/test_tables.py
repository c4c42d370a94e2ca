import pandas as pd

from leadroi.i18n import catalogue
from leadroi.report.formats import Formatter
from leadroi.report.tables import ReportTable

NASTY = '<img src=x onerror=alert(1)><script>alert("x")</script>'


def test_html_escapes_crm_text_in_cells_and_headers():
    table = ReportTable("t", pd.DataFrame({"channel": [NASTY], NASTY: ["a"]}),
                        {"channel": "text", NASTY: "text"})
    html = table.to_html(catalogue("en"), Formatter())
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img" in html


def test_formats_ranges_and_classes():
    df = pd.DataFrame({"channel": ["A", "All"], "conversion_rate": [0.1, 0.2],
                       "conversion_rate_low": [0.05, 0.15], "conversion_rate_high": [0.2, 0.25],
                       "leads": [1234, 5000]})
    table = ReportTable("bc", df, {"channel": "text", "leads": "int",
                                   "conversion_rate": "pct_range"},
                        row_classes=["", "total"])
    shown = table.display_frame(catalogue("en"), Formatter())
    assert shown.iloc[0].tolist() == ["A", "1,234", "10.0% (5.0% – 20.0%)"]
    html = table.to_html(catalogue("en"), Formatter())
    assert 'class="rt rt-bc"' in html and "total" in html and "num" in html
    assert "Conversion (95% range)" in html


def test_excel_frame_keeps_raw_values_and_ids():
    df = pd.DataFrame({"channel": ["A"], "roi": [1.5]})
    table = ReportTable("bc", df, {"channel": "text", "roi": "roi_range"})
    assert table.to_excel_frame().columns.tolist() == ["channel", "roi"]
    zh = table.to_excel_frame(catalogue("zh")).columns.tolist()
    assert zh == ["来源渠道", "投资回报率(区间)"]
    assert table.to_excel_frame()["roi"].iloc[0] == 1.5
