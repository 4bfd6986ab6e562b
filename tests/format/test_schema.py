"""The schema is the format of FORMAT.md: shapes, keys and exact labels."""
import re
from pathlib import Path

import pytest

from helpers.format import schema

# The official data contract as the project received it (a verbatim copy of the shared FORMAT.md,
# kept in the repository so that this comparison runs everywhere, CI included).
FORMAT_MD = Path(__file__).resolve().parents[1] / "data" / "FORMAT.md"


def test_cell_counts_per_table():
    t2, t3, t4 = schema.layout("2021").tables()
    assert len(t2.cells()) == 10
    assert len(t3.rows) == 25 and len(t3.columns) == 7 and len(t3.cells()) == 175
    assert len(t4.cells()) == 15
    assert len(schema.cell_order("2021")) == 200


def test_2019_and_single_row_other_variants():
    t3_19 = schema.table("t3", "2019")
    assert len(t3_19.rows) == 23
    assert "other_processing" in [r.key for r in t3_19.rows]
    assert not {"other_no_correction", "other_unpaid_fee", "other_other"} & {r.key for r in t3_19.rows}
    single = schema.layout("2021-single-other")
    assert single.tables()[0].version == "2021" and single.tables()[1].version == "2019"
    assert len(schema.table("t2", "2019").cells()) == 22


def test_outcome_rows_span_granted_to_other():
    t3 = schema.table("t3", "2021")
    rows = schema.outcome_rows(t3)
    assert rows[0] == "granted" and rows[-1] == "other_other" and len(rows) == 21
    assert schema.outcome_rows(schema.table("t3", "2019"))[-1] == "other_processing"


def _part(start: str, end: str) -> str:
    return FORMAT_MD.read_text(encoding="utf-8").split(start)[1].split(end)[0]


def _format_md_rows() -> list[tuple[str, str]]:
    return re.findall(r"^\| `(\w+)` \| (.+?) \|", _part("## Table 三", "## Table 四"), re.M)


def _keyed_labels(text: str) -> list[tuple[str, str]]:
    """`key` label pairs of a line such as "Columns: `natural_person` 自然人 · `commercial` 商业企业"."""
    return re.findall(r"`(\w+)` ([^\s·`.]+)", text)


def test_t3_keys_and_labels_match_format_md():
    rows = _format_md_rows()
    assert len(rows) == 25
    t3 = schema.table("t3", "2021")
    assert [(r.key, r.label) for r in t3.rows] == rows
    columns = _part("## Table 三", "## Table 四").split("Columns:")[1].split("\n\n")[0]
    assert _keyed_labels(columns) == [(c.key, c.label) for c in t3.columns]
    assert "`other_processing`" in _part("## Table 三", "## Table 四")
    assert "other_processing" in [r.key for r in schema.table("t3", "2019").rows]


def test_t4_keys_and_labels_match_format_md():
    part = _part("## Table 四", "## Identities")
    groups = part.split("Groups:")[1].split("\n")[0]
    fields = part.split("Fields:")[1].split("\n")[0]
    t4 = schema.table("t4")
    assert _keyed_labels(groups) == [(r.key, r.label) for r in t4.rows]
    assert _keyed_labels(fields) == [(c.key, c.label) for c in t4.columns]


@pytest.mark.parametrize("version,start,end", [("2021", "## Table 二", "The 2019 format"),
                                               ("2019", "The 2019 format", "## Table 三")])
def test_t2_keys_and_labels_match_format_md(version, start, end):
    """Every row label of FORMAT.md's table 二 with the keys listed beside it."""
    t2 = schema.table("t2", version)
    stated = set()
    for line in _part(start, end).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[3].startswith("`"):
            continue
        labels = [l.strip() for l in cells[2].split("·")]
        keys = re.findall(r"`([\w.*]+)`", cells[3].split(" with ")[0])
        rows = [k.split(".")[0] for k in keys]
        for label, row in zip(labels, dict.fromkeys(rows)):
            assert t2.row_label(row) == label
        for k in keys:
            r, c = k.split(".")
            if c != "*":
                stated.add((r, c))
        fields = re.findall(r"with (.+)$", cells[3])
        for r in dict.fromkeys(rows):
            for c in re.findall(r"`(\w+)`", fields[0]) if fields else ():
                stated.add((r, c))
    assert stated == {(r, c) for r, c, _ in t2.cells()}


def test_t3_labels_exact():
    t3 = schema.table("t3", "2021")
    assert t3.row_label("partial") == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert t3.row_label("denied_three_safety") == "3.危及“三安全一稳定”"
    assert [c.label for c in t3.columns] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert t3.note == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def test_t2_and_t4_labels_exact():
    t2 = schema.table("t2", "2021")
    assert [b.caption for b in t2.blocks] == ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    assert [r.label for r in t2.rows] == ["规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费"]
    assert t2.field("fees", "amount").label == "本年收费金额（单位：万元）"
    assert t2.field("fees", "amount").kind == schema.AMOUNT
    t4 = schema.table("t4")
    assert [r.label for r in t4.rows] == ["行政复议", "未经复议直接起诉", "复议后起诉"]
    assert [c.label for c in t4.columns] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def test_header_grids_are_rectangular():
    """Expanding row/col spans of every header gives a full grid of the table's width."""
    for t in (schema.table("t3"), schema.table("t4")):
        occupied = [[False] * t.width for _ in t.header]
        for r, cells in enumerate(t.header):
            c = 0
            for cell in cells:
                while occupied[r][c]:
                    c += 1
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        assert not occupied[r + dr][c + dc]
                        occupied[r + dr][c + dc] = True
                c += cell.colspan
        assert all(all(row) for row in occupied), t.id


def test_sections_and_rules():
    assert [s.heading for s in schema.SECTIONS] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert schema.RULES["balance"].severity == "error"
    assert schema.RULES["stock_continuity"].severity == "warning"


def test_layout_detection_from_keys():
    assert schema.layout_for_keys(set(schema.cell_order("2021"))) == "2021"
    assert schema.layout_for_keys(set(schema.cell_order("2019"))) == "2019"
    assert schema.layout_for_keys(set(schema.cell_order("2021-single-other"))) == "2021-single-other"
    mixed = set(schema.cell_order("2021")) | {("t2", "procurement", "items")}
    assert schema.layout_for_keys(mixed) is None
