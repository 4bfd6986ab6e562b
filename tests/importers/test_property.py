"""Property: any report, written in any of the published text/HTML styles, reads back cell for cell."""
from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from helpers.format import schema
from helpers.format.model import Cell, Report
from helpers.importers import read
from helpers.synth.published import PREAMBLE, html_report, text_report

LAYOUTS = list(schema.LAYOUTS)
cell_state = st.sampled_from(["number"] * 8 + ["blank", "na"])


@st.composite
def reports(draw):
    layout = draw(st.sampled_from(LAYOUTS))
    year = draw(st.integers(2019, 2020)) if layout == "2019" else draw(st.integers(2021, 2025))
    rep = Report("prop", year, layout)
    for t, r, c in schema.cell_order(layout):
        kind = schema.field_of(layout, t, r, c).kind
        state = draw(cell_state)
        if state == "blank":
            rep.cells[(t, r, c)] = Cell(schema.BLANK)
        elif state == "na":
            rep.cells[(t, r, c)] = Cell(schema.NA)
        elif kind == schema.AMOUNT:
            rep.cells[(t, r, c)] = Cell.number(Decimal(draw(st.integers(0, 10 ** 7))) / 100)
        elif kind == schema.DELTA:
            rep.cells[(t, r, c)] = Cell.number(draw(st.integers(-500, 500)))
        else:
            rep.cells[(t, r, c)] = Cell.number(draw(st.integers(0, 10 ** 6)))
    rep.narrative = {"preamble": PREAMBLE.format(y=year), "overview": "总体情况正文。", "problems": "问题。",
                     "other": "无。"}
    return rep


text_styles = st.fixed_dictionaries({
    "sep": st.sampled_from([" | ", "\t", "    ", "\u3000\u3000"]),
    "fullwidth": st.booleans(),
    "thousands": st.booleans(),
    "enum_comma": st.booleans(),
    "spaced": st.booleans(),
    "blank": st.sampled_from(["", "-", "—", "/", "无"]),
})


# no shrinking: a failing example is printed as drawn, and the test stays fast
FAST = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
            phases=[Phase.explicit, Phase.reuse, Phase.generate])


@settings(max_examples=25, **FAST)
@given(rep=reports(), style=text_styles)
def test_text_styles_read_back(tmp_path, rep, style, assert_same_cells):
    if style["blank"] == "" and style["sep"] != " | " and style["sep"] != "\t":
        style["blank"] = "-"          # an empty cell between runs of spaces cannot be seen
    if style["sep"] == " | ":
        style["md_pipes"] = True      # "| a |": a first cell left empty stays visible
    if style["thousands"] and style["fullwidth"]:
        style["thousands"] = False    # "１，２３４" is written by nobody
    path = tmp_path / "prop.txt"
    path.write_text(text_report(rep, **style), encoding="utf-8")
    got, = read(path, agency="prop")
    assert got.year == rep.year
    assert_same_cells(got, rep)


@settings(max_examples=12, **FAST)
@given(rep=reports(), drop_spans=st.booleans())
def test_html_read_back(tmp_path, rep, drop_spans, assert_same_cells):
    page = html_report(rep)
    if drop_spans:
        page = re.sub(r' (rowspan|colspan)="\d+"', "", page)
    path = tmp_path / "prop.html"
    path.write_text(page, encoding="utf-8")
    got, = read(path, agency="prop")
    assert_same_cells(got, rep)
