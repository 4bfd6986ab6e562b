"""report.docx (helpers.render.export.docx): real Word tables with the official merges of the
template, styles and fonts, the 公文 page, charts, the 落款, the draft watermark, the provenance in
the properties, the same bytes from the same inputs, and every cell and section read back by the
project's own DOCX importer."""
from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from helpers import importers
from helpers.format import schema
from helpers.format.model import Cell
from helpers.render.export import docx_page
from helpers.report import charts
from helpers.render.options import RenderOptions
from helpers.render.pipeline import render_report
from helpers.report.mode import Mode
from helpers.report.narrative import narrative_for
from helpers.synth import series as synthetic

@pytest.fixture(scope="module")
def template(test_data_dir) -> Path:
    return test_data_dir / "template-2021.docx"     # the official blank template


def _document(summary) -> docx.document.Document:
    return docx.Document(summary["paths"]["docx"])


def _tables(path) -> list:
    return docx.Document(str(path)).element.body.findall(qn("w:tbl"))


def _merges(tbl) -> list[list[tuple]]:
    """Each row's cells as (gridSpan, vMerge, label): the merge structure, with the text of the
    cells that hold a label (a value cell's text is its number; the template's are empty)."""
    rows = []
    for tr in tbl.tr_lst:
        rows.append([(tc.grid_span, tc.vMerge or "", "".join(t.text for t in tc.iter(qn("w:t"))).strip())
                     for tc in tr.tc_lst])
    return rows


@pytest.mark.slow
def test_tables_have_the_official_merges_of_the_template(seed_report, template):
    ours, official = _tables(seed_report["paths"]["docx"]), _tables(template)
    assert len(ours) == len(official) == 3
    for table_id, mine, theirs in zip(schema.TABLE_IDS, ours, official):
        mine, theirs = _merges(mine), _merges(theirs)
        assert len(mine) == len(theirs), table_id
        for row, (a, b) in enumerate(zip(mine, theirs)):
            assert [(span, merge) for span, merge, _ in a] == [(span, merge) for span, merge, _ in b], (table_id, row)
            for (_, _, text), (_, _, label) in zip(a, b):
                if label:    # labels where the template has them (its value cells are blank)
                    assert text == label, (table_id, row)


@pytest.mark.slow
def test_header_rows_repeat_rows_never_split_and_widths_fill_the_text_width(seed_report):
    for tbl in _tables(seed_report["paths"]["docx"]):
        rows = tbl.tr_lst
        for tr in rows:
            assert tr.trPr.find(qn("w:cantSplit")) is not None
        headers = [tr.trPr.find(qn("w:tblHeader")) is not None for tr in rows]
        assert headers == sorted(headers, reverse=True)      # the header rows come first
        assert sum(int(g.get(qn("w:w"))) for g in tbl.iter(qn("w:gridCol"))) == docx_page.TEXT_WIDTH
    t3, t4 = _tables(seed_report["paths"]["docx"])[1:]
    assert sum(tr.trPr.find(qn("w:tblHeader")) is not None for tr in t3.tr_lst) == 3
    assert sum(tr.trPr.find(qn("w:tblHeader")) is not None for tr in t4.tr_lst) == 3


@pytest.mark.slow
def test_page_is_a4_with_gongwen_margins_and_page_numbers(seed_report):
    document = _document(seed_report)
    section = document.sections[0]
    mm = lambda length: round(length / 36000, 1)   # EMU per millimetre  # noqa: E731
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.left_margin), mm(section.bottom_margin),
            mm(section.right_margin)) == (37, 28, 35, 26)
    footer = section.footer.paragraphs[0]
    assert footer.style.name == "Footer"
    xml = footer._p.xml
    assert 'w:instr=" PAGE "' in xml and "— " in xml and " —" in xml


@pytest.mark.slow
def test_text_is_in_word_styles_with_the_office_fonts(seed_report):
    document = _document(seed_report)
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Normal", "Signature"} <= styles
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.heading for s in schema.SECTIONS]
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    assert title.text == "包头市昆都仑区前进道街道办事处\n2023年政府信息公开工作年度报告"   # a line break
    fonts = {}
    for name in ("Title", "Heading 1", "Normal", "Table Text"):
        rfonts = document.styles[name].element.rPr.rFonts
        fonts[name] = {rfonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia")}
    assert fonts == {"Title": {"方正小标宋简体"}, "Heading 1": {"黑体"}, "Normal": {"仿宋_GB2312"},
                     "Table Text": {"宋体"}}
    # each office font names its Noto CJK alternative; no theme fonts that would override the names
    with zipfile.ZipFile(seed_report["paths"]["docx"]) as z:
        font_table = z.read("word/fontTable.xml").decode()
        assert "Theme" not in z.read("word/styles.xml").decode()
    for office, noto in docx_page.FONTS.values():
        assert re.search(rf'w:name="{office}"><w:altName w:val="{noto}"/>', font_table), office


def test_fontconfig_draws_the_office_fonts_with_noto_cjk_sc():
    """The Makefile installs the aliases (LibreOffice would pick Japanese glyph forms otherwise)."""
    conf = Path(docx_page.__file__).parents[2] / "templates" / "fontconfig" / "65-xxgk-office-fonts.conf"
    for office, noto in docx_page.FONTS.values():
        assert f"<family>{office}</family><prefer><family>{noto}</family>" in conf.read_text(encoding="utf-8")
        found = subprocess.run(["fc-match", "-f", "%{family}", office], capture_output=True, text=True).stdout
        assert noto in found.split(","), (office, found)


@pytest.mark.slow
def test_charts_are_high_resolution_pictures_with_their_titles(broken_draft):
    document = _document(broken_draft)
    pictures = document.inline_shapes
    descriptions = [s._inline.docPr.get("descr") for s in pictures]
    assert descriptions == ["2024年度办理结果（件）", "2024年新收政府信息公开申请·申请人情况（件）"]
    from PIL import Image
    for shape in pictures:
        rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        image = Image.open(io.BytesIO(document.part.related_parts[rid].blob))
        assert image.width / (shape.width / 914400) >= charts.PNG_DPI >= 200     # dots per inch on the page
    with_pictures = [p for p in document.paragraphs if p._p.findall(".//" + qn("w:drawing"))]
    assert [p.style.name for p in with_pictures] == ["Figure", "Figure"]


@pytest.mark.slow
def test_signature_ends_the_report_right_aligned(seed_report):
    document = _document(seed_report)
    record = json.loads(Path(seed_report["paths"]["provenance"]).read_text(encoding="utf-8"))
    date = __import__("datetime").date.fromisoformat(record["date"])
    last = [p for p in document.paragraphs if p.text.strip()][-2:]
    assert [p.text for p in last] == ["包头市昆都仑区前进道街道办事处", f"{date.year}年{date.month}月{date.day}日"]
    assert all(p.style.name == "Signature" for p in last)
    assert document.styles["Signature"].paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT


@pytest.mark.slow
def test_a_draft_says_so_in_its_title_and_on_every_page(seed_report, broken_draft):
    draft, published = _document(broken_draft), _document(seed_report)
    assert "（草稿）" in next(p.text for p in draft.paragraphs if p.style.name == "Title")
    assert "草稿" not in next(p.text for p in published.paragraphs if p.style.name == "Title")
    header = draft.sections[0].header
    assert not header.is_linked_to_previous
    shape = header._element.find(".//" + qn("w:pict"))
    assert shape is not None and 'string="草稿"' in header._element.xml and "rotation:325" in header._element.xml
    assert published.sections[0].header.is_linked_to_previous          # no header, no watermark
    # draft marks in the cells, as on the page: the broken balance is shaded
    shaded = [tc for tc in draft.element.body.iter(qn("w:tc")) if tc.find(".//" + qn("w:shd")) is not None]
    assert shaded


@pytest.mark.slow
def test_provenance_is_in_the_properties_not_on_the_page(seed_report):
    document = _document(seed_report)
    record = json.loads(Path(seed_report["paths"]["provenance"]).read_text(encoding="utf-8"))
    core = document.core_properties
    assert core.title == record["title"] and core.author == "包头市昆都仑区前进道街道办事处"
    assert core.identifier == seed_report["input_key"] and core.language == "zh-CN"
    assert core.created.date().isoformat() == record["date"] == core.modified.date().isoformat()
    with zipfile.ZipFile(seed_report["paths"]["docx"]) as z:
        custom = z.read("docProps/custom.xml").decode()
        names = set(z.namelist())
        assert {n.filename for n in z.infolist()} == names
        assert all(n.date_time == (core.created.year, core.created.month, core.created.day, 0, 0, 0)
                   for n in z.infolist())
    for key in ("input_key", "data_fingerprint", "static_fingerprint", "agency", "year", "mode", "version:xxgk"):
        assert f'name="xxgk:{key}"' in custom, key
    assert seed_report["input_key"] in custom
    text = "\n".join(p.text for p in document.paragraphs)
    assert seed_report["input_key"][:16] not in text and "xxgk" not in text
    # nothing of python-docx's template that a report does not use
    assert not any("thumbnail" in n or "customXml" in n or "stylesWithEffects" in n for n in names)


@pytest.mark.slow
def test_same_inputs_give_the_same_bytes_and_nbconvert_gives_the_same_document(tmp_path, rendered):
    first = rendered("huaian", 2024, "draft", out="first")
    again = rendered("huaian", 2024, "draft", out="again")
    assert Path(first["paths"]["docx"]).read_bytes() == Path(again["paths"]["docx"]).read_bytes()
    jupyter = Path(sys.executable).parent / "jupyter"
    subprocess.run([str(jupyter), "nbconvert", "--to", "xxgk_docx", first["paths"]["ipynb"],
                    "--output-dir", str(tmp_path)], check=True, capture_output=True)
    assert (tmp_path / "report.docx").read_bytes() == Path(first["paths"]["docx"]).read_bytes()


# --- round trip: the project's own importer reads report.docx back --------------------------------
TEXTS = {
    "overview": ("2024 年，本机关认真贯彻落实《条例》，网址 http://www.example.gov.cn/ 持续更新。\n"
                 "（一）主动公开情况\n"
                 "全年主动公开政府信息 120 条；“政务公开”专栏访问量达 3.5 万次！又及：a & b < c。\n"
                 "正文中有 <script>alert(1)</script> 和 {{ x }} 这样的字样。"),
    "requests": "本年度依申请公开工作依法办理。",
    "problems": "（一）存在的问题。一是公开内容不够全面；二是解读形式单一。\n（二）改进情况。下一步将加强培训。",
    "other": "本年度未收取信息处理费。",
}


def _with_blanks_and_na(report, rng):
    zeros = [k for k, c in report.cells.items() if c.state == schema.NUMBER and c.value == 0]
    for key in rng.sample(zeros, 4):
        report.cells[key] = Cell(schema.BLANK)
    for key in rng.sample([k for k in zeros if report.cells[k].state == schema.NUMBER], 3):
        report.cells[key] = Cell(schema.NA)
    return report


@pytest.mark.slow
@pytest.mark.parametrize("layout, mode", [("2021", Mode.PUBLISH), ("2019", Mode.DRAFT),
                                          ("2021-single-other", Mode.DRAFT)])
def test_every_cell_and_section_reads_back(tmp_path, layout, mode):
    from helpers.store import Store

    rng = random.Random(layout)
    year = 2020 if layout == "2019" else 2024
    report = _with_blanks_and_na(synthetic.consistent_report(rng, "trip", year, layout, scale=2), rng)
    report.narrative = dict(TEXTS)
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    store = Store(db)
    store.save_reports([report])
    summary = render_report("trip", year, out_dir=tmp_path / "out", db=db,
                            options=RenderOptions(mode=mode, pdf=False, allow_errors=True))
    want = store.load_report("trip", year)
    got, = importers.read(summary["paths"]["docx"], agency="trip")
    assert got.year == year
    assert sum(c.state == schema.NA for c in got.cells.values()) == 3
    for key, cell in want.cells.items():     # a blank prints as 0 (FORMAT.md), 不适用 as 不适用
        expected = Cell.number(0) if cell.state == schema.BLANK else cell
        assert got.cells.get(key) == expected, key
    assert len(got.cells) == len(schema.cell_keys(layout))
    shown = narrative_for(want, agency=store.agency("trip"))
    for key in schema.NARRATIVE_KEYS:
        paragraphs = "\n".join(line for line in shown.get(key, "").split("\n") if line.strip())
        assert got.narrative.get(key, "") == paragraphs, key


@pytest.mark.slow
def test_sample_reports_read_back(seed_report, samples_db):
    """The seed (all zeros, its published narrative) as report.docx reads back as the HTML does."""
    from helpers.store import Store
    want = Store(samples_db).load_report("qianjindao", 2023)
    got, = importers.read(seed_report["paths"]["docx"], agency="qianjindao")
    assert got.layout == want.layout and got.cells == dict(want.ordered_cells())
    html, = importers.read(seed_report["paths"]["html"], agency="qianjindao")
    assert got.narrative == html.narrative
