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
    by_order: set[tuple[str, str]] = field(default_factory=set)  # (table, row) placed by position, no label
    label_above: set[tuple[str, str]] = field(default_factory=set)  # text values labelled by lines above
    one_per_line: set[tuple[str, str]] = field(default_factory=set)  # values printed one per line
    # tables whose cells, as placed from the text, break an identity no reader could prove away
    broken: set[str] = field(default_factory=set)

    def problem(self, path: str, msg: str, table: str = "", row: str = "", col: str = "") -> None:
        """A part not read, and why (the error names file, table, row and column)."""
        name = schema.table_name(table) if table else ""
        self.problems.append(InputError(msg, file=path, table=name, row=row, col=col))
        self.unread.append(" · ".join(p for p in (name, row, col) if p) + f"：{msg}")

    def drop(self, table: str, rows: set[str] | None = None) -> None:
        """Forget what was read of a table (or of some of its rows, by label) and its problems."""
        name = schema.table_name(table)
        hit = lambda e: e.table == name and (rows is None or e.row in rows)  # noqa: E731
        self.unread = [u for u, e in zip(self.unread, self.problems) if not hit(e)]
        self.problems = [e for e in self.problems if not hit(e)]
        if rows is None:
            self.cells = {k: c for k, c in self.cells.items() if k[0] != table}


def wrong_count(want: int, values: list[str], got: int | None = None, exact: bool = False) -> str:
    """The message for a row (or table 四) whose number of values is not the format's (`exact`:
    read from a true grid, see rows.fit)."""
    got = len(values) if got is None else got
    if not exact and rowmod.padding_unclear(values, want):
        return (f"应有 {want} 个数值，读到 {got} 个：{' | '.join(values)}；数值两侧都有空白单元格，哪些是对齐用的、"
                f"哪些是空白的单元格，文本中看不出 (expected {want} values, read {got}; empty cells on both sides:"
                " which are padding and which are blank cells is not in the text)")
    return f"应有 {want} 个数值，读到 {got} 个：{' | '.join(values)} (expected {want} values, read {got})"


class Placer:
    """The document's items and what has been placed so far; the table modules write through it."""

    def __init__(self, blocks: list[Block], path: str):
        self.items = rowmod.items(blocks)
        self.path = path
        self.out = Placement()

    def problem(self, msg: str, table: str = "", row: str = "", col: str = "") -> None:
        self.out.problem(self.path, msg, table, row, col)

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
