"""The common shape every reader produces: a document as a list of blocks in reading order.

A block is a `Paragraph` (narrative text) or a `Grid` (a table as rows of cell texts). In a grid
read from HTML, DOCX or a ruled PDF table, merged cells are expanded: the top-left position holds
the text, positions covered by a rowspan/colspan hold None. `exact` says whether the columns are
true grid positions (True) or cells split from a line of text (False: pipes, tabs, spaces).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Paragraph:
    text: str
    where: str = ""        # page / line, for messages


@dataclass
class Grid:
    rows: list[list[str | None]]
    exact: bool = True
    where: str = ""
    lines: list[str] = field(default_factory=list)   # text-split grids: each row's line as written
    xs: list[list[float | None]] = field(default_factory=list)   # PDF: each cell's centre on the page
    runs: set[int] = field(default_factory=set)   # text: rows gathered from lines of one value each
    # text: cells whose text is one of several, the order of the values glued in them not in the text
    orders: dict[tuple[int, int], list[str]] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


Block = Paragraph | Grid


@dataclass
class SpanCell:
    text: str
    rowspan: int = 1
    colspan: int = 1


def expand(rows: list[list[SpanCell]], *, max_span: int = 200) -> list[list[str | None]]:
    """Rows of cells with rowspan/colspan -> a rectangular grid (None where a span covers).

    Spans are clipped to `max_span` so a hostile rowspan="100000" cannot blow up memory."""
    placed: dict[tuple[int, int], str | None] = {}
    for r, cells in enumerate(rows):
        c = 0
        for cell in cells:
            while (r, c) in placed:
                c += 1
            rs = max(1, min(cell.rowspan, max_span, len(rows) - r))
            cs = max(1, min(cell.colspan, max_span))
            for dr in range(rs):
                for dc in range(cs):
                    placed[(r + dr, c + dc)] = cell.text if (dr, dc) == (0, 0) else None
            c += cs
    width = 1 + max((c for _, c in placed), default=-1)
    # positions no cell reached (short rows) are empty, not covered
    return [[placed.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def one_column_as_text(grid: Grid) -> list[Paragraph]:
    """A one-column 'table' is a framed paragraph (text boxes in PDFs and Word files)."""
    return [Paragraph(c, grid.where) for r in grid.rows for c in r if c and c.strip()]
