"""The page as WeasyPrint prints it (render/export/pdf.py): ids nothing links to are left out of
the print (they only cost time), the links a draft's check panel has still lead to their cells;
the adjustments that only save time (weasyprint_fonts, weasyprint_styles, weasyprint_libs) give
what WeasyPrint and its libraries give without them."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from helpers.format import schema
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
            text = pdf[target].get_text()
            assert "表" in text or "合计" in text or schema.T3_HEADER[0][1].label in text   # table 三 has a page of its own


FACES = ("Noto Serif CJK SC", "Noto Serif CJK SC:bold", "Noto Sans CJK SC")
PAGE = ('<html lang="zh-CN"><body style="font-family: \'Noto Serif CJK SC\'"><h1 style="font-weight: 700">标题</h1>'
        '<p>正文 2024 年</p><h2 style="font-family: \'Noto Sans CJK SC\'; font-weight: 400">一、总体情况</h2></body></html>')


def _weasyprints_own(page: str, *, without: str) -> bytes:
    """The PDF of `page` made in a process without the adjustments named (weasyprint_fonts,
    weasyprint_libs, weasyprint_styles)."""
    import subprocess
    import sys

    off = "; ".join(f"setattr(next(m for m in ms if hasattr(m, {name!r})), {name!r}, lambda: None)"
                    for name in without.split())
    code = ("import sys; from helpers.render.export import weasyprint_fonts, weasyprint_libs, weasyprint_styles; "
            "ms = (weasyprint_fonts, weasyprint_libs, weasyprint_styles); " + off + "; "
            "from helpers.render.export.pdf import html_to_pdf; sys.stdout.buffer.write(html_to_pdf(sys.stdin.read()))")
    return subprocess.run([sys.executable, "-c", code], input=page.encode(), capture_output=True, check=True).stdout


def _pages_fonts_text(pdf: bytes, where: Path) -> tuple:
    import subprocess

    path = where / "page.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(path), str(where / "page")], check=True)
    pixels = [p.read_bytes() for p in sorted(where.glob("page-*.png"))]
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for p in where.glob("page*"):
        p.unlink()
    return pixels, [line.split()[:6] for line in fonts.splitlines()[2:]], text


def test_the_font_adjustments_run_only_on_the_weasyprint_they_were_written_for():
    import weasyprint
    from weasyprint.pdf import fonts

    from helpers.render.export.pdf import font_config
    from helpers.render.export.weasyprint_fonts import WRITTEN_FOR, applies

    font_config()
    assert weasyprint.__version__.startswith(f"{WRITTEN_FOR}.")   # pyproject pins it; an upgrade re-checks them
    assert applies() and getattr(fonts.Font, "xxgk_one_pass", False)


def test_font_files_are_read_once_per_process_and_the_pdf_stays_the_same():
    """share_font_files: the same bytes as WeasyPrint's own functions (in a process without it),
    and what is shared is exactly the font files."""
    import subprocess

    from weasyprint.pdf import fonts

    from helpers.render.export.pdf import html_to_pdf
    from helpers.render.export.weasyprint_fonts import MAX_SHARED_FACES

    ours = html_to_pdf(PAGE)
    assert html_to_pdf(PAGE) == ours
    assert _weasyprints_own(PAGE, without="share_font_files") == ours
    files = {subprocess.run(["fc-match", "-f", "%{file}", face], capture_output=True, text=True, check=True).stdout
             for face in FACES}
    shared = [data for _, data in fonts.xxgk_shared_faces.values() if data is not None]
    # (other tests of this process may have used more faces, up to the bound)
    assert len(files) == 3 and len(shared) <= MAX_SHARED_FACES
    assert {Path(f).stat().st_size for f in files} <= set(map(len, shared))
    assert {bytes(data[:4]) for data in shared} == {b"ttcf"}


def test_fonts_subset_in_one_pass_look_and_read_as_weasyprints_own(tmp_path):
    """subset_in_one_pass: the pages at 100 dpi, the embedded fonts (CID subsets of the three
    faces) and the text are those of WeasyPrint's two passes."""
    from helpers.render.export.pdf import html_to_pdf

    ours = html_to_pdf(PAGE)
    theirs = _weasyprints_own(PAGE, without="share_font_files subset_in_one_pass")
    assert ours != theirs
    got, want = _pages_fonts_text(ours, tmp_path), _pages_fonts_text(theirs, tmp_path)
    assert got == want
    pixels, fonts, text = got
    assert len(pixels) == 1 and len(fonts) == 3 and all(f[1:5] == ["CID", "Type", "0C", "(OT)"] for f in fonts)
    assert "标题" in text and "一、总体情况" in text


def test_html_parser_finds_its_regexes_in_its_cache_and_parses_as_before():
    """cache_tokenizer_regexes: tinyhtml5's tree is the same as with its own cache, and its cache
    is now hit (its own stores each regex under a key never looked up, so it grows with every call)."""
    from xml.etree import ElementTree

    import tinyhtml5
    from tinyhtml5 import inputstream

    from helpers.render.export.pdf import font_config

    font_config()
    ours = inputstream.characters_until_regex
    page = PAGE.replace("<p>", '<p class="a  b" data-x=\'1\' title=x>&amp; ') * 50
    inputstream.characters_until_regex = {}
    try:
        theirs = ElementTree.tostring(tinyhtml5.parse(page))
        stale = list(inputstream.characters_until_regex)
    finally:
        inputstream.characters_until_regex = ours
    assert stale and all(not isinstance(chars, (str, tuple, frozenset)) for chars, _ in stale)  # the bug
    ours.clear()
    assert ElementTree.tostring(tinyhtml5.parse(page)) == theirs
    assert 0 < len(ours) < 10 and all(isinstance(chars, (str, tuple, frozenset)) for chars, _ in ours)


def _inflated_streams(pdf: bytes) -> list[bytes]:
    """The PDF's compressed streams, inflated; not the cross-reference stream (file offsets)."""
    import re
    import zlib
    return [zlib.decompress(data) for head, data in re.findall(rb"(<<[^\n]*/FlateDecode[^\n]*)\nstream\n(.*?)\nendstream", pdf, re.S)
            if b"/XRef" not in head]


def test_streams_compressed_fast_hold_what_level_9_holds():
    """compress_fast: every stream of the PDF inflates to what pydyf's level 9 gives,
    only the compressed bytes differ (and repeat: same page, same bytes)."""
    from helpers.render.export.pdf import html_to_pdf

    ours = html_to_pdf(PAGE)
    theirs = _weasyprints_own(PAGE, without="compress_fast")
    assert ours != theirs and html_to_pdf(PAGE) == ours
    streams = _inflated_streams(ours)
    assert len(streams) > 5 and streams == _inflated_streams(theirs)


def test_style_sheets_parsed_once_print_as_weasyprints_own():
    """share_style_sheets: a draft's page (two <style> sheets: report.css and the watermark's @page)
    gives WeasyPrint's own bytes, and its sheets are parsed once for any number of documents."""
    from weasyprint import css

    from helpers.render import records
    from helpers.render.export.html import notebook_to_html
    from helpers.render.export.pdf import html_to_pdf
    from helpers.render.warm import warm_up_notebook

    page = notebook_to_html(warm_up_notebook(), records.PRINT)
    assert page.count("<style>") == 2
    ours = html_to_pdf(page)
    shared = dict(css.xxgk_shared_sheets)
    assert html_to_pdf(page) == ours and css.xxgk_shared_sheets == shared      # nothing parsed again
    assert sum(key[0] in page for key in shared) == 2
    assert _weasyprints_own(page, without="share_style_sheets") == ours


def test_printing_fetches_no_file_and_no_url(tmp_path, watched_url):
    """Whatever markup reached the page (an <img>, a stylesheet, a CSS url()), printing it reads no
    local file and requests no URL: the page carries its charts and watermark as data: URLs."""
    from helpers.render.export.pdf import html_to_pdf

    url, asked = watched_url
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text y="9">机密</text></svg>')
    pdf = html_to_pdf(f'<html><head><link rel="stylesheet" href="{url}/a.css"></head><body>'
                      f'<p style="background: url({url}/b.png)">正文</p><img src="{url}/c.png">'
                      f'<img src="{secret.as_uri()}"><img src="data:image/svg+xml;utf8,<svg xmlns='
                      f'%22http://www.w3.org/2000/svg%22 width=%2210%22 height=%2210%22/>"></body></html>')
    assert asked == []
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "正文" in text and "机密" not in text
