"""The official layout of tables 二, 三 and 四 as a grid of cells with their spans, from the schema.

    grid(table) -> TableGrid   header rows and body rows of GridCells

Both the HTML tables (tables.py) and the Word tables (render/export/docx_tables.py) are drawn from
this grid, so the merges are defined once: table 二 in blocks (a caption row over all columns, a
header row, the data rows; a single value column spans the three), table 三 with the three-row
header under the 勾稽关系 note and the row groups 三、本年度办理结果 / （三）… spanning their rows,
table 四 with its three header rows over one data row.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..format import schema

# cell kinds
NOTE, HEADER, CAPTION, GROUP, LABEL, VALUE = "note", "header", "caption", "group", "label", "value"
# row kinds
HEAD, BLOCK_CAPTION, BLOCK_HEADER, BODY = "head", "block-caption", "block-header", "body"


@dataclass(frozen=True)
class GridCell:
    kind: str
    text: str = ""          # labels; value cells have none (the report gives it)
    row: str = ""           # value cells: the cell's keys
    col: str = ""
    rowspan: int = 1
    colspan: int = 1
    scope: str = ""         # what a header cell heads (HTML scope): col, colgroup, row, rowgroup


@dataclass(frozen=True)
class GridRow:
    kind: str
    cells: tuple[GridCell, ...]


@dataclass(frozen=True)
class TableGrid:
    table: schema.Table
    head: tuple[GridRow, ...]     # repeated on every page
    body: tuple[GridRow, ...]

    @property
    def width(self) -> int:
        return self.table.width


def _header_rows(table: schema.Table) -> list[GridRow]:
    rows = []
    for header_row in table.header:
        cells = []
        for h in header_row:
            if h.label == table.note:
                cells.append(GridCell(NOTE, h.label, rowspan=h.rowspan, colspan=h.colspan))
            else:
                cells.append(GridCell(HEADER, h.label, rowspan=h.rowspan, colspan=h.colspan,
                                      scope="colgroup" if h.colspan > 1 else "col"))
        rows.append(GridRow(HEAD, tuple(cells)))
    return rows


def _t2_rows(table: schema.Table) -> list[GridRow]:
    rows = []
    values_width = table.width - 1
    for block in table.blocks:
        rows.append(GridRow(BLOCK_CAPTION, (GridCell(CAPTION, block.caption, colspan=table.width, scope="colgroup"),)))
        # the last header cell spans what is left (a single value column spans all three)
        spans = [1] * (len(block.header) - 1) + [values_width - len(block.header) + 1]
        head = [GridCell(HEADER, schema.T2_ROW_LABEL_HEADER, scope="col")]
        head += [GridCell(HEADER, label, colspan=s, scope="col") for label, s in zip(block.header, spans)]
        rows.append(GridRow(BLOCK_HEADER, tuple(head)))
        for row in block.rows:
            cells = [GridCell(LABEL, row.label, scope="row")]
            cells += [GridCell(VALUE, row=row.key, col=f.key, colspan=s) for f, s in zip(row.fields, spans)]
            rows.append(GridRow(BODY, tuple(cells)))
    return rows


def _group_runs(table: schema.Table, depth: int) -> dict[int, int]:
    """Row index -> rowspan for the first row of each run of rows sharing groups[:depth+1]."""
    runs: dict[int, int] = {}
    start = None
    for i, row in enumerate(table.rows):
        key = row.groups[:depth + 1] if len(row.groups) > depth else None
        if start is not None and key == table.rows[start].groups[:depth + 1]:
            runs[start] += 1
            continue
        start = i if key is not None else None
        if start is not None:
            runs[start] = 1
    return runs


def _t3_rows(table: schema.Table) -> list[GridRow]:
    depth = max(len(r.groups) for r in table.rows)
    runs = [_group_runs(table, d) for d in range(depth)]
    rows = []
    for i, row in enumerate(table.rows):
        cells = [GridCell(GROUP, group, rowspan=runs[d][i], scope="rowgroup")
                 for d, group in enumerate(row.groups) if i in runs[d]]
        # the row label fills the label columns its groups leave free
        cells.append(GridCell(LABEL, row.label, colspan=table.label_columns - len(row.groups), scope="row"))
        cells += [GridCell(VALUE, row=row.key, col=c.key) for c in table.columns]
        rows.append(GridRow(BODY, tuple(cells)))
    return rows


def _t4_rows(table: schema.Table) -> list[GridRow]:
    return [GridRow(BODY, tuple(GridCell(VALUE, row=row.key, col=c.key) for row in table.rows for c in table.columns))]


@cache
def grid(table: schema.Table) -> TableGrid:
    body = {"t2": _t2_rows, "t3": _t3_rows, "t4": _t4_rows}[table.id](table)
    return TableGrid(table, tuple(_header_rows(table)), tuple(body))


# Numbers in the narrow value columns of tables 三 and 四 on the 公文's 156 mm line (report.css,
# docx_tables.py): 7.5 % and a fifteenth of the line, less 3 pt padding on each side. A number
# wider than its column runs into the next cell, where readers of the PDF see one number
# ('1001203 96'); it is printed smaller instead, as much as it needs.
LINE_MM = 156.0
TABLE_PT, SMALLEST_PT = 9.5, 4.0
DIGIT_EM = 0.565          # the widest digit of Noto Serif CJK SC (宋体's are half an em)
PT_MM = 25.4 / 72
VALUE_COLUMN_MM = {"t3": LINE_MM * 0.075, "t4": LINE_MM / 15}


def number_size(table_id: str, text: str) -> float | None:
    """The font size (pt, in half points) at which the number `text` fits its value column, or
    None when the table's own size fits."""
    column = VALUE_COLUMN_MM.get(table_id)
    if column is None or not text.isascii():
        return None
    room = column - 2 * 3 * PT_MM
    if len(text) * DIGIT_EM * TABLE_PT * PT_MM <= room:
        return None
    return max(SMALLEST_PT, int(room / (len(text) * DIGIT_EM * PT_MM) * 2) / 2)
