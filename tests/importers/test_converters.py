"""Reports as the tools people use turn them into text (pdftotext without -layout, markitdown,
PyMuPDF, a web page's text), read back: never a wrong cell, and every cell not read is named."""
from __future__ import annotations

import random
import shutil

import pytest

from helpers.config import samples_dir
from helpers.errors import InputError
from helpers.format.model import Report
from helpers.importers import exchange_csv, read
from helpers.synth.converted import CONVERTERS, SUFFIX, convert, page_text, score
from helpers.synth.published import html_report
from helpers.synth.series import consistent_report, with_blanks

SAMPLES = samples_dir()

# cells read right at least (of 200): what the converter's text allows; the rest must be named
AT_LEAST = {
    ("huaian-2024.pdf", "pdftotext"): 185,       # table 四 printed in blocks out of order: unread
    ("shuyang-fgj-2023.html", "cell-lines"): 25,  # blank cells vanish: table 三's columns unknown
    ("shuyang-fgj-2023.html", "glued"): 25,
}
CASES = [(src, conv) for src, kind in (("huaian-2024.pdf", "pdf"), ("shuyang-fgj-2023.html", "html"))
         for conv in CONVERTERS[kind]]


def _read_converted(tmp_path, src, conv, want: Report):
    path = tmp_path / f"{want.agency}-{want.year}.{conv}{SUFFIX[conv]}"
    path.write_text(convert(src, conv), encoding="utf-8")
    got, = read(path, agency=want.agency, year=want.year, partial=True)
    return path, got


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
@pytest.mark.parametrize("src,conv", CASES)
def test_sample_converted_reads_no_wrong_cell(tmp_path, src, conv):
    want = exchange_csv.read(SAMPLES / src.replace(".pdf", ".expected.csv").replace(".html", ".expected.csv"))[0]
    path, got = _read_converted(tmp_path, SAMPLES / src, conv, want)
    right, wrong, unread, notes = score(got, want)
    assert wrong == 0, notes
    assert right >= AT_LEAST.get((src, conv), 200), got.unread
    # what was not read is named (table and row), and a strict import refuses the file
    tables = {u.split("：")[0].split(" · ")[0] for u in got.unread}
    missing = {f"表{'二三四'[int(k[0][1]) - 2]}" for k, _ in want.ordered_cells() if k not in got.cells}
    assert missing <= tables
    if unread:
        with pytest.raises(InputError):
            read(path, agency=want.agency, year=want.year)


def _consistent(seed: int, layout: str, blanks: int) -> Report:
    rep = consistent_report(random.Random(seed), f"web-{seed}", 2020 if layout == "2019" else 2023, layout, scale=3)
    return with_blanks(rep, random.Random(seed), percent=blanks)


@pytest.mark.parametrize("layout", ["2021", "2019", "2021-single-other"])
@pytest.mark.parametrize("style", ["cell-lines", "cell-pipes", "glued", "page-text"])
def test_web_page_text_one_cell_per_line_or_glued(tmp_path, layout, style):
    """Web page text without blank cells reads exactly, however its cells are laid out."""
    want = _consistent(3, layout, blanks=0)
    page = tmp_path / "page.html"
    page.write_text(html_report(want), encoding="utf-8")
    path = tmp_path / "web.txt"
    path.write_text(page_text(page, style), encoding="utf-8")
    got, = read(path, agency=want.agency)
    assert score(got, want)[:3] == (len(want.cells), 0, 0)


@pytest.mark.parametrize("style", ["cell-lines", "glued"])
def test_web_page_text_with_vanished_blank_cells_is_not_guessed(tmp_path, style):
    """Blank cells that leave no trace: the rows they are in cannot be placed; nothing is guessed."""
    want = _consistent(5, "2021", blanks=30)
    page = tmp_path / "page.html"
    page.write_text(html_report(want), encoding="utf-8")
    path = tmp_path / "web.txt"
    path.write_text(page_text(page, style), encoding="utf-8")
    got, = read(path, agency=want.agency, partial=True)
    right, wrong, unread, notes = score(got, want)
    assert wrong == 0, notes
    assert unread and got.unread
