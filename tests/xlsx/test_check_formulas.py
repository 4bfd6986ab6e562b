"""The spreadsheet template's check area really computes: its formulas are evaluated (pycel, an
Excel formula engine over openpyxl) on filled templates, and their verdicts are compared with the
identities as FORMAT.md states them and with `helpers.checks.run_checks` on the same workbook read
back by the importer. Also evaluated: the conditional-formatting rules that colour the check cells
and the data-validation formulas of the input cells.

Blank and 不适用 count as 0 in both the spreadsheet (N(), SUM) and the Python checks.
"""
from __future__ import annotations

import random
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.formula.translate import Translator
from openpyxl.utils import get_column_letter
from pycel import ExcelCompiler

from helpers.checks import run_checks
from helpers.format import schema
from helpers.format.model import Cell
from helpers.importers import xlsx as reader
from helpers.synth.series import consistent_report
from helpers.xlsx import layout as xl
from helpers.xlsx.template import write_template

LAYOUTS = tuple(schema.LAYOUTS)
HARD = ("balance", "outcome_total", "applicant_total", "review_total")
COLUMN_RULES = ("balance", "outcome_total")     # one check per column of 表三; the others: per row/group
SCRATCH_COL = 200                                # far right of every sheet: formulas written only for evaluation
AGENCY = {"id": "demo-street", "name": "某某街道办事处"}
FAIL_FILL_RGB, OK_FILL_RGB, WARN_FILL_RGB = "F4B6B6", "C6EFCE", "FFEB9C"


# --- the identities as FORMAT.md states them (not derived from the formulas under test) -------
def identities_through(layout: str, key: tuple[str, str, str]) -> set[tuple[str, str]]:
    """(rule, where) of every hard identity a cell takes part in; `where` is the column key for
    balance/outcome_total and the row key for applicant_total/review_total."""
    t, r, c = key
    out = set()
    if t == "t3":
        t3 = schema.table("t3", schema.layout(layout).t3)
        if r in ("new_received", "carried_over", "processed_total", "carried_forward"):
            out.add(("balance", c))
        if r == "processed_total" or r in schema.outcome_rows(t3):
            out.add(("outcome_total", c))
        if c == "total" or c in schema.T3_APPLICANT_COLUMNS:
            out.add(("applicant_total", r))
    elif t == "t4":
        out.add(("review_total", r))
    return out


def all_identities(layout: str) -> set[tuple[str, str]]:
    return set().union(*(identities_through(layout, k) for k in schema.cell_order(layout)))


def python_failures(report) -> set[tuple[str, str]]:
    return {(f.rule, f.col if f.rule in COLUMN_RULES else f.row) for f in run_checks(report) if f.rule in HARD}


# --- the workbook side -------------------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    sheet: str
    ref: str
    identity: tuple[str, str]


def check_cells(layout: str) -> list[Check]:
    """Every check cell with the identity it is meant to compute (located by the input cells it shares
    a row or column with)."""
    out = []
    for sl in xl.sheet_layouts(layout):
        for chk in sl.checks:
            if chk.rule not in HARD:
                continue
            if chk.rule == "applicant_total":
                where = {i.key[1] for i in sl.inputs if i.row == chk.row}
            else:
                where = {i.key[2] if chk.rule in COLUMN_RULES else i.key[1] for i in sl.inputs if i.col == chk.col}
            assert len(where) == 1, (sl.name, chk)
            out.append(Check(sl.name, xl.ref(chk.row, chk.col), (chk.rule, where.pop())))
    return out


def input_refs(wb) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(table,row,col) -> (sheet, ref), from the hidden metadata sheet."""
    return {(t, r, c): (sheet, ref) for sheet, ref, t, r, c in wb[xl.SHEET_META].iter_rows(min_row=4, values_only=True)
            if t in schema.TABLE_IDS}


class Evaluator:
    """Adds scratch formulas to a copy-free workbook, compiles it with pycel and evaluates them."""

    def __init__(self, wb):
        self.wb = wb
        self.scratch: dict[str, int] = {}

    def add(self, sheet: str, formula: str) -> str:
        row = self.scratch[sheet] = self.scratch.get(sheet, 0) + 1
        addr = f"{get_column_letter(SCRATCH_COL)}{row}"
        self.wb[sheet][addr] = formula
        return f"{sheet}!{addr}"

    def compile(self) -> ExcelCompiler:
        return ExcelCompiler(excel=self.wb)

    def clear(self) -> None:
        for sheet, n in self.scratch.items():
            for row in range(1, n + 1):
                self.wb[sheet].cell(row, SCRATCH_COL).value = None
        self.scratch.clear()


def colour_rules(ws, ref: str):
    """(fill rgb, formula evaluating the rule at `ref`) of every conditional-formatting rule on `ref`.
    A cellIs/equal rule fires when the cell equals the rule's formula (Excel's meaning), so it is
    evaluated as `=<cell>=(<formula>)` with the formula translated from the range's top-left cell."""
    out = []
    for cf in ws.conditional_formatting:
        if ref not in cf.sqref:
            continue
        origin = next(iter(cf.sqref.ranges)).coord.split(":")[0]
        for rule in cf.rules:
            assert (rule.type, rule.operator) == ("cellIs", "equal"), rule
            expr = Translator(f"={rule.formula[0]}", origin).translate_formula(ref)[1:]
            out.append((rule.dxf.fill.fgColor.rgb[-6:], f"={ref}=({expr})"))
    return out


def validation_formula(ws, ref: str) -> tuple[str, bool]:
    """The custom validation formula of the input cell `ref`, translated to `ref`, and allow_blank."""
    dvs = [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]
    assert len(dvs) == 1, (ws.title, ref)
    dv = dvs[0]
    assert dv.type == "custom"
    origin = next(iter(dv.sqref.ranges)).coord.split(":")[0]
    return Translator(f"={dv.formula1}", origin).translate_formula(ref), bool(dv.allow_blank)


def all_colour_rules(wb, layout: str) -> dict[Check, list[tuple[str, str]]]:
    return {c: colour_rules(wb[c.sheet], c.ref) for c in check_cells(layout)}


def verdicts(wb, layout: str, colours: dict | None = None) -> tuple[dict[tuple[str, str], str], list[str]]:
    """Each identity's check-cell value, and the problems with the colours (empty when right).
    `colours`: all_colour_rules(wb, layout), passed in when evaluating many edits of one workbook."""
    ev = Evaluator(wb)
    checks = check_cells(layout)
    colours = colours or all_colour_rules(wb, layout)
    rules = {c: [(rgb, ev.add(c.sheet, f)) for rgb, f in colours[c]] for c in checks}
    xc = ev.compile()
    values, problems = {}, []
    for c in checks:
        value = xc.evaluate(f"{c.sheet}!{c.ref}")
        values[c.identity] = value
        fired = {rgb for rgb, addr in rules[c] if xc.evaluate(addr) is True}
        want = {xl.CHECK_OK: {OK_FILL_RGB}, xl.CHECK_FAIL: {FAIL_FILL_RGB}}.get(value)
        if fired != want:
            problems.append(f"{c.sheet}!{c.ref}={value!r}: colour rules fired {fired}, expected {want}")
    ev.clear()
    return values, problems


# --- fixtures --------------------------------------------------------------------------------
SEEDS = {"2021": 11, "2019": 12, "2021-single-other": 13}


def filled(tmp_path: Path, layout: str):
    report = consistent_report(random.Random(SEEDS[layout]), AGENCY["id"], 2023, layout, scale=3, narrative=False)
    path = write_template(tmp_path / f"{layout}.xlsx", layout, agency=AGENCY, year=2023, report=report)
    return report, path


def numeric(value) -> Decimal:
    return Decimal(0) if value is None or isinstance(value, str) else Decimal(value)


def mutations(report, layout: str, rng: random.Random) -> list[tuple[tuple[str, str, str], object]]:
    """A few single-cell edits per identity: blank, 不适用, 0 or another number; plus 不适用 typed
    into a cell that was 0 (changes no sum, so nothing may turn red)."""
    keys = [k for k in schema.cell_order(layout) if k[0] in ("t3", "t4")]
    value = {k: report.get(*k).value for k in keys}
    out = []
    for rule in HARD:
        members = [k for k in keys if any(i[0] == rule for i in identities_through(layout, k))]
        nonzero = [k for k in members if value[k]]
        assert nonzero, f"{layout} {rule}: the synthetic report has no non-zero cell to blank"
        out.append((rng.choice(nonzero), None))
        out.append((rng.choice(nonzero), schema.NA_TEXT))
        # typing 0 over a figure for half of the rules, another number for the other half
        out.append((rng.choice(nonzero), 0) if rule in HARD[::2] else (rng.choice(members), "other"))
    zeros = [k for k in keys if value[k] == 0]
    if zeros:
        out.append((rng.choice(zeros), schema.NA_TEXT))
    typed = []
    for key, new in out:
        if new == "other":
            new = rng.choice([v for v in (0, 1, 7, 123, int(value[key]) * 2 + 1) if v != value[key]])
        typed.append((key, new))
    return typed


def as_cell(typed) -> Cell:
    if typed is None:
        return Cell(schema.BLANK)
    if typed == schema.NA_TEXT:
        return Cell(schema.NA)
    return Cell.number(typed)


# --- tests -----------------------------------------------------------------------------------
@pytest.mark.parametrize("layout", LAYOUTS)
def test_consistent_report_evaluates_ok_everywhere_and_green(tmp_path, layout):
    report, path = filled(tmp_path, layout)
    assert python_failures(report) == set()
    wb = load_workbook(path)
    values, colour_problems = verdicts(wb, layout)
    assert set(values) == all_identities(layout)          # one check cell per identity, none missing
    assert {k: v for k, v in values.items() if v != xl.CHECK_OK} == {}
    assert colour_problems == []
    # the pristine file itself (not only the in-memory workbook) evaluates the same
    xc = ExcelCompiler(filename=str(path))
    assert {xc.evaluate(f"{c.sheet}!{c.ref}") for c in check_cells(layout)} == {xl.CHECK_OK}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_single_cell_edit_fails_exactly_its_identities_like_run_checks(tmp_path, layout):
    report, path = filled(tmp_path, layout)
    wb = load_workbook(path)
    refs = input_refs(wb)
    colours = all_colour_rules(wb, layout)
    edits = mutations(report, layout, random.Random(SEEDS[layout]))
    failed_somewhere = 0
    for key, typed in edits:
        sheet, ref = refs[key]
        ws = wb[sheet]
        before = ws[ref].value
        assert numeric(before) == numeric(report.get(*key).value)
        ws[ref].value = typed
        try:
            # the edit is one the template's validation lets through
            formula, allow_blank = validation_formula(ws, ref)
            if typed is None:
                assert allow_blank
            else:
                ev = Evaluator(wb)
                addr = ev.add(sheet, formula)
                assert ev.compile().evaluate(addr) is True, (key, typed, formula)
                ev.clear()
            values, colour_problems = verdicts(wb, layout, colours)
            out = tmp_path / "edited.xlsx"
            wb.save(out)
        finally:
            ws[ref].value = before
        read_back = reader.read(out)[0]
        assert read_back.get(*key) == as_cell(typed)
        expected = identities_through(layout, key) if numeric(typed) != numeric(before) else set()
        sheet_fails = {k for k, v in values.items() if v == xl.CHECK_FAIL}
        assert set(values.values()) <= {xl.CHECK_OK, xl.CHECK_FAIL}, (key, typed, values)
        assert sheet_fails == expected, (key, before, typed)
        assert python_failures(read_back) == expected, (key, before, typed)
        assert colour_problems == [], (key, typed)
        failed_somewhere += bool(expected)
    # the sample really breaks identities of every rule (a sample of no-ops would prove nothing)
    assert failed_somewhere >= len(edits) - 2
    broken_rules = {rule for key, typed in edits for rule, _ in identities_through(layout, key)}
    assert broken_rules == set(HARD)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_input_cell_feeds_exactly_its_identities(tmp_path, layout):
    """Every input cell of 表三/表四 in turn raised by 1 and replaced by 不适用, recalculated in place
    (pycel set_value; blank is covered by the file-based test above: pycel's set_value(None) does not
    model an empty cell). 不适用 in a cell that was 0 must leave every check OK (N() counts it as 0)."""
    report, path = filled(tmp_path, layout)
    xc = ExcelCompiler(excel=load_workbook(path))
    addr = {c.identity: f"{c.sheet}!{c.ref}" for c in check_cells(layout)}
    assert {xc.evaluate(a) for a in addr.values()} == {xl.CHECK_OK}
    edited = copy(report)
    edited.cells = dict(report.cells)
    zero_na = 0
    for key, (sheet, ref) in input_refs(load_workbook(path, read_only=True)).items():
        if key[0] not in ("t3", "t4"):
            continue
        old = report.get(*key).value
        for typed in (old + 1, schema.NA_TEXT):
            xc.set_value(f"{sheet}!{ref}", typed)
            fails = {i for i, a in addr.items() if xc.evaluate(a) != xl.CHECK_OK}
            edited.cells[key] = as_cell(typed)
            expected = identities_through(layout, key) if numeric(typed) != numeric(old) else set()
            assert fails == expected, (key, old, typed)
            assert python_failures(edited) == expected, (key, old, typed)
            zero_na += not expected
        xc.set_value(f"{sheet}!{ref}", old)
        edited.cells[key] = report.cells[key]
    assert zero_na > 0   # the report has zeros, so the 不适用-counts-as-0 case was really exercised


@pytest.mark.parametrize("layout", ["2021", "2019"])
def test_validation_formulas_accept_and_reject_like_the_domain_rule(tmp_path, layout):
    """Evaluated, the custom validation admits counts ≥ 0 and 不适用, rejects the rest (DELTA/AMOUNT
    cells of 表二 too)."""
    _, path = filled(tmp_path, layout)
    wb = load_workbook(path)
    refs = input_refs(wb)
    kinds = {}
    for key in schema.cell_order(layout):
        kinds.setdefault(schema.field_of(layout, *key).kind, key)
    cases = {
        schema.COUNT: ([0, 5, 10**7, schema.NA_TEXT], [-1, 1.5, "abc", "5", "不 适用"]),
        schema.AMOUNT: ([0, 1.25, 300, schema.NA_TEXT], [-0.01, "abc"]),
        schema.DELTA: ([-3, 0, 4, schema.NA_TEXT], [1.5, "x"]),
    }
    for kind, key in kinds.items():
        sheet, ref = refs[key]
        formula, _ = validation_formula(wb[sheet], ref)
        good, bad = cases[kind]
        for value, allowed in [(v, True) for v in good] + [(v, False) for v in bad]:
            wb[sheet][ref].value = value
            ev = Evaluator(wb)
            addr = ev.add(sheet, formula)
            assert ev.compile().evaluate(addr) is allowed, (kind, key, value, formula)
            ev.clear()


# --- rule `blank`: the check area says what import and check say ------------------------------
def blank_checks(layout: str) -> dict[str, str]:
    """sheet -> ref of its blank check cell."""
    out = {}
    for sl in xl.sheet_layouts(layout):
        cells = [chk for chk in sl.checks if chk.rule == "blank"]
        assert len(cells) == 1, sl.name
        out[sl.name] = xl.ref(cells[0].row, cells[0].col)
    return out


def blank_verdicts(wb, layout: str) -> dict[str, tuple[str, set]]:
    """sheet -> (value of its blank check, fills its colour rules give it)."""
    ev = Evaluator(wb)
    refs = blank_checks(layout)
    rules = {sheet: [(rgb, ev.add(sheet, f)) for rgb, f in colour_rules(wb[sheet], ref)] for sheet, ref in refs.items()}
    xc = ev.compile()
    out = {sheet: (xc.evaluate(f"{sheet}!{ref}"), {rgb for rgb, a in rules[sheet] if xc.evaluate(a) is True})
           for sheet, ref in refs.items()}
    ev.clear()
    return out


@pytest.mark.parametrize("layout", ["2021", "2019"])
def test_blank_cells_show_in_the_check_area_as_import_reports_them(tmp_path, layout):
    """An empty template does not look finished: each table sheet's check area says it has blank
    cells (yellow), in the rule's own words, until every input is filled (0 or 不适用 included);
    the importer then reports a blank exactly where the sheet does."""
    blank_words = f"{schema.RULES['blank'].title}（{schema.RULES['blank'].advice}）"
    empty = load_workbook(write_template(tmp_path / "empty.xlsx", layout))
    for sheet, (value, fills) in blank_verdicts(empty, layout).items():
        assert (value, fills) == (xl.CHECK_BLANK, {WARN_FILL_RGB}), sheet
        texts = [c.value for row in empty[sheet].iter_rows() for c in row if isinstance(c.value, str)]
        assert any(blank_words in t for t in texts), sheet
    report, path = filled(tmp_path, layout)
    wb = load_workbook(path)
    assert {v for v, _ in blank_verdicts(wb, layout).values()} == {xl.CHECK_OK}
    refs = input_refs(wb)
    for key in (("t2", "licensing", "decisions"), ("t3", "denied_admin_query", "research"), ("t4", "review", "pending")):
        sheet, ref = refs[key]
        before, wb[sheet][ref].value = wb[sheet][ref].value, None
        verdict = blank_verdicts(wb, layout)
        wb.save(tmp_path / "one-blank.xlsx")
        wb[sheet][ref].value = before
        assert {s for s, (v, _) in verdict.items() if v == xl.CHECK_BLANK} == {sheet}
        assert verdict[sheet][1] == {WARN_FILL_RGB}
        blanks = [f for f in run_checks(reader.read(tmp_path / "one-blank.xlsx")[0]) if f.rule == "blank"]
        assert [(f.table, f.row, f.col) for f in blanks] == [key]
