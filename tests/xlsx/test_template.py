"""The spreadsheet template: official labels, protection, validation, check formulas, exact round trip,
edited workbooks read by label or refused naming the cell, bad values and corrupt files refused."""
from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, range_boundaries

from helpers import importers
from helpers.cli import main
from helpers.errors import InputError
from helpers.format import schema
from helpers.format.model import Cell, Report
from helpers.importers import xlsx as reader
from helpers.xlsx.template import write_template

LAYOUTS = tuple(schema.LAYOUTS)
SHEETS = {tid: f"表{n}" for tid, n in schema.TABLE_NUMBERS.items()}
AGENCY = {"id": "demo-street", "name": "某某街道办事处", "level": "街道", "parent_id": "demo-district",
          "region": "某省某市", "address": "某路 1 号", "postcode": "014000", "telephone": "0472-1234567"}


# --- helpers that read the workbook without the code under test ------------------------------
def meta_positions(wb) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(table,row,col) -> (sheet, cell ref), from the hidden metadata sheet."""
    ws = wb["_xxgk"]
    out = {}
    for sheet, ref, t, r, c in ws.iter_rows(min_row=4, values_only=True):
        if t in schema.TABLE_IDS:
            out[(t, r, c)] = (sheet, ref)
    return out


def merged_top_left(ws) -> dict[str, tuple[int, int]]:
    """Top-left ref -> (rowspan, colspan) of every merged range."""
    out = {}
    for m in ws.merged_cells.ranges:
        out[f"{m.start_cell.coordinate}"] = (m.max_row - m.min_row + 1, m.max_col - m.min_col + 1)
    return out


def template(tmp_path: Path, layout: str = "2021", name: str = "t.xlsx", **kw) -> Path:
    return write_template(tmp_path / name, layout, agency=kw.pop("agency", AGENCY), year=kw.pop("year", 2023), **kw)


def fill(path: Path, values: dict, out: Path | None = None) -> Path:
    """Type values into the template like a user would (openpyxl, no number formats)."""
    wb = load_workbook(path)
    pos = meta_positions(wb)
    for key, v in values.items():
        sheet, ref = pos[key]
        wb[sheet][ref] = v
    out = out or path
    wb.save(out)
    return out


# --- labels: the template says what the schema says ------------------------------------------
def label_column_texts(ws, label_cols: int, first: int, last: int) -> list[str]:
    return [ws.cell(r, c).value for r in range(first, last + 1) for c in range(1, label_cols + 1)
            if isinstance(ws.cell(r, c).value, str)]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_labels_equal_the_schema(tmp_path, layout):
    wb = load_workbook(template(tmp_path, layout))
    tables = {t.id: t for t in schema.layout(layout).tables()}
    assert wb.sheetnames[:3] == [SHEETS[t] for t in schema.TABLE_IDS]
    for tid, t in tables.items():
        ws = wb[SHEETS[tid]]
        assert ws["A1"].value == schema.SECTION_BY_KEY[t.section].heading

    # table 二: caption, header row, rows, block by block, down column A and across
    t2, ws = tables["t2"], wb[SHEETS["t2"]]
    expected = []
    for b in t2.blocks:
        expected += [[b.caption], [schema.T2_ROW_LABEL_HEADER, *b.header]]
        expected += [[r.label] for r in b.rows]
    got = [[v for v in row if isinstance(v, str)] for row in ws.iter_rows(min_row=2, max_row=1 + len(expected),
                                                                           max_col=t2.width, values_only=True)]
    assert got == expected
    spans = merged_top_left(ws)
    assert all(spans[f"A{r}"] == (1, t2.width) for r in range(2, 2 + len(expected))
               if ws[f"A{r}"].value in {b.caption for b in t2.blocks})

    # table 三: header cells with their spans, then row and group labels in report order
    t3, ws = tables["t3"], wb[SHEETS["t3"]]
    header = [(h.label, h.rowspan, h.colspan) for hrow in t3.header for h in hrow]
    spans = merged_top_left(ws)
    got_header = [(ws.cell(r, c).value, *spans.get(ws.cell(r, c).coordinate, (1, 1)))
                  for r in range(2, 2 + len(t3.header)) for c in range(1, t3.width + 1)
                  if ws.cell(r, c).value is not None]
    assert got_header == header
    top = 2 + len(t3.header)
    expected, seen = [], set()
    for row in t3.rows:
        for d in range(len(row.groups)):
            if row.groups[:d + 1] not in seen:
                seen.add(row.groups[:d + 1])
                expected.append(row.groups[d])
        expected.append(row.label)
    assert label_column_texts(ws, t3.label_columns, top, top + len(t3.rows) - 1) == expected
    results = schema.table("t3", t3.version).rows[2].groups[0]      # 三、本年度办理结果 spans all its rows
    n_results = sum(1 for r in t3.rows if r.groups[:1] == (results,))
    assert spans[f"A{top + 2}"] == (n_results, 1)

    # table 四: three header rows with spans; one data row
    t4, ws = tables["t4"], wb[SHEETS["t4"]]
    spans = merged_top_left(ws)
    got_header = [(ws.cell(r, c).value, *spans.get(ws.cell(r, c).coordinate, (1, 1)))
                  for r in range(2, 2 + len(t4.header)) for c in range(1, t4.width + 1)
                  if ws.cell(r, c).value is not None]
    assert got_header == [(h.label, h.rowspan, h.colspan) for hrow in t4.header for h in hrow]

    ws = wb["机构信息"]
    assert [ws.cell(r, 1).value for r in range(2, 2 + len(schema.AGENCY_SHEET_FIELDS) + 1)] == \
        [schema.AGENCY_FIELD_LABELS[f] for f in schema.AGENCY_SHEET_FIELDS] + [schema.YEAR_LABEL]
    ws = wb["报告正文"]
    assert [ws.cell(r, 1).value for r in range(2, 2 + len(schema.NARRATIVE_KEYS))] == \
        [schema.PREAMBLE_TITLE] + [s.heading for s in schema.SECTIONS]
    assert wb["_xxgk"].sheet_state == "hidden"
    assert wb["_xxgk"]["B2"].value == layout
    assert set(meta_positions(wb)) == set(schema.cell_keys(layout))


# --- protection and validation ---------------------------------------------------------------
def _covers(dv, ref: str) -> bool:
    col, row = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()
    c, r = column_index_from_string(col), int(row)
    for rng in str(dv.sqref).split():
        c1, r1, c2, r2 = range_boundaries(rng)
        if c1 <= c <= c2 and r1 <= r <= r2:
            return True
    return False


@pytest.mark.parametrize("layout", LAYOUTS)
def test_only_input_cells_are_unlocked_and_all_are_validated(tmp_path, layout):
    wb = load_workbook(template(tmp_path, layout))
    pos = meta_positions(wb)
    inputs = {(s, ref): key for key, (s, ref) in pos.items()}
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
    for sheet in SHEETS.values():
        ws = wb[sheet]
        unlocked = {(sheet, c.coordinate) for row in ws.iter_rows() for c in row
                    if not c.protection.locked and c.__class__.__name__ == "Cell"}
        assert unlocked == {k for k in inputs if k[0] == sheet}
        for (s, ref), key in inputs.items():
            if s != sheet:
                continue
            dvs = [dv for dv in ws.data_validations.dataValidation if _covers(dv, ref)]
            assert len(dvs) == 1, (ref, key)
            dv, kind = dvs[0], schema.field_of(layout, *key).kind
            assert dv.type == "custom" and schema.NA_TEXT in dv.formula1 and dv.allow_blank
            assert ("INT(" in dv.formula1) == (kind != schema.AMOUNT)
            assert (">=0" in dv.formula1) == (kind != schema.DELTA)
    for sheet in ("机构信息", "报告正文"):
        ws = wb[sheet]
        unlocked = [c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked]
        assert unlocked and all(ref.startswith("B") for ref in unlocked)


# --- the check area: formulas resolve to the right schema cells ------------------------------
REF = re.compile(r"\b([A-Z]{1,2}\d+)(?::([A-Z]{1,2}\d+))?\b")


def refs_of(formula: str, keys_at: dict[str, tuple]) -> list[set]:
    """The schema keys each reference (cell or range) of a formula covers, in order."""
    out = []
    for a, b in REF.findall(formula):
        c1, r1, c2, r2 = range_boundaries(f"{a}:{b}" if b else a)
        out.append({keys_at[f"{_col(c)}{r}"] for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)})
    return out


def _col(c: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(c)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_check_formulas_reference_the_identities(tmp_path, layout):
    wb = load_workbook(template(tmp_path, layout))
    pos = meta_positions(wb)
    t3 = schema.table("t3", schema.layout(layout).t3)
    found = {"applicant_total": 0, "balance": 0, "outcome_total": 0, "review_total": 0}
    for tid in ("t3", "t4"):
        ws = wb[SHEETS[tid]]
        keys_at = {ref: key[1:] for key, (s, ref) in pos.items() if s == ws.title}
        formulas = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")
                    and "COUNTIF" not in c.value]    # the blank check: tests/xlsx/test_check_formulas.py
        assert formulas
        rules = {(r.sqref, rule.formula[0]) for r in ws.conditional_formatting for rule in r.rules}
        for cell in formulas:
            f = cell.value
            assert f.endswith('"OK","不符")')
            assert (cell.coordinate, '"不符"') in {(str(s), v) for s, v in rules}   # turns red on failure
            lhs, rhs = f[len("=IF("):f.index(",")].split("=")
            left, right = refs_of(lhs, keys_at), refs_of(rhs, keys_at)
            every = set().union(*left, *right)
            cols = {c for _, c in every}
            rows = {r for r, _ in every}
            if tid == "t4":
                assert len(rows) == 1 and left == [{(rows.pop(), "total")}]
                assert right == [{(r, c) for r, c in every if c != "total"}]
                assert {c for _, c in right[0]} == {"upheld", "corrected", "other", "pending"}
                found["review_total"] += 1
            elif len(cols) == 1:
                c = cols.pop()
                if len(left) == 2:   # balance
                    assert left == [{("new_received", c)}, {("carried_over", c)}]
                    assert right == [{("processed_total", c)}, {("carried_forward", c)}]
                    found["balance"] += 1
                else:                # outcome_total
                    assert left == [{("processed_total", c)}]
                    assert right == [{(r, c) for r in schema.outcome_rows(t3)}]
                    found["outcome_total"] += 1
            else:                    # applicant_total, one row
                assert len(rows) == 1
                r = rows.pop()
                assert left == [{(r, "total")}]
                assert right == [{(r, c) for c in schema.T3_APPLICANT_COLUMNS}]
                found["applicant_total"] += 1
    assert found == {"applicant_total": len(t3.rows), "balance": 7, "outcome_total": 7, "review_total": 3}
    assert wb.calculation.fullCalcOnLoad


# --- round trip ------------------------------------------------------------------------------
def cell_strategy(kind: str):
    if kind == schema.COUNT:
        number = st.integers(0, 10**7)
    elif kind == schema.DELTA:
        number = st.integers(-10**5, 10**5)
    else:
        number = st.builds(lambda n, p: Decimal(n).scaleb(-p), st.integers(0, 10**9), st.integers(0, 6))
    return st.one_of(st.just(Cell(schema.BLANK)), st.just(Cell(schema.NA)), number.map(Cell.number))


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r") | st.just("\n"),
                max_size=40)


@st.composite
def reports(draw, layout: str):
    rep = Report("demo-street", 2023, layout)
    for key in schema.cell_order(layout):
        rep.cells[key] = draw(cell_strategy(schema.field_of(layout, *key).kind))
    keys = draw(st.sets(st.sampled_from(schema.NARRATIVE_KEYS)))
    rep.narrative = {k: t for k in keys if (t := draw(_TEXT)).strip()}
    return rep


@pytest.mark.parametrize("layout", LAYOUTS)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_prefilled_template_round_trips_exactly(tmp_path, layout, data):
    rep = data.draw(reports(layout))
    path = template(tmp_path, layout, report=rep)
    [back] = reader.read(path)
    assert back.layout == layout and (back.agency, back.year) == (rep.agency, rep.year)
    assert [(k, c.state, c.text()) for k, c in back.ordered_cells()] == \
        [(k, c.state, c.text()) for k, c in rep.ordered_cells()]
    assert back.narrative == rep.narrative
    assert back.fingerprint() == rep.fingerprint()


@pytest.mark.parametrize("layout", LAYOUTS)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_template_filled_by_hand_round_trips(tmp_path, layout, data):
    rep = data.draw(reports(layout))
    values = {k: (None if c.state == schema.BLANK else schema.NA_TEXT if c.state == schema.NA else c.value)
              for k, c in rep.cells.items()}
    path = fill(template(tmp_path, layout), values)
    [back] = importers.read(path)
    assert back.cells == rep.cells   # Decimal equality: 1.50 typed as 1.5 is the same amount
    assert all(back.cells[k].state == rep.cells[k].state for k in rep.cells)


def test_blank_template_reads_as_blank_not_zero(tmp_path):
    [rep] = reader.read(template(tmp_path))
    assert {c.state for c in rep.cells.values()} == {schema.BLANK}
    assert len(rep.cells) == len(schema.cell_order("2021"))
    assert rep.narrative == {}
    assert rep.agency_record == {**AGENCY}


def test_amount_decimals_shown_are_kept(tmp_path):
    wb = load_workbook(template(tmp_path))
    sheet, ref = meta_positions(wb)[("t2", "fees", "amount")]
    wb[sheet][ref] = 1.5
    wb[sheet][ref].number_format = "0.000"
    wb.save(tmp_path / "f.xlsx")
    [rep] = reader.read(tmp_path / "f.xlsx")
    assert rep.get("t2", "fees", "amount").text() == "1.500"
    wb[sheet][ref] = 1.23456           # a format with fewer decimals never rounds the value
    wb[sheet][ref].number_format = "0.00"
    wb.save(tmp_path / "g.xlsx")
    [rep] = reader.read(tmp_path / "g.xlsx")
    assert rep.get("t2", "fees", "amount").text() == "1.23456"


# --- edited workbooks ------------------------------------------------------------------------
def insert_row_like_excel(ws, idx: int, note: str | None = None) -> None:
    """Insert a row as Excel does: merged ranges below move down, ranges across it grow."""
    merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    for m in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(m))
    ws.insert_rows(idx)
    for r1, c1, r2, c2 in merges:
        if r1 >= idx:
            r1, r2 = r1 + 1, r2 + 1
        elif r2 >= idx:
            r2 += 1
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    if note:
        ws.cell(idx, 1, note)


def filled_report(layout: str = "2021") -> Report:
    rep = Report.zeros("demo-street", 2023, layout)
    for i, key in enumerate(schema.cell_order(layout)):
        if key[0] == "t3":
            rep.cells[key] = Cell.number(i)
    rep.cells[("t3", "granted", "research")] = Cell(schema.NA)
    rep.cells[("t3", "partial", "commercial")] = Cell(schema.BLANK)
    return rep


def test_rows_inserted_in_table_three_are_read_by_label(tmp_path):
    rep = filled_report()
    path = template(tmp_path, report=rep)
    wb = load_workbook(path)
    ws = wb["表三"]
    insert_row_like_excel(ws, 1, "填报单位自己加的说明")                      # above everything
    insert_row_like_excel(ws, 13)                                           # inside （三）不予公开
    insert_row_like_excel(ws, 7, "备注：上年结转见下行")                       # between two rows
    wb.save(tmp_path / "edited.xlsx")
    assert load_workbook(tmp_path / "edited.xlsx")["表三"]["C12"].value != \
        load_workbook(path)["表三"]["C12"].value      # the rows really moved
    [back] = reader.read(tmp_path / "edited.xlsx")
    assert back.cells == rep.cells


def test_read_without_hidden_sheet_finds_layout_by_labels(tmp_path):
    rep = filled_report("2021-single-other")
    wb = load_workbook(template(tmp_path, "2021-single-other", report=rep))
    del wb["_xxgk"]
    wb.save(tmp_path / "nometa.xlsx")
    [back] = reader.read(tmp_path / "nometa.xlsx")
    assert back.layout == "2021-single-other" and back.cells == rep.cells


def test_edited_label_is_refused_naming_sheet_and_cell(tmp_path):
    wb = load_workbook(template(tmp_path))
    assert wb["表三"]["C14"].value == schema.table("t3").row("denied_process_info").label
    wb["表三"]["C14"] = "6.过程性信息"
    wb.save(tmp_path / "e.xlsx")
    with pytest.raises(InputError) as exc:
        reader.read(tmp_path / "e.xlsx")
    assert "表三!C14" in str(exc.value) and "6.属于四类过程性信息" in str(exc.value) and "e.xlsx" in str(exc.value)


def test_inserted_column_is_refused_naming_a_cell(tmp_path):
    wb = load_workbook(template(tmp_path))
    ws = wb["表三"]
    for m in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(m))
    ws.insert_cols(5)
    wb.save(tmp_path / "c.xlsx")
    with pytest.raises(InputError, match=r"表三![A-Z]+\d+"):
        reader.read(tmp_path / "c.xlsx")


def test_data_in_an_inserted_row_is_refused(tmp_path):
    wb = load_workbook(template(tmp_path))
    ws = wb["表三"]
    insert_row_like_excel(ws, 6)
    ws["D6"] = 5
    wb.save(tmp_path / "d.xlsx")
    with pytest.raises(InputError, match="表三!D6"):
        reader.read(tmp_path / "d.xlsx")


# --- bad values -------------------------------------------------------------------------------
@pytest.mark.parametrize("key,value,message", [
    (("t3", "granted", "natural_person"), "三件", "不是数字"),
    (("t3", "granted", "natural_person"), -1, "负数"),
    (("t3", "granted", "natural_person"), 1.5, "整数"),
    (("t3", "granted", "natural_person"), "NA", "不适用"),
    (("t4", "review", "upheld"), True, "不是数字"),
    (("t2", "fees", "amount"), -0.5, "负数"),
])
def test_bad_values_are_refused_naming_the_cell(tmp_path, key, value, message):
    path = fill(template(tmp_path), {key: value})
    sheet, ref = meta_positions(load_workbook(path))[key]
    t = schema.table(key[0])
    with pytest.raises(InputError) as exc:
        reader.read(path)
    text = str(exc.value)
    assert f"{sheet}!{ref}" in text and message in text and str(path) in text
    assert t.row_label(key[1]) in text and t.col_label(key[1], key[2]) in text


def test_negative_change_is_fine_in_the_2019_layout_and_partial_lists_bad_cells(tmp_path):
    path = fill(template(tmp_path, "2019"), {("t2", "fees", "change"): -3, ("t3", "granted", "total"): "x"})
    [rep] = reader.read(path, partial=True)
    assert rep.get("t2", "fees", "change") == Cell.number(-3)
    assert ("t3", "granted", "total") not in rep.cells and len(rep.unread) == 1 and "表三!" in rep.unread[0]


def test_formula_in_an_input_cell_without_a_result_is_refused(tmp_path):
    path = fill(template(tmp_path), {("t3", "granted", "total"): "=1+2"})
    with pytest.raises(InputError, match="公式"):
        reader.read(path)


# --- agency sheet -----------------------------------------------------------------------------
def set_agency(path: Path, **values) -> Path:
    wb = load_workbook(path)
    ws = wb["机构信息"]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    labels = {**schema.AGENCY_FIELD_LABELS, "year": schema.YEAR_LABEL}
    for k, v in values.items():
        ws.cell(rows[labels[k]], 2).value = v   # (cell(r, c, None) would not clear it)
    wb.save(path)
    return path


def test_agency_sheet_gives_id_year_and_record(tmp_path):
    path = set_agency(template(tmp_path), id=None, year=None, name=None)
    with pytest.raises(InputError, match="机构信息!B2"):
        reader.read(path)
    [rep] = reader.read(path, agency="other-street", year=2022)
    assert (rep.agency, rep.year, rep.agency_record) == ("other-street", 2022, None)
    set_agency(path, id="Bad Id")
    with pytest.raises(InputError, match="机构信息!B2"):
        reader.read(path)
    set_agency(path, id="demo-street", year=2023, name="某某街道办事处")
    with pytest.raises(InputError, match="--year"):
        reader.read(path, year=2022)
    [rep] = reader.read(path)
    assert rep.agency_record["name"] == "某某街道办事处" and rep.agency_record["parent_id"] == "demo-district"


# --- corrupt files ----------------------------------------------------------------------------
def test_truncated_and_corrupt_files_are_refused_cleanly(tmp_path):
    data = template(tmp_path).read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    for read in (reader.read, importers.read):
        with pytest.raises(InputError, match="损坏"):
            read(tmp_path / "cut.xlsx")
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, b"<not xml" if item.filename == "xl/workbook.xml" else src.read(item))
    (tmp_path / "bad.xlsx").write_bytes(buf.getvalue())
    with pytest.raises(InputError, match="损坏"):
        importers.read(tmp_path / "bad.xlsx")


def test_zip_bomb_is_refused_before_loading(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    (tmp_path / "bomb.xlsx").write_bytes(buf.getvalue())
    assert (tmp_path / "bomb.xlsx").stat().st_size < 100_000
    with pytest.raises(InputError, match="zip"):
        reader.read(tmp_path / "bomb.xlsx")


# --- command line -----------------------------------------------------------------------------
def test_template_command_and_import_export_end_to_end(tmp_path, db_url, capsys):
    out = tmp_path / "unit.xlsx"
    assert main(["--db", db_url, "template", "-o", str(out), "--agency", "demo-street", "--year", "2020"]) == 0
    wb = load_workbook(out)
    assert wb["_xxgk"]["B2"].value == "2019"                  # default layout follows the year
    assert main(["--db", db_url, "template", "-o", str(out), "--agency", "demo-street", "--year", "2023"]) == 0
    rep = filled_report()
    rep.cells[("t2", "fees", "amount")] = Cell.number(Decimal("12.345"))
    values = {k: (None if c.state == schema.BLANK else schema.NA_TEXT if c.state == schema.NA else c.value)
              for k, c in rep.cells.items()}
    fill(out, values)
    wb = load_workbook(out)
    wb["机构信息"]["B3"] = "某某街道办事处"
    wb["报告正文"]["B7"] = "无。"
    wb.save(out)
    assert main(["--db", db_url, "import", str(out)]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "export", "--agency", "demo-street", "--year", "2023"]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    assert lines == [f"demo-street,2023,{t},{r},{c},{cell.text()}" for (t, r, c), cell in rep.ordered_cells()]
    assert main(["--db", db_url, "agencies"]) == 0
    assert "某某街道办事处" in capsys.readouterr().out

    pre = tmp_path / "pre.xlsx"
    assert main(["--db", db_url, "template", "-o", str(pre), "--agency", "demo-street", "--year", "2023",
                 "--prefill"]) == 0
    [back] = reader.read(pre)
    assert back.cells == rep.cells and back.narrative == {"problems": "无。"}
    assert main(["--db", db_url, "template", "-o", str(pre), "--agency", "demo-street", "--year", "2021",
                 "--prefill"]) == 2
    assert main(["--db", db_url, "template", "-o", str(tmp_path / "x.xlsx"), "--agency", "Bad!"]) == 2


def test_every_bad_cell_is_listed_in_one_message(tmp_path):
    path = fill(template(tmp_path), {("t3", "granted", "natural_person"): -1, ("t4", "review", "total"): "多"})
    with pytest.raises(InputError) as exc:
        reader.read(path)
    refs = [meta_positions(load_workbook(path))[k] for k in (("t3", "granted", "natural_person"),
                                                             ("t4", "review", "total"))]
    assert all(f"{s}!{r}" in str(exc.value) for s, r in refs) and len(exc.value.problems) == 2


def test_kind_comes_from_content_not_the_file_name(tmp_path):
    rep = filled_report("2019")
    path = template(tmp_path, "2019", report=rep)
    renamed = path.rename(tmp_path / "unit-2019.data")
    [back] = importers.read(renamed)
    assert back.layout == "2019" and back.cells == rep.cells
