"""Tables 二, 三 and 四 as HTML in the official layout of FORMAT.md (the grid of table_grid.py, from
`helpers.format.schema`).

    table_html(report, "t3", findings=(), mode="publish") -> HtmlFragment (a str)
    check_panel_html(findings, report=None) -> HtmlFragment

Markup contract (for the CSS and for tests): `<table class="official t3" data-table="t3"
data-layout="2021">`; every value cell is a `<td class="num" data-row=… data-col=… id=…>`;
header cells are `<th>` with `scope`. Cell states (rule `blank`: a blank is not a zero):
a number prints as stored (fees keep their decimals); 不适用 prints 不适用 (class `na`); a blank
cell prints 0 — in draft mode it is also marked (class `blank`, with a title). Cells named by
`findings` get `class="finding error|warning"` and the messages as title, and the check panel
links to them by their id (`cell-<table>-<row>-<col>`). A number too wide for its narrow column
(tables 三/四) carries the smaller font size it fits at (table_grid.number_size) as its style.
"""
from __future__ import annotations

from typing import Iterable

from markupsafe import escape

from ..checks.findings import count, is_error
from ..format import schema
from ..format.model import Cell, Report, format_number
from . import table_grid
from .html_fragment import HtmlFragment
from .mode import Mode

BLANK_TITLE = f"{schema.RULES['blank'].title}：发布稿中印为 0。{schema.RULES['blank'].advice}"


def _attrs(**attrs) -> str:
    """HTML attributes, escaped; None/False/1-spans omitted. `class_` -> class, data_row -> data-row."""
    out = []
    for name, value in attrs.items():
        if value is None or value is False or (name in ("rowspan", "colspan") and value == 1):
            continue
        name = name.rstrip("_").replace("_", "-")
        out.append(f' {name}="{escape(str(value))}"')
    return "".join(out)


def cell_id(table_id: str, row: str, col: str, prefix: str = "") -> str:
    return f"{prefix}cell-{table_id}-{row}-{col}"


class _Findings:
    """Findings indexed by the cells they concern (a finding without row or column covers all of them)."""

    def __init__(self, findings: Iterable):
        self.items = list(findings)

    def at(self, table_id: str, row: str, col: str) -> list:
        out = []
        for f in self.items:
            if getattr(f, "table", None) != table_id:
                continue
            cells = getattr(f, "cells", ())
            if cells:    # a finding about several cells names them
                if (table_id, row, col) in cells:
                    out.append(f)
                continue
            frow, fcol = getattr(f, "row", None), getattr(f, "col", None)
            if (frow in (None, "", row)) and (fcol in (None, "", col)):
                out.append(f)
        return out


def _value_cell(report: Report, table_id: str, row: str, col: str, mode: str, findings: _Findings,
                colspan: int = 1, id_prefix: str = "") -> str:
    cell: Cell = report.get(table_id, row, col)
    classes = ["num"]
    titles = []
    if cell.state == schema.NA:
        text = schema.NA_TEXT
        classes.append("na")
    elif cell.state == schema.BLANK:
        text = "0"  # FORMAT.md: always print 0 in a generated report
        if mode == Mode.DRAFT:
            classes.append("blank")
            titles.append(BLANK_TITLE)
    else:
        text = format_number(cell.value)
    hits = findings.at(table_id, row, col)
    if hits:
        severities = {getattr(f, "severity", schema.ERROR) for f in hits}
        classes += ["finding", schema.ERROR if schema.ERROR in severities else schema.WARNING]
        titles += [str(getattr(f, "message", "")) for f in hits]
    size = table_grid.number_size(table_id, text)
    style = f"font-size: {size:g}pt" if size else None
    return (f"<td{_attrs(class_=' '.join(classes), colspan=colspan, id=cell_id(table_id, row, col, id_prefix), data_row=row, data_col=col, title=chr(10).join(titles) or None, style=style)}>"
            f"{escape(text)}</td>")


def _header_cell(cell: table_grid.GridCell) -> str:
    if cell.kind == table_grid.NOTE:
        return f"<th{_attrs(class_='note', rowspan=cell.rowspan, colspan=cell.colspan)}>{escape(cell.text)}</th>"
    css = "group" if cell.kind == table_grid.GROUP else None
    return (f"<th{_attrs(scope=cell.scope, rowspan=cell.rowspan, colspan=cell.colspan, class_=css)}>"
            f"{escape(cell.text)}</th>")


def _row_html(report: Report, table_id: str, row: table_grid.GridRow, mode: str, findings: _Findings,
              prefix: str) -> str:
    cells = "".join(_value_cell(report, table_id, c.row, c.col, mode, findings, c.colspan, prefix)
                    if c.kind == table_grid.VALUE else _header_cell(c) for c in row.cells)
    css = row.kind if row.kind in (table_grid.BLOCK_CAPTION, table_grid.BLOCK_HEADER) else None
    return f"<tr{_attrs(class_=css)}>{cells}</tr>"


def table_html(report: Report, table_id: str, findings: Iterable = (), *, mode: str = Mode.PUBLISH,
               id_prefix: str = "") -> HtmlFragment:
    """One of the three tables of `report` (its own layout) as an HTML <table>.

    `findings` (objects with rule, severity, table, row, col, message — helpers.checks.Finding)
    highlight their cells; pass them in draft mode. `id_prefix` keeps cell ids unique when one
    page shows tables of several reports.
    """
    mode = Mode(mode)   # ValueError for anything but draft/publish
    table = report.table(table_id)
    found = _Findings(findings)
    layout = table_grid.grid(table)
    head = [_row_html(report, table_id, r, mode, found, id_prefix) for r in layout.head]
    body = [_row_html(report, table_id, r, mode, found, id_prefix) for r in layout.body]
    cols = "".join("<col>" for _ in range(table.width))
    parts = [f"<table{_attrs(class_=f'official {table_id}', data_table=table_id, data_layout=report.layout, data_version=table.version)}>",
             f"<colgroup>{cols}</colgroup>"]
    if head:
        parts.append("<thead>" + "".join(head) + "</thead>")
    parts.append("<tbody>" + "".join(body) + "</tbody></table>")
    return HtmlFragment("\n".join(parts))


def finding_place(finding, layout: str) -> str:
    """The cell a finding concerns, named with official labels (表三 （七）总计 · 自然人)."""
    t, r, c = (getattr(finding, a, None) for a in ("table", "row", "col"))
    if not t:
        return "正文"   # findings on the narrative (section5_empty, year_mismatch) name no cell
    table_name = schema.table_name(t)
    try:
        tb = schema.layout(layout).tables()[schema.TABLE_IDS.index(t)]
    except (KeyError, ValueError):
        return table_name
    parts = [table_name]
    try:
        if r:
            parts.append(tb.row_label(r))
        if r and c:
            parts.append("· " + tb.col_label(r, c))
        elif c:
            parts.append(next(col.label for col in tb.columns if col.key == c) + " 列")
    except (KeyError, StopIteration):
        parts.append(" · ".join(p for p in (r, c) if p))
    return " ".join(parts)


def finding_message(finding, where: str) -> str:
    """The finding's message without the cell it starts with, when `where` (finding_place) names it already."""
    message = str(getattr(finding, "message", ""))
    return message[len(where) + 1:] if message.startswith(where + "：") else message


CHECK_PANEL_TITLE = "数据检查"   # importers recognise the panel of a draft by it


def check_panel_html(findings: Iterable, report: Report | None = None, *, id_prefix: str = "") -> HtmlFragment:
    """The check results as a list: severity, rule, the cell concerned (linked to its highlighted
    cell in the table), message. Errors first. Used in draft mode."""
    items = sorted(findings, key=lambda f: not is_error(f))
    layout = report.layout if report is not None else schema.DEFAULT_LAYOUT
    if not items:
        return HtmlFragment(f'<section class="check-panel ok"><h2>{CHECK_PANEL_TITLE}</h2><p>未发现问题。</p></section>')
    n_err, n_warn = count(items)
    lis = []
    for f in items:
        sev = getattr(f, "severity", schema.ERROR)
        rule = getattr(f, "rule", "")
        rule_obj = schema.RULES.get(rule)
        where = finding_place(f, layout)
        t, r, c = (getattr(f, a, None) for a in ("table", "row", "col"))
        cells = getattr(f, "cells", ())
        if cells and not r:      # several cells: link the first, the table marks them all
            r, c = cells[0][1], cells[0][2]
        if t and r and c:
            where_html = f'<a href="#{escape(cell_id(t, r, c, id_prefix))}">{escape(where)}</a>'
        elif t and r and report is not None:
            first = next((cc for rr, cc, _ in report.table(t).cells() if rr == r), None)
            where_html = (f'<a href="#{escape(cell_id(t, r, first, id_prefix))}">{escape(where)}</a>'
                          if first else escape(where))
        else:
            where_html = escape(where)
        title = f"{rule_obj.label}：{rule_obj.title}" if rule_obj else rule
        message = finding_message(f, where)
        lis.append(f'<li class="finding {escape(sev)}"><span class="severity">{escape(schema.SEVERITY_LABELS.get(sev, sev))}</span> '
                   f'<span class="where">{where_html}</span>：<span class="message">{escape(message)}</span> '
                   f'<span class="rule">[{escape(title)}]</span></li>')
    summary = f"错误 {n_err} 项，提示 {n_warn} 项"
    return HtmlFragment(f'<section class="check-panel"><h2>{CHECK_PANEL_TITLE}</h2><p class="summary">{escape(summary)}</p>'
                        f'<ol>{"".join(lis)}</ol></section>')

