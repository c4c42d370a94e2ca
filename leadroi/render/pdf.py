"""Print the report HTML to an A4 PDF with WeasyPrint, without touching the network."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

__all__ = ["html_to_pdf", "offline_fetcher"]


def offline_fetcher():
    """A WeasyPrint URL fetcher that serves ``data:`` URLs only (reports embed
    everything); any other URL is refused, so rendering never reaches the network."""
    from weasyprint import urls

    if hasattr(urls, "URLFetcher"):  # WeasyPrint >= 70
        return urls.URLFetcher(allowed_protocols={"data"})

    def fetch(url: str, *args, **kwargs):  # older WeasyPrint: a plain function
        if not url.startswith("data:"):
            raise ValueError(f"leadroi reports load no external resources ({url[:80]})")
        return urls.default_url_fetcher(url, *args, **kwargs)

    return fetch


def html_to_pdf(html: str, path: str | Path) -> Path:
    """Render ``html`` to ``path`` (A4, page numbers and fonts come from the CSS).

    The PDF is reproducible: its dates are the HTML's ``dcterms.created``/``modified``
    (absent: none), and its file identifier is a hash of the HTML, so the same HTML
    gives the same bytes.
    """
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    path = Path(path)
    identifier = hashlib.md5(html.encode("utf-8"), usedforsecurity=False).hexdigest()
    HTML(string=html, url_fetcher=offline_fetcher(), media_type="print").write_pdf(
        path, pdf_identifier=identifier.encode("ascii"))
    return path
