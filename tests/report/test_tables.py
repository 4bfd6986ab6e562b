"""The official tables as HTML: layout checked by expanding rowspan/colspan into a grid."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from lxml import html as lhtml

from helpers import importers
from helpers.checks import Finding, run_checks
from helpers.config import samples_dir
from helpers.format import schema
from helpers.format.model import Cell, Report
from helpers.report.mode import Mode
from helpers.report.tables import check_panel_html, table_html

LAYOUTS = list(schema.LAYOUTS)
SAMPLES = samples_dir()


def zeros(layout: str) -> Report:
    return Report.zeros("demo", 2023 if layout != "2019" else 2020, layout)


@pytest.fixture(scope="module")
def huaian() -> Report:
    return importers.read(SAMPLES / "huaian-2024.expected.csv")[0]


def parse(fragment: str):
    return lhtml.fragment_fromstring(fragment)


def grid(table_el):
    """Expand spans: {(row, col): element}; fails on overlapping cells."""
    cells: dict[tuple[int, int], object] = {}
    for r, tr in enumerate(table_el.iter("tr")):
        c = 0
        for el in tr:
            if el.tag not in ("th", "td"):
                continue
            while (r, c) in cells:
                c += 1
            rs, cs = int(el.get("rowspan", 1)), int(el.get("colspan", 1))
            for dr in range(rs):
                for dc in range(cs):
                    assert (r + dr, c + dc) not in cells, f"overlap at {(r + dr, c + dc)}"
                    cells[(r + dr, c + dc)] = el
            c += cs
    return cells


def text(el) -> str:
    return el.text_content().strip()


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("table_id", schema.TABLE_IDS)
def test_grid_is_rectangular_and_every_cell_printed(layout, table_id):
    rep = zeros(layout)
    tb = rep.table(table_id)
    el = parse(table_html(rep, table_id))
    cells = grid(el)
    n_rows = len(el.findall(".//tr"))
    assert set(cells) == {(r, c) for r in range(n_rows) for c in range(tb.width)}
    tds = el.findall(".//td")
    assert len(tds) == len(tb.cells())
    assert all(text(td) == "0" for td in tds)
    assert {(td.get("data-row"), td.get("data-col")) for td in tds} == {(r, c) for r, c, _ in tb.cells()}


def test_sizes_from_format_md():
    """Counts stated in FORMAT.md, independent of the code under test."""
    t3_2021 = parse(table_html(zeros("2021"), "t3"))
    assert len(t3_2021.findall(".//tbody/tr")) == 25 and len(t3_2021.findall(".//td")) == 175
    assert len(parse(table_html(zeros("2019"), "t3")).findall(".//tbody/tr")) == 23
    assert len(parse(table_html(zeros("2021"), "t4")).findall(".//td")) == 15
    assert len(parse(table_html(zeros("2021"), "t2")).findall(".//td")) == 10
    spans = {text(th): int(th.get("rowspan", 1)) for th in t3_2021.iter("th")}
    assert spans["三、本年度办理结果"] == 22
    assert spans["（三）不予公开"] == 8 and spans["（四）无法提供"] == 3
    assert spans["（五）不予处理"] == 5 and spans["（六）其他处理"] == 3
    single = parse(table_html(zeros("2021-single-other"), "t3"))
    other = [th for th in single.iter("th") if text(th) == "（六）其他处理"]
    assert len(other) == 1 and other[0].get("colspan") == "2" and other[0].get("rowspan") is None
    assert {text(th): th.get("rowspan") for th in single.iter("th")}["三、本年度办理结果"] == "20"
    note = next(th for th in t3_2021.iter("th") if text(th) == schema.T3_NOTE)
    assert (note.get("rowspan"), note.get("colspan")) == ("3", "3")


def expected_labels(tb: schema.Table) -> Counter:
    """Every label the schema says the table prints, with how often it occurs."""
    labels = Counter(h.label for row in tb.header for h in row)
    for b in tb.blocks:
        labels.update([b.caption, schema.T2_ROW_LABEL_HEADER, *b.header])
    labels.update(r.label for r in tb.rows if tb.id != "t4")   # table 四 has no row label
    labels.update({g for r in tb.rows for g in r.groups})      # a group label once, however many rows
    return labels


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("table_id", schema.TABLE_IDS)
def test_every_schema_label_printed_as_often_as_expected(layout, table_id):
    rep = zeros(layout)
    el = parse(table_html(rep, table_id))
    assert Counter(text(th) for th in el.iter("th")) == expected_labels(rep.table(table_id))


def _column_header(cells, tb, col_index):
    """The lowest header cell above a grid column (the header rows come first)."""
    return text(cells[(len(tb.header) - 1, col_index)])


@pytest.mark.parametrize("layout", LAYOUTS)
def test_t3_values_sit_under_their_labels(layout):
    rep = zeros(layout)
    tb = rep.table("t3")
    # distinct values so that a misplaced cell is seen
    for i, (r, c, _) in enumerate(tb.cells()):
        rep.set("t3", r, c, 1000 + i)
    el = parse(table_html(rep, "t3"))
    cells = grid(el)
    n_rows = len(el.findall(".//tr"))
    for gr in range(len(tb.header), n_rows):
        row_label = cells[(gr, tb.label_columns - 1)]
        groups = [text(cells[(gr, c)]) for c in range(tb.label_columns - 1) if cells[(gr, c)] is not row_label]
        row = next(r for r in tb.rows if r.label == text(row_label) and list(r.groups) == groups)
        for gc, col in enumerate(tb.columns, start=tb.label_columns):
            td = cells[(gr, gc)]
            assert _column_header(cells, tb, gc) == col.label
            assert (td.get("data-row"), td.get("data-col")) == (row.key, col.key)
            assert text(td) == str(rep.value("t3", row.key, col.key))


def test_t4_single_row_under_group_and_field_labels(huaian):
    cells = grid(parse(table_html(huaian, "t4")))
    for i, (g, glabel) in enumerate(schema.T4_GROUPS):
        for j, f in enumerate(schema.T4_FIELDS):
            col = i * 5 + j
            td = cells[(3, col)]
            assert (td.get("data-row"), td.get("data-col")) == (g, f.key)
            assert text(cells[(2, col)]) == f.label
            assert glabel in {text(cells[(r, col)]) for r in range(3)}
            assert text(td) == str(huaian.value("t4", g, f.key))
    assert text(cells[(3, 4)]) == "351"


def test_t2_blocks_and_spans(huaian):
    el = parse(table_html(huaian, "t2"))
    cells = grid(el)
    licensing = el.xpath('.//td[@data-row="licensing"]')[0]
    assert licensing.get("colspan") == "3" and text(licensing) == "447228"
    assert text(el.xpath('.//td[@data-row="fees"][@data-col="amount"]')[0]) == "96171.6"
    captions = [tr for tr in el.iter("tr") if tr.get("class") == "block-caption"]
    assert [text(tr) for tr in captions] == [b.caption for b in huaian.table("t2").blocks]
    assert all(tr[0].get("colspan") == "4" for tr in captions)
    # the row label column header of every block
    assert sum(1 for (r, c), e in cells.items() if c == 0 and text(e) == schema.T2_ROW_LABEL_HEADER) == 4


def test_fee_decimals_kept_and_states_printed():
    rep = zeros("2021")
    rep.set("t2", "fees", "amount", Decimal("0.012300"))
    rep.set("t3", "granted", "research", Cell(schema.NA))
    rep.set("t3", "granted", "social_org", Cell(schema.BLANK))
    fee = parse(table_html(rep, "t2")).xpath('.//td[@data-col="amount"]')[0]
    assert text(fee) == "0.012300" and "num" in fee.get("class")
    for mode in (Mode.PUBLISH, Mode.DRAFT):
        el = parse(table_html(rep, "t3", mode=mode))
        na = el.xpath('.//td[@data-row="granted"][@data-col="research"]')[0]
        blank = el.xpath('.//td[@data-row="granted"][@data-col="social_org"]')[0]
        assert text(na) == schema.NA_TEXT
        assert text(blank) == "0"   # never an empty cell
        if mode == Mode.DRAFT:
            assert "blank" in blank.get("class").split() and blank.get("title")
        else:
            assert "blank" not in blank.get("class").split() and blank.get("title") is None


def test_findings_highlight_cells_and_panel_links_them():
    rep = zeros("2021")
    rep.set("t3", "new_received", "natural_person", 5)   # breaks balance and applicant_total
    rep.set("t3", "granted", "commercial", Cell(schema.BLANK))
    findings = run_checks(rep)
    assert findings, "the broken report must give findings"
    el = parse(table_html(rep, "t3", findings, mode=Mode.DRAFT))
    flagged = el.xpath('.//td[contains(concat(" ", @class, " "), " finding ")]')
    assert flagged
    for f in findings:
        if f.table == "t3" and f.row and f.col:
            td = el.xpath(f'.//td[@data-row="{f.row}"][@data-col="{f.col}"]')[0]
            assert {"finding", f.severity} <= set(td.get("class").split())
            assert f.message in td.get("title")
    panel = parse(check_panel_html(findings, rep))
    ids = {td.get("id") for td in el.iter("td")}
    links = [a.get("href") for a in panel.iter("a")]
    assert links and all(h.startswith("#") and h[1:] in ids for h in links)
    assert len(panel.findall(".//li")) == len(findings)
    assert "表三" in text(panel)
    narrative = [f for f in run_checks(_with_narrative(rep, "无")) if f.table is None]
    assert narrative and "正文" in text(parse(check_panel_html(narrative, rep)))


def test_a_balance_no_cell_is_blamed_for_marks_its_four_cells_only():
    """Two cells of one row changed together: balance breaks in two columns and no other identity
    says which cell is wrong. The draft marks the four cells of each column (not the whole column,
    not 四、结转下年度 alone), and the panel names the column and the rule in Chinese."""
    rep = zeros("2021")
    rep.set("t3", "carried_forward", "research", 2)
    rep.set("t3", "carried_forward", "total", 2)
    findings = run_checks(rep)
    assert {(f.rule, f.row) for f in findings} == {("balance", None)}
    el = parse(table_html(rep, "t3", findings, mode=Mode.DRAFT))
    flagged = {(td.get("data-row"), td.get("data-col"))
               for td in el.xpath('.//td[contains(concat(" ", @class, " "), " finding ")]')}
    assert flagged == {(r, c) for c in ("research", "total")
                       for r in ("new_received", "carried_over", "processed_total", "carried_forward")}
    panel = parse(check_panel_html(findings, rep))
    assert "表三 科研机构 列" in text(panel) and "收结平衡 [balance]" in text(panel)
    assert "应为" not in text(panel)
    links = [a.get("href") for a in panel.iter("a")]
    assert links == ["#cell-t3-new_received-research", "#cell-t3-new_received-total"]


def _with_narrative(rep: Report, problems: str) -> Report:
    rep.narrative = {"overview": "总体", "problems": problems, "other": "其他"}
    return rep


def test_finding_text_is_escaped():
    rep = zeros("2021")
    f = Finding("balance", schema.ERROR, "demo", 2023, "t3", "carried_forward", "total", 1, 2,
                '<script>alert("x")</script>{{ 7*7 }}')
    out = table_html(rep, "t3", [f], mode=Mode.DRAFT) + check_panel_html([f], rep)
    assert "<script>" not in out
    panel = parse(check_panel_html([f], rep))
    assert '<script>alert("x")</script>{{ 7*7 }}' in text(panel)
    assert not panel.xpath(".//script")


def test_empty_panel_and_bad_mode():
    assert "未发现问题" in check_panel_html([])
    with pytest.raises(ValueError):
        table_html(zeros("2021"), "t3", mode="final")


def test_repr_html_for_notebooks(huaian):
    frag = table_html(huaian, "t3")
    assert frag._repr_html_() == str(frag) and frag.startswith('<table class="official t3"')
