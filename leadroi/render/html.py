"""Export an executed notebook to a self-contained HTML report with our template."""

from __future__ import annotations

from importlib import resources

import nbformat
from nbconvert import HTMLExporter

from leadroi.fonts import CJK_FAMILIES

__all__ = ["to_html", "font_stack"]


def font_stack(primary: str | None = None) -> str:
    """CSS font-family list: the detected CJK font first, then common CJK fallbacks."""
    families = ([primary] if primary else []) + [f for f in CJK_FAMILIES if f != primary]
    return ", ".join(f'"{f}"' for f in families) + ", sans-serif"


def to_html(nb: nbformat.NotebookNode, *, title: str, period: str, lang: str,
            version: str, font: str | None = None, show_errors: bool = False) -> str:
    """The report HTML: outputs only, our CSS inline, no external resources;
    ``show_errors`` adds cell errors with their tracebacks (escaped), for FAILED.html."""
    base = resources.files("leadroi").joinpath("templates", "nbconvert")
    exporter = HTMLExporter(template_name="leadroi", extra_template_basedirs=[str(base)])
    meta = {"title": title, "period": period, "lang": lang, "version": version,
            "html_lang": "zh-CN" if lang == "zh" else "en", "font_stack": font_stack(font),
            "show_errors": show_errors}
    body, _ = exporter.from_notebook_node(nb, resources={"leadroi": meta})
    return body
