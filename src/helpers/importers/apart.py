"""不适用 that a PDF-to-Markdown converter printed apart from its row, put back where the text proves its cell.

markitdown reads a table 三 不适用 printed smaller than the numbers (8 pt, so that pdftotext sees two
touching ones as two cells) on a line of its own after its row: either a Markdown row of its own with
the 不适用 in its column ("| 理结果 | （四） |  |  | 不适用 |  | …"), or a bare line "不适用". Its row
keeps an empty cell where it stood, or shows one value in a cell that glues two columns (its rows
may then be as few as 6 Markdown cells wide: a row counts by the values its cells hold). Read in the
text's order, the 不适用 would be the row's last value, the row's values shifted one column (the
identities add 不适用 as 0: they cannot see it; the token reader never reads it so, solve.py).

`put_back(blocks)` moves it into the row just before it where the text proves the cell: with the
不适用 filled in (by column where it stands in a Markdown row of the same width, else into the one
choice of the row's empty cells that fits; "不适用 不适用" may fill one empty cell that glues two
columns) the row has a table 三 row's values, Markdown cell for
Markdown cell as many as the whole rows next to it (glued cells "0 0" included), and neither of
those rows is short of a value. Elsewhere the 不适用 is dropped and the rows short of a value lose
their values: unread, never read shifted (a Markdown empty cell would read as a blank).

A lone 不适用 (a Markdown row of its own or a bare line) under a Markdown cell showing one value ("0": the cell glues two columns) is one of
those two, which one is not in the text. With `orders` the row is filled in one order and both are
recorded (`Grid.orders`); `readings` gives the document under each, text.read keeps what the
identities prove of them (choice.choose: the one order that balances, whole; else the cells all
orders that balance agree on).
"""
from __future__ import annotations

import copy
import re
import unicodedata
from bisect import bisect_left, bisect_right
from itertools import product

from ..format import schema
from . import cells as cellmod
from .grid import Block, Grid

_CJK = re.compile(r"[\u3400-\u9fff]")
_WIDTH = len(schema.T3_COLUMNS)


def _is_na(text: str | None) -> bool:
    """A cell of 不适用 only ("不适用", "不适用 不适用")."""
    parts = unicodedata.normalize("NFKC", text or "").split()
    return bool(parts) and all(p == schema.NA_TEXT for p in parts)


_count = cellmod.glued_values    # values in a cell: "0 0" (two cells a converter glued) counts two


class _Line:
    def __init__(self, grid: Grid, index: int):
        self.grid, self.index = grid, index
        self.cells = grid.rows[index]
        # a Markdown table row as wide as table 三's, its cells that glue columns ("0 0") counted as
        # many as they hold (one line per cell ending in "|", a web page's text, is not one)
        self.piped = index not in grid.runs and sum(max(1, _count(c)) for c in self.cells) >= _WIDTH and \
            "|" in (grid.lines[index] if index < len(grid.lines) else "")
        # the last label cell ("不适用 0", two cells glued, is values, not a label)
        self.split = max((i for i, c in enumerate(self.cells) if c and _CJK.search(c) and not _count(c)), default=-1)
        slots = [(i, _count(c)) for i, c in enumerate(self.cells) if i > self.split and c is not None]
        self.values = sum(n for _, n in slots)
        self.lone = [i for i, c in enumerate(self.cells) if _is_na(c)]
        self.nas = sum(_count(self.cells[i]) for i in self.lone)
        self.only_na = bool(self.lone) and self.values == self.nas and \
            not any(_count(c) for i, c in enumerate(self.cells) if i not in self.lone)

    def clear(self) -> None:
        """The row without its values (its labels stay)."""
        self.values = 0
        for i in range(self.split + 1, len(self.cells)):
            if self.cells[i] is not None:
                self.cells[i] = ""
        if self.index < len(self.grid.lines):
            self.grid.lines[self.index] = " ".join(c for c in self.cells if c)

    @property
    def room(self) -> bool:
        """A Markdown row with values, fewer than a table 三 row has."""
        return self.piped and 0 < self.values < _WIDTH


def _profile(cells: list[str | None]) -> tuple[int, ...]:
    """Values per Markdown cell: the converter's columns (some glue two of the table's)."""
    return tuple(_count(c) for c in cells)


def _cells_for(row: _Line, lone: _Line, complete: list[_Line], orders: bool) -> dict[int, list[str]] | None:
    """The cells of `row` the 不适用 of `lone` fill (cell -> its text, or its texts in either order), where the text proves them:
    filled (by column where `lone` is a Markdown row of the same width, else where the whole rows
    next to it have more values in a Markdown cell than `row`: one empty cell may take several, all
    不适用), the row has its values Markdown cell for Markdown cell as those rows have theirs.
    With `orders`, a 不适用 may fill a cell showing one value, glued to it ("0" + "不适用"): which
    of the two columns it is, is not in the text (both orders). Decided in one pass: no choices tried."""
    shape = {_profile(c.cells) for c in complete if len(c.cells) == len(row.cells)}
    if len(shape) != 1 or row.values + lone.nas != _WIDTH:
        return None
    want, = shape
    have = _profile(row.cells)
    if lone.piped:
        if len(lone.cells) != len(row.cells):
            return None
        fill = {i: lone.cells[i] for i in lone.lone}
    else:
        fill = {i: " ".join([schema.NA_TEXT] * (w - h)) for i, (w, h) in enumerate(zip(want, have)) if w > h}
    empty = {i for i in range(row.split + 1, len(row.cells)) if row.cells[i] == ""}
    glued = {i for i in fill if i not in empty and orders and have[i] == 1 and _count(fill[i]) == 1}
    if not set(fill) <= empty | glued:
        return None
    filled = list(row.cells)
    for i, text in fill.items():
        filled[i] = f"{row.cells[i]} {text}" if i in glued else text
    if _profile(filled) != want:
        return None
    return {i: [filled[i], f"{text} {row.cells[i]}"] if i in glued else [text] for i, text in fill.items()}


def put_back(blocks: list[Block], orders: bool = False) -> list[Block]:
    """`blocks` with the 不适用 printed apart put back where the text proves them. With `orders`,
    a lone 不适用 under a cell showing one value is glued to it, the first order put in and both
    recorded in `Grid.orders` (the caller reads each, `readings`)."""
    lines = [_Line(b, i) for b in blocks if isinstance(b, Grid) and not b.exact for i in range(len(b.rows))]
    with_values = [k for k, line in enumerate(lines) if line.values and not line.only_na]
    for k, lone in enumerate(lines):
        if not lone.only_na or k == 0 or not lines[k - 1].piped or lines[k - 1].only_na:
            continue
        row = lines[k - 1]
        at = bisect_left(with_values, k - 1)           # the rows with values next to it (one pass: no list scans)
        before = with_values[max(at - 1, 0):at]
        after = with_values[bisect_right(with_values, k):][:1]
        others_room = any(lines[j].room for j in before + after)
        if not (row.room or others_room):
            continue                       # no row short of a value: not a cell moved away
        complete = [lines[j] for j in before + after if lines[j].piped and lines[j].values == _WIDTH]
        where = None if others_room else _cells_for(row, lone, complete, orders)
        if where is not None:
            for i, texts in where.items():
                row.cells[i] = texts[0]
                if len(texts) > 1:
                    row.grid.orders[(row.index, i)] = texts
        else:
            # which cell the 不适用 is, or which row's, is not in the text: the rows short of a
            # value lose their values (a Markdown empty cell would read as a blank, the row shifted)
            for short in (lines[j] for j in [k - 1] + before + after if lines[j].room):
                short.clear()
        lone.clear()
    return blocks


# documents read under each order at most: 2 such cells (a report has rarely one); beyond, those
# cells stay unread (text.read names them) so that a crafted text cannot make the reading combinatorial
MOST_READINGS = 4


def _spots(blocks: list[Block]) -> list[tuple[Grid, tuple[int, int], list[str]]]:
    return [(g, at, texts) for g in blocks if isinstance(g, Grid) for at, texts in g.orders.items()]


def alternatives(blocks: list[Block]) -> int:
    """How many documents `blocks` may be: one per choice of order of each cell in `Grid.orders`
    (1 if there is no such cell)."""
    n = 1
    for _, _, texts in _spots(blocks):
        n *= len(texts)
        if n > MOST_READINGS:
            break                  # enough to know: no need to multiply on
    return n


def readings(blocks: list[Block]) -> list[list[Block]]:
    """The documents `blocks` may be, one per choice of order of each cell in `Grid.orders`
    (none if there is no such cell, or more than MOST_READINGS)."""
    spots = _spots(blocks)
    if not spots or alternatives(blocks) > MOST_READINGS:
        return []
    out = []
    for choice in product(*(texts for _, _, texts in spots)):
        for (g, (r, i), _), text in zip(spots, choice):
            g.rows[r][i] = text
        out.append(copy.deepcopy(blocks))
    return out
