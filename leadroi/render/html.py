"""Export an executed notebook to a self-contained HTML report with our template.

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

from leadroi.report.fonts import CJK_FAMILIES

__all__ = ["to_html", "font_stack", "add_contents"]

# nbconvert re-serialises the outputs' HTML (attributes may come in any order)
_HEADING = re.compile(r'<h([23])((?:\s+[\w-]+="[^"]*")*)\s*>(.*?)</h\1>', re.S)
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')
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
    base = resources.files("leadroi").joinpath("templates", "nbconvert")
    exporter = HTMLExporter(template_name="leadroi", extra_template_basedirs=[str(base)])
    meta = {"title": title, "period": period, "lang": lang, "version": version,
            "html_lang": "zh-CN" if lang == "zh" else "en", "font_stack": font_stack(font),
            "date": date, "show_errors": show_errors}
    body, _ = exporter.from_notebook_node(nb, resources={"leadroi": meta})
    return add_contents(body)
