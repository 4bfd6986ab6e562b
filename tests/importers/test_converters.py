"""Reports as the tools people use turn them into text (pdftotext without -layout, markitdown,
PyMuPDF, a web page's text), read back: never a wrong cell, and every cell not read is named."""
from __future__ import annotations

import random
import re
import shutil

import pytest

from helpers.config import samples_dir
from helpers.errors import InputError
from helpers.format import schema
from helpers.format.model import Cell, Report
from helpers.importers import exchange_csv, read
from helpers.importers.rows import Row, fit
from helpers.synth.converted import CONVERTERS, SUFFIX, convert, page_text, score
from helpers.synth.published import html_report, text_report
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
    right, wrong, unread, notes, _ = score(got, want)
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
    right, wrong, unread, notes, _ = score(got, want)
    assert wrong == 0, notes
    assert unread and got.unread


def read_kept(test_data_dir, expected: str, converted: str):
    """A converter's text kept in tests/data/converted, read partial: (report, score against the
    report it was made from)."""
    folder = test_data_dir / "converted"
    want = exchange_csv.read(folder / expected)[0]
    got, = read(folder / converted, agency=want.agency, year=want.year, partial=True)
    return got, score(got, want)


def test_pdftotext_zeros_in_a_run_are_not_taken_for_moved_na_cells(test_data_dir):
    """pdftotext of a rendered report (the round-trip property's falsifying example): the values of
    several rows of table 三 in one run after one label, two touching 不适用 cells printed as one
    block elsewhere, the table unbalanced. The run's zeros proved nothing about 8.属于行政查询事项,
    whose 其他组织 and 法律服务机构 are 不适用 (they were read as 0)."""
    got, (right, wrong, unread, notes, _) = read_kept(test_data_dir, "prop-1-2025.expected.csv",
                                                  "prop-1-2025.pdftotext.txt")
    assert wrong == 0, notes
    for col in ("legal_service", "other_org"):
        assert ("t3", "denied_admin_query", col) not in got.cells
    assert any("8.属于行政查询事项" in u for u in got.unread)


def test_markitdown_blank_cells_on_both_sides_of_a_row_are_not_guessed(test_data_dir):
    """markitdown of a rendered report (the round-trip property's falsifying example, layout 2019):
    the 6-digit counts of 一、本年新收, printed smaller, went to a line of their own, leaving the row
    "| label |  |  |  |  | 不适用 | 3 | 不适用 | 不适用 | 0 |  |" with empty cells on both sides.
    Which empties were markitdown's padding was guessed (trailing first), shifting the row by one
    column: 3 read as 社会公益组织, 不适用 as 科研机构 and 其他, 0 as 总计 (6 wrong cells)."""
    got, (right, wrong, unread, notes, _) = read_kept(test_data_dir, "prop-4-2020.expected.csv",
                                                  "prop-4-2020.markitdown.md")
    assert wrong == 0, notes
    assert right >= 170, (right, unread)
    assert not any(k[:2] == ("t3", "new_received") for k in got.cells)
    assert any("一、本年新收" in u and "which are padding" in u for u in got.unread)


def test_pdftotext_rows_labelled_only_by_lines_above_a_run_are_not_read_in_an_unbalanced_table(test_data_dir, tmp_path):
    """pdftotext of the accuracy bench's synth-1 (layout 2019): "（一）予以公开" and "（二）部分公开…" are
    printed before one run of both rows' values. With the table 三 unbalanced (here: the page
    holding its last two rows cut off), the first 7 values (予以公开's) were read as 部分公开, by the
    label fragment nearest the run, and kept because their own total is their sum: that proves one
    row, not which row (7 wrong cells; 11 in the bench's whole text before its labels were read)."""
    folder = test_data_dir / "converted"
    text = (folder / "synth-1-2020.pdftotext.txt").read_text(encoding="utf-8")
    cut = text[:text.index("—2—")] + text[text.index("本年新收政府信息公开申请 408 件（其中"):]
    (tmp_path / "converted").mkdir()
    (tmp_path / "converted" / "cut.pdftotext.txt").write_text(cut, encoding="utf-8")
    (tmp_path / "converted" / "synth-1-2020.expected.csv").write_bytes(
        (folder / "synth-1-2020.expected.csv").read_bytes())
    got, (right, wrong, unread, notes, _) = read_kept(tmp_path, "synth-1-2020.expected.csv", "cut.pdftotext.txt")
    assert wrong == 0, notes
    assert right >= 70, (right, unread)
    assert not any(k[:2] == ("t3", "partial") for k in got.cells)
    assert any("（二）部分公开" in u and "placed by position" in u for u in got.unread)


@pytest.mark.parametrize("cut, layout", [
    ("", "2021-single-other"),          # the labels run from （五）5. past （六）其他处理 to （七）总计
    ("（六）其他处理\n", "2021"),         # that label lost: nothing proves the version, the year (2022) decides
])
def test_pdftotext_labels_prove_table_3s_version_where_its_values_are_not_read(test_data_dir, tmp_path, cut,
                                                                              layout):
    """pdftotext of a rendered 2021-single-other report (bench/roundtrip_property.py, seed 777007: a
    6-digit 自然人 count) prints table 三's values in an order that balances neither way, and all its
    labels after them. No reader placed （六）'s row, so the version came from the year alone: the
    report was imported as 2021 (itemised （六）), a wrong import that converted.score counted as 186
    unread cells. The labels prove the single row: （六）其他处理 followed by （七）总计, none of the
    itemised rows' words. Where they do not (the label cut out), the year decides as before."""
    folder = test_data_dir / "converted"
    text = (folder / "prop-777007-2022.pdftotext.txt").read_text(encoding="utf-8")
    assert cut in text
    (tmp_path / "converted").mkdir()
    (tmp_path / "converted" / "x.pdftotext.txt").write_text(text.replace(cut, "", 1), encoding="utf-8")
    (tmp_path / "converted" / "x.expected.csv").write_bytes((folder / "prop-777007-2022.expected.csv").read_bytes())
    got, (right, wrong, unread, notes, other_layout) = read_kept(tmp_path, "x.expected.csv", "x.pdftotext.txt")
    assert got.layout == layout
    assert other_layout == (layout != "2021-single-other")
    assert wrong == 0, notes
    assert right == 25 and not any(k[0] == "t3" for k in got.cells)
    assert any(u.startswith(schema.table_name("t3")) for u in got.unread), got.unread


def test_a_table_3_of_zeros_short_of_two_rows_is_not_read_as_the_other_version(tmp_path):
    """One cell per line, a 2021 table 三 of zeros whose first two rows of （六） lost their values (the
    labels kept): 161 values, the count of the single-row version, and zeros balance either way. The
    token reader took the single row and the report was imported as 2021-single-other (7 wrong cells
    by score; all 200 unread before score compared across layouts). The labels show itemised （六）."""
    rep = consistent_report(random.Random(5), "zeros", 2023, "2021")
    rep.cells.update({k: Cell.number(0) for k in rep.cells if k[0] == "t3"})
    lost = {rep.table("t3").row_label(k) for k in schema.T3_OTHER_ROWS_2021[:2]}
    lines, out = text_report(rep, sep="\n").split("\n"), []
    while lines:
        out.append(lines.pop(0))
        if out[-1] in lost:
            del lines[:len(schema.T3_COLUMNS)]
    (tmp_path / "zeros.txt").write_text("\n".join(out), encoding="utf-8")
    got, = read(tmp_path / "zeros.txt", agency="zeros", year=2023, partial=True)
    right, wrong, unread, notes, other_layout = score(got, rep)
    assert got.layout == "2021" and not other_layout
    assert (wrong, unread) == (0, 2 * len(schema.T3_COLUMNS)), notes
    assert any("other format version than the labels show" in u for u in got.unread), got.unread


ITEMISED = ["5要求行政机关确认或重新出", "具已获取信息", "1申请人无正当理由逾期不补", "正行政机关不再处理其政府",
            "六信息公开申请", "其他处2申请人逾期未按收费通知要", "理", "求缴纳费用行政机关不再处", "理其政府信息公开申请",
            "3其他", "七总计", "四结转下年度继续办理"]      # pdftotext of a 2021 table 三 (seed 777001)
SINGLE = ["5要求行政机关确认或重新出", "具已获取信息", "六其他处理", "七总计", "四结转下年度继续办理"]


@pytest.mark.parametrize("cores, version", [
    (ITEMISED, "2021"), (SINGLE, "2019"),
    (SINGLE[:3], None),                 # cut before （七）总计: the itemised rows may follow
    (SINGLE[2:], None),                 # no （五）5. before: the labels column is not there
    (SINGLE[2:3] + SINGLE[:2] + SINGLE[3:], None),      # （六） not after （五）5.
])
def test_table_3_version_from_its_labels_alone(cores, version):
    from helpers.importers.table3 import version_of
    assert version_of(cores) == version


@pytest.mark.parametrize("name", ["synth-1-2020", "t3-split-2021", "t3-split-2019"])
def test_pdftotext_of_a_table_3_across_two_pages_reads_it_whole(test_data_dir, name):
    """pdftotext of rendered reports whose table 三 runs over a page break (as in many published
    reports; t3-split-*: our page without keeping table 三 together, after a longer 总体情况), and of
    the bench's synth-1 (its last two rows on the next page). pdftotext joins the lines of a narrow
    group cell with the row labels beside it ("（四） 1.本机关不掌握相关政府信息", "无法提 2.没有现成…"),
    and prints a group's labels after its values at the foot of a page, so the labels of earlier
    rows stand before the first values of the next page. Neither is a row out of order: table 三
    reads whole (53 and 68 of 200/198 cells read, 70 of 198 for synth-1, before)."""
    got, (right, wrong, unread, notes, _) = read_kept(test_data_dir, f"{name}.expected.csv", f"{name}.pdftotext.txt")
    assert wrong == 0, notes
    want = exchange_csv.read(test_data_dir / "converted" / f"{name}.expected.csv")[0]
    assert all(k in got.cells for k in want.cells if k[0] == "t3"), got.unread


def test_fit_guesses_no_padding_in_text_and_trims_an_exact_grid_from_the_end():
    row = ["", "", "", "", "不适用", "3", "不适用", "不适用", "0", ""]
    assert len(fit(row, 7)) == 10                       # text: which empties are padding is unknown
    assert fit(row, 7, exact=True) == ["", "", "不适用", "3", "不适用", "不适用", "0"]
    assert fit(["", "", "", "1", "2", "", "3", "4", "5", "6"], 7) == ["1", "2", "", "3", "4", "5", "6"]
    assert fit(["1", "2", "", "3", "4", "5", "", "", ""], 7) == ["1", "2", "", "3", "4", "5", ""]
    assert fit(["", "1", "2", "3", "4", "5", "6", "7", ""], 7) == ["1", "2", "3", "4", "5", "6", "7"]


def test_one_value_per_line_with_moved_na_reads_no_zero_for_na(tmp_path):
    """Text printed one value per line whose table 三 balances, but where two touching 不适用 cells
    were printed as one line away from their row (their row shows zeros in their place): every sum
    holds either way, so the zeros of the rows printed one per line are left unread and named, never
    read as numbers; the nonzero cells, proved by the identities, are read."""
    want = consistent_report(random.Random(4), "moved", 2023, "2021", scale=3)
    for col in ("legal_service", "other_org"):               # 0 in this report: every sum still holds
        assert want.value("t3", "denied_admin_query", col) == 0
        want.set("t3", "denied_admin_query", col, Cell(schema.NA))
    lines = text_report(want, sep="\n").split("\n")
    at = lines.index(next(x for x in lines if x.endswith("8.属于行政查询事项")))
    row = lines[at + 1:at + 8]
    assert row[4:6] == ["不适用", "不适用"]
    lines[at + 5:at + 7] = ["0", "0"]                        # the converter's zeros in their place
    end = lines.index(next(x for x in lines if x.startswith("四、") and "行政复议" in x))
    lines.insert(end, "不适用 不适用")                       # the two cells, touching, elsewhere
    path = tmp_path / "moved-2023.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    got, = read(path, agency="moved", partial=True)
    right, wrong, unread, notes, _ = score(got, want)
    assert wrong == 0, notes
    assert ("t3", "denied_admin_query", "other_org") not in got.cells
    assert any(k[0] == "t3" and c.numeric for k, c in got.cells.items())
    assert any("表三" in u and "不适用" in u for u in got.unread)


def test_markitdown_table_4_placed_by_position_from_a_chart_is_not_read(test_data_dir):
    """markitdown of a rendered report (the round-trip property's falsifying example after table 三
    was kept on one page): table 四's row came with cells glued ("0 0 0"), the placer took values
    on from the next lines, a chart's data printed as a table with empty cells, and placed the
    groups by position: review 0 and blanks, which hold as well as NA 0 0 0 NA (14 wrong cells).
    Rows placed by position in a table that holds are kept only where the token reader, reading
    the values in the text's order, gives the same. (Until table 三's glued "0 不适用" cells were read
    as values, the token reader gave other cells and table 四 was left unread, 172 of 186; now both
    readers agree and the row is read whole.)"""
    got, (right, wrong, unread, notes, _) = read_kept(test_data_dir, "prop-4-2021.expected.csv",
                                                  "prop-4-2021.markitdown.md")
    assert wrong == 0, notes
    assert right == 186, (right, got.unread)


_T4_ROW = "| 不适用 | 0 0 0    | 不适用 | 1   | 0        | 0 0   | 1 1 0 | 0 0   | 1   |"


@pytest.mark.parametrize("lines, changed, unread", [
    # 未经复议直接起诉·尚未审结 blank, the row printed on two lines: the token reader does not see the
    # empty Markdown cell (14 values) and proves nothing; the zeros and blanks placed by position not read
    (["| 不适用 | 0 0 0    | 不适用 | 1   | 0        | 0   |     |", "| 1   | 1   | 0   | 0 0   | 1   |"],
     {("suit_direct", "pending"): ""}, 11),
    # the same in a table of zeros, with a chart's "| 0 |" after it: the token reader's 15 values hold
    # with the blank read as 0. Counting "0 0 0" as one value, the placer took that line in too and
    # the blank was dropped as alignment: both readers read 0 (1 wrong cell). Now the two differ there.
    (["| 不适用 | 0 0 0    | 不适用 | 0   | 0        | 0   |     |", "| 0   | 0   | 0   | 0 0   | 0   |", "| 0   |"],
     {("suit_direct", "pending"): "", ("suit_direct", "upheld"): "0", ("suit_direct", "total"): "0",
      ("suit_after_review", "upheld"): "0", ("suit_after_review", "total"): "0"}, 1),
])
def test_table_4_placed_by_position_and_read_in_order_differ_is_not_read(test_data_dir, tmp_path, lines, changed,
                                                                        unread):
    """Table 四 of prop-4's markitdown text printed over several lines with an empty cell (a blank
    in the report): placed by position it holds (a blank adds as 0), but read in the text's order,
    where an empty Markdown cell leaves no value, the cells differ or nothing is proved. The cells
    the two readings do not agree on are not read, and named (complete.PLACES_DIFFER)."""
    folder = test_data_dir / "converted"
    text = (folder / "prop-4-2021.markitdown.md").read_text(encoding="utf-8")
    assert _T4_ROW in text
    (tmp_path / "t4.markitdown.md").write_text(text.replace(_T4_ROW, "\n".join(lines)), encoding="utf-8")
    csv = (folder / "prop-4-2021.expected.csv").read_text(encoding="utf-8")
    for (group, field), value in changed.items():
        csv = re.sub(rf"(?m)^(prop-4,2021,t4,{group},{field},).*$", rf"\g<1>{value}", csv)
    (tmp_path / "t4.expected.csv").write_text(csv, encoding="utf-8")
    want = exchange_csv.read(tmp_path / "t4.expected.csv")[0]
    got, = read(tmp_path / "t4.markitdown.md", agency=want.agency, year=want.year, partial=True)
    right, wrong, missing, notes, _ = score(got, want)
    assert wrong == 0, notes
    assert missing == unread and ("t4", "suit_direct", "pending") not in got.cells
    assert any(u.startswith("表四") and "give another cell" in u for u in got.unread), got.unread
    assert all(k in got.cells for k in want.cells if k[0] == "t3")


@pytest.mark.parametrize("name, row, col", [
    ("na-apart-4-2020", "unable_not_held", "natural_person"),    # a Markdown row of its own, by column
    ("na-apart-15-2023", "denied_admin_query", "research"),      # a bare line; the row's empty cell
    ("na-apart-13-2020", "denied_admin_query", "total"),         # a bare line; the row's last cell
    ("na-apart-43-2020", "denied_admin_query", "commercial"),    # "不适用 不适用": one glued empty cell
    # rows 6 Markdown cells wide (columns glued in pairs), a row of its own "| 不适用 不适用 | | 不适用 |"
    # under "| 0 0 |  | 0 0 |  |": taken for no Markdown row, read in order (4 wrong cells)
    ("na-apart-narrow-50-2021", "denied_process_info", "social_org"),
])
def test_markitdown_na_printed_apart_from_its_row_is_put_back(test_data_dir, name, row, col):
    """markitdown of rendered reports (bench/import_accuracy.py --generated 16 / 48) with table 三's
    不适用 at 8 pt: it printed a 不适用 on a line of its own after its row, either as a Markdown row
    with the 不适用 in its column or as a bare line, the row keeping an empty cell. Read in the
    text's order it was the row's last value, the row shifted (2 wrong cells in -4, 1 in -15, 4 in -43), or,
    where it was the last cell, read right by chance. The row with it filled in has its values
    Markdown cell for Markdown cell as the whole rows next to it: put back, table 三 whole."""
    got, (right, wrong, unread, notes, _) = read_kept(test_data_dir, f"{name}.expected.csv", f"{name}.markitdown.md")
    assert wrong == 0, notes
    assert unread == 0, got.unread
    assert got.cells[("t3", row, col)].state == schema.NA


@pytest.mark.parametrize("name, glued, beside", [
    # two 不适用 on a Markdown row of their own, one under the cell "0" gluing 自然人 and 商业企业:
    # read in order 4 cells were wrong; then the row was unread and the rest of table 三 with it (116)
    ("na-apart-8-2022", ("natural_person", "commercial"), ("research", Cell(schema.NA))),
    # the round-trip property's falsifying example (prop-3, layout 2021-single-other): rows of table
    # 三 only 6 Markdown cells wide (three cells glue two columns each), "| 0 0 | 0 0 | 0 | 0 |" and
    # a bare 不适用 (其他) after it. Taken for no Markdown row (fewer than 7 cells), the 不适用 stayed
    # where printed and was read as the row's 总计 (其他 read as 0: 2 wrong cells)
    ("na-apart-narrow-3-2022", ("legal_service", "other_org"), ("total", Cell(schema.NUMBER, 0))),
])
def test_markitdown_na_apart_from_a_glued_cell_is_not_read(test_data_dir, name, glued, beside):
    """markitdown (as above) put a 不适用 of （三）8.属于行政查询事项 apart from its row under a cell
    that glues two columns and shows only "0" (which of the two the 不适用 was is not in the text).
    The text is read under both orders; the cell is "0" with "不适用", and the identities add both
    as 0: both orders balance, so only the cells both readings agree on are kept, all but the glued
    pair, named."""
    got, (right, wrong, unread, notes, _) = read_kept(test_data_dir, f"{name}.expected.csv", f"{name}.markitdown.md")
    assert wrong == 0, notes
    assert right == 184, (right, got.unread)
    for col in glued:
        assert ("t3", "denied_admin_query", col) not in got.cells
    assert got.cells[("t3", "denied_admin_query", beside[0])] == beside[1]
    assert any("8.属于行政查询事项" in u and "order not in the text" in u for u in got.unread), got.unread


ROW_8 = "| 三、本 | 8.属于行政查询事项  | 0 0 | 0 0   | 0   | 0   |\n"
T4_ROW = "| 0   | 0 0 0    | 0   | 0   | 0        | 0 0 0 | 0 不适用 | 0     | 0   | 0   |\n"


@pytest.mark.parametrize("edit, unread", [
    # the bare 不适用 after the label line that follows its row
    (lambda t: t.replace(ROW_8 + "不适用\n年度办\n", ROW_8 + "年度办\n不适用\n"), 2),
    # a Markdown row of its own, as narrow as its row, the 不适用 under the cell showing one value
    (lambda t: t.replace(ROW_8 + "不适用\n", ROW_8 + "|     |     |     |     | 不适用 |     |\n"), 2),
    # table 四's 不适用 (复议后起诉 · 结果纠正) on a bare line after its row: 14 zeros and a 不适用
    (lambda t: t.replace(T4_ROW, T4_ROW.replace("0 不适用", "0      ") + "不适用\n"), 17),
])
def test_markitdown_na_printed_apart_around_its_row_is_never_read_in_the_texts_order(test_data_dir, tmp_path, edit,
                                                                                     unread):
    """The text of the test above, its 不适用 printed apart in other ways markitdown has: each was
    read in the text's order (2 wrong cells each: 其他 0 and 总计 不适用 of 8.属于行政查询事项, the
    cells after table 四's 不适用 shifted among its zeros). Where it stands is not in the text: the
    cells that depend on it are unread and named, none is wrong."""
    folder = test_data_dir / "converted"
    text = (folder / "na-apart-narrow-3-2022.markitdown.md").read_text(encoding="utf-8")
    assert ROW_8 + "不适用\n年度办\n" in text and T4_ROW in text
    (tmp_path / "edited.markitdown.md").write_text(edit(text), encoding="utf-8")
    want = exchange_csv.read(folder / "na-apart-narrow-3-2022.expected.csv")[0]
    got, = read(tmp_path / "edited.markitdown.md", agency=want.agency, year=want.year, partial=True)
    right, wrong, missing, notes, _ = score(got, want)
    assert wrong == 0, notes
    assert missing == unread, got.unread
    assert ("t3", "denied_admin_query", "other_org") not in got.cells
    if unread > 2:
        assert ("t4", "suit_after_review", "corrected") not in got.cells
        assert any(u.startswith("表四") for u in got.unread), got.unread


@pytest.mark.parametrize("sep", [" ", "\t"])
def test_text_with_a_na_on_a_line_of_its_own_after_its_row_is_not_read_in_the_texts_order(tmp_path, sep):
    """Text copied from a PDF, one line per row, the cells a space or a tab apart, and the 其他 of
    8.属于行政查询事项, a 不适用, on a line of its own after its row (no Markdown cells: apart.py
    cannot see it). In a table of zeros it was read in the text's order as the row's 总计 (其他
    read as 0: 2 wrong cells); now the token reader tries it at each place among the values of the
    lines around it: all of them balance, the row is unread and named."""
    rep = consistent_report(random.Random(3), "plain", 2023, "2021", scale=0)
    rep.cells[("t3", "denied_admin_query", "other_org")] = Cell(schema.NA)
    text = text_report(rep, sep=sep)
    row = next(line for line in text.split("\n") if "8.属于行政查询事项" in line)
    assert row.endswith(sep.join(["0", schema.NA_TEXT, "0"]))
    short = row[: -len(sep.join([schema.NA_TEXT, "0"]))] + "0"
    (tmp_path / "plain.txt").write_text(text.replace(row, short + "\n" + schema.NA_TEXT), encoding="utf-8")
    got, = read(tmp_path / "plain.txt", agency="plain", year=2023, partial=True)
    right, wrong, unread, notes, _ = score(got, rep)
    assert wrong == 0, notes
    assert not any(k[:2] == ("t3", "denied_admin_query") for k in got.cells)
    assert right == len(rep.cells) - 7
    assert any("8.属于行政查询事项" in u and "printed apart" in u for u in got.unread), got.unread


def test_markitdown_na_apart_between_two_rows_short_of_a_value_is_not_read(test_data_dir, tmp_path):
    """The bare 不适用 line of na-apart-15 (after （三）8.属于行政查询事项, whose 科研机构 is empty),
    with the next row's 不适用 taken out too: which row the 不适用 is is not in the text. Neither
    row is read (the empty cell was read as a blank before)."""
    folder = test_data_dir / "converted"
    text = (folder / "na-apart-15-2023.markitdown.md").read_text(encoding="utf-8")
    row = "|     |     | 1.本机关不掌握相关政府信息 | 不适用 0 | 0   | 0   | 6   | 不适用 | 6   |"
    assert row in text
    (tmp_path / "short.markitdown.md").write_text(text.replace(row, row.replace("| 不适用 | 6", "|     | 6")),
                                                  encoding="utf-8")
    want = exchange_csv.read(folder / "na-apart-15-2023.expected.csv")[0]
    got, = read(tmp_path / "short.markitdown.md", agency=want.agency, year=want.year, partial=True)
    assert score(got, want)[1] == 0, score(got, want)[3]
    assert not any(k[:2] in {("t3", "denied_admin_query"), ("t3", "unable_not_held")} for k in got.cells)


@pytest.mark.parametrize("name, before", [
    ("glued-na-26-2022", 0),      # table 三 also read as the 2021 layout: 0 of 186 by score
    ("glued-na-33-2023", 102),    # the rows with such a cell not recognised
])
def test_markitdown_cells_glued_with_na_are_values_not_labels(test_data_dir, name, before):
    """markitdown of rendered reports (bench/import_accuracy.py --generated 48, gen-26 and gen-33) with
    table 三's 不适用 at 8 pt glues it to the number next to it: "| 0 不适用 | 0 0 |",
    "| 不适用 不适用 |". Such a cell holds Chinese but only values; it was taken for the row's last
    label, the values before it lost and the row not recognised (`before` cells read right)."""
    got, (right, wrong, unread, notes, _) = read_kept(test_data_dir, f"{name}.expected.csv", f"{name}.markitdown.md")
    assert wrong == 0, notes
    assert right >= 165 > before, (right, got.unread)
    assert got.cells[("t3", "new_received", "total")].state == schema.NUMBER


@pytest.mark.parametrize("name, where, glued", [
    # a bare line "不适用" after "| 8.属于行政查询事项 | 121 | 0 | 1 | 3 0 | 125 |": markitdown glued
    # 自然人 (121) and 商业企业 (不适用) in one cell; was 165 of 186 (the row and two rows by position unread)
    ("glued-na-26-2022", ("t3", "denied_admin_query"), ("natural_person", "commercial")),
    # "| 不适用 |" in a Markdown row of its own under a cell showing "13"; was 184 of 200
    ("glued-na-33-2023", ("t3", "denied_admin_query"), ("natural_person", "commercial")),
])
def test_na_glued_to_a_number_in_the_one_order_the_identities_prove(test_data_dir, name, where, glued):
    """A 不适用 printed apart under a cell showing one number: whether the glued cell was
    "121 不适用" or "不适用 121" is not in the text, but only one order balances table 三 (under the
    other the number stands in the wrong column and a column's sums fail). That reading is taken
    whole (choice.choose), and a strict import reads the file too."""
    got, (right, wrong, unread, notes, _) = read_kept(test_data_dir, f"{name}.expected.csv", f"{name}.markitdown.md")
    assert wrong == 0, notes
    assert unread == 0 and not got.unread, got.unread
    states = {got.cells[(*where, c)].state for c in glued}
    assert states == {schema.NUMBER, schema.NA}
    want = exchange_csv.read(test_data_dir / "converted" / f"{name}.expected.csv")[0]
    strict, = read(test_data_dir / "converted" / f"{name}.markitdown.md", agency=want.agency, year=want.year)
    assert strict.cells == got.cells


@pytest.mark.parametrize("cell, label", [
    ("0 不适用", False), ("不适用 0", False), ("不适用 不适用", False), ("29 不适用", False), ("3 0", False),
    ("不适用", False), ("无", False), ("1.属于国家秘密", True), ("（一）予以公开", True), ("0 其他", True),
])
def test_a_cell_of_values_glued_together_is_not_a_label(cell, label):
    row = Row(["", "", cell, "0", "0"], exact=False, grid=0, index=0)
    assert (row.split == 2) == label


@pytest.mark.parametrize("copies, readings", [(1, 4), (2, 0), (1000, 0)])
def test_na_glued_in_an_unknown_order_is_read_under_a_bounded_number_of_orders(test_data_dir, tmp_path, copies,
                                                                               readings):
    """A crafted text (gen-26's markitdown) with the row "2.其他法律… | 173 0 | …" and the row
    "8.属于行政查询事项 | 121 | … " + a bare 不适用 repeated `copies` times: every copy is one more
    cell whose order is not in the text, and the documents it may be double with each. Past
    apart.MOST_READINGS the orders are not tried (the count stops growing as soon as it passes the
    bound): those rows are unread and named, never a wrong cell."""
    from helpers.importers import apart, text as textmod
    folder = test_data_dir / "converted"
    lines = (folder / "glued-na-26-2022.markitdown.md").read_text(encoding="utf-8").split("\n")
    assert lines[111] == "不适用" and "121" in lines[110] and "173 0" in lines[98]
    lines[112:112] = [lines[98], lines[110], "不适用"] * copies
    blocks = textmod.blocks_from_lines(lines, orders=True)
    assert apart.alternatives(blocks) == (2 ** (copies + 1) if copies < 2 else apart.MOST_READINGS * 2)
    assert len(apart.readings(blocks)) == readings
    path = tmp_path / "gen-26-2022.markitdown.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    got, = read(path, agency="gen-26", year=2022, partial=True)
    want = exchange_csv.read(folder / "glued-na-26-2022.expected.csv")[0]
    assert score(got, want)[1] == 0, score(got, want)[3]
    assert (textmod.TOO_MANY_ORDERS in got.unread) == (not readings)


def test_pdftotext_one_row_blocks_of_table_2_with_the_label_after_their_values(test_data_dir):
    """pdftotext of a rendered 2019-layout report (bench --generated 48, gen-25): the one-row blocks
    第二十条第（八）项 and （九）项 come as caption, header, values, then the label ("151 / -142 /
    行政事业性收费"). Table 二 has no identities; the row is proved by accounting: every other row of
    the table has exactly its values after its label, the block has one label, and its span holds
    exactly that row's values (was 194 of 198, the two rows unread)."""
    got, (right, wrong, unread, notes, _) = read_kept(test_data_dir, "t2-label-after-25-2020.expected.csv",
                                                  "t2-label-after-25-2020.pdftotext.txt")
    assert wrong == 0, notes
    assert unread == 0, got.unread
    assert got.cells[("t2", "fees", "change")].value == -142


def test_pdftotext_table_4_na_block_put_back_where_it_may_have_stood(test_data_dir):
    """pdftotext of a rendered report (gen-24): two touching 不适用 cells of table 四 printed as one
    block out of their place; the other values one per line, in order. Every place the block may
    have stood is tried; the cells all the readings that hold give alike are read (the zeros and
    不适用 of 行政复议 and 复议后起诉), the others named (was 189 of 200: all of them unread)."""
    got, (right, wrong, unread, notes, _) = read_kept(test_data_dir, "t4-na-moved-24-2023.expected.csv",
                                                  "t4-na-moved-24-2023.pdftotext.txt")
    assert wrong == 0, notes
    assert right == 197, got.unread
    assert all(u.startswith("表四 · 未经复议直接起诉") for u in got.unread), got.unread
