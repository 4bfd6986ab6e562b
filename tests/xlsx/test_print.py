"""The spreadsheet template printed by a real office suite: LibreOffice (headless) prints it to PDF,
and the PDF is read back with poppler. Each table sheet fits the width of one A4 page, every
label is printed whole on the page of its table, and no line of text runs into another."""
from __future__ import annotations

import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from helpers.format.schema import LAYOUTS
from helpers.synth.series import consistent_report
from helpers.xlsx import layout as xl
from helpers.xlsx.template import write_template

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed (make sysdeps)")]
AGENCY = {"id": "demo-street", "name": "示例市示例区示例街道办事处", "address": "示例市示例路 1 号"}


def print_to_pdf(xlsx: Path, out: Path) -> Path:
    """LibreOffice's own print of the workbook (a profile of its own: runs beside other instances)."""
    profile = out / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(xlsx)], check=True, capture_output=True, timeout=300)
    return out / (xlsx.stem + ".pdf")


def pages(pdf: Path) -> list[str]:
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                        check=True).stdout).group(1))
    return [subprocess.run(["pdftotext", "-raw", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout for i in range(1, n + 1)]


def text_lines(pdf: Path) -> list[list[tuple[str, tuple[float, float, float, float]]]]:
    """Per page, every printed line of text with its box (poppler's layout analysis)."""
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(xhtml)
    out = []
    for page in root.iter("{*}page"):
        lines = []
        for line in page.iter("{*}line"):
            words = "".join(w.text or "" for w in line.iter("{*}word"))
            lines.append((words, tuple(float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))))
        out.append(lines)
    return out


def overlapping(lines) -> list[tuple[str, str]]:
    """Pairs of lines whose boxes overlap (by more than a hair: boxes include the glyphs' ascent)."""
    found = []
    for i, (a, (ax0, ay0, ax1, ay1)) in enumerate(lines):
        for b, (bx0, by0, bx1, by1) in lines[i + 1:]:
            dx = min(ax1, bx1) - max(ax0, bx0)
            dy = min(ay1, by1) - max(ay0, by0)
            if dx > 1 and dy > 2:
                found.append((a, b))
    return found


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_the_template_prints_one_page_per_table_with_whole_labels(tmp_path, layout):
    report = consistent_report(random.Random(5), AGENCY["id"], 2023, layout, scale=3, narrative=True)
    pdf = print_to_pdf(write_template(tmp_path / "模板.xlsx", layout, agency=AGENCY, year=2023, report=report), tmp_path)
    printed = pages(pdf)
    sheets = xl.sheet_layouts(layout)
    # a page per table sheet, then the agency details and the narrative (two pages at most)
    assert len(sheets) + 1 < len(printed) <= len(sheets) + 3, len(printed)
    for number, (sl, page) in enumerate(zip(sheets, printed), start=1):
        assert squash(page).startswith(f"{sl.name}第{number}页"), "each table is one page, in sheet order"
        for label in sl.labels:
            assert squash(label.text) in squash(page), (sl.name, label.text)
    boxes = text_lines(pdf)
    for number, lines in enumerate(boxes[:len(sheets)], start=1):
        assert overlapping(lines) == [], f"page {number}"
