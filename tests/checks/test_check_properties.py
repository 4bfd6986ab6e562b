"""Property tests: consistent reports pass every rule, and any single-cell change of table 三 or 四
is caught by a hard rule. Table 二 has no hard identities: there only `domain` can catch a change,
and only when the new value is invalid (a negative count or amount, a fractional count)."""
from __future__ import annotations

import copy
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.checks import has_errors, run_checks
from helpers.format import schema
from helpers.format.model import Cell
from helpers.synth.series import consistent_report

LAYOUTS = sorted(schema.LAYOUTS)
# Each example draws a few hundred integers; these counts keep the file near 10 s on a busy 2-core machine.
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MAIN = settings(SETTINGS, max_examples=120)


@st.composite
def report_pairs(draw):
    """(previous, current): two consecutive years of one agency, in any layout, carrying over."""
    layout = draw(st.sampled_from(LAYOUTS))
    year = draw(st.integers(2019, 2026)) if layout != "2019" else draw(st.integers(2019, 2020))
    prev_layout = draw(st.sampled_from(LAYOUTS)) if year > 2019 else layout
    prev = consistent_report(draw, "unit-a", year - 1, prev_layout)
    return prev, consistent_report(draw, "unit-a", year, layout, prev)


@st.composite
def changed_cell(draw, tables=("t3", "t4")):
    prev, rep = draw(report_pairs())
    keys = [k for k in schema.cell_order(rep.layout) if k[0] in tables]
    key = draw(st.sampled_from(keys))
    delta = draw(st.integers(-1000, 1000).filter(lambda d: d != 0))
    return prev, rep, key, delta


@SETTINGS
@given(report_pairs())
def test_consistent_reports_pass_every_rule(pair):
    prev, rep = pair
    assert run_checks(rep, prev) == []
    assert run_checks(prev) == []


@MAIN
@given(changed_cell())
def test_any_single_change_in_tables_three_and_four_is_an_error(case):
    prev, rep, key, delta = case
    bad = copy.deepcopy(rep)
    bad.set(*key, rep.value(*key) + delta)
    findings = run_checks(bad, prev)
    assert has_errors(findings)
    table, row, col = key
    hard = {(f.rule, f.table, f.row, f.col) for f in findings if f.severity == schema.ERROR}
    # the identity through the changed cell names the cell it checks
    if table == "t4":
        assert ("review_total", "t4", row, "total") in hard or ("domain", *key) in hard
    else:
        assert ("applicant_total", "t3", row, "total") in hard or ("domain", *key) in hard


@SETTINGS
@given(changed_cell())
def test_any_cell_of_tables_three_and_four_left_blank_is_reported(case):
    prev, rep, key, _ = case
    bad = copy.deepcopy(rep)
    bad.cells[key] = Cell(schema.BLANK)
    findings = run_checks(bad, prev)
    assert ("blank", *key) in {(f.rule, f.table, f.row, f.col) for f in findings}


@SETTINGS
@given(changed_cell(tables=("t2",)))
def test_table_two_changes_are_caught_only_when_invalid(case):
    prev, rep, key, delta = case
    kind = schema.field_of(rep.layout, *key).kind
    old = rep.value(*key)
    bad = copy.deepcopy(rep)
    bad.set(*key, old + (Decimal(delta) / 100 if kind == schema.AMOUNT else delta))
    new = bad.value(*key)
    findings = [f for f in run_checks(bad) if f.severity == schema.ERROR]   # no previous: no stock warnings
    invalid = new < 0 and kind != schema.DELTA
    assert [(f.rule, f.table, f.row, f.col) for f in findings] == ([("domain", *key)] if invalid else [])


@SETTINGS
@given(report_pairs(), st.sampled_from(schema.T3_APPLICANT_COLUMNS), st.integers(1, 50))
def test_carry_over_catches_a_shift_that_keeps_the_year_balanced(pair, col, shift):
    prev, rep = pair
    bad = copy.deepcopy(rep)
    for c in (col, "total"):
        # move `shift` requests from 本年新收 to 上年结转: table 三 of this year stays consistent
        bad.set("t3", "carried_over", c, rep.value("t3", "carried_over", c) + shift)
        bad.set("t3", "new_received", c, rep.value("t3", "new_received", c) - shift)
    findings = run_checks(bad, prev)
    carry = [(f.col, f.expected, f.actual) for f in findings if f.rule == "carry_over"]
    assert carry == [(c, prev.value("t3", "carried_forward", c), bad.value("t3", "carried_over", c))
                     for c in (col, "total")]
    assert {f.rule for f in findings} <= {"carry_over", "domain", "narrative_numbers"}
