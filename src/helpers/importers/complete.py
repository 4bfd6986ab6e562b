"""The placer's tables checked, and completed by the token reader where they are not whole.

The placer (tables.py) reads well-formed files exactly, row by row. Where it left a table 三 or 四
incomplete, or read one whose identities fail, the token reader (tokens → regions → solve) reads
the table's values as a sequence; its cells replace the placer's only where it proved them (every
identity holds, no other order fits). A table whose placer reading is whole and holds is kept as
read; so is one that neither reader can prove (the report's own arithmetic may be wrong: the
checks report that). Table 二 rows the placer could not read are taken from the token reader
where their label is followed by exactly their values. The version of table 三 is what its labels
prove (the placer's rows of （六）, else table3.version_of over the region's labels); the token
reader's reading of the other version (chosen by the number of values) is not taken. Where the
labels prove nothing, the token reader's version, else table 二's or the year's (published.build).
"""
from __future__ import annotations

from ..format import schema
from . import labels, solve
from .choice import choose, holds, holds_where_filled
from .grid import Block
from .placement import T2, T3, T4, Placement
from .regions import regions
from .tokens import LABEL, moved_blanks, tokenize


def _whole(out: Placement, table: str) -> bool:
    """Whether the placer read every cell of the table and named no problem in it."""
    version = out.versions.get(table, "2021")
    keys = [(table, r, c) for r, c, _ in schema.table(table, version).cells()]
    return all(k in out.cells for k in keys) and not any(e.table == schema.table_name(table) for e in out.problems)


def _whole_and_holds(out: Placement, table: str) -> bool:
    return _whole(out, table) and holds(out.cells, table, out.versions.get(table, "2021"))


ZEROS_NOT_PROVED = ("按位置读出的 0、空白或“不适用”：表格不满足勾稽关系，无法确认其位置"
                    " (zero, blank or 不适用 placed by position: the identities do not hold, so their places are not proved)")


def _zeros_by_position(out: Placement, table: str, path: str, why: str, moved: bool,
                       proved: dict | None = None) -> None:
    """Cells of rows placed by position (no label of their own, labelled by lines above them, table
    四 from lines of text) that hold 0, blank or 不适用: the identities add the three alike, so they
    prove neither which of them a cell holds nor that a converter did not move it. Not read; named.
    `moved`: the converter may have moved blanks and 不适用 (moved_blanks): then also the rows whose
    values it printed one per line, in its own order. `proved`: cells the token reader proves
    alike (kept)."""
    rows = {r for t, r in out.by_order | out.label_above | (out.one_per_line if moved else set()) if t == table}
    proved = proved or {}
    drop = {k for k, c in out.cells.items() if k[0] == table and k[1] in rows and not c.numeric and proved.get(k) != c}
    if not drop:
        return
    out.cells = {k: c for k, c in out.cells.items() if k not in drop}
    t = schema.table(table, out.versions.get(table, "2021"))
    for r in sorted({k[1] for k in drop}):
        cols = "、".join(t.col_label(r, c.key) for c in t.columns if (table, r, c.key) in drop)
        out.problem(path, why, table, _row_label(table, r), cols)


PLACES_DIFFER = ("按位置读出，与按数值顺序读出的结果不同，无法确认"
                 " (placed by position, and the values in the order of the text give another cell)")


def _by_position_checked(out: Placement, table: str, solved: solve.Solved, path: str) -> None:
    """Table 四 read from several lines of text, by position, and holding: the identities add 0,
    blank and 不适用 alike, so groups that took empty cells or values of other lines (a chart's data
    printed as a table) can hold too. Its cells are kept where the token reader, reading the values
    in the text's order, proves the same, or (where it proves nothing) where they are numbers; the
    others are unread and named. (Table 三's rows placed by column positions, as in a PDF without
    rules, hold blanks the token order cannot show: not checked this way.)"""
    rows = {r for t, r in out.by_order if t == table}
    if not rows:
        return
    if not solved.cells:
        _zeros_by_position(out, table, path, PLACES_DIFFER, False)
        return
    placed = {k: c for k, c in out.cells.items() if k[0] == table and k[1] in rows}
    # two readings that hold: the cells they agree on (choice.choose)
    drop = choose([placed, solved.cells], [True, True])[1] & placed.keys()
    out.cells = {k: c for k, c in out.cells.items() if k not in drop}
    for r in sorted({k[1] for k in drop}):
        out.problem(path, PLACES_DIFFER, table, _row_label(table, r))


def _row_label(table: str, row: str) -> str:
    if table == T4:
        return dict(schema.T4_GROUPS)[row]
    return next(r.label for v in ("2021", "2019") for r in schema.table(table, v).rows if r.key == row)


def _unproved_rows(out: Placement, table: str, path: str) -> None:
    """Rows the placer put by their position alone (no label of their own, text lines of table
    四, or values alone on their lines labelled by the lines above them), in a table the identities
    do not prove: which row the values are is a guess from the text's order, so not read. (A row
    whose own total is the sum of its values proves that they are one row, not which row: a
    converter that printed two labels and then both rows' values fits it too.)"""
    guessed = {r for t, r in out.by_order | out.label_above if t == table}
    for row in sorted(guessed):
        out.cells = {k: c for k, c in out.cells.items() if k[:2] != (table, row)}
        out.problem(path, "按位置而非行名读出，而表格不满足勾稽关系，无法确认"
                          " (placed by position, not by label, and the identities do not hold)", table, _row_label(table, row))


def _take(out: Placement, solved: solve.Solved, path: str) -> None:
    """Replace the placer's reading of a table by the token reader's."""
    out.drop(solved.table)
    out.cells.update(solved.cells)
    out.versions[solved.table] = solved.version
    for row, why in solved.unread:
        out.problem(path, why, solved.table, row)


OTHER_VERSION = ("数值个数符合另一种格式，与行名表明的（六）其他处理的格式不符"
                 " (the number of values fits the other format version than the labels show)")


def _labelled_version(tokens) -> str | None:
    """The version of table 三 its labels prove (table3.version_of), if they do."""
    from .table3 import version_of
    return version_of([labels.core(t.text, keep_enumerator=True) for t in tokens if t.kind == LABEL])


def _t2_version(out: Placement, tokens) -> str:
    from .table2 import version_of
    return out.versions.get(T2) or version_of([labels.core(t.text) for t in tokens])


def found(tokens) -> set[str]:
    """Tables one of whose row labels the document has (a report, however badly converted)."""
    maps = {T2: labels.t2_row_labels(), T3: labels.t3_row_labels(), T4: dict(schema.T4_GROUPS)}
    out = set()
    for tok in tokens:
        if tok.kind == LABEL:
            out |= {t for t, m in maps.items() if t not in out and labels.best_match(tok.text, m, prefix=False)}
    return out


def complete(out: Placement, blocks: list[Block], path: str) -> Placement:
    toks = tokenize(blocks)
    spans = regions(toks)
    out.found |= set(spans) | found(toks)
    if T3 in spans and T3 not in out.versions and (version := _labelled_version(toks[slice(*spans[T3])])):
        out.versions[T3] = version       # no row of （六） placed, but the labels show which it has
    for table, solver in ((T3, solve.table3), (T4, solve.table4)):
        if table not in spans:
            continue
        region = toks[slice(*spans[table])]
        moved = moved_blanks(region)
        if _whole_and_holds(out, table):
            if moved:
                # the table holds, but a blank or 不适用 the converter moved would hold as well
                # (table 四: the token reader puts the moved block back at each place and proves some)
                proved = solver(region).cells if table == T4 else None
                _zeros_by_position(out, table, path, solve.BLANKS_NOT_PROVED, moved, proved)
            elif table == T4:
                _by_position_checked(out, table, solver(region), path)
            continue
        solved = solver(region)
        if table == T3 and solved.cells and out.versions.get(T3, solved.version) != solved.version:
            # the count of values chose the other version (a table of zeros balances either way)
            solved = solve.Solved(T3, unread=[("", OTHER_VERSION)])
        if solved.cells:
            _take(out, solved, path)
        else:
            if not holds_where_filled(out.cells, table, out.versions.get(table, "2021")):
                out.broken.add(table)
            _unproved_rows(out, table, path)
            _zeros_by_position(out, table, path, ZEROS_NOT_PROVED, moved)
            if not _whole(out, table):
                # neither reader could: say why the values, read in order, do not fit either
                for row, why in solved.unread:
                    out.problem(path, f"按数值顺序读取：{why}", table, row)
    if T2 in spans:
        lo, hi = spans[T2]
        version = _t2_version(out, toks[lo:hi])
        table = schema.table(T2, version)
        missing = {r.key for r in table.rows if any((T2, r.key, f.key) not in out.cells for f in r.fields)}
        if missing:
            solved = solve.table2(toks[lo:hi], version)
            got = {r for r in missing if all((T2, r, f.key) in solved.cells for f in table.row(r).fields)}
            if got:
                out.versions[T2] = version
                out.drop(T2, {table.row_label(r) for r in got})
                out.cells.update({k: c for k, c in solved.cells.items() if k[1] in got})
            why = dict(solved.unread)
            for r in missing - got:
                label = table.row_label(r)
                if not any(e.table == schema.table_name(T2) and e.row == label for e in out.problems):
                    out.problem(path, why.get(label, "找不到这一行 (row not found)"), T2, label)
    return out
