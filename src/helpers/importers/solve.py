"""Put the values of a table's region into its cells, verified by the identities, never guessed.

Tables 三 and 四 have hard identities (schema.identities): every column balances, every row total
is the sum of its six applicant columns, （七）总计 is the sum of the outcome rows, table 四's totals
are the sums of their groups. Their values are put into the cells under each order converters
produce (candidates), and a candidate counts only if it parses and every identity holds:

  table 三   the values in the order of the rows (labels anywhere: before, after, split, missing),
            or column by column; the number of values decides the version (25 or 23 rows);
  table 四   the 15 values in the order of the row.

A cell is read when every candidate that holds gives it the same value; where two candidates hold
and differ, or none does, the cells are left unread and the reason is given. Table 二 has no
identities: a row is read only where its label is followed by exactly its number of values.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from ..errors import InvalidValue
from ..format import schema
from ..format.model import Cell
from . import cells as cellmod
from . import labels
from .tokens import LABEL, VALUE, Token

CellKey = schema.CellKey


@dataclass
class Solved:
    """What the token reader read of one table."""
    table: str
    version: str = ""
    cells: dict[CellKey, Cell] = field(default_factory=dict)
    unread: list[tuple[str, str]] = field(default_factory=list)      # (row label, why)


def holds(cells: dict[CellKey, Cell], table: str, version: str) -> bool:
    """Whether every identity of the table holds (blank and 不适用 count as 0, as the checks do)."""
    for ident in schema.identities(table, version):
        left = sum(cells[k].numeric for k in ident.left)
        if left != sum(cells[k].numeric for k in ident.right):
            return False
    return True


def _parse(keys: list[CellKey], texts: list[str], version: str) -> dict[CellKey, Cell] | None:
    out = {}
    for (t, r, c), text in zip(keys, texts):
        try:
            out[(t, r, c)] = cellmod.parse(text, schema.table(t, version).field(r, c).kind)
        except InvalidValue:
            return None
    return out


def _agreed(solved: Solved, candidates: list[dict[CellKey, Cell]], keys: list[CellKey], what: str) -> None:
    """Cells on which every candidate agrees; the others unread, with `what` as the reason."""
    t = schema.table(solved.table, solved.version)
    for k in keys:
        vals = {cand[k] for cand in candidates}
        if len(vals) == 1:
            solved.cells[k] = vals.pop()
    rows = [r.label for r in t.rows if any((solved.table, r.key, c.key) not in solved.cells for c in t.columns)]
    for row in rows:
        solved.unread.append((row, what))


def table3(values: list[str]) -> Solved:
    for version in ("2021", "2019"):
        t = schema.table("t3", version)
        nrows, ncols = len(t.rows), len(t.columns)
        if len(values) != nrows * ncols:
            continue
        by_rows = [("t3", r.key, c.key) for r in t.rows for c in t.columns]
        by_cols = [("t3", r.key, c.key) for c in t.columns for r in t.rows]
        found = []
        for keys in (by_rows, by_cols):
            cand = _parse(keys, values, version)
            if cand is not None and holds(cand, "t3", version):
                found.append(cand)
        solved = Solved("t3", version)
        if not found:
            solved.unread.append(("", f"读到 {len(values)} 个数值，按行或按列放入都不满足勾稽关系"
                                      " (no order of the values satisfies the identities)"))
            return solved
        _agreed(solved, found, by_rows, "按行和按列放入都满足勾稽关系，结果不同 (two orders fit)")
        return solved
    sizes = " 或 ".join(str(len(schema.table("t3", v).rows) * len(schema.T3_COLUMNS)) for v in ("2021", "2019"))
    return Solved("t3", unread=[("", f"读到 {len(values)} 个数值，应有 {sizes} 个 (wrong number of values)")])


def table4(values: list[str]) -> Solved:
    """The 15 values in the order of the row (行政复议, 未经复议直接起诉, 复议后起诉). Runs of values
    printed out of order (pdftotext reads the cells of one row in blocks) are not put back in order:
    every permutation of whole groups satisfies the identities as well as the true one."""
    t = schema.table("t4")
    keys = [("t4", g, f.key) for g, _ in schema.T4_GROUPS for f in t.columns]
    solved = Solved("t4", "2021")
    if len(values) != len(keys):
        solved.unread.append(("", f"读到 {len(values)} 个数值，应有 {len(keys)} 个 (wrong number of values)"))
        return solved
    cand = _parse(keys, values, "2021")
    if cand is None or not holds(cand, "t4", "2021"):
        solved.unread.append(("", "按顺序放入不满足勾稽关系（总计 = 各项之和），数值顺序可能已被打乱"
                                  " (in the order given, the values do not satisfy the identities)"))
        return solved
    solved.cells.update(cand)
    return solved


def table2(tokens: list[Token], version: str) -> Solved:
    """Rows whose label is followed by exactly their number of values."""
    t = schema.table("t2", version)
    solved = Solved("t2", version)
    seen: dict[str, list[str]] = {}
    for i, tok in enumerate(tokens):
        if tok.kind != LABEL:
            continue
        hit = labels.best_match(tok.text, labels.t2_row_labels(), prefix=False)   # either version's label
        if hit is None:
            continue
        key = hit.split("#")[0]
        vals = []
        for nxt in tokens[i + 1:]:
            if nxt.kind != VALUE:
                break
            vals.append(nxt.text)
        if key in seen:
            seen[key] = []            # a row read twice is read neither time
            continue
        seen[key] = vals
    for r in t.rows:
        vals = seen.get(r.key)
        if vals is None:
            continue
        keys = [("t2", r.key, f.key) for f in r.fields]
        cand = _parse(keys, vals, version) if len(vals) == len(keys) else None
        if cand is None:
            solved.unread.append((r.label, f"行名后应有 {len(keys)} 个数值，读到 {len(vals)} 个"
                                           f" (expected {len(keys)} values after the label)"))
            continue
        solved.cells.update(cand)
    return solved
