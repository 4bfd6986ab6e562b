"""The page as WeasyPrint prints it (render/export/pdf.py): ids nothing links to are left out of
the print (they only cost time), the links a draft's check panel has still lead to their cells."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers.render.export.pdf import without_unlinked_ids


def test_only_ids_that_links_point_to_stay():
    page = ('<h2 class="section" id="section-overview">一</h2>'
            '<table><tr><td class="num" data-col="a" id="cell-t3-a-b">1</td>'
            '<td class="num finding" id="cell-t3-a-c" title="x">2</td></tr></table>'
            '<p>id="cell-t3-a-b" in text</p>'
            '<ul><li><a href="#cell-t3-a-c">表三</a></li></ul>')
    assert without_unlinked_ids(page) == (
        '<h2 class="section">一</h2>'
        '<table><tr><td class="num" data-col="a">1</td>'
        '<td class="num finding" id="cell-t3-a-c" title="x">2</td></tr></table>'
        '<p>id="cell-t3-a-b" in text</p>'
        '<ul><li><a href="#cell-t3-a-c">表三</a></li></ul>')


@pytest.mark.slow
def test_drafts_check_panel_links_lead_to_their_cells_in_the_pdf(broken_draft):
    import pymupdf

    html = Path(broken_draft["paths"]["html"]).read_text(encoding="utf-8")
    assert 'href="#cell-' in html and html.count(' id="cell-') > 100
    with pymupdf.open(broken_draft["paths"]["pdf"]) as pdf:
        links = [link for page in pdf for link in page.get_links() if link["kind"] == pymupdf.LINK_GOTO
                 or link["kind"] == pymupdf.LINK_NAMED]
        assert links, "the check panel's links are in the PDF"
        for link in links:
            # each leads to a page of the document that shows the table (not to nowhere)
            target = link.get("page", -1)
            assert 0 <= target < pdf.page_count, link
            assert "表" in pdf[target].get_text() or "合计" in pdf[target].get_text()


FACES = ("Noto Serif CJK SC", "Noto Serif CJK SC:bold", "Noto Sans CJK SC")
PAGE = ('<html lang="zh-CN"><body style="font-family: \'Noto Serif CJK SC\'"><h1 style="font-weight: 700">标题</h1>'
        '<p>正文 2024 年</p><h2 style="font-family: \'Noto Sans CJK SC\'; font-weight: 400">一、总体情况</h2></body></html>')


def test_font_files_are_read_once_per_process_and_the_pdf_stays_the_same():
    """share_font_files: WeasyPrint's own functions (in a process without it) give the same bytes,
    and what is shared is exactly the font files."""
    import subprocess
    import sys

    from weasyprint.pdf import fonts

    from helpers.render.export.pdf import MAX_SHARED_FACES, html_to_pdf

    ours = html_to_pdf(PAGE)
    assert html_to_pdf(PAGE) == ours
    theirs = subprocess.run(
        [sys.executable, "-c", "import sys; import helpers.render.export.pdf as pdf; "
         "pdf.share_font_files = lambda: None; sys.stdout.buffer.write(pdf.html_to_pdf(sys.stdin.read()))"],
        input=PAGE.encode(), capture_output=True, check=True).stdout
    assert theirs == ours
    files = {subprocess.run(["fc-match", "-f", "%{file}", face], capture_output=True, text=True, check=True).stdout
             for face in FACES}
    shared = [data for _, data in fonts.xxgk_shared_faces.values() if data is not None]
    # (other tests of this process may have used more faces, up to the bound)
    assert len(files) == 3 and len(shared) <= MAX_SHARED_FACES
    assert {Path(f).stat().st_size for f in files} <= set(map(len, shared))
    assert {bytes(data[:4]) for data in shared} == {b"ttcf"}
