"""converted.score: a converter's reading against the report it was made from, whatever the layout read."""
from __future__ import annotations

import random

from helpers.format import schema
from helpers.format.model import Cell, Report
from helpers.synth.converted import score
from helpers.synth.series import consistent_report


def test_a_report_read_under_another_layout_is_scored_cell_by_cell_and_reported():
    """A 2021-single-other report read as 2021 (itemised （六）): the cells the layouts share are
    compared as they are (they used to count unread, all of them, hiding any wrong one); （六）'s single
    row is unread; a value read into an itemised row the report does not have is wrong."""
    want = consistent_report(random.Random(3), "x", 2022, "2021-single-other")
    got = Report("x", 2022, "2021")
    got.cells = {k: c for k, c in want.cells.items() if k in schema.cell_keys("2021")}
    first = next(k for k, c in sorted(got.cells.items()) if k[0] == "t3" and c.state == schema.NUMBER)
    got.cells[first] = Cell.number(got.cells[first].numeric + 1)
    got.cells[("t3", "other_no_correction", "total")] = Cell.number(0)
    right, wrong, unread, notes, other_layout = score(got, want)
    assert other_layout and notes[0] == "layout: expected 2021-single-other, read 2021"
    assert (right, wrong, unread) == (len(want.cells) - 8, 2, 7)
    assert any(n.startswith("t3/other_no_correction/total: not a cell of layout") for n in notes)
    assert score(want, want)[:5] == (len(want.cells), 0, 0, [], False)
    assert score(None, want)[:3] == (0, 0, len(want.cells))
