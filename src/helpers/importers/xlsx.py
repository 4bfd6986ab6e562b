"""Read a filled spreadsheet template (written by `xlsx.template`) back into a Report.

Cells are located by their labels, not by fixed addresses: each template row is found by the
labels it carries, in order, so rows inserted by the user (a note, an empty line) are skipped.
A row whose labels were edited, or columns that moved, are refused naming the sheet and cell
(e.g. 表三!C14). Inserted rows must not hold data in the table's value columns.
Blank input → BLANK, "不适用" → NA, never 0.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from .. import limits
from ..errors import InputError, InvalidAgencyId, InvalidValue, InvalidYear
from ..format import schema
from ..format.ids import check_agency_id, check_year
from ..format.model import Cell, Report, parse_value
from ..xlsx import layout as xl
from . import zipguard

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MAX_LISTED = 20   # errors listed in one message


def _norm(value) -> str:
    """Label text for comparison: whitespace (incl. line breaks typed in cells) does not count."""
    return "" if value is None else "".join(str(value).split())


def _is_formula(value) -> bool:
    return isinstance(value, str) and value.startswith("=")


def _sheet_members(zf) -> dict[str, str]:
    """zip member -> sheet name, from the workbook's own index (xl/workbook.xml and its rels)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"), parser)
    target = {r.get("Id"): r.get("Target", "").lstrip("/") for r in rels}
    book = etree.fromstring(zf.read("xl/workbook.xml"), parser)
    out = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        t = target.get(sheet.get(f"{_REL}id"), "")
        out[t if t.startswith("xl/") else f"xl/{t}"] = sheet.get("name", "?")
    return out


def check_size(path: Path) -> None:
    """Refuse, before openpyxl builds the workbook in memory, a sheet of more than
    limits.XLSX_SHEET_ROWS rows or a workbook of more than limits.XLSX_CELLS cells. The sheets'
    XML is streamed and counting stops at the bound: a million rows cost what the first few
    thousand cost."""
    import zipfile

    from lxml import etree

    cells = 0
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        for member, sheet in _sheet_members(zf).items():
            if member not in names:
                continue
            rows = 0
            with zf.open(member) as fh:
                for _, el in etree.iterparse(fh, events=("end",), tag=(f"{_MAIN}row", f"{_MAIN}c"),
                                             resolve_entities=False, no_network=True):
                    if el.tag == f"{_MAIN}row":
                        rows += 1
                        el.clear()
                    else:
                        cells += 1
                    if rows > limits.XLSX_SHEET_ROWS:
                        raise InputError(f"工作表“{sheet}”超过 {limits.XLSX_SHEET_ROWS} 行，远多于模板，"
                                         f"请删除多余的行 (too many rows)", file=str(path))
                    if cells > limits.XLSX_CELLS:
                        raise InputError(f"工作簿超过 {limits.XLSX_CELLS} 个单元格，远多于模板 (too many cells)",
                                         file=str(path))


def load(path: Path, *, data_only: bool = False):
    """Open the workbook after the zip-bomb check and the bounds on rows and cells; a corrupt file
    is an InputError, not a traceback."""
    from openpyxl import load_workbook

    zipguard.check(path)
    try:
        check_size(path)
    except InputError:
        raise
    except Exception as exc:   # damaged XML or zip index
        raise InputError(f"Excel 文件已损坏或不是 .xlsx 工作簿，无法读取 (corrupt workbook: {type(exc).__name__})",
                         file=str(path)) from None
    try:
        # a file object, not the path: openpyxl would refuse a name not ending in .xlsx, and the
        # kind of a file is decided by its content (importers.detect)
        with open(path, "rb") as fh:
            return load_workbook(fh, data_only=data_only)
    except Exception as exc:   # anything openpyxl/lxml/zipfile raise on a damaged file
        raise InputError(f"Excel 文件已损坏或不是 .xlsx 工作簿，无法读取 (corrupt workbook: {type(exc).__name__})",
                         file=str(path)) from None


class _Book:
    """The workbook plus, loaded only when needed, its cached formula results."""

    def __init__(self, path: Path):
        self.path = path
        self.wb = load(path)
        self._values = None

    def cached(self, sheet: str, row: int, col: int):
        if self._values is None:
            self._values = load(self.path, data_only=True)
        return self._values[sheet].cell(row, col).value

    def sheet(self, name: str):
        if name not in self.wb.sheetnames:
            raise InputError(f"缺少工作表“{name}”，不是本系统的填报模板 (missing sheet)", file=str(self.path))
        return self.wb[name]


def _fail(path: Path, ws, row: int, col: int, message: str, *, table: str = "", row_label: str = "",
          col_label: str = "") -> InputError:
    return InputError(f"{ws.title}!{xl.ref(row, col)}：{message}", file=str(path), table=table,
                      row=row_label, col=col_label)


# --- locating the template rows by label ------------------------------------------------------
def locate(path: Path, ws, sl: xl.SheetLayout) -> dict[int, int]:
    """Template row -> sheet row, matching each row's labels in order. Raises naming the cell."""
    text: dict[tuple[int, int], str] = {}

    def at(r: int, c: int) -> str:
        if (r, c) not in text:
            text[(r, c)] = _norm(ws.cell(r, c).value)
        return text[(r, c)]

    data_labels = [lab for lab in sl.labels if lab.kind != "check"]
    rows = sl.rows()
    input_rows = {c.row for c in sl.inputs}
    sig = {r: [(lab.col, _norm(lab.text)) for lab in data_labels if lab.row == r] for r in rows}
    optional = {r for r in rows if not sig[r] and r not in input_rows}
    for r in optional:   # rows of the check area: found by their own labels, may be missing
        sig[r] = [(lab.col, _norm(lab.text)) for lab in sl.labels if lab.row == r]
    signed = [r for r in rows if sig[r]]

    def matches(r: int, a: int) -> bool:
        return all(at(a, c) == t for c, t in sig[r])

    last = max(ws.max_row, max(rows))
    mapping: dict[int, int] = {}
    cursor, prev = 1, 0
    for r in rows:
        expect_at = cursor + (r - prev - 1)
        if not sig[r]:           # a row without labels (table 四's data row) follows the row before it
            mapping[r] = expect_at
            cursor, prev = expect_at + 1, r
            continue
        found = None
        for a in range(cursor, last + 1):
            if matches(r, a):
                found = a
                break
            if any(matches(o, a) for o in signed if o != r):
                break            # reached another template row: this one is missing or was edited
        if found is None:
            if r in optional:
                continue
            col, want = next((c, t) for c, t in sig[r] if at(expect_at, c) != t)
            got = ws.cell(expect_at, col).value
            label = next(lab.text for lab in data_labels if lab.row == r and lab.col == col)
            raise _fail(path, ws, expect_at, col,
                        f"应为“{label}”，读到“{'' if got is None else got}”。表格的标签被改动或行列被删改，"
                        f"无法按标签读取，请使用新的模板 (layout changed: label not found)",
                        table=sl.name)
        mapping[r] = found
        cursor, prev = found + 1, r
    _refuse_data_in_foreign_rows(path, ws, sl, set(mapping.values()))
    return mapping


def _refuse_data_in_foreign_rows(path: Path, ws, sl: xl.SheetLayout, own_rows: set[int]) -> None:
    lo, hi = sl.input_cols
    for r in range(1, ws.max_row + 1):
        if r in own_rows:
            continue
        for c in range(lo, hi + 1):
            v = ws.cell(r, c).value
            if v is not None and str(v).strip() and not _is_formula(v):
                raise _fail(path, ws, r, c, f"这一行不是模板中的行（插入的行？），但数据列中有内容“{v}”；"
                                            f"请删除，或填到模板相应的行中 (data in a row that is not part of the template)",
                            table=sl.name)


# --- cell values --------------------------------------------------------------------------------
def _decimals(number_format: str) -> int:
    """Decimal places a format such as '0.00' shows (0 for General and anything else)."""
    fmt = (number_format or "").split(";")[0]
    if "." not in fmt or "E" in fmt.upper():
        return 0
    return sum(ch == "0" for ch in fmt.split(".", 1)[1])


def to_cell(value, kind: str, number_format: str = "General") -> Cell:
    """A spreadsheet value as a Cell; InvalidValue (in Chinese) if it does not fit the field."""
    if value is None:
        return Cell(schema.BLANK)
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise InvalidValue(f"不是数字：{value!r}")
    if isinstance(value, str):
        text = value.strip()
        if text == "NA":   # only the exchange CSV spells 不适用 so; in the template it is a typo
            raise InvalidValue(f"不是数字：{value!r}（不适用请填“{schema.NA_TEXT}”）")
        return parse_value(text, kind)
    if isinstance(value, float):
        if kind in (schema.COUNT, schema.DELTA) and value.is_integer():
            text = str(int(value))
        else:
            text = format(Decimal(repr(value)), "f")
    else:
        text = format(value, "f") if isinstance(value, Decimal) else str(value)
    cell = parse_value(text, kind)
    if kind == schema.AMOUNT and cell.state == schema.NUMBER:
        places = _decimals(number_format)
        if places > max(0, -cell.value.as_tuple().exponent):   # only pad with zeros shown, never round
            cell = Cell(schema.NUMBER, cell.value.quantize(Decimal(1).scaleb(-places)))
    return cell


def read_table(book: _Book, sl: xl.SheetLayout, cells: dict, problems: list[InputError]) -> None:
    ws = book.sheet(sl.name)
    mapping = locate(book.path, ws, sl)
    t = sl.table
    for inp in sl.inputs:
        row = mapping[inp.row]
        cell = ws.cell(row, inp.col)
        value = cell.value
        _, rk, ck = inp.key
        where = dict(table=sl.name, row_label=t.row_label(rk), col_label=t.col_label(rk, ck))
        if _is_formula(value):
            value = book.cached(sl.name, row, inp.col)
            if value is None:
                problems.append(_fail(book.path, ws, row, inp.col, "是公式但没有计算结果；请在 Excel 中打开并保存，"
                                      "或直接填数字 (formula without a computed value)", **where))
                continue
        try:
            cells[inp.key] = to_cell(value, inp.kind, cell.number_format)
        except InvalidValue as exc:
            problems.append(_fail(book.path, ws, row, inp.col, str(exc), **where))


def _by_label(book: _Book, sheet: str, rows) -> dict[str, tuple[int, object]]:
    """key -> (sheet row, value in column B) for a label/value sheet, rows found by their label in column A."""
    ws = book.sheet(sheet)
    where = {_norm(ws.cell(r, 1).value): r for r in range(ws.max_row, 0, -1)}
    out = {}
    for i, (key, label) in enumerate(rows, start=xl.FIRST_VALUE_ROW):
        r = where.get(_norm(label))
        if r is None:
            got = ws.cell(i, 1).value
            raise _fail(book.path, ws, i, 1, f"应为“{label}”，读到“{'' if got is None else got}” (label not found)")
        out[key] = (r, ws.cell(r, 2).value)
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)   # an id or postcode typed as a number
    return str(value).replace("\r\n", "\n")


def read_agency(book: _Book, agency: str | None, year: int | None) -> tuple[str, int, dict | None]:
    """Agency id, year and (if a name is given) the agency record from the agency sheet."""
    found = _by_label(book, xl.SHEET_AGENCY, xl.agency_rows())
    ws = book.sheet(xl.SHEET_AGENCY)
    labels = dict(xl.agency_rows())

    def fail(key: str, message: str) -> InputError:
        return _fail(book.path, ws, found[key][0], 2, f"{labels[key]}：{message}")

    ag = _text(found["id"][1]).strip()
    if ag:
        try:
            check_agency_id(ag)
        except InvalidAgencyId as exc:
            raise fail("id", str(exc)) from None
        if agency and ag != agency:
            raise fail("id", f"表中的机构 {ag} 与 --agency {agency} 不符 (agency mismatch)")
    elif agency:
        ag = check_agency_id(agency)
    else:
        raise fail("id", "请填写机构标识，或导入时加 --agency (agency id missing)")
    yv = found[xl.YEAR_KEY][1]
    if yv is not None and _text(yv).strip():
        try:
            yr = check_year(_text(yv).strip())
        except InvalidYear as exc:
            raise fail(xl.YEAR_KEY, str(exc)) from None
        if year and yr != int(year):
            raise fail(xl.YEAR_KEY, f"表中的年度 {yr} 与 --year {year} 不符 (year mismatch)")
    elif year:
        yr = int(year)
    else:
        raise fail(xl.YEAR_KEY, "请填写年度，或导入时加 --year (year missing)")
    record = {k: _text(found[k][1]).strip() for k in schema.AGENCY_SHEET_FIELDS}
    record["id"] = ag
    if record["parent_id"]:
        try:
            check_agency_id(record["parent_id"])
        except InvalidAgencyId as exc:
            raise fail("parent_id", str(exc)) from None
    else:
        record["parent_id"] = None
    return ag, yr, (record if record["name"] else None)


def read_narrative(book: _Book) -> dict[str, str]:
    found = _by_label(book, xl.SHEET_NARRATIVE, xl.narrative_rows())
    return {k: _text(v) for k, (_, v) in found.items() if _text(v).strip()}


# --- layout --------------------------------------------------------------------------------------
def _declared_layout(book: _Book) -> str | None:
    """The layout id the template's hidden sheet records (None if the sheet is gone)."""
    if xl.SHEET_META not in book.wb.sheetnames:
        return None
    ws = book.wb[xl.SHEET_META]
    if ws.cell(1, 1).value != xl.META_MARKER or ws.cell(2, 1).value != "layout":
        return None
    lay = str(ws.cell(2, 2).value or "")
    if lay not in schema.LAYOUTS:
        raise InputError(f"模板记录的报告格式 {lay!r} 未知 (unknown layout in the template)", file=str(book.path))
    keys = {(ws.cell(r, 3).value, ws.cell(r, 4).value, ws.cell(r, 5).value) for r in range(4, ws.max_row + 1)
            if ws.cell(r, 3).value in schema.TABLE_IDS}
    if keys != set(schema.cell_keys(lay)):
        raise InputError(f"模板的隐藏信息与报告格式 {lay} 不符，请使用新的模板 (template metadata does not match)",
                         file=str(book.path))
    return lay


def _layout_by_labels(book: _Book) -> str:
    """Without the hidden sheet: the first layout whose table labels all match."""
    first_error = None
    for lay in schema.LAYOUTS:
        try:
            for sl in xl.sheet_layouts(lay):
                locate(book.path, book.sheet(sl.name), sl)
            return lay
        except InputError as exc:
            first_error = first_error or exc
    raise first_error


def read(path: Path, *, agency: str | None = None, year: int | None = None,
         partial: bool = False) -> list[Report]:
    path = Path(path)
    book = _Book(path)
    lay = _declared_layout(book) or _layout_by_labels(book)
    ag, yr, record = read_agency(book, agency, year)
    rep = Report(ag, yr, lay, source=str(path), agency_record=record)
    problems: list[InputError] = []
    for sl in xl.sheet_layouts(lay):
        try:
            read_table(book, sl, rep.cells, problems)
        except InputError as exc:
            if not partial:
                raise
            rep.unread.append(f"{sl.name}：{exc.detail}")
    if problems and not partial:
        first = problems[0]
        more = ""
        if len(problems) > 1:
            listed = [f"  {p.detail}（{p.row} · {p.col}）" for p in problems[1:MAX_LISTED]]
            if len(problems) > MAX_LISTED:
                listed.append(f"  ……共 {len(problems)} 处")
            more = f"；另有 {len(problems) - 1} 处错误：\n" + "\n".join(listed)
        raise InputError(first.detail + more, file=first.file, table=first.table, row=first.row, col=first.col,
                         problems=[str(p) for p in problems])
    rep.unread.extend(str(p) for p in problems)
    rep.narrative = read_narrative(book)
    rep.narrative_complete = False    # a section left empty in the sheet keeps its stored text
    return [rep]
