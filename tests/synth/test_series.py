"""helpers.synth.series: seeded and hypothesis-driven consistent reports, multi-year series that carry over."""
from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.checks import run_checks
from helpers.format import schema
from helpers.synth.series import Source, consistent_report, consistent_series


def test_seeded_reports_are_reproducible():
    a = consistent_report(random.Random(42), "demo", 2023)
    b = consistent_report(random.Random(42), "demo", 2023)
    c = consistent_report(random.Random(43), "demo", 2023)
    assert a.fingerprint() == b.fingerprint() != c.fingerprint()


def test_every_cell_of_the_layout_is_a_number_in_exchange_order():
    for layout in schema.LAYOUTS:
        rep = consistent_report(random.Random(1), "demo", 2023, layout)
        assert list(rep.cells) == list(schema.cell_order(layout))
        assert all(c.state == schema.NUMBER for c in rep.cells.values())


def test_series_carries_over_and_switches_format_in_2021():
    reps = consistent_series(random.Random(3), "demo", range(2019, 2025), scale=3)
    assert [r.layout for r in reps] == ["2019", "2019", "2021", "2021", "2021", "2021"]
    for prev, cur in zip(reps, reps[1:]):
        for col in schema.T3_COLUMNS:
            assert cur.value("t3", "carried_over", col.key) == prev.value("t3", "carried_forward", col.key)
        assert run_checks(cur, prev) == []
    assert sum(r.value("t3", "carried_over", "total") for r in reps[1:]) > 0   # the carry-over is exercised


def test_single_other_layout_is_kept_once_chosen():
    reps = consistent_series(random.Random(4), "demo", range(2021, 2024),
                             layout=lambda y: "2021-single-other" if y == 2021 else None)
    assert [r.layout for r in reps] == ["2021-single-other"] * 3


def test_scale_zero_is_a_street_office_without_requests():
    rep = consistent_report(random.Random(5), "street", 2023, scale=0)
    assert all(rep.value("t3", r.key, c.key) == 0 for r in rep.table("t3").rows for c in rep.table("t3").columns)
    assert run_checks(rep) == []


def test_unknown_layout_and_bad_source_are_refused():
    with pytest.raises(KeyError):
        consistent_report(random.Random(1), "demo", 2023, "2030")
    with pytest.raises(TypeError):
        Source(7)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_hypothesis_draw_drives_the_same_generator(data):
    rep = consistent_report(data.draw, "drawn", 2022, narrative=False)
    assert rep.narrative == {}
    assert run_checks(rep) == []
