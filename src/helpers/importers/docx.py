"""Reader for Word (.docx) reports (python-docx): body paragraphs and tables in document order.

Merged cells (gridSpan, vMerge) are expanded like HTML spans: the first position keeps the text,
covered positions are None. The zip is checked for bombs before python-docx opens it.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from . import zipguard
from .grid import Block, Grid, Paragraph
from .published import build


def _text(el) -> str:
    from docx.oxml.ns import qn
    return "".join(t.text or "" for t in el.iter(qn("w:t"))).strip()


def _table_grid(tbl) -> Grid:
    """The table's cells from the XML: gridSpan covers columns, vMerge="continue" the cell above.
    (Read directly rather than through python-docx's cell list, which fails on tables that start
    with a continued merge, as tables split by hand do.)"""
    rows: list[list[str | None]] = []
    for tr in tbl.tr_lst:
        row: list[str | None] = [""] * (tr.grid_before or 0)
        for tc in tr.tc_lst:
            row.append(None if tc.vMerge == "continue" else _text(tc))
            row.extend([None] * ((tc.grid_span or 1) - 1))
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        r.extend([""] * (width - len(r)))
    return Grid(rows, exact=True, where="table")


def _walk(container, blocks: list[Block]) -> None:
    """Paragraphs and tables of a body or table cell, in order. A table holding tables, or a one-
    column table, is a frame around text: its cells are walked like the body."""
    from docx.oxml.ns import qn
    for el in container.iterchildren():
        if el.tag == qn("w:p"):
            text = _text(el)
            if text:
                blocks.append(Paragraph(text))
        elif el.tag == qn("w:sdt"):                       # content controls wrap ordinary content
            content = el.find(qn("w:sdtContent"))
            if content is not None:
                _walk(content, blocks)
        elif el.tag == qn("w:tbl"):
            grid = _table_grid(el)
            if grid.width < 2 or el.find(".//" + qn("w:tc") + "/" + qn("w:tbl")) is not None:
                for tc in el.iter(qn("w:tc")):
                    if tc.getparent().getparent() is el:     # this table's own cells
                        _walk(tc, blocks)
            else:
                blocks.append(grid)


def read_blocks(path: Path) -> list[Block]:
    zipguard.check(path)
    try:
        import docx
        document = docx.Document(str(path))
        blocks: list[Block] = []
        _walk(document.element.body, blocks)
        return blocks
    except InputError:
        raise
    except Exception as exc:   # python-docx / lxml / zipfile errors on damaged files
        raise InputError(f"Word 文件已损坏或不完整，无法读取 (corrupt or truncated .docx: {type(exc).__name__})",
                         file=str(path)) from None


def read(path: Path, *, agency: str | None = None, year: int | None = None, partial: bool = False):
    path = Path(path)
    return build(path, read_blocks(path), agency=agency, year=year, partial=partial)
