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

from dataclasses import dataclass, field

from ..errors import InputError, InvalidValue
from ..format import schema
from ..format.model import Cell
from . import cells as cellmod
from . import rows as rowmod
from .grid import Block

T2, T3, T4 = "t2", "t3", "t4"
TNAME = {t: f"表{n}" for t, n in schema.TABLE_NUMBERS.items()}


@dataclass
class Placement:
    cells: dict[tuple[str, str, str], Cell] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)      # t2/t3 -> "2021"/"2019"
    found: set[str] = field(default_factory=set)                # tables seen at all
    unread: list[str] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)


class Placer:
    """The document's items and what has been placed so far; the table modules write through it."""

    def __init__(self, blocks: list[Block], path: str):
        self.items = rowmod.items(blocks)
        self.path = path
        self.out = Placement()

    def problem(self, msg: str, table: str = "", row: str = "", col: str = "") -> None:
        self.out.problems.append(InputError(msg, file=self.path, table=TNAME.get(table, table), row=row, col=col))
        self.out.unread.append(" · ".join(p for p in (TNAME.get(table, table), row, col) if p) + f"：{msg}")

    def put(self, table: str, version: str, row: str, col: str, text: str | None) -> None:
        t = schema.table(table, version)
        try:
            cell = cellmod.parse(text, t.field(row, col).kind)
        except InvalidValue as exc:
            self.problem(str(exc), table, t.row_label(row), t.col_label(row, col))
            return
        key = (table, row, col)
        if key in self.out.cells:
            self.problem("单元格重复出现（文件中可能有两份报告）(cell read twice)", table, t.row_label(row),
                         t.col_label(row, col))
            return
        self.out.cells[key] = cell


def place(blocks: list[Block], path: str = "") -> Placement:
    """Read tables 二, 三, 四 from a document."""
    from . import table2, table3, table4
    placer = Placer(blocks, path)
    t3_start = table3.start(placer)
    t3_end = table3.place(placer, t3_start) if t3_start is not None else -1
    t2_end = table2.place(placer, 0, t3_start if t3_start is not None else len(placer.items))
    table4.place(placer, max(t3_end, t2_end) + 1)
    return placer.out
