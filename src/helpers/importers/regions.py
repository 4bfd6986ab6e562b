"""Where each table's tokens are: the spans of the token sequence holding tables 二, 三 and 四.

A table starts at its section heading (二、主动公开政府信息情况 …) or, where a converter lost the
heading, at the first label only that table has (a caption of table 二, 一、本年新收… or the header
of table 三, 行政复议); it ends where the next table starts, at the next section heading, or at the
first prose after its first value (the paragraph under a table, a chart's caption text is a label).
"""
from __future__ import annotations

from functools import cache

from ..format import schema
from . import labels
from .tokens import HEADING, LABEL, PROSE, VALUE, Token

TABLE_OF_SECTION = {i: s.table for i, s in enumerate(schema.SECTIONS) if s.table}


@cache
def _starts() -> dict[str, frozenset[str]]:
    """Label cores that open each table when its heading is missing."""
    t2 = {labels.core(b.caption) for v in ("2021", "2019") for b in schema.table("t2", v).blocks}
    t2 |= {labels.core(lab) for lab in labels.t2_row_labels().values()}
    t3 = {labels.core(labels.t3_row_labels()["new_received"]), labels.core(schema.T3_NOTE),
          labels.core(schema.T3_HEADER[0][1].label)}
    t4 = {labels.core(schema.T4_GROUPS[0][1]), labels.core(schema.T4_SUIT)}
    return {"t2": frozenset(t2), "t3": frozenset(t3), "t4": frozenset(t4)}


def _opens(tok: Token, table: str) -> bool:
    if tok.kind == HEADING:
        return TABLE_OF_SECTION.get(tok.section) == table
    if tok.kind != LABEL:
        return False
    c = labels.core(tok.text)
    if table == "t4":                 # "四、政府信息公开行政复议…" and a header cell "行政复议" alike
        return any(s in c for s in _starts()["t4"])
    return c in _starts()[table]


def regions(tokens: list[Token]) -> dict[str, tuple[int, int]]:
    """table id -> (start, end) indexes into `tokens`, for the tables found, in document order."""
    out: dict[str, tuple[int, int]] = {}
    pos = 0
    order = ("t2", "t3", "t4")
    for k, table in enumerate(order):
        start = next((i for i in range(pos, len(tokens)) if _opens(tokens[i], table)), None)
        if start is None:
            continue
        end, seen_value = len(tokens), False
        for i in range(start + 1, len(tokens)):
            tok = tokens[i]
            if tok.kind == HEADING and tok.section > 0 and TABLE_OF_SECTION.get(tok.section) != table:
                end = i
                break
            if any(_opens(tok, later) for later in order[k + 1:]):
                end = i
                break
            if tok.kind == PROSE and seen_value:
                end = i
                break
            seen_value = seen_value or tok.kind == VALUE
        out[table] = (start, end)
        pos = end
    return out
