"""Table 二 (主动公开政府信息情况): rows by label, the version (2021 / 2019) by its header words."""
from __future__ import annotations

from functools import cache

from ..format import schema
from . import labels
from .grid import Paragraph
from .placement import T2, Placer, wrong_count
from .rows import Row, by_position, column_centres, cores, fit


@cache
def _version_evidence() -> tuple[frozenset[str], frozenset[str]]:
    """Header, row and caption label cores found only in one version of table 二."""
    def words(v):
        t = schema.table(T2, v)
        return ({labels.core(h) for b in t.blocks for h in b.header} | {labels.core(r.label) for r in t.rows}
                | {labels.core(b.caption) for b in t.blocks})
    c21, c19 = words("2021"), words("2019")
    return frozenset(c21 - c19), frozenset(c19 - c21)


@cache
def _rows_only_2019() -> frozenset[str]:
    """Row keys only the 2019 table 二 has (其他对外管理服务事项, 政府集中采购)."""
    return frozenset(r.key for r in schema.table(T2, "2019").rows) - {r.key for r in schema.table(T2, "2021").rows}


@cache
def _captions() -> frozenset[str]:
    return frozenset(labels.core(b.caption) for v in ("2021", "2019") for b in schema.table(T2, v).blocks)


def is_caption(text: str) -> bool:
    """A block caption of table 二 (第二十条第（一）项 …), either version."""
    return labels.core(text) in _captions()


@cache
def _headers() -> frozenset[str]:
    return frozenset({labels.core(h) for v in ("2021", "2019") for b in schema.table(T2, v).blocks for h in b.header}
                     | {labels.core(schema.T2_ROW_LABEL_HEADER)})


def is_header(text: str) -> bool:
    """A column header of table 二 (信息内容, 本年制发件数, 采购总金额 …), either version."""
    return labels.core(text) in _headers()


def evidence(cores: list[str]) -> tuple[int, int]:
    """How many of the label cores are found only in the 2021 / only in the 2019 table 二."""
    only21, only19 = _version_evidence()
    ev21 = sum(any(c == e or (len(e) >= 4 and e in c) for e in only21) for c in cores)
    ev19 = sum(any(c == e or (len(e) >= 4 and e in c) for e in only19) for c in cores)
    return ev21, ev19


def version_of(cores: list[str]) -> str:
    """The version of table 二 its labels show (2021 when they show none)."""
    ev21, ev19 = evidence(cores)
    return "2019" if ev19 > ev21 else "2021"


def place(placer: Placer, lo: int, hi: int) -> int:
    """Place table 二 from the items lo:hi; return the item index of its last row (-1 if none)."""
    # the table starts at its first caption (第二十条第（一）项); tables in section 一 stay out
    for i in range(lo, hi):
        if any(c in _captions() for c in cores(placer.items[i])):
            lo = i
            break
    seen: dict[str, Row] = {}
    bare: dict[str, int] = {}
    where: dict[str, int] = {}
    last = -1
    ev21 = ev19 = 0
    stray: list[int] = []          # rows of values that no row label claims
    for i in range(lo, hi):
        it = placer.items[i]
        e21, e19 = evidence(cores(it))
        ev21, ev19 = ev21 + e21, ev19 + e19
        if isinstance(it, Row) and it.has_numbers and not (
                it.label_cells and labels.best_match(it.label_cells[-1], labels.t2_row_labels())):
            stray.append(i)
        if isinstance(it, Paragraph):
            hit = labels.best_match(it.text, labels.t2_row_labels(), prefix=False)
            if hit is not None and not it.text.strip().startswith("#"):
                bare.setdefault(hit.split("#")[0], i)   # a row label with no value after it
            continue
        if not isinstance(it, Row) or not it.label_cells:
            continue
        hit = labels.best_match(it.label_cells[-1], labels.t2_row_labels())
        if hit is None:
            continue
        key = hit.split("#")[0]
        if key in seen:
            placer.problem("这一行出现两次 (row read twice)", T2, it.label_cells[-1])
            continue
        seen[key] = it
        where[key] = i
        last = i
    if not seen:
        return -1
    placer.out.found.add(T2)
    version = _version(seen, ev21, ev19)
    placer.out.versions[T2] = version
    table = schema.table(T2, version)
    for r in table.rows:
        row = seen.get(r.key)
        if row is None and r.key in bare:
            if stray:
                # values in the table that no label claims: they may be this row's, in an order
                # the text does not show (labels printed apart from their values)
                placer.problem("行名后没有数值，表中另有无法对应的数值 (label without values; unassigned values"
                               " in the table)", T2, r.label)
                continue
            for f in r.fields:                 # the label alone: nothing written in its cells
                placer.put(T2, version, r.key, f.key, "")
            continue
        if row is None:
            placer.problem("找不到这一行 (row not found)", T2, r.label)
            continue
        vals = fit(row.values, len(r.fields), row.exact)
        if len(vals) < len(r.fields):
            # PDF printed without rules: blank cells show nothing; place the values by position,
            # learning the columns from the rows of the same block that show all their values
            block = next(b for b in table.blocks if r in b.rows)
            peers = [seen[o.key] for o in block.rows if o.key in seen]
            centres = column_centres(peers, len(r.fields)) or _header_centres(placer, lo, where[r.key], block)
            vals = by_position(row, centres) or vals
        elif len(vals) > len(r.fields):
            # a merged cell repeated in each column it covers (PyMuPDF's Markdown): the header row
            # of the block, cell for cell, tells which columns are one field
            block = next(b for b in table.blocks if r in b.rows)
            vals = _by_header_columns(placer, lo, where[r.key], block, row) or vals
        if len(vals) != len(r.fields):
            placer.problem(wrong_count(len(r.fields), row.values, exact=row.exact), T2, r.label)
            continue
        for f, v in zip(r.fields, vals):
            placer.put(T2, version, r.key, f.key, v)
    return last


def _version(seen: dict[str, Row], ev21: int, ev19: int) -> str:
    """The table 二 version from the words found only in one version (ev21, ev19) and the rows seen."""
    if ev19 > ev21 or _rows_only_2019() & set(seen):
        return "2019"
    if ev21:
        return "2021"
    # no header words at all: the number of values of 行政许可 tells (1 in 2021, 3 in 2019)
    lic, n19 = seen.get("licensing"), len(schema.table(T2, "2019").row("licensing").fields)
    return "2019" if lic is not None and len(fit(lic.values, n19, lic.exact)) == n19 else "2021"


def _header_centres(placer: Placer, lo: int, at: int, block: schema.Block) -> list[float] | None:
    """Centres of the block's value columns from its header row (信息内容 · 本年制发件数 · …), the
    nearest row above item `at` that names them all and was measured (PDF)."""
    for j in range(at - 1, lo - 1, -1):
        it = placer.items[j]
        if not isinstance(it, Row) or not it.xs or len(it.xs) != len(it.cells):
            continue
        xs = []
        for h in block.header:
            k = next((ci for ci, c in enumerate(it.cells) if c and labels.best_match(c, {"h": h})), None)
            if k is None or it.xs[k] is None:
                break
            xs.append(it.xs[k])
        else:
            return xs
    return None


def _by_header_columns(placer: Placer, lo: int, at: int, block: schema.Block, row: Row) -> list[str] | None:
    """The row's values by the columns of the block's header row (the nearest row above item `at`
    with as many cells that names every value column): a field spanning several columns takes
    their value if they all show the same one; None where the header does not tell."""
    for j in range(at - 1, lo - 1, -1):
        it = placer.items[j]
        if not isinstance(it, Row) or len(it.cells) != len(row.cells):
            continue
        cols = [[k for k, c in enumerate(it.cells) if c and labels.best_match(c, {"h": h}, prefix=False)]
                for h in block.header]
        covered = {k for ks in cols for k in ks}
        if not all(cols) or min(covered) <= row.split:
            continue
        if any(c and k not in covered for k, c in enumerate(row.cells) if k > row.split):
            return None                 # a value under no header column
        out = []
        for ks in cols:
            texts = {row.cells[k] for k in ks}
            if len(texts) != 1 or None in texts:
                return None
            out.append(texts.pop())
        return out
    return None
