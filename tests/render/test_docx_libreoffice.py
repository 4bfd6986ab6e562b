"""report.docx opened by a real word processor: LibreOffice (headless) prints it to PDF with the
three tables intact, about as many pages as our PDF, every label and number in its text, the
office fonts drawn with Noto CJK SC, no text boxes, and a draft's watermark on every page."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from helpers.format import schema
from helpers.report import table_grid
from helpers.store import Store

pytestmark = pytest.mark.slow
SOFFICE = shutil.which("soffice")
if SOFFICE is None:   # the Makefile installs libreoffice-writer-nogui; without it these tests cannot run
    pytest.fail("soffice not found: run `make test` (installs libreoffice-writer-nogui)", pytrace=False)


def _to_pdf(docx: Path, out: Path) -> Path:
    """LibreOffice's PDF of `docx`, with a profile of its own (soffice instances sharing a profile
    hand their work to the first one, or quietly do nothing)."""
    out.mkdir(parents=True, exist_ok=True)
    profile = out / "lo-profile"
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                          capture_output=True, text=True, timeout=180)
    pdf = out / (docx.stem + ".pdf")
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    return pdf


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def printed(tmp_path_factory, rendered, seed_report, broken_draft):
    """(summary, LibreOffice's PDF) of the seed (published), huaian 2024 as a draft, and as a draft
    with a broken balance (marked cells, a check panel)."""
    out = tmp_path_factory.mktemp("lo")
    runs = {"seed": seed_report, "huaian": rendered("huaian", 2024, "draft"), "draft": broken_draft}
    return {name: (s, _to_pdf(Path(s["paths"]["docx"]), out / name)) for name, s in runs.items()}


def test_page_count_within_one_of_our_pdf(printed):
    for name, (summary, lo_pdf) in printed.items():
        assert abs(_pages(lo_pdf) - _pages(Path(summary["paths"]["pdf"]))) <= 1, name


def test_every_label_and_number_in_the_text(printed, samples_db):
    store = Store(samples_db)
    for name in ("seed", "huaian"):
        summary, lo_pdf = printed[name]
        # in the order LibreOffice drew the text: a label wrapped in a narrow column stays whole
        text = _flat(subprocess.run(["pdftotext", "-raw", str(lo_pdf), "-"], capture_output=True, text=True,
                                    check=True).stdout)
        report = store.load_report(summary["agency"], summary["year"])
        for table in report.tables():
            grid = table_grid.grid(table)
            for row in grid.head + grid.body:
                for cell in row.cells:
                    if cell.kind != table_grid.VALUE:
                        assert _flat(cell.text) in text, (name, cell.text)
        for section in schema.SECTIONS:
            assert section.heading in text, (name, section.heading)
        for key, cell in report.ordered_cells():     # as printed: a blank is 0, 不适用 stays
            assert (schema.NA_TEXT if cell.state == schema.NA else cell.text() or "0") in text, (name, key)


def test_tables_intact_rows_read_across(printed):
    _, lo_pdf = printed["huaian"]
    layout = subprocess.run(["pdftotext", "-layout", str(lo_pdf), "-"], capture_output=True, text=True,
                            check=True).stdout
    rows = {line.split()[0]: line.split()[1:] for line in layout.splitlines() if line.split()}
    assert rows["一、本年新收政府信息公开申请数量"] == ["3001", "53", "0", "0", "61", "4", "3119"]
    assert rows["四、结转下年度继续办理"] == ["103", "0", "0", "0", "0", "0", "103"]
    # table 四: one row of fifteen numbers under its three header rows
    assert any(line.split() == ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"]
               for line in layout.splitlines())


def test_no_text_boxes_and_office_fonts_drawn_with_noto_cjk(printed):
    for name, (summary, lo_pdf) in printed.items():
        with zipfile.ZipFile(summary["paths"]["docx"]) as z:
            body = z.read("word/document.xml").decode()
        for tag in ("w:txbxContent", "v:textbox", "wps:txbx", "w:framePr"):
            assert tag not in body, (name, tag)
        fonts = subprocess.run(["pdffonts", str(lo_pdf)], capture_output=True, text=True, check=True).stdout
        names = [line.split()[0] for line in fonts.splitlines()[2:]]
        assert names and all(re.search(r"Noto(Serif|Sans)CJK", n) for n in names), (name, names)


def _light_grey(pdf: Path) -> list[int]:
    """Per page, the pixels a light grey watermark leaves (grey levels 200-245 at 30 dpi)."""
    from PIL import Image
    out = pdf.parent / (pdf.stem + "-pages")
    out.mkdir()
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", str(pdf), str(out / "p")], check=True)
    return [sum(Image.open(p).histogram()[200:246]) for p in sorted(out.glob("p-*.png"))]


def test_a_drafts_watermark_is_on_every_page(printed, tmp_path):
    """The draft printed as is and with its header's watermark taken out: every page differs by it."""
    summary, lo_pdf = printed["draft"]
    bare = tmp_path / "bare" / "report.docx"
    bare.parent.mkdir()
    with zipfile.ZipFile(summary["paths"]["docx"]) as src, zipfile.ZipFile(bare, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("word/header"):
                assert b"PowerPlusWaterMarkObject" in data
                data = re.sub(rb"<w:pict>.*?</w:pict>", b"", data, flags=re.S)
            dst.writestr(item, data)
    marked, plain = _light_grey(lo_pdf), _light_grey(_to_pdf(bare, tmp_path / "bare-pdf"))
    assert len(marked) == len(plain)
    for page, (a, b) in enumerate(zip(marked, plain), start=1):
        assert a > b + 300, (page, a, b)
