"""The nbconvert template and the PDF step, on small hand-made notebooks."""

import re

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from leadroi.render.html import font_stack, to_html
from leadroi.render.pdf import html_to_pdf


def _nb():
    code = new_code_cell("secret_code = 1\nprint('hi')", outputs=[
        new_output("stream", name="stdout", text="hi from stdout\n"),
        new_output("display_data", data={"text/html": "<p class='x'>shown</p>",
                                         "text/plain": "<Html>"}),
        new_output("execute_result", data={"text/plain": "plain-repr-only"}, execution_count=1),
    ])
    return new_notebook(cells=[
        new_markdown_cell("internal note", metadata={"tags": ["internal"]}),
        new_markdown_cell("**Analyst commentary**"), code])


def test_html_has_outputs_only_and_no_external_resources():
    html = to_html(_nb(), title="T <b>", period="2026-Q3", lang="en", version="0",
                   font="Noto Sans CJK SC")
    assert '<p class="x">shown</p>' in html
    assert "secret_code" not in html and "hi from stdout" not in html
    assert "internal note" not in html and "<strong>Analyst commentary</strong>" in html
    assert "In&nbsp;[" not in html and "plain-repr-only" not in html
    assert "<script" not in html.lower() and "http://" not in html and "https://" not in html
    assert "T &lt;b&gt;" in html and 'lang="en"' in html
    assert '"Noto Sans CJK SC"' in html


def test_zh_html_lang_and_font_stack():
    html = to_html(_nb(), title="报告", period="2026-Q3", lang="zh", version="0")
    assert 'lang="zh-CN"' in html
    assert font_stack("WenQuanYi Micro Hei").startswith('"WenQuanYi Micro Hei", "Noto Sans')


def test_pdf_is_a4_with_page_numbers(tmp_path):
    from pypdf import PdfReader

    html = to_html(nbformat.from_dict(_nb()), title="T", period="2026-Q3", lang="en",
                   version="0")
    path = html_to_pdf(html, tmp_path / "r.pdf")
    reader = PdfReader(path)
    box = reader.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 210 and round(
        float(box.height) / 72 * 25.4) == 297
    assert "1 / 1" in reader.pages[0].extract_text()


def test_pdf_refuses_external_urls(tmp_path):
    html = ('<html><body><img src="http://example.invalid/x.png">'
            '<link rel="stylesheet" href="https://example.invalid/x.css">ok</body></html>')
    path = html_to_pdf(html, tmp_path / "r.pdf")  # renders, without fetching anything
    assert path.stat().st_size > 0


def test_contents_lists_sections_with_anchors_and_page_numbers(tmp_path):
    from pypdf import PdfReader

    cover = ('<nav class="toc" data-leadroi-toc="1"><h2 class="toc-title">Contents</h2></nav>'
             '<h2 class="section" id="input">1 · Input</h2>'
             '<h3 class="subsection">Spend &lt;by&gt; month</h3>'
             '<h2 id="appendix" class="section">Appendix</h2>')
    nb = new_notebook(cells=[new_code_cell("x", outputs=[new_output(
        "display_data", data={"text/html": cover, "text/plain": ""})])])
    html = to_html(nb, title="T", period="2026-Q3", lang="en", version="0",
                   date="2026-10-31")
    toc = html[html.index('<ol class="toc-list">'):html.index("</ol>")]
    assert toc.count("<li") == 3
    assert 'href="#input"' in toc and 'href="#s1"' in toc and 'href="#appendix"' in toc
    assert "Spend &lt;by&gt; month" in toc  # escaped text stays escaped
    assert '<h3 class="subsection" id="s1">' in html
    path = html_to_pdf(html, tmp_path / "r.pdf")
    reader = PdfReader(path)
    assert reader.metadata["/CreationDate"].startswith("D:20261031")
    contents = reader.pages[1].extract_text()  # the contents start on a new page
    assert "Contents" in contents
    # each line ends with the page its heading is on (each section starts a page)
    assert re.search(r"1 · Input[ .]*3\b", contents), contents
    assert re.search(r"Appendix[ .]*4\b", contents), contents


def test_same_html_gives_the_same_pdf_bytes(tmp_path):
    html = to_html(_nb(), title="T", period="2026-Q3", lang="zh", version="0",
                   date="2026-10-31")
    assert html == to_html(_nb(), title="T", period="2026-Q3", lang="zh", version="0",
                           date="2026-10-31")
    a = html_to_pdf(html, tmp_path / "a.pdf").read_bytes()
    b = html_to_pdf(html, tmp_path / "b.pdf").read_bytes()
    assert a == b
