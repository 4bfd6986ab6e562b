"""The small parts of the published-report importers: cells, labels, grids, encodings, headings."""
from __future__ import annotations

from decimal import Decimal

import pytest

from helpers import importers
from helpers.errors import InputError, InvalidValue
from helpers.format import schema
from helpers.format.model import Cell
from helpers.importers import cells, encoding, identity, labels, sections, text
from helpers.importers.grid import Grid, Paragraph, SpanCell, expand


@pytest.mark.parametrize("raw,kind,want", [
    ("12", schema.COUNT, Cell.number(12)),
    ("１２３", schema.COUNT, Cell.number(123)),
    ("3,985,758", schema.COUNT, Cell.number(3985758)),
    ("3，985，758", schema.COUNT, Cell.number(3985758)),
    (" 7 件", schema.COUNT, Cell.number(7)),
    ("0.00", schema.COUNT, Cell.number(0)),
    ("96171.6", schema.AMOUNT, Cell.number(Decimal("96171.6"))),
    ("4,068.208万元", schema.AMOUNT, Cell.number(Decimal("4068.208"))),
    ("－3", schema.DELTA, Cell.number(-3)),
    ("+3", schema.DELTA, Cell.number(3)),
    ("", schema.COUNT, Cell(schema.BLANK)),
    ("\xa0", schema.COUNT, Cell(schema.BLANK)),
    ("-", schema.COUNT, Cell(schema.BLANK)),
    ("—", schema.COUNT, Cell(schema.BLANK)),
    ("/", schema.COUNT, Cell(schema.BLANK)),
    ("无", schema.COUNT, Cell(schema.BLANK)),
    ("不适用", schema.COUNT, Cell(schema.NA)),
])
def test_cell_texts(raw, kind, want):
    assert cells.parse(raw, kind) == want
    assert cells.is_value(raw)


@pytest.mark.parametrize("raw,kind,msg", [
    ("1.5", schema.COUNT, "整数"),
    ("-2", schema.COUNT, "负数"),
    ("12元", schema.COUNT, "金额单位"),
    ("1O0", schema.COUNT, "不是数字"),
    ("12,34", schema.COUNT, "不是数字"),
])
def test_bad_cell_texts(raw, kind, msg):
    with pytest.raises(InvalidValue, match=msg):
        cells.parse(raw, kind)


def test_labels_are_not_values():
    assert not cells.is_value("规章") and not cells.is_value("1.属于国家秘密") and not cells.is_value(None)


@pytest.mark.parametrize("text,label", [
    ("(三) 不予 公开", "（三）不予公开"),
    ("商业 企业", "商业企业"),
    ("第二十条 第（一）项", "第二十条第（一）项"),
    ("第二十条第(一)项", "第二十条第（一）项"),
    ("1、属于国家秘密", "1.属于国家秘密"),
    ("### (一) 予以公开", "（一）予以公开"),
    ("1. 申请人无正当理由逾期不补正, 行政机关不再处理其政府信息公开申请",
     "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
])
def test_label_variants_match(text, label):
    assert labels.same(text, label)


def test_best_match_prefers_exact_then_unique_prefix():
    labs = {"other_other": "3.其他", "law": "2.其他法律行政法规禁止公开", "partial": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"}
    assert labels.best_match("3、其他", labs) == "other_other"
    assert labels.best_match("（二）部分公开（区分处理的，只计这一情", labs) == "partial"
    assert labels.best_match("其他法律", labs) == "law"
    assert labels.best_match("其", labs) is None
    assert schema.enumerator("（六）其他处理") == "六" and schema.enumerator("2、重复申请") == "2"


def test_expand_spans_and_hostile_spans():
    g = expand([[SpanCell("a", rowspan=2), SpanCell("b", colspan=2)], [SpanCell("c"), SpanCell("d")]])
    assert g == [["a", "b", None], [None, "c", "d"]]
    big = expand([[SpanCell("x", rowspan=10 ** 9, colspan=10 ** 9)]], max_span=50)
    assert len(big) == 1 and len(big[0]) == 50


def test_short_rows_are_empty_not_covered():
    assert expand([[SpanCell("a"), SpanCell("b")], [SpanCell("c")]]) == [["a", "b"], ["c", ""]]


@pytest.mark.parametrize("enc", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_encodings(enc):
    s = "政府信息公开工作年度报告 第二十条第（一）项 “三安全一稳定”"
    assert encoding.decode(s.encode(enc)) == s


def test_undecodable_bytes():
    with pytest.raises(InputError, match="编码"):
        encoding.decode(b"abc\xff\xff\xfa")


@pytest.mark.parametrize("raw", [b"\xef\xbb\xbf" + "政府信息公开".encode("gbk"), b"\xff\xfea"])
def test_bytes_that_break_their_byte_order_mark(tmp_path, raw):
    """A BOM followed by bytes of another encoding (or cut short) is a clear error, not a traceback."""
    path = tmp_path / "bad-2023.txt"
    path.write_bytes(raw)
    with pytest.raises(InputError, match="编码.*bad-2023.txt|bad-2023.txt.*编码"):
        importers.read(path)


@pytest.mark.parametrize("name,want", [("huaian-2024.pdf", "huaian"), ("shuyang-fgj-2023.html", "shuyang-fgj"),
                                       ("Qianjindao_2023.TXT", "qianjindao"), ("x.md", "x")])
def test_agency_from_file_name(name, want):
    assert identity.agency_from_path(name) == want


@pytest.mark.parametrize("name", ["淮安市2024年报.pdf", "-2024.pdf", "a b.txt"])
def test_agency_from_bad_file_name(name):
    with pytest.raises(InputError, match="--agency"):
        identity.agency_from_path(name)


@pytest.mark.parametrize("line,key", [
    ("一、总体情况", "overview"),
    ("## 二、主动公开政府信息情况", "proactive"),
    ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "appeals"),
    ("五、政府信息公开工作存在的主要问题及改进情况", "problems"),
    ("五、存在的主要问题及整改措施", "problems"),
    ("**六、其他需要报告的事项**", "other"),
    ("三．收到和处理政府信息公开申请情况", "requests"),
])
def test_section_headings(line, key):
    idx, rest = sections.parse_heading(line)
    assert schema.SECTIONS[idx].key == key and rest == ""


@pytest.mark.parametrize("line", ["四、结转下年度继续办理", "一是拓宽主动公开渠道。", "二、上年结转政府信息公开申请数量",
                                  "三、本年度办理结果"])
def test_not_section_headings(line):
    assert sections.parse_heading(line) is None


def test_heading_and_text_on_one_line():
    idx, rest = sections.parse_heading("六、其他需要报告的事项。本年度未收取信息处理费，（无）。")
    assert schema.SECTIONS[idx].key == "other" and rest == "本年度未收取信息处理费，（无）。"


def test_sections_title_year_and_name():
    blocks = [Paragraph("某某区人民政府关于2022年度政府信息公开工作年度报告"), Paragraph("前言。"),
              Paragraph("一、总体情况"), Paragraph("正文一"), Paragraph("一是做了什么。"),
              Paragraph("二、主动公开政府信息情况"), Paragraph("第二十条第（一）项"), Grid([["规章", "0"]]),
              Paragraph("五、存在的主要问题及改进情况"), Paragraph("问题。"), Paragraph("六、其他需要报告的事项"),
              Paragraph("无。")]
    narr = sections.split(blocks)
    assert narr.sections == {"preamble": "前言。", "overview": "正文一\n一是做了什么。", "problems": "问题。",
                             "other": "无。"}
    assert sections.year_of(narr) == 2022
    assert sections.agency_name_of(narr) == "某某区人民政府"


def test_year_from_statistics_period_when_no_title():
    narr = sections.split([Paragraph("本年度报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。"),
                           Paragraph("一、总体情况"), Paragraph("x")])
    assert narr.title == "" and sections.year_of(narr) == 2021


@pytest.mark.parametrize("line,cells_", [
    ("规章 | 0 | 0 | 0 |", ["规章", "0", "0", "0"]),
    ("| 行政许可 | 517645 |", ["行政许可", "517645"]),
    ("规章\t1\t0\t11", ["规章", "1", "0", "11"]),
    ("规章            1          0        11", ["规章", "1", "0", "11"]),
    ("一、本年新收政府信息公开申请数量   3001 53   0    0    61   4   3119",
     ["一、本年新收政府信息公开申请数量", "3001", "53", "0", "0", "61", "4", "3119"]),
    ("2024 年，市政府严格落实《办法》，全年收取信息处理费 3940 元。", None),
    ("信息公开条例》（国令第              711 号）（以下简称《条例》）规定编", None),
])
def test_text_line_cells(line, cells_):
    assert text.split_line(line) == cells_


def test_page_number_lines_dropped():
    blocks = text.blocks_from_lines(["规章  1  0  11", "-6-", "— 7 —", "第 3 页", "行政规范性文件  8  26  66"])
    assert len(blocks) == 1 and blocks[0].rows == [["规章", "1", "0", "11"], ["行政规范性文件", "8", "26", "66"]]


def test_after_prefix():
    assert labels.after_prefix("(三) 不予 公开 1.属于国家秘密", "（三）不予公开") == " 1.属于国家秘密"
    assert labels.after_prefix("三、本年度办理结果（一）予以公开", "三、本年度办理结果") == "(一)予以公开"   # NFKC: half-width brackets
    assert labels.after_prefix("（四）无法提供", "（三）不予公开") is None


def test_group_and_row_label_in_one_cell():
    from helpers.importers import tables
    blocks = [Grid([["一、本年新收政府信息公开申请数量"] + ["1"] * 7,
                    ["（三）不予公开 1.属于国家秘密"] + ["2"] * 7,
                    ["三、本年度办理结果（一）予以公开"] + ["3"] * 7], exact=False)]
    placed = tables.place(blocks)
    assert placed.cells[("t3", "denied_state_secret", "total")] == Cell.number(2)
    assert placed.cells[("t3", "granted", "natural_person")] == Cell.number(3)


def test_year_from_preamble_sentence():
    narr = sections.split([Paragraph("现将本局2022年度政府信息公开工作年度报告公布如下。"), Paragraph("一、总体情况")])
    assert sections.year_of(narr) == 2022


@pytest.mark.parametrize("line,cells_", [
    ("规章 1 0 11", ["规章", "1", "0", "11"]),
    ("（三）不予公开 1.属于国家秘密 2 0 0 0 0 0 2", ["（三）不予公开 1.属于国家秘密", "2", "0", "0", "0", "0", "0", "2"]),
    ("本年新收政府信息公开申请 3119 件（其中自然人 3001 件，法人或其他组织 118", None),
    ("如有疑问请致电。电话 83605210", None),
])
def test_loose_text_lines(line, cells_):
    assert text.split_line(line, loose=True) == cells_
    assert text.split_line(line) is None


@pytest.mark.parametrize("title,year,name", [
    ("关于沭阳县发展和改革局二〇二三年度政府信息公开工作年度报告", 2023, "沭阳县发展和改革局"),
    ("二〇二四年度某某街道办事处政府信息公开工作年度报告", 2024, "某某街道办事处"),
    ("淮安市人民政府 2024 年政府信息公开工作年度报告", 2024, "淮安市人民政府"),
])
def test_title_year_and_name(title, year, name):
    narr = sections.split([Paragraph(title), Paragraph("一、总体情况"), Paragraph("x")])
    assert sections.year_of(narr) == year and sections.agency_name_of(narr) == name
