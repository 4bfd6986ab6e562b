"""In-memory form of one agency-year report: cells with their state, and narrative sections."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal

from ..errors import InvalidValue
from . import schema
from .schema import AMOUNT, BLANK, NA, NUMBER

CellKey = tuple[str, str, str]  # (table, row, col)


@dataclass(frozen=True)
class Cell:
    state: str                      # number / blank / na
    value: Decimal | int | None = None

    @classmethod
    def number(cls, value) -> "Cell":
        return cls(NUMBER, value)

    def text(self) -> str:
        """The value as written in the exchange CSV: the number, '' for blank, 'NA' for 不适用."""
        if self.state == BLANK:
            return ""
        if self.state == NA:
            return "NA"
        return format_number(self.value)

    @cached_property
    def numeric(self) -> Decimal | int:
        """The value for arithmetic: blank, 不适用 and anything that is not a number count as 0 (the
        rules `blank` and `domain` report those cells themselves). Worked out once per cell: the
        checks read each cell several times, and the store shares equal cells between reports."""
        value = as_number(self.value) if self.state == NUMBER else None
        return 0 if value is None else value


_BLANK_CELL = Cell(BLANK)     # what a missing cell reads as (cells are immutable: one will do)


def as_number(value) -> Decimal | int | None:
    """int or finite Decimal, or None. A float (from a careless caller) is taken at its printed value."""
    if isinstance(value, float):
        value = Decimal(repr(value)) if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    if isinstance(value, Decimal) and not value.is_finite():
        return None
    return value


def format_number(value) -> str:
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text
    return str(value)


_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def number_cell(kind: str, number, written: str) -> Cell:
    """The Cell of a number read from the text `written`, if it may be a value of `kind`
    (`schema.value_problem`: an int for counts and deltas, a Decimal for amounts); otherwise
    InvalidValue naming the problem and the text."""
    problem = schema.value_problem(kind, number)
    if problem:
        shown = repr(written) if len(written) <= 40 else f"{written[:24]!r}…（共 {len(written)} 个字符）"
        raise InvalidValue(f"{problem}：{shown}")
    return Cell(NUMBER, Decimal(number) if kind == AMOUNT else int(number))


def parse_value(text: str, kind: str) -> Cell:
    """Parse a cell as written in the exchange CSV: strict, plain ASCII digits with an optional
    decimal part (the importers normalise published text first)."""
    text = text.strip()
    if text == "":
        return Cell(BLANK)
    if text in ("NA", schema.NA_TEXT):
        return Cell(NA)
    return number_cell(kind, Decimal(text) if _PLAIN_NUMBER.fullmatch(text) else None, text)


@dataclass
class Report:
    agency: str
    year: int
    layout: str = schema.DEFAULT_LAYOUT
    cells: dict[CellKey, Cell] = field(default_factory=dict)
    narrative: dict[str, str] = field(default_factory=dict)   # section key -> text
    source: str = ""                                          # file it was read from, if any
    unread: list[str] = field(default_factory=list)           # parts an importer could not read (--partial)
    agency_record: dict | None = None   # schema.Agency fields read with the data (template sheet), to upsert
    agency_name: str = ""              # agency name as printed in a published report (importers)
    # False when the file read has no place for (some of) the narrative: the exchange CSV has none,
    # the template's cells may be left empty. Storing such a report over a stored one keeps the
    # stored text of every section the file leaves out (store.Store.save_reports).
    narrative_complete: bool = True

    # -- access ----------------------------------------------------------------------------------
    def get(self, table: str, row: str, col: str) -> Cell:
        return self.cells.get((table, row, col), _BLANK_CELL)

    def value(self, table: str, row: str, col: str):
        """The value of a cell for arithmetic (`Cell.numeric`: 0 for blank, 不适用 and non-numbers).
        The one way the checks, the derived figures, paragraphs and charts read a cell."""
        return self.get(table, row, col).numeric

    def set(self, table: str, row: str, col: str, value) -> None:
        self.cells[(table, row, col)] = value if isinstance(value, Cell) else Cell(NUMBER, value)

    def tables(self) -> tuple[schema.Table, ...]:
        return schema.layout(self.layout).tables()

    def table(self, table_id: str) -> schema.Table:
        return {t.id: t for t in self.tables()}[table_id]

    def ordered_cells(self) -> list[tuple[CellKey, Cell]]:
        """Every cell of the layout in exchange order; missing cells are blank."""
        cells = self.cells
        return [(k, cells.get(k, _BLANK_CELL)) for k in schema.cell_order(self.layout)]

    def missing_cells(self) -> list[CellKey]:
        return [k for k in schema.cell_order(self.layout) if k not in self.cells]

    # -- identity --------------------------------------------------------------------------------
    def fingerprint(self) -> str:
        """sha256 over the canonical cells and narrative: what a rendered report was made from."""
        h = hashlib.sha256()
        h.update(f"{self.agency}\n{self.year}\n{self.layout}\n".encode())
        for (t, r, c), cell in self.ordered_cells():
            h.update(f"{t},{r},{c},{cell.state},{cell.text()}\n".encode())
        for key in sorted(self.narrative):
            h.update(f"[{key}]\n{self.narrative[key]}\n".encode())
        return h.hexdigest()

    @classmethod
    def zeros(cls, agency: str, year: int, layout: str | None = None) -> "Report":
        """A report with every cell 0 (the shape of a street office with no requests)."""
        lay = layout or schema.default_layout_for_year(year)
        rep = cls(agency, year, lay)
        for t, r, c in schema.cell_order(lay):
            kind = schema.field_of(lay, t, r, c).kind
            rep.cells[(t, r, c)] = Cell(NUMBER, Decimal("0") if kind == AMOUNT else 0)
        return rep
