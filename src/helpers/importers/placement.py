"""Where the cells of a published report's tables go: the Placer that table2/3/4 write through,
and the Placement it builds (cells, format versions, what was not read and why)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import InputError, InvalidValue
from ..format import schema
from ..format.model import Cell
from . import cells as cellmod
from . import rows as rowmod
from .grid import Block

T2, T3, T4 = "t2", "t3", "t4"


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
        name = schema.table_name(table) if table else ""
        self.out.problems.append(InputError(msg, file=self.path, table=name, row=row, col=col))
        self.out.unread.append(" · ".join(p for p in (name, row, col) if p) + f"：{msg}")

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
