"""The finish of the rendered HTML and PDF (report.closing, the template, export/watermark.py): the
落款 with its publication date, provenance off the page, an unmistakable draft, chart text as text
with no glyph missing."""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers.render.options import RenderOptions
from helpers.render.pipeline import render_report


def _text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


# --- the 落款 -----------------------------------------------------------------------------------
@pytest.mark.slow
def test_signature_closes_the_page_with_the_date_given(tmp_path, make_samples_db, seed_report):
    db = make_samples_db(tmp_path / "x.sqlite")
    summary = render_report("qianjindao", 2023, out_dir=tmp_path / "out", db=db,
                            options=RenderOptions(date=dt.date(2024, 1, 20), docx=False))
    soup = BeautifulSoup(Path(summary["paths"]["html"]).read_text(encoding="utf-8"), "html.parser")
    signature = soup.select_one("div.signature")
    assert [p.get_text() for p in signature.find_all("p")] == ["包头市昆都仑区前进道街道办事处", "2024年1月20日"]
    own = signature.find_all("p")
    assert [p for p in signature.find_all_next("p") if p not in own] == []    # it ends a published report
    lines = [line for line in _text(summary["paths"]["pdf"]).splitlines() if line.strip()]
    assert re.fullmatch(r"—\s*\d+\s*—", lines[-1].strip())                       # the page number
    assert [line.strip() for line in lines[-3:-1]] == ["包头市昆都仑区前进道街道办事处", "2024年1月20日"]
    indents = [len(line) - len(line.lstrip()) for line in lines[-3:-1]]
    assert min(indents) > 20 and indents[1] > indents[0]            # right-aligned, the date shorter
    record = json.loads(Path(summary["paths"]["provenance"]).read_text(encoding="utf-8"))
    assert record["date"] == "2024-01-20"
    assert summary["input_key"] != seed_report["input_key"]   # the date is an input
    info = subprocess.run(["pdfinfo", summary["paths"]["pdf"]], capture_output=True, text=True).stdout
    assert "CreationDate:    Sat Jan 20 00:00:00 2024 UTC" in info


def test_xxgk_run_refuses_a_bad_date(capsys, samples_db):
    from helpers.cli import main
    assert main(["--db", samples_db, "run", "--agency", "qianjindao", "--year", "2023", "--date",
                 "2023-06-30"]) != 0
    assert "2023-06-30" in capsys.readouterr().err


# --- provenance off the page, a draft that says so ----------------------------------------------
@pytest.mark.slow
def test_page_shows_no_hashes_or_tool_names(seed_report):
    record = json.loads(Path(seed_report["paths"]["provenance"]).read_text(encoding="utf-8"))
    text = _text(seed_report["paths"]["pdf"])
    body = BeautifulSoup(Path(seed_report["paths"]["html"]).read_text(encoding="utf-8"), "html.parser").body.get_text()
    for shown in (text, body):
        for value in (record["input_key"][:12], record["data_fingerprint"][:12], record["notebook_sha256"][:12]):
            assert value not in shown
        assert "xxgk" not in shown.lower() and "provenance" not in shown


@pytest.mark.slow
def test_draft_says_so_in_its_title_published_report_does_not(seed_report, broken_draft):
    for summary, is_draft in ((seed_report, False), (broken_draft, True)):
        soup = BeautifulSoup(Path(summary["paths"]["html"]).read_text(encoding="utf-8"), "html.parser")
        assert ("（草稿）" in soup.title.get_text()) is is_draft
        assert ("（草稿）" in soup.h1.get_text()) is is_draft
        assert ("草稿" in _text(summary["paths"]["pdf"]).split("一、")[0]) is is_draft
        styles = " ".join(s.get_text() for s in soup.find_all("style"))
        assert ("@page { background: url(\"data:image/svg+xml" in styles) is is_draft
        assert ("body::before" in styles) is is_draft


def _light_grey(pdf: bytes, work: Path) -> list[int]:
    from PIL import Image
    work.mkdir()
    (work / "x.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", str(work / "x.pdf"), str(work / "p")], check=True)
    return [sum(Image.open(p).histogram()[200:246]) for p in sorted(work.glob("p-*.png"))]


@pytest.mark.slow
def test_drafts_watermark_on_every_pdf_page_not_in_its_text(broken_draft, tmp_path):
    from helpers.render.export.pdf import html_to_pdf
    html = Path(broken_draft["paths"]["html"]).read_text(encoding="utf-8")
    bare = re.sub(r"<style>\s*@page \{ background.*?</style>", "", html, flags=re.S)
    assert bare != html
    marked = _light_grey(Path(broken_draft["paths"]["pdf"]).read_bytes(), tmp_path / "a")
    plain = _light_grey(html_to_pdf(bare), tmp_path / "b")
    assert len(marked) == len(plain) >= 4
    for page, (a, b) in enumerate(zip(marked, plain), start=1):
        assert a > b + 300, (page, a, b)
    # a picture: the pages' text has 草稿 only where the title says it
    assert _text(broken_draft["paths"]["pdf"]).count("草稿") == 1


# --- chart text is text --------------------------------------------------------------------------
@pytest.mark.slow
def test_chart_labels_are_text_in_the_pdf_with_no_glyph_missing(broken_draft, monkeypatch):
    from weasyprint.pdf.fonts import Font

    from helpers.render.export.pdf import html_to_pdf
    text = re.sub(r"\s+", "", _text(broken_draft["paths"]["pdf"]))
    for label in ("2024年度办理结果（件）", "予以公开", "其他处理", "2024年新收政府信息公开申请·申请人情况（件）",
                  "法律服务机构", "社会公益组织", "1362", "3001"):
        assert label in text, label
    missing = []
    original = Font.get_unused_glyph_id
    monkeypatch.setattr(Font, "get_unused_glyph_id",
                        lambda self, codepoint: missing.append(chr(codepoint)) or original(self, codepoint))
    html_to_pdf(Path(broken_draft["paths"]["html"]).read_text(encoding="utf-8"))
    assert missing == []
    fonts = subprocess.run(["pdffonts", broken_draft["paths"]["pdf"]], capture_output=True, text=True).stdout
    assert {line.split()[0].split("+")[1] for line in fonts.splitlines()[2:]} == {
        "Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold", "Noto-Sans-CJK-SC"}


# --- numbers as wide as the format allows, on the 公文 line ----------------------------------------
@pytest.mark.slow
def test_wide_numbers_fit_their_narrow_columns_and_read_back(tmp_path):
    """Table 三's columns are 11.7 mm and table 四's 10.4 mm wide: a 7-digit number at 9.5 pt ran
    into the next cell and the PDF read '1001203 96'. Printed smaller, every number reads back
    from the PDF and the Word document, cell for cell."""
    import random

    from helpers import importers
    from helpers.format import schema
    from helpers.store import Store
    from helpers.synth.series import consistent_report

    report = consistent_report(random.Random(7), "wide", 2024, "2021", scale=2)
    for row, col, more in (("new_received", "natural_person", 1_000_000), ("granted", "natural_person", 1_000_000),
                           ("processed_total", "natural_person", 1_000_000), ("new_received", "commercial", 98_765),
                           ("granted", "commercial", 98_765), ("processed_total", "commercial", 98_765)):
        report.set("t3", row, col, report.value("t3", row, col) + more)
    for row in ("new_received", "granted", "processed_total"):
        report.set("t3", row, "total", sum(report.value("t3", row, c.key) for c in report.table("t3").columns
                                           if c.key != "total"))
    for n, row in enumerate(("review", "suit_direct", "suit_after_review")):
        values = {"upheld": 12_345 * (n + 1), "corrected": 678_901, "other": 5, "pending": 1_234_567}
        for col, value in values.items():
            report.set("t4", row, col, value)
        report.set("t4", row, "total", sum(values.values()))
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    Store(db).save_reports([report])
    summary = render_report("wide", 2024, out_dir=tmp_path / "out", db=db)
    want = Store(db).load_report("wide", 2024)
    assert max(len(str(c.value)) for c in want.cells.values() if c.state == schema.NUMBER) == 7
    for kind in ("pdf", "docx"):
        got, = importers.read(summary["paths"][kind], agency="wide")
        assert got.cells == dict(want.ordered_cells()), kind
    # the same smaller size on the page and in Word: 7 digits in table 三 at 6.5 pt
    html = Path(summary["paths"]["html"]).read_text(encoding="utf-8")
    cell = BeautifulSoup(html, "html.parser").find(id="cell-t3-new_received-total")
    assert cell["style"] == "font-size: 6.5pt" and re.fullmatch(r"1\d{6}", cell.get_text())
    import zipfile
    with zipfile.ZipFile(summary["paths"]["docx"]) as z:
        assert '<w:sz w:val="13"/></w:rPr><w:t xml:space="preserve">1' in z.read("word/document.xml").decode()
