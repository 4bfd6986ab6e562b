"""One cell of a published report, as text, turned into a Cell (number / blank / 不适用).

Published reports write numbers with full-width digits, thousands separators, units and dashes.
The states are kept apart (FORMAT.md rule `blank`):
  empty, "-", "—", "/", "无"  -> BLANK   (nothing was written; reports use these where 0 was meant,
                                          but we keep what the report shows, the `blank` check flags it)
  "不适用"                    -> NA
  a number                    -> NUMBER  (units, separators and full-width digits taken off, a count's
                                          ".00" dropped; then the format's rule, schema.value_problem)
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from ..errors import InvalidValue
from ..format import schema
from ..format.model import Cell, number_cell
from .labels import flat  # NFKC (full-width digits to ASCII), no whitespace

# What reports write in a cell where no number was given (after NFKC and whitespace removal).
BLANK_MARKS = frozenset({"", "-", "--", "—", "——", "–", "―", "─", "/", "\\", "无", "空", "×", "x", "X", "…"})
NA_MARKS = frozenset({schema.NA_TEXT, "NA", "N/A", "n/a"})
# the middle of "不适用" wrapped down a narrow column of a table printed without rules: its other
# lines fall outside the row ("不" above, "用" below); no label of the format is such a piece
NA_PIECES = frozenset({"适", "适用", "不适"})
# Units written inside number cells; counts (件 …) and money (元, 万元).
_COUNT_UNITS = ("件次", "件", "个", "项", "条", "次", "人")
_MONEY_UNITS = ("万元", "元")
_MINUS = str.maketrans({"−": "-", "－": "-", "﹣": "-", "–": "-", "—": "-"})
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?|[+-]?\.\d+")
# two numbers in one cell ("21 0": cells glued by a converter); `flat` would make them one, 210
_TWO_NUMBERS = re.compile(r"\d[\s\u3000\xa0]+[+-]?\d")


def _strip_units(s: str) -> tuple[str, str]:
    for unit in _MONEY_UNITS + _COUNT_UNITS:
        if s.endswith(unit) and len(s) > len(unit):
            return s[: -len(unit)], unit
    return s, ""


def _number_text(s: str) -> str | None:
    """The plain number in `s` (thousands separators removed), or None if `s` is not a number."""
    s = s.translate(_MINUS)
    if _THOUSANDS.fullmatch(s):
        s = s.replace(",", "")
    if _NUMBER.fullmatch(s):
        return s.lstrip("+")
    return None


def is_value(text: str | None) -> bool:
    """Whether a table cell holds a value (number, blank mark, 不适用) rather than a label."""
    if text is None:
        return False
    s = flat(text)
    if s in BLANK_MARKS or s in NA_MARKS or s in NA_PIECES:
        return True
    s, _ = _strip_units(s)
    return _number_text(s) is not None


def glued_values(text: str | None) -> int:
    """How many values a cell holds where each of its words is one that is not empty ("0 不适用",
    "3 0": cells a converter glued count 2, "7" 1); 0 for anything else (a label, an empty cell)."""
    parts = unicodedata.normalize("NFKC", text or "").split()
    return len(parts) if parts and all(is_value(p) and not is_empty(p) for p in parts) else 0


def is_empty(text: str | None) -> bool:
    return flat(text) == ""


def parse(text: str | None, kind: str) -> Cell:
    """The Cell for a cell text of a field of `kind` (schema.COUNT / AMOUNT / DELTA); InvalidValue if invalid."""
    s = flat(text)
    if s in BLANK_MARKS:
        return Cell(schema.BLANK)
    if s in NA_MARKS or s in NA_PIECES:
        return Cell(schema.NA)
    if _TWO_NUMBERS.search(unicodedata.normalize("NFKC", text or "")):
        raise InvalidValue(f"一个单元格里有两个数字（单元格粘连）：{text!r} (two numbers in one cell)")
    body, unit = _strip_units(s)
    if kind == schema.AMOUNT and unit in _COUNT_UNITS:
        raise InvalidValue(f"金额单元格写了件数单位：{text!r}")
    if kind != schema.AMOUNT and unit in _MONEY_UNITS:
        raise InvalidValue(f"件数单元格写了金额单位：{text!r}")
    num = _number_text(body)
    number = Decimal(num) if num is not None else None
    if number is not None and kind != schema.AMOUNT and number == number.to_integral_value():
        number = number.to_integral_value()   # a count printed with decimals ("0.00") is an integer
    return number_cell(kind, number, text)
