"""Placing the cells of a published report's tables 二, 三 and 四 into (table, row, col).

Input is the document as blocks (see grid.py), seen as paragraphs and rows (rows.py). Cells are
placed by label and position:
  * a table row is split into its label cells and the value cells after the last label;
  * the row label is matched against the labels of `helpers.format.schema` (labels.best_match);
  * table 三 (table3.py) anchors the others: table 二 (table2.py) is read before it, table 四
    (table4.py) after it.
Nothing is guessed beyond the order the format fixes: a row that cannot be placed is reported
(InputError, or `unread` with partial=True).
"""
from __future__ import annotations

from . import table2, table3, table4
from .complete import complete
from .grid import Block
from .placement import Placement, Placer


def place(blocks: list[Block], path: str = "") -> Placement:
    """Read tables 二, 三, 四 from a document."""
    placer = Placer(blocks, path)
    t3_start = table3.start(placer)
    t3_end = table3.place(placer, t3_start) if t3_start is not None else -1
    t2_end = table2.place(placer, 0, t3_start if t3_start is not None else len(placer.items))
    table4.place(placer, max(t3_end, t2_end) + 1)
    return complete(placer.out, blocks, path)
