"""Old and open office formats (.doc, .xls, .wps/.et = the same binary formats, .odt, .ods) read
through LibreOffice: the files are made by LibreOffice itself from a filled template or Word
report, as an office that saves in WPS or an old Word would, and read back exactly."""
from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import importers
from helpers.config import samples_dir
from helpers.errors import InputError
from helpers.format import schema
from helpers.format.model import Cell, Report
from helpers.importers import exchange_csv, office
from helpers.xlsx.template import write_template

SOFFICE = shutil.which("soffice")
if SOFFICE is None:   # the Makefile installs LibreOffice (writer and calc); without it these tests cannot run
    pytest.fail("soffice not found: run `make test` (installs libreoffice-writer-nogui, -calc-nogui)", pytrace=False)

pytestmark = pytest.mark.slow


def save_as(src: Path, fmt: str, out: Path) -> Path:
    """`src` saved by LibreOffice as `fmt` (doc, xls, odt, ods) into `out`."""
    profile = out / "profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", fmt,
                    "--outdir", str(out), str(src)], check=True, capture_output=True, timeout=120)
    return out / f"{src.stem}.{fmt}"


UNIT = {"id": "demo-street", "name": "某某街道办事处", "level": "街道"}


def unit_template(tmp_path: Path, name: str = "模板.xlsx") -> Path:
    return write_template(tmp_path / name, "2021", agency=UNIT, year=2023, report=unit_report())


def unit_report() -> Report:
    """What a unit types into the template: counts, 不适用, blanks and fees with decimals."""
    rep = Report.zeros("demo-street", 2023, "2021")
    for i, key in enumerate(schema.cell_order("2021")):
        if key[0] == "t3":
            rep.cells[key] = Cell.number(i)
    rep.cells[("t3", "granted", "research")] = Cell(schema.NA)
    rep.cells[("t3", "partial", "commercial")] = Cell(schema.BLANK)
    rep.cells[("t2", "fees", "amount")] = Cell.number(Decimal("12.5"))     # 万元
    return rep


def same_cells(got: Report, want: Report) -> None:
    assert [(k, c.state, c.text()) for k, c in got.ordered_cells()] == \
        [(k, c.state, c.text()) for k, c in want.ordered_cells()]


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_template_saved_as_xls_or_ods_reads_exactly(tmp_path, fmt):
    want = unit_report()
    xlsx = unit_template(tmp_path)
    made = save_as(xlsx, fmt, tmp_path)
    got, = importers.read(made)
    assert (got.agency, got.year, got.layout) == (want.agency, want.year, want.layout)
    same_cells(got, want)
    assert got.source == str(made)


@pytest.mark.parametrize("fmt", ["doc", "odt"])
def test_word_report_saved_as_doc_or_odt_reads_exactly(tmp_path, fmt, fill_word_template, assert_same_cells):
    want = exchange_csv.read(samples_dir() / "huaian-2024.expected.csv")[0]
    made = save_as(fill_word_template(tmp_path / "tmpl-2024.docx", want), fmt, tmp_path)
    got, = importers.read(made)
    assert (got.agency, got.year) == ("tmpl", 2024) and got.source == str(made)
    assert_same_cells(got, want)
    assert got.narrative["overview"] == "（文字描述）"


def test_an_ole2_file_of_no_office_kind_is_refused_by_name(tmp_path):
    path = tmp_path / "x-2023.doc"
    path.write_bytes(office.OLE2 + b"\x00" * 4000)
    with pytest.raises(InputError, match="既不是 Word 文档也不是 Excel 工作簿") as err:
        importers.read(path)
    assert str(path) in str(err.value)


def test_a_damaged_doc_is_refused_by_name_without_a_traceback(tmp_path):
    path = tmp_path / "bad-2023.doc"
    path.write_bytes(office.OLE2 + b"\x00" * 100 + "WordDocument".encode("utf-16-le") + b"\xff" * 3000)
    with pytest.raises(InputError) as err:
        importers.read(path, agency="bad", year=2023)
    assert str(path) in str(err.value) and "xxgk-office-" not in str(err.value)


def test_a_conversion_that_takes_too_long_is_stopped(tmp_path, monkeypatch):
    xlsx = unit_template(tmp_path, "t.xlsx")
    made = save_as(xlsx, "xls", tmp_path)
    monkeypatch.setattr(office, "OFFICE_SECONDS", 0.05)
    with pytest.raises(InputError, match="秒内未能转换") as err:
        importers.read(made)
    assert str(made) in str(err.value)
    # nothing of LibreOffice's is left running
    left = subprocess.run(["pgrep", "-f", "xxgk-office-"], capture_output=True, text=True).stdout.split()
    assert left == []


def test_without_libreoffice_the_message_says_what_to_do(tmp_path, monkeypatch):
    xlsx = unit_template(tmp_path, "t.xlsx")
    made = save_as(xlsx, "xls", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    with pytest.raises(InputError, match="需要 LibreOffice") as err:
        importers.read(made)
    assert str(made) in str(err.value)


def test_a_linked_image_is_not_fetched_while_the_file_is_converted(tmp_path, watched_url):
    """An .odt whose image is a link to a URL: LibreOffice fetches it when it converts the file (it
    did: GET /pixel.png), so a hostile file could make the importing machine request any URL it
    reaches. The conversion runs without a network."""
    url, asked = watched_url
    page = tmp_path / "linked-2023.html"
    page.write_text(f'<html><body><p>正文</p><img src="{url}/pixel.png"></body></html>', encoding="utf-8")
    odt = save_as(page, "odt", tmp_path)
    assert asked, "LibreOffice fetched nothing while making the test file: the test proves nothing"
    asked.clear()
    with pytest.raises(InputError, match="这不是"):      # no tables: not a report
        importers.read(odt, agency="linked", year=2023)
    assert asked == []
