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
    xs: list[float | None] | None = None     # PDF: horizontal centre of each cell
    run: bool = False                        # text: its values were printed one per line

    @cached_property
    def split(self) -> int:
        """Index of the last label cell (-1 if none). A cell of values glued by a converter ("0 不适用",
        "不适用 3") is values, not a label, though it holds Chinese."""
        last = -1
        for i, c in enumerate(self.cells):
            if c is not None and _CJK.search(c) and not cellmod.is_value(c) and not cellmod.glued_values(c):
                last = i
        return last

    @property
    def label_cells(self) -> list[str]:
        return [c for c in self.cells[: self.split + 1] if c is not None and c.strip()]

    @property
    def values(self) -> list[str]:
        return [c for c in self.cells[self.split + 1:] if c is not None]

    @property
    def value_xs(self) -> list[float | None] | None:
        """Centres of the value cells (aligned with `values`), if the reader measured them."""
        if not self.xs or len(self.xs) != len(self.cells):
            return None
        return [x for c, x in zip(self.cells[self.split + 1:], self.xs[self.split + 1:]) if c is not None]

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
                xs = b.xs[ri] if ri < len(b.xs) else None
                out.append(Row(list(cells), b.exact, gi, ri, b.where, xs, ri in b.runs))
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


def fit(values: list[str], n: int, exact: bool = False) -> list[str]:
    """Drop empty padding cells around values (all empties where exactly n values are not empty);
    a cell holding several numbers ("3001 53": cells glued by a converter) is split first. In an
    `exact` grid the padding is the reader's own, at the end of short rows (grid.expand): trailing
    first, then leading. In text split into cells a converter pads either side: where empties on
    both sides could be the padding in more than one way (a blank first or last cell of the row),
    which is padding is not in the text, and the cells are returned as they are, too many
    (`padding_unclear`), so that the caller names the row instead of guessing."""
    vals = []
    for v in values:
        vals += v.split() if cellmod.glued_values(v) > 1 else [v]
    if len(vals) > n and sum(not cellmod.is_empty(v) for v in vals) == n:
        return [v for v in vals if not cellmod.is_empty(v)]    # empties used to align columns
    if not exact and padding_unclear(vals, n):
        return vals
    while len(vals) > n and vals and cellmod.is_empty(vals[-1]):
        vals.pop()
    while len(vals) > n and vals and cellmod.is_empty(vals[0]):
        vals.pop(0)
    return vals


def _ends(vals: list[str]) -> tuple[int, int]:
    """Numbers of empty cells before the first and after the last non-empty one."""
    full = [i for i, v in enumerate(vals) if not cellmod.is_empty(v)]
    if not full:
        return len(vals), 0
    return full[0], len(vals) - 1 - full[-1]


def padding_unclear(vals: list[str], n: int) -> bool:
    """Whether more than one choice of leading and trailing empties cuts `vals` to n cells."""
    extra = len(vals) - n
    lead, trail = _ends(vals)
    return extra > 0 and min(lead, extra) - max(0, extra - trail) >= 1


def column_centres(rows: list[Row], n: int) -> list[float] | None:
    """Median centre of each of `n` value columns, from the rows that show all n values."""
    import statistics
    full = [r.value_xs for r in rows if len(r.values) == n and r.value_xs and None not in r.value_xs]
    if not full:
        return None
    return [statistics.median(xs[k] for xs in full) for k in range(n)]


def by_position(row: Row, centres: list[float] | None) -> list[str] | None:
    """The row's values put in the columns whose centres are nearest; columns left without a value
    are empty (a blank cell of a table printed without rules shows nothing). None if ambiguous."""
    xs = row.value_xs
    if not centres or not xs or None in xs or len(row.values) > len(centres):
        return None
    gaps = [b - a for a, b in zip(centres, centres[1:])]
    tolerance = min(gaps) / 2 if gaps else float("inf")
    out = [""] * len(centres)
    taken: set[int] = set()
    for v, x in zip(row.values, xs):
        k = min(range(len(centres)), key=lambda j: abs(centres[j] - x))
        if abs(centres[k] - x) > tolerance or k in taken:
            return None
        out[k] = v
        taken.add(k)
    return out
