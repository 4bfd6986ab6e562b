"""Write the official spreadsheet template (填报模板): one sheet per table, agency details, narrative.

The layout comes from `xlsx.layout` (itself derived from `helpers.format.schema`); the reader in
`importers/xlsx.py` uses the same layout. Input cells are unlocked and validated, everything else
is locked; the sheets are protected without a password (protection prevents accidents, it is not
security: 审阅 → 撤销工作表保护 removes it). A hidden sheet records the layout and every input
cell's schema key.
"""
from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from ..atomic import write_bytes
from ..errors import XxgkError
from ..format import schema
from ..format.model import Cell, Report
from . import layout as xl

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")     # pale yellow: "type here"
HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")
FAIL_FILL = PatternFill("solid", fgColor="F4B6B6")
OK_FILL = PatternFill("solid", fgColor="C6EFCE")
FIXED_FILL = PatternFill("solid", fgColor="E7E6E6")   # prefilled and locked (上年结转 from last year)
WARN_FILL = PatternFill("solid", fgColor="FFEB9C")
UNLOCKED = Protection(locked=False)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
TEXT_FORMAT = "@"   # keeps typed agency ids such as 029 as text in Excel
MAX_CELL_TEXT = 32767

# Custom validation instead of plain whole/decimal rules: "不适用" must stay allowed (rule `blank`:
# blank, 0 and 不适用 are three different things). {c} is the top-left cell of the range.
# IF, not AND/OR: Excel evaluates every argument of AND/OR, so INT("不适用") = #VALUE! would make
# the whole rule an error and refuse 不适用 (tests/xlsx/test_check_formulas.py evaluates these).
def _validation_formula(kind: str) -> str:
    """The rule of `kind` (schema.KINDS) as an Excel formula: a number that fits, or 不适用."""
    k = schema.KINDS[kind]
    tests = ([] if k.negative else ["{c}>=0"]) + (["{c}=INT({c})"] if k.integer else [])
    test = tests[0] if len(tests) == 1 else "AND(" + ",".join(tests) + ")"
    return "IF(ISNUMBER({c})," + test + ',{c}="' + schema.NA_TEXT + '")'


_BLANK = schema.RULES["blank"].advice   # the one statement of what a blank means
VALIDATION = {kind: (_validation_formula(kind), message) for kind, message in (
    (schema.COUNT, f"请填写大于或等于 0 的整数。{_BLANK}。"),
    (schema.DELTA, f"请填写整数（可为负数）。{_BLANK}。"),
    (schema.AMOUNT, f"请填写大于或等于 0 的数（可有小数）。{_BLANK}。"),
)}


def amount_format(value: Decimal) -> str:
    """A number format showing exactly the decimals written, so 1.50 stays 1.50 (the reader relies on it)."""
    places = max(0, -value.as_tuple().exponent) if isinstance(value, Decimal) else 0
    return "0." + "0" * places if places else "0"


def put_value(cell, value: Cell, kind: str) -> None:
    if value.state == schema.BLANK:
        cell.value = None
    elif value.state == schema.NA:
        cell.value = schema.NA_TEXT
    else:
        cell.value = value.value
        if kind == schema.AMOUNT:
            cell.number_format = amount_format(value.value)


def put_text(cell, text: str | None, where: str) -> None:
    """Store text as text (a leading '=' must not become a formula)."""
    if not text:
        cell.value = None
        return
    if len(text) > MAX_CELL_TEXT:
        raise XxgkError(f"{where} 超过 Excel 单元格上限 {MAX_CELL_TEXT} 字 (text too long for one cell)")
    cell.value = text
    cell.data_type = "s"


def _merge(ws: Worksheet, row: int, col: int, rowspan: int, colspan: int) -> None:
    if rowspan > 1 or colspan > 1:
        ws.merge_cells(start_row=row, start_column=col, end_row=row + rowspan - 1, end_column=col + colspan - 1)
    for r in range(row, row + rowspan):
        for c in range(col, col + colspan):
            ws.cell(r, c).border = BORDER


def _runs(inputs: list[xl.InputCell]) -> list[list[xl.InputCell]]:
    """Inputs grouped into horizontal runs of the same kind (one validation rule per run)."""
    runs: list[list[xl.InputCell]] = []
    for c in sorted(inputs, key=lambda c: (c.row, c.col)):
        last = runs[-1][-1] if runs else None
        if last and last.row == c.row and last.kind == c.kind and last.col + last.colspan == c.col:
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def _validate(ws: Worksheet, inputs: list[xl.InputCell]) -> None:
    for run in _runs(inputs):
        first, last = run[0], run[-1]
        formula, message = VALIDATION[first.kind]
        dv = DataValidation(type="custom", formula1=formula.format(c=xl.ref(first.row, first.col)),
                            allow_blank=True, showErrorMessage=True, showInputMessage=True,
                            errorTitle="填写有误", error=message, promptTitle="填写说明", prompt=message)
        dv.add(f"{xl.ref(first.row, first.col)}:{xl.ref(last.row, last.col)}")
        ws.add_data_validation(dv)


def _print_setup(ws: Worksheet, area: str, *, landscape: bool = False,
                 header_rows: tuple[int, int] | None = None) -> None:
    """How the sheet prints: A4, only `area`, as wide as the page (as many pages down as needed),
    header rows repeated on every page, the sheet's name and page number in the footer."""
    ws.print_area = area
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    if header_rows:
        ws.print_title_rows = f"{header_rows[0]}:{header_rows[1]}"
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    ws.oddFooter.center.text = "&A  第 &P 页，共 &N 页"


def _protect(ws: Worksheet) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False   # False = allowed: widen columns, heighten rows
    ws.protection.formatRows = False


def write_table_sheet(ws: Worksheet, sl: xl.SheetLayout, report: Report | None, fixed=frozenset()) -> None:
    """One table sheet; inputs whose key is in `fixed` keep the prefilled value and stay locked."""
    for c, width in sl.col_widths.items():
        ws.column_dimensions[xl.col_letter(c)].width = width
    for r, height in sl.row_heights().items():
        ws.row_dimensions[r].height = height
    _print_setup(ws, sl.print_area(), landscape=sl.landscape, header_rows=sl.header_rows)
    for lab in sl.labels:
        cell = ws.cell(lab.row, lab.col, lab.text)
        _merge(ws, lab.row, lab.col, lab.rowspan, lab.colspan)
        if lab.kind == "title":
            cell.font = Font(bold=True, size=14)
            cell.alignment = LEFT
            for c in range(lab.col, lab.col + lab.colspan):
                ws.cell(lab.row, c).border = Border()
        elif lab.kind in ("header", "note", "caption"):
            cell.font = Font(bold=lab.kind != "note")
            cell.alignment = CENTER if lab.kind != "caption" else LEFT
            cell.fill = HEADER_FILL
        elif lab.kind == "check":
            cell.font = Font(italic=True, color="555555")
            cell.alignment = LEFT
        else:
            cell.alignment = CENTER if lab.kind == "group" else LEFT
    for inp in sl.inputs:
        cell = ws.cell(inp.row, inp.col)
        _merge(ws, inp.row, inp.col, 1, inp.colspan)
        if inp.key in fixed:
            cell.fill = FIXED_FILL
        else:
            cell.protection = UNLOCKED
            cell.fill = INPUT_FILL
        cell.alignment = Alignment(horizontal="right", vertical="center")
        if report is not None:
            put_value(cell, report.get(*inp.key), inp.kind)
    _validate(ws, [i for i in sl.inputs if i.key not in fixed])
    for chk in sl.checks:
        cell = ws.cell(chk.row, chk.col, chk.formula)
        _merge(ws, chk.row, chk.col, 1, chk.colspan)
        cell.alignment = CENTER
    for chk in sl.checks:
        rng = f"{xl.ref(chk.row, chk.col)}"
        ws.conditional_formatting.add(rng, CellIsRule(operator="equal", formula=[f'"{xl.CHECK_FAIL}"'],
                                                      fill=FAIL_FILL, font=Font(bold=True, color="9C0006")))
        ws.conditional_formatting.add(rng, CellIsRule(operator="equal", formula=[f'"{xl.CHECK_OK}"'],
                                                      fill=OK_FILL, font=Font(color="006100")))
        if chk.rule == "blank":
            ws.conditional_formatting.add(rng, CellIsRule(operator="equal", formula=[f'"{xl.CHECK_BLANK}"'],
                                                          fill=WARN_FILL, font=Font(color="7F6000")))
    _protect(ws)


def _key_value_sheet(ws: Worksheet, title: str, rows, values: dict, *, value_width: float,
                     tall: bool = False, notes: int = 0) -> None:
    """Labels in column A, input cells in column B, `notes` lines below them (printed too)."""
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = value_width
    head = ws.cell(1, 1, title)
    head.font = Font(bold=True, size=14)
    for i, (key, label) in enumerate(rows, start=xl.FIRST_VALUE_ROW):
        lab = ws.cell(i, 1, label)
        lab.font = Font(bold=True)
        lab.alignment = LEFT
        lab.fill = HEADER_FILL
        lab.border = BORDER
        cell = ws.cell(i, 2)
        cell.protection = UNLOCKED
        cell.fill = INPUT_FILL
        cell.border = BORDER
        cell.number_format = TEXT_FORMAT
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        value = values.get(key)
        if key == xl.YEAR_KEY:
            cell.number_format = "0"
            cell.value = value
        else:
            put_text(cell, None if value is None else str(value), f"{title} {label}")
        if tall:
            ws.row_dimensions[i].height = 150
    # the narrative's wide text column prints across the page, each section as tall as its cell
    _print_setup(ws, f"A1:B{xl.FIRST_VALUE_ROW + len(rows) + notes}", landscape=tall)


def write_agency_sheet(ws: Worksheet, layout_id: str, agency: dict | None, year: int | None) -> None:
    values = dict(agency or {})
    values[xl.YEAR_KEY] = year
    rows = xl.agency_rows()
    _key_value_sheet(ws, xl.SHEET_AGENCY, rows, values, value_width=50, notes=1)
    year_row = xl.FIRST_VALUE_ROW + [k for k, _ in rows].index(xl.YEAR_KEY)
    dv = DataValidation(type="whole", operator="between", formula1=str(schema.FIRST_YEAR),
                        formula2=str(schema.LAST_YEAR), allow_blank=True,
                        showErrorMessage=True, error="年度应为四位数字，如 2023", errorTitle="填写有误")
    dv.add(xl.ref(year_row, 2))
    ws.add_data_validation(dv)
    note = ws.cell(xl.FIRST_VALUE_ROW + len(rows) + 1, 1, f"报告格式：{schema.layout(layout_id).description}")
    note.font = Font(italic=True, color="555555")
    _protect(ws)


def write_narrative_sheet(ws: Worksheet, narrative: dict[str, str]) -> None:
    _key_value_sheet(ws, xl.SHEET_NARRATIVE, xl.narrative_rows(), narrative, value_width=110, tall=True)
    _protect(ws)


def write_meta_sheet(ws: Worksheet, layout_id: str) -> None:
    ws.append([xl.META_MARKER, xl.META_VERSION])
    ws.append(["layout", layout_id])
    ws.append(["sheet", "cell", "table", "row", "col"])
    for sl in xl.sheet_layouts(layout_id):
        for inp in sl.inputs:
            ws.append([sl.name, xl.ref(inp.row, inp.col), *inp.key])
    for i, (key, _) in enumerate(xl.agency_rows(), start=xl.FIRST_VALUE_ROW):
        ws.append([xl.SHEET_AGENCY, xl.ref(i, 2), "agency", key, ""])
    for i, (key, _) in enumerate(xl.narrative_rows(), start=xl.FIRST_VALUE_ROW):
        ws.append([xl.SHEET_NARRATIVE, xl.ref(i, 2), "narrative", key, ""])
    ws.sheet_state = "hidden"
    _protect(ws)


def build_workbook(layout_id: str = schema.DEFAULT_LAYOUT, *, agency: dict | None = None,
                   year: int | None = None, report: Report | None = None, fixed=frozenset()) -> Workbook:
    """The template for one layout; `report` (optional) prefills the figures and the narrative;
    the cells of `fixed` keep their prefilled value locked (the carry-over from last year)."""
    if report is not None and report.layout != layout_id:
        raise XxgkError(f"数据的报告格式是 {report.layout}，与模板格式 {layout_id} 不同 (layout mismatch)")
    wb = Workbook()
    wb.remove(wb.active)
    for sl in xl.sheet_layouts(layout_id):
        write_table_sheet(wb.create_sheet(sl.name), sl, report, fixed)
    write_agency_sheet(wb.create_sheet(xl.SHEET_AGENCY), layout_id, agency, year)
    write_narrative_sheet(wb.create_sheet(xl.SHEET_NARRATIVE), report.narrative if report else {})
    write_meta_sheet(wb.create_sheet(xl.SHEET_META), layout_id)
    wb.active = 0
    wb.calculation.fullCalcOnLoad = True   # the check formulas have no cached results: compute on open
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_template(path: str | Path, layout_id: str = schema.DEFAULT_LAYOUT, *, agency: dict | None = None,
                   year: int | None = None, report: Report | None = None, fixed=frozenset()) -> Path:
    """Write the template atomically (temp file in the same folder, then rename)."""
    schema.layout(layout_id)
    return write_bytes(path, workbook_bytes(build_workbook(layout_id, agency=agency, year=year, report=report,
                                                           fixed=fixed)))
