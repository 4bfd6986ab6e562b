"""Reader for plain-text and Markdown reports (text copied from web pages or converted from PDFs).

Table rows are lines with cells separated by `|` (Markdown pipe tables too), tabs, or runs of two
or more spaces (pdftotext -layout); every other line is a paragraph.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..format import schema
from ..format.model import Report
from . import apart, choice, published
from . import cells as cellmod
from .encoding import decode
from .grid import Block, Grid, Paragraph
from . import tables
from .published import build

# page numbers on a line of their own: "-3-", "— 3 —", "第 3 页", "3 / 6"; a bare "3" is one only
# in PDF lines (in text it may be a table value: see _page_number_lines)
_PAGE_MARKS = r"[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3}"
_PAGE_MARK = re.compile(rf"^\s*(?:{_PAGE_MARKS})\s*$")
_BARE_NO = re.compile(r"^\s*\d{1,3}\s*$")
PAGE_NUMBER_LINE = re.compile(rf"^\s*(?:{_PAGE_MARKS}|\d{{1,3}})\s*$")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_BREAK = re.compile(r"<br\s*/?>", re.I)
_MD_HEADING = re.compile(r"^#{1,6}\s+|^\*\*(?=.*\*\*$)|\*\*$")   # Markdown marks, not text
_FULL_STOP = re.compile(r"[。；;！？]")
_SENTENCE = re.compile(r"[。，,；;：:]")
_SPACES = re.compile(r"[ \u3000]{2,}|\t|\u3000")
_LABEL_START = re.compile(r"[\u3400-\u9fff]")


def split_line(line: str, *, loose: bool = False) -> list[str] | None:
    """The cells of a table line, or None if the line is narrative. `loose`: also a label followed
    by numbers a single space apart (text files; PDF lines have measured gaps instead)."""
    s = line.strip()
    if not s:
        return None
    if "|" in s:
        parts = s.split("|")
        if parts and parts[0].strip() == "":
            parts = parts[1:]
        if parts and parts[-1].strip() == "":
            parts = parts[:-1]
        # a line break inside a Markdown table cell ("（三）不<br>予公开") splits a label in two
        cells = [_MD_BREAK.sub("", p).strip() for p in parts]
        return cells if len(cells) >= 2 or (cells and cellmod.is_value(cells[0])) else None
    if "\t" in line:
        # tabs come from copying a table: one tab between cells, an empty cell stays empty (also
        # the first and the last)
        cells = [c.strip() for c in line.strip(" \r\n\u3000").split("\t")]
        return cells if len(cells) >= 2 else None
    parts = s.split()
    if len(parts) >= 2 and all(cellmod.is_value(p) and not cellmod.is_empty(p) for p in parts):
        return parts                      # a line of numbers only: "2147 2184 2221"
    if not _SPACES.search(s):
        if not loose:
            return None
        # "规章 0 0 0": a label, then numbers a single space apart (text copied from PDFs)
        n = 0
        while n < len(parts) and cellmod.is_value(parts[-1 - n]) and not cellmod.is_empty(parts[-1 - n]):
            n += 1
        head = parts[: len(parts) - n]
        label = " ".join(head)
        # a label has Chinese, no full stop and no number of its own (prose wrapped after a number has)
        if n and label and _LABEL_START.search(label) and not _FULL_STOP.search(label) \
                and not any(cellmod.is_value(p) for p in head):
            return [label] + parts[len(parts) - n:]
        return None
    if _SPACES.search(s):
        cells = []
        for c in (c.strip() for c in _SPACES.split(s)):
            parts = c.split()
            # "3001 53": two numbers a single space apart are two cells (tight PDF columns)
            if len(parts) > 1 and all(cellmod.is_value(p) and not cellmod.is_empty(p) for p in parts):
                cells.extend(parts)
            elif c:
                cells.append(c)
        if len(cells) < 2:
            return None
        # text justified with double spaces is not a table: tables have values or short labels
        if any(cellmod.is_value(c) and not cellmod.is_empty(c) for c in cells):
            return cells
        if short_labels(cells):
            return cells
    return None


def short_labels(cells: list[str]) -> bool:
    """Cells that read as a header row of short labels, not as prose cut at wide spaces."""
    return all(len(c) <= 12 and not _SENTENCE.search(c) for c in cells)


def _page_number_lines(lines: list[str]) -> set[int]:
    """Indexes of page-number lines: "-3-", "第 3 页", "3 / 6" anywhere; a bare "3" only next to a
    page break (form feed), since elsewhere a number alone on a line is a table value."""
    drop = {i for i, line in enumerate(lines) if _PAGE_MARK.match(line.replace("\f", ""))}
    for i, line in enumerate(lines):
        if "\f" not in line:
            continue
        for j in (i - 1, i - 2, i, i + 1):
            if 0 <= j < len(lines) and _BARE_NO.match(lines[j].replace("\f", "")):
                drop.add(j)
    return drop


def _is_label_line(text: str) -> bool:
    return bool(_LABEL_START.search(text)) and len(text) <= 60 and not _FULL_STOP.search(text)


def blocks_from_lines(lines: list[str], where: str = "", orders: bool = False) -> list[Block]:
    """Blocks of a text: table lines gathered into grids, other lines as paragraphs. A run of lines
    holding one value each (text extracted cell by cell) is a row, labelled by the line before it.
    `orders`: see apart.put_back."""
    blocks: list[Block] = []
    rows: list[list[str | None]] = []
    raw: list[str] = []
    run: list[str] = []            # consecutive lines of one value each
    runs: set[int] = set()         # rows made of such runs

    def flush():
        nonlocal rows, raw, runs
        if rows:
            blocks.append(Grid(rows, exact=False, where=where, lines=raw, runs=runs))
            rows, raw, runs = [], [], set()

    def end_run():
        if not run:
            return
        label = []
        if not rows and blocks and isinstance(blocks[-1], Paragraph) and _is_label_line(blocks[-1].text):
            label = [blocks.pop().text]
        runs.add(len(rows))
        rows.append(label + list(run))
        raw.append(" ".join(label + run))
        run.clear()

    drop = _page_number_lines(lines)
    for n, line in enumerate(lines, start=1):
        line = line.replace("\f", "")
        if n - 1 in drop or (_MD_RULE.match(line) and "-" in line):
            continue
        token = line.strip()
        if token and "\t" not in line and not re.search(r"\s", token) and cellmod.is_value(token):
            run.append(token)
            continue
        if not token and run:
            continue                   # blank lines between cells of one row
        end_run()
        cells = split_line(line, loose=True)
        if cells is not None:
            rows.append(list(cells))
            raw.append(re.sub(r"[ \u3000]{2,}", " ", token))
            continue
        flush()
        if token:
            para = _MD_HEADING.sub("", re.sub(r"[ \u3000]{2,}", " ", token))
            if para:
                blocks.append(Paragraph(para, f"{where}:{n}" if where else str(n)))
    end_run()
    flush()
    return apart.put_back(blocks, orders)


TOO_MANY_ORDERS = ("不适用与数值粘连、先后不在文本中的单元格过多，未按各种先后逐一读取，这些行未读出"
                   f" (more than {apart.MOST_READINGS} readings of 不适用 glued to a value in an order not in the"
                   " text: not tried, those rows not read)")


def read(path: Path, *, agency: str | None = None, year: int | None = None, partial: bool = False):
    path = Path(path)
    text = decode(path.read_bytes(), str(path))
    published.check_length(len(text), path)      # before the orders are worked out
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks = blocks_from_lines(lines)
    # a 不适用 glued to a value in an order not in the text: read under each order, keep what the identities prove
    glued = blocks_from_lines(lines, orders=True)
    orders = apart.readings(glued)
    if not orders:
        got = build(path, blocks, agency=agency, year=year, partial=partial)
        if apart.alternatives(glued) > apart.MOST_READINGS:
            got[0].unread.append(TOO_MANY_ORDERS)
        return got
    base, = build(path, blocks, agency=agency, year=year, partial=True)
    placed = [tables.place(b, str(path)) for b in orders]
    got = agreed(base, [build(path, b, agency=agency, year=year, partial=True, placed=p)[0]
                        for b, p in zip(orders, placed)], [not p.broken for p in placed])
    if got.unread and not partial:
        return build(path, blocks, agency=agency, year=year, partial=False)     # refused, as without the orders
    return [got]


def _fits(rep: Report) -> bool:
    """Whether every hard identity holds over the cells the reading fills."""
    return all(choice.holds_where_filled(rep.cells, t.id, t.version) for t in rep.tables())


def _proves(rep: Report):
    versions = {t.id: t.version for t in rep.tables()}
    return lambda cells, keys: all(choice.in_filled_identity(cells, k, versions[k[0]]) for k in keys)


def agreed(base: Report, readings: list[Report], placed_hold: list[bool]) -> Report:
    """What the identities prove of the readings under each order (choice.choose: the one reading
    that fits whole, or the cells every fitting reading has alike), where it is more than `base` has.
    `placed_hold`: whether the cells each reading placed from the text, before those not proved were
    dropped, break no identity (Placement.broken)."""
    fits = [ok and _fits(r) for r, ok in zip(readings, placed_hold)]
    layouts = {r.layout for r, ok in zip(readings, fits) if ok}
    got = choice.choose([r.cells for r in readings], fits, _proves(readings[0])) if len(layouts) == 1 else None
    if got is None or len(got[0]) <= len(base.cells):
        return base
    cells, differ = got
    first = readings[fits.index(True)]
    if not differ:
        return first        # the only reading that fits (or all that fit alike): whole, as it read
    others = [r for r, ok in zip(readings, fits) if ok and r is not first]
    first.cells = cells
    first.unread = [u for u in first.unread if all(u in o.unread for o in others)] + [
        f"{schema.table_name(t)} · {first.table(t).row_label(row)}：不适用与数值粘连、先后不在文本中，按各种先后读出的结果不同，"
        f"无法确认 (a 不适用 glued to a value in an order not in the text: the readings under each order differ)"
        for t, row in sorted({k[:2] for k in differ})]
    return first
