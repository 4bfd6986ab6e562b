"""Where every piece of the spreadsheet template goes, computed from `helpers.format.schema`.

Shared by the writer (`xlsx.template`) and the reader (`importers/xlsx`): both work from the same
`SheetLayout`, so a cell the writer puts at 表三!D5 is the cell the reader expects there. Positions
are 1-based (row, column) as in openpyxl. No openpyxl import here: this is plain geometry.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from ..format import schema

SHEET_AGENCY = "机构信息"
SHEET_NARRATIVE = "报告正文"
SHEET_META = "_xxgk"            # hidden: layout id and the schema key of every input cell
META_MARKER = "xxgk-template"
META_VERSION = "1"

CHECK_OK, CHECK_FAIL = "OK", "不符"
CHECK_BLANK = "有空白"          # rule `blank`: a warning, not a broken identity
CHECK_HEADER = "核对"           # heading of the check area


# Printing: text widths in spreadsheet column units (the width of "0" in the 11 pt default font); a
# CJK character is about two of them, bold a little more.
FONT_POINTS, TITLE_POINTS = 11, 14
LINE_SPACING = 1.45          # line height / font size for CJK text
DEFAULT_ROW_POINTS = 15.0
DEFAULT_COL_WIDTH = 8.43
BOLD_KINDS = ("title", "header", "caption")


def text_width(text: str, bold: bool = False) -> float:
    """The width of `text` in column units."""
    import unicodedata

    units = sum(2.2 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)
    return units * (1.1 if bold else 1.0)


def col_letter(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def ref(row: int, col: int) -> str:
    return f"{col_letter(col)}{row}"


@dataclass(frozen=True)
class LabelCell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    kind: str = "label"     # title / caption / header / group / label / note / check


@dataclass(frozen=True)
class InputCell:
    row: int
    col: int
    key: tuple[str, str, str]   # (table, row, col) of the schema
    kind: str                   # schema.COUNT / AMOUNT / DELTA
    colspan: int = 1


@dataclass(frozen=True)
class CheckCell:
    row: int
    col: int
    rule: str                   # schema.RULES id
    formula: str
    colspan: int = 1


@dataclass
class SheetLayout:
    name: str
    table: schema.Table
    width: int
    labels: list[LabelCell] = field(default_factory=list)
    inputs: list[InputCell] = field(default_factory=list)
    checks: list[CheckCell] = field(default_factory=list)
    col_widths: dict[int, float] = field(default_factory=dict)
    landscape: bool = False                       # printed across an A4 page
    header_rows: tuple[int, int] | None = None    # printed again on top of every page

    @property
    def last_row(self) -> int:
        return max(c.row + getattr(c, "rowspan", 1) - 1 for c in (*self.labels, *self.inputs, *self.checks))

    @property
    def last_col(self) -> int:
        return max(c.col + c.colspan - 1 for c in (*self.labels, *self.inputs, *self.checks))

    def print_area(self) -> str:
        return f"A1:{ref(self.last_row, self.last_col)}"

    def row_heights(self) -> dict[int, float]:
        """Points each row needs so that every label is printed whole (wrapped in its merged
        cell); spreadsheets do not grow rows for wrapped text in a file they open."""
        need: dict[int, float] = {}
        for lab in self.labels:
            width = sum(self.col_widths.get(c, DEFAULT_COL_WIDTH) for c in range(lab.col, lab.col + lab.colspan))
            size = TITLE_POINTS if lab.kind == "title" else FONT_POINTS
            lines = -(-text_width(lab.text, bold=lab.kind in BOLD_KINDS) * size / FONT_POINTS // (width - 1))
            per_row = lines * size * LINE_SPACING / lab.rowspan + 4
            for r in range(lab.row, lab.row + lab.rowspan):
                need[r] = max(need.get(r, 0), per_row)
        return {r: round(max(h, DEFAULT_ROW_POINTS), 1) for r, h in need.items()}

    def position(self) -> dict[tuple[str, str, str], tuple[int, int]]:
        return {c.key: (c.row, c.col) for c in self.inputs}

    @property
    def input_cols(self) -> tuple[int, int]:
        cols = [c.col for c in self.inputs] + [c.col + c.colspan - 1 for c in self.inputs]
        return min(cols), max(cols)

    def rows(self) -> list[int]:
        """Every template row that holds labels or inputs, top to bottom."""
        return sorted({c.row for c in self.labels} | {c.row for c in self.inputs})


def place_header(header: tuple[tuple[schema.HeaderCell, ...], ...], top: int, left: int) -> list[LabelCell]:
    """Place header cells with row/col spans the way an HTML table does (skip occupied slots)."""
    taken: set[tuple[int, int]] = set()
    out = []
    for i, hrow in enumerate(header):
        r, c = top + i, left
        for hc in hrow:
            while (r, c) in taken:
                c += 1
            out.append(LabelCell(r, c, hc.label, hc.rowspan, hc.colspan,
                                 "note" if hc.label == schema.T3_NOTE else "header"))
            taken.update((r + dr, c + dc) for dr in range(hc.rowspan) for dc in range(hc.colspan))
            c += hc.colspan
    return out


def _title(t: schema.Table, width: int) -> LabelCell:
    return LabelCell(1, 1, schema.SECTION_BY_KEY[t.section].heading, colspan=width, kind="title")


def _ok(test: str) -> str:
    return f'=IF({test},"{CHECK_OK}","{CHECK_FAIL}")'


def _row_total(pos: dict, t: schema.Table, row: str) -> str:
    """总计 = the sum of the row's other columns, which stand before it side by side (rules
    applicant_total and review_total)."""
    first, last, total = (ref(*pos[(t.id, row, c.key)]) for c in (t.columns[0], t.columns[-2], t.columns[-1]))
    return _ok(f"N({total})=SUM({first}:{last})")


def _count_blank(inputs: list[InputCell]) -> str:
    """Excel's number of empty input cells: COUNTIF(range,"") over each run of side-by-side single
    cells of a row (a merged input counts as its first cell: the others of the merge are empty)."""
    runs: list[list[InputCell]] = []
    for c in sorted(inputs, key=lambda c: (c.row, c.col)):
        last = runs[-1][-1] if runs else None
        if last and last.row == c.row and last.colspan == c.colspan == 1 and last.col + 1 == c.col:
            runs[-1].append(c)
        else:
            runs.append([c])
    refs = [ref(r[0].row, r[0].col) + (f":{ref(r[-1].row, r[-1].col)}" if len(r) > 1 else "") for r in runs]
    return "+".join(f'COUNTIF({x},"")' for x in refs)


def _blank_check(sl: SheetLayout, row: int, label_cols: int) -> None:
    """The row that tells whether any input cell of the sheet is still empty (rule `blank`), in the
    rule's own words: label over `label_cols` columns, the verdict over the rest of the width."""
    rule = schema.RULES["blank"]
    sl.labels.append(LabelCell(row, 1, f"{CHECK_HEADER}：{rule.title}（{rule.advice}）", colspan=label_cols,
                               kind="check"))
    formula = f'=IF({_count_blank(sl.inputs)}=0,"{CHECK_OK}","{CHECK_BLANK}")'
    sl.checks.append(CheckCell(row, label_cols + 1, "blank", formula, colspan=sl.table.width - label_cols))


def _t2(t: schema.Table) -> SheetLayout:
    w = t.width
    sl = SheetLayout(schema.table_name(t.id), t, w, col_widths={1: 22, **{c: 16 for c in range(2, w + 1)}})
    sl.labels.append(_title(t, w))
    r = 2
    for block in t.blocks:
        sl.labels.append(LabelCell(r, 1, block.caption, colspan=w, kind="caption"))
        r += 1
        sl.labels.append(LabelCell(r, 1, schema.T2_ROW_LABEL_HEADER, kind="header"))
        n = len(block.header)
        for j, text in enumerate(block.header):   # the last header cell fills the remaining columns
            sl.labels.append(LabelCell(r, 2 + j, text, colspan=(w - 1 - j) if j == n - 1 else 1, kind="header"))
        r += 1
        for row in block.rows:
            sl.labels.append(LabelCell(r, 1, row.label))
            m = len(row.fields)
            for j, f in enumerate(row.fields):
                sl.inputs.append(InputCell(r, 2 + j, (t.id, row.key, f.key), f.kind,
                                           colspan=(w - 1 - j) if j == m - 1 else 1))
            r += 1
    _blank_check(sl, r, 2)
    return sl


def _t3(t: schema.Table) -> SheetLayout:
    lc = t.label_columns
    w = t.width
    sl = SheetLayout(schema.table_name(t.id), t, w + 1,
                     col_widths={1: 12, 2: 14, 3: 44, **{c: 11 for c in range(lc + 1, w + 1)}, w + 1: 16},
                     landscape=True, header_rows=(2, 1 + len(t.header)))
    sl.labels.append(_title(t, w))
    sl.labels.extend(place_header(t.header, 2, 1))
    top = 2 + len(t.header)
    check_col = w + 1
    sl.labels.append(LabelCell(2, check_col, f"{CHECK_HEADER}：{schema.RULES['applicant_total'].title}",
                               rowspan=len(t.header), kind="check"))
    # group cells: one per run of consecutive rows sharing the same group prefix, merged vertically
    runs: dict[tuple[int, tuple[str, ...]], list[int]] = {}
    for i, row in enumerate(t.rows):
        for d in range(len(row.groups)):
            runs.setdefault((d, row.groups[:d + 1]), []).append(top + i)
    for (d, path), rows_ in runs.items():
        sl.labels.append(LabelCell(rows_[0], d + 1, path[-1], rowspan=len(rows_), kind="group"))
    for i, row in enumerate(t.rows):
        r = top + i
        g = len(row.groups)
        sl.labels.append(LabelCell(r, g + 1, row.label, colspan=lc - g))
        for j, c in enumerate(t.columns):
            sl.inputs.append(InputCell(r, lc + 1 + j, (t.id, row.key, c.key), c.kind))
    pos = sl.position()
    # check area: applicant_total per row (right), balance and outcome_total per column (below)
    for row in t.rows:
        r, _ = pos[(t.id, row.key, "total")]
        sl.checks.append(CheckCell(r, check_col, "applicant_total", _row_total(pos, t, row.key)))
    r = top + len(t.rows)
    outcome = schema.outcome_rows(t)
    for rule, build in (
            ("balance", lambda c: "N({})+N({})=N({})+N({})".format(*(ref(*pos[(t.id, k, c)]) for k in (
                "new_received", "carried_over", "processed_total", "carried_forward")))),
            ("outcome_total", lambda c: "N({})=SUM({}:{})".format(*(ref(*pos[(t.id, k, c)]) for k in (
                "processed_total", outcome[0], outcome[-1]))))):
        sl.labels.append(LabelCell(r, 1, f"{CHECK_HEADER}：{schema.RULES[rule].title}", colspan=lc, kind="check"))
        for c in t.columns:
            sl.checks.append(CheckCell(r, pos[(t.id, "new_received", c.key)][1], rule, _ok(build(c.key))))
        r += 1
    _blank_check(sl, r, lc)
    return sl


def _t4(t: schema.Table) -> SheetLayout:
    w = t.width
    sl = SheetLayout(schema.table_name(t.id), t, w, col_widths={c: 10 for c in range(1, w + 1)}, landscape=True,
                     header_rows=(2, 1 + len(t.header)))
    sl.labels.append(_title(t, w))
    sl.labels.extend(place_header(t.header, 2, 1))
    r = 2 + len(t.header)
    n = len(t.columns)
    for g, row in enumerate(t.rows):
        for j, c in enumerate(t.columns):
            sl.inputs.append(InputCell(r, 1 + g * n + j, (t.id, row.key, c.key), c.kind))
    pos = sl.position()
    sl.labels.append(LabelCell(r + 1, 1, f"{CHECK_HEADER}：{schema.RULES['review_total'].title}",
                               colspan=w, kind="check"))
    for g, row in enumerate(t.rows):
        sl.checks.append(CheckCell(r + 2, 1 + g * n, "review_total", _row_total(pos, t, row.key), colspan=n))
    _blank_check(sl, r + 3, n)
    return sl


@cache
def sheet_layouts(layout_id: str) -> tuple[SheetLayout, ...]:
    """The three table sheets of a layout, in report order."""
    build = {"t2": _t2, "t3": _t3, "t4": _t4}
    return tuple(build[t.id](t) for t in schema.layout(layout_id).tables())


# --- the agency and narrative sheets: label in column A, value in column B ---------------------
YEAR_KEY = "year"
FIRST_VALUE_ROW = 2   # row 1 holds the sheet's heading


def agency_rows() -> tuple[tuple[str, str], ...]:
    """(key, label) of the agency sheet's rows, from FIRST_VALUE_ROW: agency fields, then year."""
    return tuple((k, schema.AGENCY_FIELD_LABELS[k]) for k in schema.AGENCY_SHEET_FIELDS) + ((YEAR_KEY, schema.YEAR_LABEL),)


def narrative_rows() -> tuple[tuple[str, str], ...]:
    """(key, heading) of the narrative sheet's rows, from FIRST_VALUE_ROW."""
    return tuple((k, schema.narrative_heading(k)) for k in schema.NARRATIVE_KEYS)
