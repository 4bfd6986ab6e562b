"""A document's table rows for placing: label cells, then the value cells after the last label."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from . import cells as cellmod
from . import labels
from .grid import Block, Grid, Paragraph

# labels are Chinese; a cell without any Chinese character in the value area is a (bad) value
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Row:
    """One table row as read: its label cells and the value cells after them."""
    cells: list[str | None]
    exact: bool
    grid: int             # index of the grid in the document
    index: int            # row index in the grid
    where: str = ""

    @cached_property
    def split(self) -> int:
        """Index of the last label cell (-1 if none)."""
        last = -1
        for i, c in enumerate(self.cells):
            if c is not None and _CJK.search(c) and not cellmod.is_value(c):
                last = i
        return last

    @property
    def label_cells(self) -> list[str]:
        return [c for c in self.cells[: self.split + 1] if c is not None and c.strip()]

    @property
    def values(self) -> list[str]:
        return [c for c in self.cells[self.split + 1:] if c is not None]

    @property
    def has_numbers(self) -> bool:
        return any(not cellmod.is_empty(v) for v in self.values)


def items(blocks: list[Block]) -> list[Row | Paragraph]:
    """Paragraphs and the rows of every grid, in reading order."""
    out: list[Row | Paragraph] = []
    for gi, b in enumerate(blocks):
        if isinstance(b, Paragraph):
            out.append(b)
        elif isinstance(b, Grid):
            for ri, cells in enumerate(b.rows):
                out.append(Row(list(cells), b.exact, gi, ri, b.where))
    return out


def flat(item: Row | Paragraph) -> str:
    if isinstance(item, Paragraph):
        return labels.flat(item.text)
    return labels.flat("".join(c for c in item.cells if c))


def cores(item: Row | Paragraph) -> list[str]:
    """Label cores of a row, or of a short paragraph (a caption); long paragraphs are prose."""
    if isinstance(item, Row):
        return [labels.core(c) for c in item.label_cells]
    c = labels.core(item.text)
    return [c] if len(c) <= 40 else []


def fit(values: list[str], n: int) -> list[str]:
    """Drop empty padding cells (trailing first, then leading) that text tables add around values."""
    vals = list(values)
    while len(vals) > n and vals and cellmod.is_empty(vals[-1]):
        vals.pop()
    while len(vals) > n and vals and cellmod.is_empty(vals[0]):
        vals.pop(0)
    if len(vals) > n and sum(not cellmod.is_empty(v) for v in vals) == n:
        vals = [v for v in vals if not cellmod.is_empty(v)]    # empties used to align columns
    return vals
