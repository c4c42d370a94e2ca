"""Injection: CRM text is shown, never run — in HTML, PDF, Excel, CSV and charts.

The slow test renders a whole report (real ``leadroi run``, papermill kernel) on a
dataset whose every text column carries a payload, then parses the HTML (no element or
attribute that came from data), reads the PDF text (the payloads literally), and opens
the workbook (payloads stored as text, numbers as numbers, at most ``max_channels``
channels plus the merged tail).
"""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from openpyxl import load_workbook
from security_cases import CHANNELS, PAYLOADS, hostile_case, hostile_leads, hostile_spend

from leadroi.i18n import catalogue
from leadroi.render.excel import csv_value, write_csv, write_workbook
from leadroi.report.fonts import configure_matplotlib
from leadroi.report.formats import Formatter
from leadroi.report.tables import ReportTable
from leadroi.report.view import render

matplotlib.use("Agg")

#: The elements and attributes our report template and fragments produce; anything
#: else in the HTML came from data.
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "div", "span",
                "section", "header", "h1", "h2", "h3", "p", "strong", "em", "ol", "ul",
                "li", "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption",
                "img", "pre", "br", "small", "a", "nav"}


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def assert_inert(html: str) -> None:
    """No script, no event handler, no javascript: URL, no foreign element."""
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.elements:
        assert tag in ALLOWED_TAGS, (tag, attrs)
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for name in ("src", "href"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith("javascript"), (tag, attrs)
        if tag == "img":
            assert attrs.get("src", "").startswith("data:image/png;base64,"), attrs


# -- unit level: each protection on its own -------------------------------------------


def test_table_html_escapes_every_payload():
    frame = pd.DataFrame({"channel": list(PAYLOADS.values()), "leads": range(len(PAYLOADS))})
    table = ReportTable("t", frame, {"channel": "text", "leads": "int"},
                        headers={"channel": PAYLOADS["img"]})
    html = table.to_html(catalogue("en"), Formatter("en", "CNY"))
    assert_inert(html)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;script&gt;" in html


def test_fragments_autoescape():
    html = str(render("paragraph", text=PAYLOADS["svg"] + PAYLOADS["script"],
                      css_class="text"))
    assert_inert(html)
    assert "&lt;svg onload=alert(2)&gt;" in html


def test_excel_cells_with_formula_prefixes_are_text_numbers_stay_numbers(tmp_path):
    texts = ["=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", PAYLOADS["formula"]]
    frame = pd.DataFrame({"name": texts, "amount": [-5.5, -1, 0, 3, 1e9, -0.25, 7]})
    table = ReportTable("t", frame, {"name": "text", "amount": "money"})
    path = write_workbook([table], tmp_path / "w.xlsx")
    ws = load_workbook(path).worksheets[0]
    for row, text in enumerate(texts, start=2):
        assert ws.cell(row, 1).data_type == "s"
        assert ws.cell(row, 1).value == text.replace("\r", "\n")  # XML reads CR as LF
        assert ws.cell(row, 2).data_type == "n"
    assert ws.cell(2, 2).value == -5.5 and ws.cell(3, 2).value == -1
    # the file itself holds no formula element
    import zipfile

    with zipfile.ZipFile(path) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


def test_csv_export_prefixes_formula_text_per_owasp(tmp_path):
    assert csv_value("=1+1") == "'=1+1" and csv_value("@x") == "'@x"
    assert csv_value("\t=1") == "'\t=1" and csv_value("\r=1") == "'\r=1"
    assert csv_value("-2+3") == "'-2+3" and csv_value("+86 138") == "'+86 138"
    assert csv_value(-5) == -5 and csv_value(-0.5) == -0.5 and csv_value("SEO") == "SEO"
    path = write_csv(pd.DataFrame({"=h": ["=cmd", "ok"], "n": [-1, 2]}), tmp_path / "x.csv")
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert list(back.columns) == ["'=h", "n"]
    assert back["=h" if "=h" in back else "'=h"].tolist() == ["'=cmd", "ok"]
    assert back["n"].tolist() == [-1, 2]


@pytest.mark.parametrize("label", [r"$\frac{a}{b}$", r"$\undefinedcommand{$", "$x^2$ $"])
def test_chart_labels_are_never_mathtext(label):
    configure_matplotlib("en")
    fig, ax = plt.subplots()
    ax.bar([label, "b"], [1, 2], label=label)
    ax.set_title(label)
    ax.legend()
    fig.canvas.draw()  # mathtext would typeset or raise ValueError here
    texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_text() == label]
    assert texts and all(not t._preprocess_math(label)[1] for t in texts)
    plt.close(fig)


def test_hostile_dataset_covers_every_text_column():
    leads, spend = hostile_leads(), hostile_spend()
    for col in ("company", "notes", "utm_campaign", "utm_source", "strategy", "content",
                "owner", "region", "industry", "title", "lost_reason"):
        values = set(leads[col].dropna())
        assert values & set(PAYLOADS.values()), col
    assert set(spend["channel"]) == set(CHANNELS)


# -- the whole report ----------------------------------------------------------------


def _tail_channels(folder: Path, n: int = 60) -> None:
    """Add ``n`` one-lead channels (beyond max_channels) to the hostile leads."""
    leads = pd.read_csv(folder / "leads.csv", dtype=str)
    extra = leads.head(n).copy()
    extra["lead_id"] = [f"T{i:03d}" for i in range(n)]
    extra["utm_source"] = [f"{PAYLOADS['img']} tail {i}" for i in range(n)]
    pd.concat([leads, extra]).to_csv(folder / "leads.csv", index=False)


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    params = hostile_case(tmp / "case", max_channels=len(CHANNELS))
    _tail_channels(tmp / "case")
    out = tmp / "out"
    (out / "hostile").mkdir(parents=True)
    (out / "hostile" / "FAILED.html").write_text("stale")
    res = subprocess.run([sys.executable, "-m", "leadroi.cli", "run", str(params), "--out",
                          str(out)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return out / "hostile"


@pytest.mark.slow
def test_report_html_has_no_live_markup_from_data(hostile_report):
    html = (hostile_report / "hostile.html").read_text(encoding="utf-8")
    assert_inert(html)
    for payload in ("&lt;img src=x onerror=alert(1)&gt;", "&lt;script&gt;alert(",
                    "&#34;&gt;&lt;svg onload=alert(2)&gt;", "javascript:alert(3)"):
        assert payload in html.replace("&quot;", "&#34;"), payload
    assert not (hostile_report / "FAILED.html").exists()  # a good run clears it


@pytest.mark.slow
def test_report_pdf_shows_payloads_literally(hostile_report):
    text = subprocess.run(["pdftotext", str(hostile_report / "hostile.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for payload in ("<img src=x onerror=alert(1)>", "<script>alert('xss')</script>",
                    '"><svg onload=alert(2)>', "javascript:alert(3)", r"$\frac{a}{b}$"):
        assert payload in flat, payload


@pytest.mark.slow
def test_report_workbook_text_is_text_and_channels_are_capped(hostile_report):
    wb = load_workbook(hostile_report / "hostile.xlsx")
    formula_like = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    formula_like += 1
    assert formula_like > 0  # the payloads did reach the workbook, as text
    ws = wb["by_channel"]
    header = [c.value for c in ws[1]]
    names = [r[header.index("group")] for r in ws.iter_rows(min_row=2, values_only=True)]
    names = [n for n in names if n and n not in ("all", "Total")]
    assert len(names) <= len(CHANNELS) + 1 and "Other channels" in names
    assert not any("tail" in n for n in names)


def test_control_characters_in_crm_text_do_not_break_the_workbook(tmp_path):
    frame = pd.DataFrame({"notes": ["line\x0bbreak", "unit\x1fsep", "ok"]})
    path = write_workbook([ReportTable("t", frame, {"notes": "text"})], tmp_path / "w.xlsx")
    ws = load_workbook(path).worksheets[0]
    assert [ws.cell(r, 1).value for r in (2, 3, 4)] == ["line\ufffdbreak", "unit\ufffdsep",
                                                        "ok"]
