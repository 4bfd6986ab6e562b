"""Reader for Word (.docx) reports (python-docx): body paragraphs and tables in document order.

Merged cells (gridSpan, vMerge) are expanded like HTML spans: the first position keeps the text,
covered positions are None. The zip is checked for bombs before python-docx opens it.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from . import zipguard
from .grid import Block, Grid, Paragraph, one_column_as_text
from .published import build


def _table_grid(table) -> Grid:
    """The table's cells from the XML: gridSpan covers columns, vMerge="continue" the cell above.
    (Read directly rather than through python-docx's cell list, which fails on tables that start
    with a continued merge, as tables split by hand do.)"""
    from docx.oxml.ns import qn
    rows: list[list[str | None]] = []
    for tr in table._tbl.tr_lst:
        row: list[str | None] = [""] * (tr.grid_before or 0)
        for tc in tr.tc_lst:
            text = "".join(t.text or "" for t in tc.iter(qn("w:t"))).strip()
            continued = tc.vMerge == "continue"
            row.append(None if continued else text)
            row.extend([None] * ((tc.grid_span or 1) - 1))
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        r.extend([""] * (width - len(r)))
    return Grid(rows, exact=True, where="table")


def read_blocks(path: Path) -> list[Block]:
    zipguard.check(path)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph as DocxParagraph
        document = docx.Document(str(path))
        blocks: list[Block] = []
        for item in document.iter_inner_content():
            if isinstance(item, DocxParagraph):
                text = item.text.strip()
                if text:
                    blocks.append(Paragraph(text))
            elif isinstance(item, Table):
                g = _table_grid(item)
                blocks.extend([g] if g.width >= 2 else one_column_as_text(g))
        return blocks
    except InputError:
        raise
    except Exception as exc:   # python-docx / lxml / zipfile errors on damaged files
        raise InputError(f"Word 文件已损坏或不完整，无法读取 (corrupt or truncated .docx: {type(exc).__name__})",
                         file=str(path)) from None


def read(path: Path, *, agency: str | None = None, year: int | None = None, partial: bool = False):
    path = Path(path)
    return build(path, read_blocks(path), agency=agency, year=year, partial=partial)
