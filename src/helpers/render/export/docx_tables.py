"""Tables 二, 三 and 四 as real Word tables with the official merges.

    table_xml(table, cells) -> a <w:tbl> element

The merges come from the same grid as the HTML tables (report/table_grid.py), as in the official
template (国办 2021, ../shared/reference/政务公开年报模版.docx): a column span is a gridSpan, a row
span a vMerge that restarts in its first row and continues below. The header rows repeat on every
page (tblHeader) and no row breaks across pages (cantSplit). `cells` gives what each value cell
shows (as printed on the page: a number, 0 for a blank, 不适用) and its marks in a draft; a number
too wide for its narrow column is set in the smaller size the page gives it (table_grid.number_size).
"""
from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from ...report import table_grid
from .docx_page import NS, TEXT_WIDTH

# column widths as report.css gives them (table 三: two narrow group columns, a wide label column)
_T3_WIDTHS = (8, 8, 31) + (7.5,) * 7
BORDER = '<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
# fills of marked cells in a draft (report.css: td.finding, td.finding.warning, td.blank)
FILLS = {"error": "FDE2E2", "warning": "FFF3CD", "blank": "EEF3FF"}


@dataclass(frozen=True)
class ShownCell:
    text: str
    mark: str = ""      # "", "error", "warning" or "blank"


def column_widths(table) -> list[int]:
    """Twips per grid column; together the text width."""
    shares = _T3_WIDTHS if table.id == "t3" else (1,) * table.width
    total = sum(shares)
    widths = [int(TEXT_WIDTH * s / total) for s in shares]
    widths[-1] += TEXT_WIDTH - sum(widths)
    return widths


def _cell(width: int, span: int, text: str, *, style: str, merge: str = "", fill: str = "",
          bold: bool = False, size: float | None = None) -> str:
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if merge == "restart":
        props.append('<w:vMerge w:val="restart"/>')
    elif merge == "continue":
        props.append("<w:vMerge/>")
    if fill:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>')
    props.append('<w:vAlign w:val="center"/>')
    run = ""
    if text:
        run_props = ("<w:b/>" if bold else "") + (f'<w:sz w:val="{round(size * 2)}"/>' if size else "")
        rpr = f"<w:rPr>{run_props}</w:rPr>" if run_props else ""
        run = f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    return (f'<w:tc><w:tcPr>{"".join(props)}</w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{run}</w:p></w:tc>')


def _rows(grid, widths: list[int], cells: dict[tuple[str, str], ShownCell]) -> list[str]:
    """<w:tr> of every grid row: positions covered by a row span from above get a continuing cell."""
    covered: dict[int, tuple[int, int]] = {}      # column -> (rows still covered, colspan)
    out = []
    for row in grid.head + grid.body:
        tcs, queue, col = [], list(row.cells), 0
        while col < grid.width:
            if covered.get(col, (0, 0))[0] > 0:
                left, span = covered[col]
                covered[col] = (left - 1, span)
                tcs.append(_cell(sum(widths[col:col + span]), span, "", style="TableText", merge="continue"))
                col += span
                continue
            cell = queue.pop(0)
            width = sum(widths[col:col + cell.colspan])
            if cell.rowspan > 1:
                covered[col] = (cell.rowspan - 1, cell.colspan)
            merge = "restart" if cell.rowspan > 1 else ""
            if cell.kind == table_grid.VALUE:
                shown = cells.get((cell.row, cell.col), ShownCell(""))
                tcs.append(_cell(width, cell.colspan, shown.text, style="TableText", merge=merge,
                                 fill=FILLS.get(shown.mark, ""),
                                 size=table_grid.number_size(grid.table.id, shown.text)))
            else:
                style = "TableLabel" if cell.kind == table_grid.LABEL else "TableText"
                tcs.append(_cell(width, cell.colspan, cell.text, style=style, merge=merge))
            col += cell.colspan
        head = "<w:tblHeader/>" if row.kind == table_grid.HEAD else ""
        out.append(f"<w:tr><w:trPr><w:cantSplit/>{head}</w:trPr>{''.join(tcs)}</w:tr>")
    return out


def table_xml(table, cells: dict[tuple[str, str], ShownCell]):
    """The Word table of `table` (schema.Table) showing `cells` ((row, col) -> ShownCell)."""
    from docx.oxml import parse_xml

    grid = table_grid.grid(table)
    widths = column_widths(table)
    borders = "".join(BORDER.format(side=s) for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    xml = (f'<w:tbl {NS}><w:tblPr><w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>'
           f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
           '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="60" w:type="dxa"/>'
           '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar>'
           f'<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>{"".join(f"<w:gridCol w:w={chr(34)}{w}{chr(34)}/>" for w in widths)}'
           f'</w:tblGrid>{"".join(_rows(grid, widths, cells))}</w:tbl>')
    return parse_xml(xml)
