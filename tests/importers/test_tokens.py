"""The token reader (importers.tokens, regions, solve): values put into cells only where the
identities prove them, never guessed."""
from __future__ import annotations

import random
from decimal import Decimal

import pytest

from helpers.format import schema
from helpers.format.model import Cell
from helpers.importers import cells, solve
from helpers.importers.grid import Grid, Paragraph
from helpers.importers.regions import regions
from helpers.importers.tokens import HEADING, LABEL, PROSE, VALUE, Token, apart, tokenize
from helpers.synth.series import consistent_report

T3 = schema.table("t3")


def kinds(tokens):
    return [(t.kind, t.text) for t in tokens]


def test_values_glued_to_labels_and_to_each_other():
    toks = tokenize([Paragraph("行政许可447228"), Paragraph("（七）总计2932 53 0"),
                     Paragraph("二、上年结转政府信息公开申请数量0 1 0不适用 1"), Paragraph("188不适用308")])
    assert kinds(toks) == [(LABEL, "行政许可"), (VALUE, "447228"), (LABEL, "(七)总计"), (VALUE, "2932"),
                           (VALUE, "53"), (VALUE, "0"), (LABEL, "二、上年结转政府信息公开申请数量"),
                           (VALUE, "0"), (VALUE, "1"), (VALUE, "0"), (VALUE, "不适用"), (VALUE, "1"),
                           (VALUE, "188"), (VALUE, "不适用"), (VALUE, "308")]


def test_cells_glued_in_a_text_table_are_values_each():
    toks = tokenize([Grid([["一、本年新收政府信息公开申请数量", "", "3001 53", "0 0", "61 4", "3119"]], exact=False)])
    assert [t.text for t in toks if t.kind == VALUE] == ["3001", "53", "0", "0", "61", "4", "3119"]


def test_enumerators_and_prose():
    toks = tokenize([Paragraph("（三）不予公开1.属于国家秘密"), Paragraph("本年度发生政府信息公开行政复议 628 件，其中结果维持 383 件"),
                     Paragraph("四、政府信息公开行政复议、行政诉讼情况"), Paragraph("|")])
    assert [t.kind for t in toks] == [LABEL, PROSE, HEADING, VALUE]
    assert toks[2].section == 3 and toks[3].text == ""      # "|" alone: an empty cell


def test_prose_laid_out_as_a_table_row_has_no_values():
    toks = tokenize([Grid([["本年新收政府信息公开申请", "376", "件（其中自然人", "335 件，法人或其他组织", "41"]], exact=False)])
    assert [t.kind for t in toks] == [PROSE]


def test_empty_cells_are_blanks_in_exact_grids_only_and_repeats_are_marked():
    row = ["1.属于国家秘密", "2", "", "0", "0", "0", "0", "2"]
    assert [t.text for t in tokenize([Grid([row], exact=True)]) if t.kind == VALUE] == ["2", "", "0", "0", "0", "0", "2"]
    assert [t.text for t in tokenize([Grid([row], exact=False)]) if t.kind == VALUE] == ["2", "0", "0", "0", "0", "2"]
    toks = tokenize([Grid([["188", "不适用308", "不适用308", "0"]], exact=False)])
    assert [(t.text, t.repeat) for t in toks] == [("188", False), ("不适用", False), ("308", False),
                                                  ("不适用", True), ("308", True), ("0", False)]


def test_a_cell_holding_two_numbers_is_refused_not_read_as_one():
    with pytest.raises(cells.InvalidValue):
        cells.parse("0 1", schema.COUNT)
    assert cells.parse("１２", schema.COUNT) == Cell.number(12)


# --- table 三 ------------------------------------------------------------------------------------
def _t3_values(rep, by="rows"):
    keys = [(r.key, c.key) for r in rep.table("t3").rows for c in T3.columns] if by == "rows" else \
        [(r.key, c.key) for c in T3.columns for r in rep.table("t3").rows]
    return [rep.get("t3", r, c).text() for r, c in keys]


def _v(texts):
    return [Token(VALUE, t) for t in texts]


@pytest.mark.parametrize("layout", ["2021", "2019"])
@pytest.mark.parametrize("by", ["rows", "cols"])
def test_table3_by_rows_or_by_columns_without_labels(layout, by):
    rep = consistent_report(random.Random(4), "x", 2023 if layout == "2021" else 2020, layout, scale=3)
    got = solve.table3(_v(_t3_values(rep, by)))
    assert got.version == rep.table("t3").version and not got.unread
    assert got.cells == {k: c for k, c in rep.cells.items() if k[0] == "t3"}


def test_table3_all_zero_reads_by_either_order():
    rep = consistent_report(random.Random(1), "x", 2023, "2021", scale=0)
    got = solve.table3(_v(_t3_values(rep)))
    assert len(got.cells) == 175 and all(c == Cell.number(0) for c in got.cells.values())


def test_table3_wrong_count_or_identities_left_unread_with_the_reason():
    rep = consistent_report(random.Random(4), "x", 2023, "2021", scale=3)
    vals = _t3_values(rep)
    short = solve.table3(_v(vals[:-1]))
    assert not short.cells and "174" in short.unread[0][1] and "175" in short.unread[0][1]
    broken = list(vals)
    broken[3], broken[4] = broken[4], broken[3]        # two cells of the first row swapped
    if broken != vals:
        got = solve.table3(_v(broken))
        assert not got.cells and "勾稽关系" in got.unread[0][1]


def test_table3_rows_out_of_order_are_refused_by_their_labels():
    """A document listing two outcome rows the other way round (each with its label) keeps every
    identity in the official order; the labels next to the values tell."""
    rep = consistent_report(random.Random(4), "x", 2023, "2021", scale=3)
    rows = list(rep.table("t3").rows)
    a, b = (next(i for i, r in enumerate(rows) if r.key == k) for k in ("granted", "partial"))
    values_of = {r.key: [rep.get("t3", r.key, c.key).text() for c in T3.columns] for r in rows}
    assert values_of["granted"] != values_of["partial"]
    toks = []
    for i, r in enumerate(rows):
        src = rows[b] if i == a else rows[a] if i == b else r      # the other row, label and values
        toks += [Token(LABEL, src.label)] + _v(values_of[src.key])
    got = solve.table3(toks)
    assert not got.cells and "行名" in got.unread[0][1]
    in_place = [t for r in rows for t in [Token(LABEL, r.label)] + _v(values_of[r.key])]
    assert len(solve.table3(in_place).cells) == 175
    labels_after = [t for r in rows for t in _v(values_of[r.key]) + [Token(LABEL, r.label)]]
    assert len(solve.table3(labels_after).cells) == 175



def test_table3_a_groups_labels_after_its_values_contradict_no_later_row():
    """pdftotext of a table 三 across two pages: the labels of （三）3.-6. printed after their
    values, at the foot of the page, and the next page starting with （四）1.'s values before its
    labels. Labels of earlier rows before a row's values are no contradiction (the table was
    refused whole); a swap of two rows labelled before their values still is."""
    rep = consistent_report(random.Random(4), "x", 2023, "2021", scale=3)
    rows = list(rep.table("t3").rows)
    values_of = {r.key: [rep.get("t3", r.key, c.key).text() for c in T3.columns] for r in rows}
    late = ("denied_three_safety", "denied_third_party", "denied_internal_affairs", "denied_process_info")

    def tokens(order):
        toks = []
        for r in order:
            if r.key == "unable_not_held":               # the page break
                toks += [Token(LABEL, rep.table("t3").row(k).label) for k in late]
                toks += _v(values_of[r.key]) + [Token(LABEL, r.label)]
                continue
            toks += ([] if r.key in late else [Token(LABEL, r.label)]) + _v(values_of[r.key])
        return toks
    assert len(solve.table3(tokens(rows)).cells) == 175
    a, b = (next(i for i, r in enumerate(rows) if r.key == k) for k in ("granted", "partial"))
    swapped = list(rows)
    swapped[a], swapped[b] = rows[b], rows[a]
    got = solve.table3(tokens(swapped))
    assert not got.cells and "行名" in got.unread[0][1]


@pytest.mark.parametrize("text, key", [
    ("（四） 1.本机关不掌握相关政府信息", "unable_not_held"),
    ("无法提 2.没有现成信息需要另行制作", "unable_need_creation"),
    ("三、本 （一）予以公开", "granted"),
    ("其他处 2.申请人逾期未按收费通知要", "other_unpaid_fee"),
    ("（六） 信息公开申请", None),               # a label's third line, no row of its own
    ("自然 人", None),
])
def test_table3_a_group_cells_line_printed_beside_a_row_label(text, key):
    """pdftotext joins the lines of a group cell (（四）无法提供 in a narrow column: "（四）", "无法提",
    "供") with the row labels on the same baselines."""
    from helpers.importers.table3 import match_label
    assert match_label(text, "") == key


# --- table 四 ------------------------------------------------------------------------------------
T4_ROW = ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"]


def test_table4_in_order_is_read():
    got = solve.table4(_v(T4_ROW))
    assert got.cells[("t4", "suit_after_review", "total")] == Cell.number(20) and not got.unread


def test_table4_out_of_order_is_left_unread():
    """pdftotext printed huaian's table 四 in blocks; every order of whole groups balances."""
    scrambled = [Token(LABEL, "总计")] + _v(T4_ROW[:4]) + [Token(LABEL, "复议后起诉")] + _v(T4_ROW[10:14]) \
        + [Token(LABEL, "总计")] + _v(T4_ROW[4:5]) + [Token(LABEL, "维持")] + _v(T4_ROW[5:10]) + _v(T4_ROW[14:])
    got = solve.table4(scrambled)
    assert not got.cells and "顺序" in got.unread[0][1]


def test_table4_merged_cell_repeated_by_the_converter():
    toks = tokenize([Grid([["383", "35", "", "210", "0", "628", "30", "90", "181", "7 308", "7 308",
                            "0", "47", "0", "456", "503"]], exact=False)])
    got = solve.table4(toks)
    assert got.cells[("t4", "suit_direct", "pending")] == Cell.number(7)
    assert got.cells[("t4", "suit_direct", "total")] == Cell.number(308) and len(got.cells) == 15


def _lines(texts):
    return tokenize([Paragraph(t) for t in texts])


def test_blank_and_na_places_are_not_proved_by_the_identities():
    """pdftotext (one value per line) moved two touching 不适用 cells, read as one block, behind
    the zeros; every sum still holds. Where no cells touched, their places are as printed. The block
    put back at each of its 14 possible places: only the last cell is 不适用 in each reading."""
    got = solve.table4(_lines(["0"] * 12 + ["不适用 不适用", "不适用"]))
    assert set(got.cells) == {("t4", "suit_after_review", "total")} and "不适用" in got.unread[0][1]
    assert got.unread[0][1] == solve.MOVED_BACK
    assert len(solve.table4(_lines(["0"] * 12 + ["不适用", "不适用", "不适用"])).cells) == 15
    rep = consistent_report(random.Random(4), "x", 2023, "2021", scale=3)
    vals = ["不适用" if v == "0" and i % 3 == 0 else v for i, v in enumerate(_t3_values(rep))]
    at = vals.index("不适用")
    lines = vals[:at] + [vals[at] + " " + vals[at + 1]] + vals[at + 2:]
    got = solve.table3(_lines(lines))
    assert got.cells and all(c.state == schema.NUMBER and c.value for c in got.cells.values())
    assert got.unread                                  # the zero cells are named
    assert len(solve.table3(_lines(vals)).cells) == 175


def _markdown_t3(rep, row, col, after=None):
    """Table 三 of `rep` as markitdown prints it when its 不适用 are small: one line per row, columns
    glued in pairs ("0 0"), and the cell (`row`, `col`), a 不适用, on a bare line after its row (or
    after the row `after`)."""
    grid: list[list[str | None]] = []
    runs = set()
    for r in rep.table("t3").rows:
        vals = [rep.get("t3", r.key, c.key).text().replace("NA", schema.NA_TEXT) for c in T3.columns]
        if r.key == row:
            vals[[c.key for c in T3.columns].index(col)] = ""
        cells = [" ".join(v for v in vals[k:k + 2] if v) for k in (0, 2, 4)] + [vals[6]]
        grid.append([r.label] + [c for c in cells if c])
        if r.key == (after or row):
            runs.add(len(grid))
            grid.append([schema.NA_TEXT])
    return tokenize([Grid(grid, exact=False, runs=runs)])


@pytest.mark.parametrize("col, after", [("other_org", None), ("total", None), ("natural_person", None),
                                        ("other_org", "unable_not_held"), ("research", "unable_unclear")])
def test_na_printed_apart_from_its_row_is_not_placed_by_the_texts_order(col, after):
    """A 不适用 on a line of its own between rows of several values (markitdown printed the smaller
    cell apart from its row): read in the text's order it is its row's last value, and among zeros
    the identities cannot see where it stands (其他 0, 总计 不适用 balances as well as the truth).
    Its place is tried among the values of the lines around it and of the lines short of a row
    (printed `after` a later row, the rows between were read shifted): the cells that differ
    between the places that balance are not read, the row is named; the rest of the table is read."""
    rep = consistent_report(random.Random(1), "x", 2023, "2021", scale=0)
    rep.cells[("t3", "denied_admin_query", col)] = Cell(schema.NA)
    toks = _markdown_t3(rep, "denied_admin_query", col, after)
    assert [i for i, t in enumerate(toks) if t.kind == VALUE and t.text == schema.NA_TEXT] == sorted(apart(toks))
    got = solve.table3(toks)
    wrong = {k: c for k, c in got.cells.items() if rep.cells[k] != c}
    assert not wrong, wrong
    assert ("t3", "denied_admin_query", col) not in got.cells
    assert any(r == T3.row("denied_admin_query").label for r, _ in got.unread), got.unread
    assert len(got.cells) >= 175 - 7 * (2 + 3 * bool(after))      # the rows next to it at most
    # a 不适用 in a row of its own width, or in a text of one value per line, stands where printed
    whole = tokenize([Grid([[r.label] + [rep.get("t3", r.key, c.key).text().replace("NA", schema.NA_TEXT)
                                          for c in T3.columns] for r in rep.table("t3").rows], exact=False)])
    assert not apart(whole) and solve.table3(whole).cells == {k: c for k, c in rep.cells.items() if k[0] == "t3"}


# --- regions and table 二 -------------------------------------------------------------------------
def test_regions_by_headings_or_by_labels():
    blocks = [Paragraph("二、主动公开政府信息情况"), Paragraph("第二十条第（一）项"), Paragraph("规章"), Paragraph("1"),
              Paragraph("一、本年新收政府信息公开申请数量"), Paragraph("2"), Paragraph("行政复议"), Paragraph("3"),
              Paragraph("本年度无行政复议。"), Paragraph("4")]
    toks = tokenize(blocks)
    spans = regions(toks)
    assert [[t.text for t in toks[lo:hi] if t.kind == VALUE] for lo, hi in spans.values()] == [["1"], ["2"], ["3"]]


def test_table2_label_then_its_values_only_where_no_value_comes_first():
    toks = tokenize([Paragraph("第二十条第（一）项"), Paragraph("规章"), Paragraph("1"), Paragraph("0"), Paragraph("11"),
                     Paragraph("行政规范性文件"), Paragraph("8"), Paragraph("26"), Paragraph("66"),
                     Paragraph("第二十条第（五）项"), Paragraph("447228"), Paragraph("行政许可")])
    got = solve.table2(toks, "2021")
    assert got.cells[("t2", "normative_docs", "in_force")] == Cell.number(66)
    assert ("t2", "licensing", "decisions") not in got.cells       # its value came before its label
    assert [r for r, _ in got.unread] == ["行政许可"]


def test_table2_column_headers_between_a_label_and_its_values():
    """pdftotext prints a block's header cells after its only row label: they name no row."""
    toks = tokenize([Paragraph(x) for x in ["第二十条第（八）项", "信息内容", "行政事业性收费", "上一年项目数量", "本年增/减",
                                            "0", "3", "第二十条第（九）项", "信息内容", "政府集中采购", "采购项目数量",
                                            "采购总金额", "2", "15.5"]])
    got = solve.table2(toks, "2019")
    assert got.cells[("t2", "fees", "change")] == Cell.number(3) and not got.unread
    assert got.cells[("t2", "procurement", "amount")] == cells.parse("15.5", schema.AMOUNT)
    # labels before the header and all values after it: still not read (by rows or by columns?)
    toks = tokenize([Paragraph(x) for x in ["第二十条第（一）项", "信息内容", "规章", "行政规范性文件", "本年制发件数",
                                            "本年废止件数", "现行有效件数", "0", "0", "84", "不适用", "0", "44"]])
    got = solve.table2(toks, "2021")
    assert not got.cells and {r for r, _ in got.unread} == {"规章", "行政规范性文件"}


def test_table2_one_row_block_by_accounting_only_where_every_value_is_claimed():
    head = [Paragraph("第二十条第（一）项"), Paragraph("规章"), Paragraph("1"), Paragraph("0"), Paragraph("11"),
            Paragraph("行政规范性文件"), Paragraph("8"), Paragraph("26"), Paragraph("66"),
            Paragraph("第二十条第（五）项"), Paragraph("行政许可"), Paragraph("447228"),
            Paragraph("第二十条第（六）项"), Paragraph("行政处罚"), Paragraph("5"), Paragraph("行政强制"), Paragraph("6")]
    fees = [Paragraph("第二十条第（八）项"), Paragraph("本年收费金额（单位：万元）"), Paragraph("1.5"), Paragraph("行政事业性收费")]
    got = solve.table2(tokenize(head + fees), "2021")
    assert got.cells[("t2", "fees", "amount")].value == Decimal("1.5")
    # a value no label claims elsewhere (pdftotext moved one across a page): the block is not proved
    short = head[:8] + head[9:]
    got = solve.table2(tokenize(short + fees + [Paragraph("66")]), "2021")
    assert ("t2", "fees", "amount") not in got.cells
    got = solve.table2(tokenize(head + fees[:2] + [Paragraph("1.5"), Paragraph("2")] + fees[3:]), "2021")
    assert ("t2", "fees", "amount") not in got.cells
