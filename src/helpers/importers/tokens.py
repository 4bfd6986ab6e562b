"""A document as a sequence of tokens: labels, values, section headings and prose, in reading order.

Converters lose the lines of a table (one cell per line, cells glued, labels split over lines or
printed after their numbers), but not the order of what they print. The token reader
(regions.py, solve.py) works on this sequence:

  * a VALUE is one table value: a number (full-width digits, "+19", "-8", units), a blank mark
    ("-", "/", "—", "无"), 不适用; a cell holding several ("3001 53", "21 0") gives one token each;
    an empty cell of an exact grid (HTML, DOCX, ruled PDF) is a blank value; a value from a cell
    of a text table that repeats the cell before it is marked (a merged cell repeated, or two
    equal cells: the solver tries both);
  * a LABEL is a short text (a label, a piece of one, a caption, a header); a number glued to the
    end of a label ("行政许可447228", "（七）总计2932") is a value of its own;
  * a HEADING is a section heading (一、总体情况 … 六、其他需要报告的事项);
  * PROSE is narrative: its numbers are never table values.

The order of the values is the text's, except for a 不适用 or blank printed on a line of its own
apart from its row (`apart`): where it stands among its row's values is not in the text.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from ..format import schema
from . import cells as cellmod
from . import labels
from .grid import Block, Paragraph
from .rows import Row, items

LABEL, VALUE, HEADING, PROSE = "label", "value", "heading", "prose"

_SENTENCE_END = re.compile(r"[。；;！!？?]")
_CJK = re.compile(r"[\u3400-\u9fff]")
# values run on to the end of a label (after a Chinese character, a bracket or a quote) and to
# each other: "行政许可447228", "（七）总计2932 53 0", "数量0 1 0不适用 1"
_VALUE = rf"(?:[+-]?\d[\d,]*(?:\.\d+)?|{schema.NA_TEXT})"
_ALL_VALUES = re.compile(rf"(?:\s*{_VALUE})+\s*")
_GLUED = re.compile(rf"^(.*?[\u3400-\u9fff)）”\"])\s*((?:{_VALUE}\s*)+)$")
# "1." "2、" before a label's words, wherever they are: "（三）不予公开1.属于国家秘密"
_ENUMERATORS = re.compile(rf"(?<!\d){schema.ENUM_DIGIT}(?=\s*[\u3400-\u9fff“\"])")
_MAX_LABEL = 60          # characters (core) a label or a piece of labels may have


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    where: str = ""
    section: int = -1        # HEADING: index of the section in schema.SECTIONS
    repeat: bool = False     # VALUE from a cell that repeats the cell before it in its row
    line: int = -1           # the paragraph or row it came from (index in reading order)


def _values(text: str) -> list[str] | None:
    """The values of a cell text, or None if it is not made of values only."""
    if cellmod.is_value(text) and not re.search(r"\d[\s\u3000\xa0]+[+-]?\d", unicodedata.normalize("NFKC", text)):
        return [text]
    parts = text.split()
    if len(parts) > 1 and all(cellmod.is_value(p) and not cellmod.is_empty(p) for p in parts):
        return parts
    t = unicodedata.normalize("NFKC", text)
    if _ALL_VALUES.fullmatch(t):
        return re.findall(_VALUE, t)          # "188不适用308"
    return None


def _label(text: str, where: str) -> list[Token]:
    """A label cell, and the numbers glued to its end as values of their own."""
    t = unicodedata.normalize("NFKC", text).strip()
    m = _GLUED.match(t)
    if m:
        head = m.group(1).strip()
        return [Token(VALUE if cellmod.is_value(head) else LABEL, head, where)] + [
            Token(VALUE, v, where) for v in re.findall(_VALUE, m.group(2))]      # "不适用308"
    return [Token(LABEL, text.strip(), where)]


def _paragraph(p: Paragraph) -> list[Token]:
    from .sections import parse_heading     # sections imports this package's modules at import time
    text = p.text.strip()
    h = parse_heading(text)
    if h is not None:
        return [Token(HEADING, text, p.where, h[0])]
    values = _values(text)
    if values is not None:
        return [Token(VALUE, v, p.where) for v in values]
    if set(text) == {"|"}:
        return [Token(VALUE, "", p.where)]       # an empty cell on a line of its own: "|"
    if _SENTENCE_END.search(text) or len(labels.core(text)) > _MAX_LABEL or not _CJK.search(text):
        return [Token(PROSE, text, p.where)]
    found = _label(text, p.where)
    return [Token(PROSE, text, p.where)] if _is_prose(found[0]) else found


def _is_prose(label: Token) -> bool:
    """A number inside a label's text (not its enumerator, not values run on to its end): a line
    of prose ("本年度发生政府信息公开行政复议 628 件，其中结果维持 383 件、结果纠正")."""
    return bool(_CJK.search(label.text) and re.search(r"\d", _ENUMERATORS.sub("", label.text)))


def _row(row: Row) -> list[Token]:
    out: list[Token] = []
    # a row left blank in an exact grid: its label, then empty cells (a header row has none)
    has_values = row.has_numbers or (row.exact and bool(row.label_cells) and len(row.values) >= 3)
    before = None
    for i, cell in enumerate(row.cells):
        if cell is None:
            continue                             # covered by a merged cell
        # text tables that repeat a merged cell in every column it covers (PyMuPDF's Markdown)
        repeat, before = not row.exact and bool(cell.strip()) and cell == before, cell
        if not cell.strip():
            # an empty cell of an exact grid after the labels is a blank cell; elsewhere (text
            # tables, Markdown padding) it is nothing
            if row.exact and has_values and i > row.split:
                out.append(Token(VALUE, "", row.where))
            continue
        values = _values(cell)
        if values is not None:
            out += [Token(VALUE, v, row.where, repeat=repeat) for v in values]
            continue
        found = _label(cell, row.where)
        if _is_prose(found[0]):
            # prose laid out as a table row (a converter's table around a paragraph): no values
            return [Token(PROSE, " ".join(c for c in row.cells if c), row.where)]
        out += found
    return out


def tokenize(blocks: list[Block]) -> list[Token]:
    """The tokens of a document in reading order."""
    out: list[Token] = []
    line = 0
    for it in items(blocks):
        for t in _paragraph(it) if isinstance(it, Paragraph) else _row(it):
            out.append(replace(t, line=line))
            line += isinstance(it, Row) and it.run and t.kind == VALUE    # a run: one line per value
        line += 1
    return out


def moved_blanks(tokens: list[Token]) -> bool:
    """Whether blank or 不适用 values may have been moved by the converter: in text printed one
    value per line (pdftotext), a line holding several values with a blank or 不适用 among them is
    cells that touched on the page, read as one block, possibly out of their place."""
    per_line: dict[int, list[str]] = {}
    for t in tokens:
        if t.kind == VALUE:
            per_line.setdefault(t.line, []).append(t.text)
    single = sum(len(v) == 1 for v in per_line.values())
    several = [v for v in per_line.values() if len(v) > 1]
    zeroish = lambda text: not cellmod.is_empty(text) and not re.search(r"\d", text)  # noqa: E731
    return single > len(several) and any(zeroish(x) for v in several for x in v)


def apart(tokens: list[Token]) -> set[int]:
    """Indexes of the 不适用 and blank marks printed apart from their row: VALUE tokens on a line
    whose values are only such marks, fewer than on each line of values around it, in a text whose
    lines hold several values more often than one (markitdown puts a cell printed smaller than its
    row's on a line of its own, a bare "不适用" or a Markdown row of its own, after the row; in text
    of one value per line, pdftotext's, a line of one value keeps the text's order: moved_blanks). The text keeps no order for them: where they stand among the values is not
    in the text, and among zeros the identities cannot see it (they add 不适用 and blank as 0)."""
    lines: dict[int, list[int]] = {}
    for i, t in enumerate(tokens):
        if t.kind == VALUE:
            lines.setdefault(t.line, []).append(i)
    order = list(lines.values())
    out: set[int] = set()
    if sum(len(idx) == 1 for idx in order) > sum(len(idx) > 1 for idx in order):
        return out          # one value per line (pdftotext): a line of one value is the text's order
    for k, idx in enumerate(order):
        if any(re.search(r"\d", tokens[i].text) for i in idx):
            continue
        around = [len(order[j]) for j in (k - 1, k + 1) if 0 <= j < len(order)]
        if around and all(len(idx) < n for n in around):
            out.update(idx)
    return out


def values(tokens: list[Token]) -> list[str]:
    return [t.text for t in tokens if t.kind == VALUE]

