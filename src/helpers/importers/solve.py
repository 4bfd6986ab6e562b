"""Put the values of a table's region into its cells, verified by the identities, never guessed.

Tables 三 and 四 have hard identities (schema.identities): every column balances, every row total
is the sum of its six applicant columns, （七）总计 is the sum of the outcome rows, table 四's totals
are the sums of their groups. Their values are put into the cells under each order converters
produce (candidates), and a candidate counts only if it parses and every identity holds:

  table 三   the values in the order of the rows (labels anywhere: before, after, split, missing),
            or column by column; the number of values decides the version (25 or 23 rows);
  table 四   the 15 values in the order of the row; where pdftotext printed touching 不适用 or
            blank cells as one block out of place, that block at each place it may have stood.

A 不适用 or blank printed apart from its row (tokens.apart) is tried at each place among the values
of the lines around it and of the lines short of a row, each place a candidate (its place in the
text's order proves nothing: the identities add it as 0). A cell is read when every candidate that
holds gives it the same value (choice.choose: one that holds is read whole); where two candidates
hold and differ, or none does, the cells are left unread and the reason is given. Table 二 has no
identities: a row is read only where its label is followed by exactly its number of values, none of
them printed apart.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import product

from ..errors import InvalidValue
from ..format import schema
from ..format.model import Cell
from . import cells as cellmod
from . import labels
from .choice import choose, holds
from .tokens import LABEL, VALUE, Token, apart, moved_blanks

CellKey = schema.CellKey


@dataclass
class Solved:
    """What the token reader read of one table."""
    table: str
    version: str = ""
    cells: dict[CellKey, Cell] = field(default_factory=dict)
    unread: list[tuple[str, str]] = field(default_factory=list)      # (row label, why)


BLANKS_NOT_PROVED = ("有空白或“不适用”的单元格：按位置读出，其位置勾稽关系无法验证"
                     " (blank or 不适用 cells: their places are not proved by the identities)")


def row_holds(cells: dict[CellKey, Cell], table: str, row: str) -> bool:
    """Whether the row's total is the sum of its parts (rule applicant_total), its cells all read."""
    for ident in schema.identities(table):
        if ident.right[0][1] == row and ident.rule == "applicant_total":
            return all(k in cells for k in ident.cells) and \
                sum(cells[k].numeric for k in ident.left) == sum(cells[k].numeric for k in ident.right)
    return True


@cache
def _kind(table: str, version: str, row: str, col: str) -> str:
    return schema.table(table, version).field(row, col).kind


@lru_cache(maxsize=4096)
def _cell(text: str, kind: str) -> Cell | None:
    """The cell a value text is (cells are frozen: one for every candidate), None if invalid."""
    try:
        return cellmod.parse(text, kind)
    except InvalidValue:
        return None


def _parse(keys: list[CellKey], texts: list[str], version: str) -> dict[CellKey, Cell] | None:
    out = {}
    for (t, r, c), text in zip(keys, texts):
        cell = _cell(text, _kind(t, version, r, c))
        if cell is None:
            return None
        out[(t, r, c)] = cell
    return out


def _agreed(solved: Solved, candidates: list[dict[CellKey, Cell]], keys: list[CellKey], what: str) -> None:
    """Cells the candidates (each holds) prove (choice.choose); the rows of the others unread, with
    `what` as the reason."""
    cells, _ = choose([{k: c[k] for k in keys} for c in candidates], [True] * len(candidates))
    solved.cells.update(cells)
    t = schema.table(solved.table, solved.version)
    rows = [r.label for r in t.rows if any((solved.table, r.key, c.key) not in solved.cells for c in t.columns)]
    for row in rows:
        solved.unread.append((row, what))


def _row_labels(tokens: list[Token]) -> list[set[str]]:
    """For each value token, the table 三 rows named by the labels right before it (no value
    between them and it); the entry after the last value holds the labels after it."""
    from .table3 import match_label        # table3 imports placement; solve stays importable alone
    out: list[set[str]] = []
    pending: set[str] = set()
    for tok in tokens:
        if tok.kind == VALUE:
            out.append(pending)
            pending = set()
        elif tok.kind == LABEL and (key := match_label(tok.text, "")) is not None:
            pending.add(key)
    out.append(pending)
    return out


def _labels_contradict(rows: list[str], ncols: int, before: list[set[str]]) -> bool:
    """Whether the labels next to the rows' values name other rows: where labels stand before
    their values (or after them: the style that fits more rows), a row whose neighbouring labels
    name rows but not its own was put in the wrong place (the identities cannot see a swap of two
    outcome rows)."""
    ahead = [before[i * ncols] for i in range(len(rows))]
    behind = [before[(i + 1) * ncols] for i in range(len(rows))]
    fits_ahead = sum(r in a for r, a in zip(rows, ahead))
    fits_behind = sum(r in b for r, b in zip(rows, behind))
    # Labels of rows on the far side are no contradiction: with labels before their rows, a
    # group whose labels pdftotext printed after its values (on a page of its own) leaves them
    # before the next row. A wrong order still shows: its first misplaced row holds the values
    # of a later row, whose label stands before them (mirrored for labels after their rows).
    rank = {r: i for i, r in enumerate(rows)}
    if fits_ahead >= fits_behind:
        return any(names and r not in names and any(rank.get(n, i + 1) > i for n in names)
                   for i, (r, names) in enumerate(zip(rows, ahead)))
    return any(names and r not in names and any(rank.get(n, i - 1) < i for n in names)
               for i, (r, names) in enumerate(zip(rows, behind)))


def _readings(tokens: list[Token]) -> list[list[Token]]:
    """The region's tokens, and, where text cells repeat the cell before them, the tokens without
    those repeats (a merged cell printed in each column it covers)."""
    out = [tokens]
    if any(t.kind == VALUE and t.repeat for t in tokens):
        out.append([t for t in tokens if not (t.kind == VALUE and t.repeat)])
    return out


APART_NOT_PROVED = ("“不适用”或空白单独印在一行，不在其所在行中：它在本行数值中的位置文本中没有，"
                    "勾稽关系也无法确认 (a 不适用 or blank printed apart from its row: its place among the values"
                    " is not in the text, and the identities do not prove it)")
# documents tried per table for the places of the values printed apart (each one's place among the
# values of the two lines around it); beyond, the table is not read (a crafted text stays cheap)
MOST_PLACES = 256


def _places(tokens: list[Token], width: int) -> list[list[Token]] | None:
    """The tokens with each value printed apart from its row (tokens.apart) put at each place among
    the values of the lines it may have left: the lines just before and after it, and any line
    short of a row (fewer than `width` values) — the documents the text may be. [tokens] if there
    is no such value; None if there are more than MOST_PLACES documents."""
    far = sorted(apart(tokens))
    if not far:
        return [tokens]
    lines: list[list[int]] = []
    for i, t in enumerate(tokens):
        if t.kind == VALUE:
            if lines and tokens[lines[-1][0]].line == t.line:
                lines[-1].append(i)
            else:
                lines.append([i])
    line_of = {i: k for k, idx in enumerate(lines) for i in idx}
    short = {k for k, idx in enumerate(lines) if len(idx) < width and not set(idx) & set(far)}
    choices = []
    n = 1
    for a in far:
        k = line_of[a]
        near = short | {j for j in (k - 1, k + 1) if 0 <= j < len(lines)}
        # before each value of those lines, or after the last one of each
        spots = sorted({a} | {i for j in near for i in lines[j] + [lines[j][-1] + 1]})
        choices.append(spots)
        n *= len(spots)
        if n > MOST_PLACES:
            return None
    out, seen = [], set()
    stay = [[t] if i not in far else [] for i, t in enumerate(tokens)] + [[]]
    for pick in product(*choices):
        at: dict[int, list[Token]] = {}
        for a, spot in zip(far, pick):
            at.setdefault(spot, []).append(tokens[a])
        doc = [t for i, kept in enumerate(stay) for t in at.get(i, []) + kept]
        key = tuple((t.kind, t.text) for t in doc)
        if key not in seen:
            seen.add(key)
            out.append(doc)
    return out


def _documents(tokens: list[Token], width: int) -> list[list[Token]] | None:
    """Each reading of the region (_readings) under each place of the values printed apart
    (_places, rows `width` values wide); None if those places are too many to try."""
    out = []
    for toks in _readings(tokens):
        placed = _places(toks, width)
        if placed is None:
            return None
        out += placed
    return out


def _why_not(counts: set[int], sizes: list[int], identities: bool, contradicted: bool) -> str:
    if contradicted:
        return "数值满足勾稽关系，但行名与数值的位置不符，可能有行顺序被打乱 (the labels contradict the order of the rows)"
    if identities:
        return "数值个数相符，但按行或按列放入都不满足勾稽关系 (no order of the values satisfies the identities)"
    want = " 或 ".join(str(n) for n in sizes)
    got = "、".join(str(n) for n in sorted(counts))
    return f"读到 {got} 个数值，应有 {want} 个 (wrong number of values)"


def _labels_inside_rows(by_rows: bool, nvalues: int, ncols: int, before: list[set[str]]) -> bool:
    """Whether a row label stands where no row starts or ends: inside a row's values (by rows), or
    among the values at all (by columns). A converter that moved values away from their rows (a
    column of cells read as a block) leaves labels there; the identities cannot see a zero moved."""
    for i, names in enumerate(before):
        if not names or i in (0, nvalues):
            continue
        if not by_rows or i % ncols:
            return True
    return False


def table3(tokens: list[Token]) -> Solved:
    """Table 三 from the tokens of its region: its values by rows or by columns, in either version
    (the number of values tells which)."""
    found: list[tuple[str, dict[CellKey, Cell]]] = []
    counts, sized, contradicted = set(), False, False
    sizes = {v: len(schema.table("t3", v).rows) * len(schema.T3_COLUMNS) for v in ("2021", "2019")}
    docs = _documents(tokens, len(schema.T3_COLUMNS))
    if docs is None:
        return Solved("t3", unread=[("", APART_NOT_PROVED)])
    for toks in docs:
        vals = [t.text for t in toks if t.kind == VALUE]
        counts.add(len(vals))
        for version, size in sizes.items():
            if len(vals) != size:
                continue
            sized = True
            t = schema.table("t3", version)
            by_rows = [("t3", r.key, c.key) for r in t.rows for c in t.columns]
            by_cols = [("t3", r.key, c.key) for c in t.columns for r in t.rows]
            near = _row_labels(toks)
            for keys in (by_rows, by_cols):
                cand = _parse(keys, vals, version)
                if cand is None or not holds(cand, "t3", version):
                    continue
                if _labels_inside_rows(keys is by_rows, len(vals), len(t.columns), near) or (
                        keys is by_rows and _labels_contradict([r.key for r in t.rows], len(t.columns), near)):
                    contradicted = True
                    continue
                found.append((version, cand))
    if not found:
        return Solved("t3", unread=[("", _why_not(counts, list(sizes.values()), sized, contradicted))])
    versions = {v for v, _ in found}
    if len(versions) > 1:
        return Solved("t3", unread=[("", "两种格式的读法都满足勾稽关系 (both format versions fit)")])
    solved = Solved("t3", versions.pop())
    keys = [("t3", r, c) for r, c, _ in schema.table("t3", solved.version).cells()]
    cands = [c for _, c in found]
    if moved_blanks(tokens) and any(cell.state != schema.NUMBER for c in cands for cell in c.values()):
        # the identities add 0, blank and 不适用 alike: which of them a cell holds rests on the
        # converter's order alone (it moves a 不适用 that touches its neighbour); not proved
        cands = [{k: cell for k, cell in c.items() if cell.numeric} for c in cands]
        keys = [k for k in keys if all(k in c for c in cands)]
    _agreed(solved, cands, keys, APART_NOT_PROVED if apart(tokens) else
            "几种读法都满足勾稽关系，结果不同；或为 0、空白、“不适用”之一，勾稽关系无法区分"
            " (several orders fit, or zero/blank/不适用 the identities cannot tell apart)")
    return solved


MOVED_BACK = ("相邻的“不适用”或空白单元格被转换工具整块移出原位，放回各个可能的位置都满足勾稽关系，结果不同"
              " (touching blank or 不适用 cells moved by the converter as one block: put back at each place they"
              " may have stood, several readings fit and differ here)")


def _moved_back(tokens: list[Token], keys: list[CellKey]) -> list[dict[CellKey, Cell]]:
    """Table 四 printed one value per line but for one line of touching cells holding 不适用 or a
    blank ("不适用 不适用"), which pdftotext prints as one block, possibly out of its place: that
    block put back at each place in the row, the readings that hold (one per place at most: 16).
    None where more than one line holds several values (which moved is not known)."""
    lines: dict[int, list[str]] = {}
    for t in tokens:
        if t.kind == VALUE:
            lines.setdefault(t.line, []).append(t.text)
    several = [line for line, vals in lines.items() if len(vals) > 1]
    if len(several) != 1:
        return []
    block = lines[several[0]]
    rest = [t.text for t in tokens if t.kind == VALUE and t.line != several[0]]
    out = []
    for at in range(len(rest) + 1):
        cand = _parse(keys, rest[:at] + block + rest[at:], "2021")
        if cand is not None and holds(cand, "t4", "2021"):
            out.append(cand)
    return out


def table4(tokens: list[Token]) -> Solved:
    """Table 四 from the tokens of its region: the 15 values in the order of the row (行政复议,
    未经复议直接起诉, 复议后起诉). Runs of values printed out of order (pdftotext reads the cells
    of one row in blocks) are not put back in order: every permutation of whole groups satisfies
    the identities as well as the true one."""
    keys = [("t4", r, c) for r, c, _ in schema.table("t4").cells()]
    found, counts, sized = [], set(), False
    why = APART_NOT_PROVED if apart(tokens) else "几种读法都满足勾稽关系，结果不同 (several readings fit)"
    docs = _documents(tokens, len(keys))
    if docs is None:
        return Solved("t4", unread=[("", APART_NOT_PROVED)])
    for toks in docs:
        vals = [t.text for t in toks if t.kind == VALUE]
        counts.add(len(vals))
        if len(vals) != len(keys):
            continue
        sized = True
        moved = moved_blanks(tokens)
        back = _moved_back(toks, keys) if moved else []
        if back:
            found.extend(back)      # the block of 不适用 the converter moved, at each place it may have stood
            why = MOVED_BACK
            continue
        cand = _parse(keys, vals, "2021")
        if cand is not None and holds(cand, "t4", "2021"):
            if moved and any(c.state != schema.NUMBER for c in cand.values()):
                # a 不适用 moved by the converter moves the values after it: a group's sum does
                # not see the order of its parts
                return Solved("t4", unread=[("", BLANKS_NOT_PROVED)])
            found.append(cand)
    if not found:
        why = _why_not(counts, [len(keys)], False, False) if not sized else \
            ("按顺序放入不满足勾稽关系（总计 = 各项之和），数值顺序可能已被打乱"
             " (in the order given, the values do not satisfy the identities)")
        return Solved("t4", unread=[("", why)])
    solved = Solved("t4", "2021")
    _agreed(solved, found, keys, why)
    return solved


def _accounted(t: schema.Table, seen: dict[str, list[str]], spoilt: set[str],
               spans: list[tuple[list[str], list[str]]]) -> set[str]:
    """Rows of a one-row block whose label stands after its values (pdftotext prints a narrow
    block's cells so), proved by accounting alone: every other row of the table has exactly its
    values after its label, the row is the only label between its caption and the next, and that
    span holds exactly its values. Each value of the table is then claimed once; the row takes its
    span's values (`seen`)."""
    one_row = {b.rows[0].key for b in t.blocks if len(b.rows) == 1}
    got = {}
    for rows, vals in spans:
        if len(rows) == 1 and rows[0] in spoilt and rows[0] in one_row and len(vals) == len(t.row(rows[0]).fields):
            got[rows[0]] = vals
    others = [r for r in t.rows if r.key not in got]
    if not got or any(r.key in spoilt or len(seen.get(r.key, ())) != len(r.fields) for r in others) or \
            sum(len(v) for _, v in spans) != sum(len(r.fields) for r in t.rows):
        return set()
    seen.update(got)
    return set(got)


def table2(tokens: list[Token], version: str) -> Solved:
    """Rows whose label is followed by exactly their number of values (column headers between them
    aside), in blocks (第二十条第（…）项) where every value follows a row label: a value before any
    label of its block means labels printed after their values, and then none of the block's rows
    is read — but for a one-row block that accounting proves (_accounted)."""
    from .table2 import is_caption, is_header
    t = schema.table("t2", version)
    solved = Solved("t2", version)
    seen: dict[str, list[str]] = {}
    block: list[str] = []          # rows of the current block
    stray = False                  # a value in the current block that no label claims
    spoilt: set[str] = set()
    spans: list[tuple[list[str], list[str]]] = [([], [])]     # each caption's rows and values, in order

    def close():
        if stray:
            spoilt.update(block)
        block.clear()

    far = apart(tokens)
    loose: set[str] = set()        # rows holding a value printed apart (table 二 has no identities)
    loose_spans: set[int] = set()
    key = None
    for i, tok in enumerate(tokens):
        if tok.kind == LABEL and is_caption(tok.text):
            close()
            stray, key = False, None
            spans.append(([], []))
            continue
        if tok.kind == LABEL and is_header(tok.text):
            continue                  # a column header (pdftotext prints it between a label and its values)
        if tok.kind == VALUE:
            spans[-1][1].append(tok.text)
            if key is None:
                stray = True
                if i in far:
                    loose_spans.add(len(spans) - 1)     # claimed by a row of the block only by accounting
            else:
                seen[key].append(tok.text)
                if i in far:
                    loose.add(key)
            continue
        hit = labels.best_match(tok.text, labels.t2_row_labels(), prefix=False) if tok.kind == LABEL else None
        key = None
        if hit is None:
            continue
        key = hit.split("#")[0]
        if key in seen:
            spoilt.add(key)           # a row read twice is read neither time
        seen[key] = []
        block.append(key)
        spans[-1][0].append(key)
    close()
    spoilt -= _accounted(t, seen, spoilt, spans)
    loose.update(r for k in loose_spans for r in spans[k][0])
    for r in t.rows:
        vals = seen.get(r.key)
        if vals is None:
            continue
        keys = [("t2", r.key, f.key) for f in r.fields]
        cand = _parse(keys, vals, version) if len(vals) == len(keys) and r.key not in spoilt | loose else None
        if cand is None:
            why = (APART_NOT_PROVED if r.key in loose else
                   "本栏有不在行名之后的数值，行名与数值对应不上 (values before the labels in this block)"
                   if r.key in spoilt else
                   f"行名后应有 {len(keys)} 个数值，读到 {len(vals)} 个 (expected {len(keys)} values after the label)")
            solved.unread.append((r.label, why))
            continue
        solved.cells.update(cand)
    return solved
