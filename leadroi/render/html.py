"""Export an executed notebook to a self-contained HTML report with our template.

:class:`ReportExporter` is an nbconvert exporter (entry point ``leadroi``), so
``jupyter nbconvert --to leadroi executed.ipynb`` gives the same HTML as ``leadroi run``
for a notebook papermill executed: what the template needs (title, period, language,
cut-off date) is read from the report's cover when nobody passes it.

The export also fills in the table of contents that page 1 leaves empty: every section
(``h2.section``) and subsection (``h3.subsection``) gets a stable anchor and a line in the
contents; in the PDF each line ends with its page number (CSS ``target-counter``).
The output depends on the notebook and the values passed here only (no clock, no
random ids), so the same inputs give the same bytes.
"""

from __future__ import annotations

import html as html_lib
import re
from importlib import resources

import nbformat
from nbconvert import HTMLExporter
from traitlets import default

from leadroi.report.fonts import CJK_FAMILIES

__all__ = ["to_html", "font_stack", "add_contents", "ReportExporter", "report_meta"]

# nbconvert re-serialises the outputs' HTML (attributes may come in any order)
_HEADING = re.compile(r'<h([23])((?:\s+[\w-]+="[^"]*")*)\s*>(.*?)</h\1>', re.S)
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')
_COVER = re.compile(r'<section class="cover"((?:\s+data-[\w-]+="[^"]*")*)\s*>')
_TOC = re.compile(r'(<nav\b[^>]*\bclass="toc"[^>]*>\s*<h2\b[^>]*>.*?</h2>)', re.S)


def font_stack(primary: str | None = None) -> str:
    """CSS font-family list: the detected CJK font first, then common CJK fallbacks."""
    families = ([primary] if primary else []) + [f for f in CJK_FAMILIES if f != primary]
    return ", ".join(f'"{f}"' for f in families) + ", sans-serif"


def add_contents(body: str) -> str:
    """Give every section and subsection heading an anchor and list them in the
    contents placeholder of page 1 (left unchanged when there is none).

    Headings come from the report's own (autoescaped) fragments, so their text is
    copied as is.
    """
    entries: list[tuple[str, str, str]] = []
    count = 0

    def anchor(match: re.Match) -> str:
        nonlocal count
        level, attrs, text = match.groups()
        values = dict(_ATTR.findall(attrs))
        cls = values.get("class", "")
        if cls not in ("section", "subsection"):
            return match.group(0)
        ident = values.get("id")
        if not ident:
            count += 1
            ident = f"s{count}"
        entries.append((cls, ident, text))
        return f'<h{level} class="{cls}" id="{ident}">{text}</h{level}>'

    body = _HEADING.sub(anchor, body)
    if not entries or not _TOC.search(body):
        return body
    items = []
    for cls, ident, text in entries:
        href = html_lib.escape(ident, quote=True)
        items.append(f'<li class="toc-{cls}"><a href="#{href}"><span class="toc-text">'
                     f'{text}</span></a></li>')
    listing = '\n<ol class="toc-list">\n' + "\n".join(items) + "\n</ol>"
    return _TOC.sub(lambda m: m.group(1) + listing, body, count=1)


def report_meta(nb: nbformat.NotebookNode, *, font: str | None = None,
                show_errors: bool = False, title: str | None = None,
                period: str | None = None, lang: str | None = None,
                date: str | None = None) -> dict:
    """What the template needs about the report; values not given are read from the
    cover's data attributes (empty when the notebook has no cover)."""
    from leadroi import __version__

    found: dict[str, str] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            match = _COVER.search(str(output.get("data", {}).get("text/html", "")))
            if match:
                found = {k: html_lib.unescape(v) for k, v in _ATTR.findall(match.group(1))}
                break
        if found:
            break
    lang = lang or found.get("data-lang") or "en"
    return {"title": title or found.get("data-title", ""),
            "period": period or found.get("data-period", ""), "lang": lang,
            "version": __version__, "html_lang": "zh-CN" if lang == "zh" else "en",
            "font_stack": font_stack(font), "date": date or found.get("data-date"),
            "show_errors": show_errors}


class ReportExporter(HTMLExporter):
    """nbconvert exporter of a report notebook: our template, our CSS inline, no external
    resources, the contents filled in."""

    export_from_notebook = "Lead ROI report"

    @default("template_name")
    def _template_name_default(self) -> str:
        return "leadroi"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(resources.files("leadroi").joinpath("templates", "nbconvert"))]

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = dict(resources or {})
        if "leadroi" not in resources:
            from leadroi.report.fonts import find_cjk_font

            resources["leadroi"] = report_meta(nb, font=find_cjk_font())
        body, out = super().from_notebook_node(nb, resources=resources, **kw)
        return add_contents(body), out


def to_html(nb: nbformat.NotebookNode, *, title: str, period: str, lang: str,
            version: str, font: str | None = None, date: str | None = None,
            show_errors: bool = False) -> str:
    """The report HTML: outputs only, our CSS inline, no external resources.

    Parameters
    ----------
    date : str, optional
        ISO date stored as the document's created/modified date (the data cut-off, so
        the PDF's dates come from the inputs, not the clock).
    show_errors : bool
        Add cell errors with their tracebacks (escaped), for FAILED.html.
    """
    meta = report_meta(nb, font=font, show_errors=show_errors, title=title, period=period,
                       lang=lang, date=date)
    meta["version"] = version
    body, _ = ReportExporter().from_notebook_node(nb, resources={"leadroi": meta})
    return body
