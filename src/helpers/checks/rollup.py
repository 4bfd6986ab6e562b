"""Rule `rollup`: a report that aggregates subordinate units equals the sum of their reports."""
from __future__ import annotations

from functools import cache

from ..format import schema
from ..format.model import Cell, CellKey, Report
from .findings import Finding, finding, number_text


@cache
def _supplying(layout: str, table: str, row: str, col: str) -> tuple[bool, tuple[CellKey, ...]] | None:
    """How a report in `layout` supplies the figure (table, row, col): (True, (key,)) itself,
    (False, keys) as the sum of the three 2021 rows of （六） for the single 2019 row, or None."""
    keys = schema.cell_keys(layout)
    if (table, row, col) in keys:
        return True, ((table, row, col),)
    if table == "t3" and row == schema.T3_OTHER_ROW_2019:
        parts = tuple((table, r, col) for r in schema.T3_OTHER_ROWS_2021)
        if all(k in keys for k in parts):
            return False, parts
    return None


def cell_in(rep: Report, table: str, row: str, col: str) -> Cell | None:
    """The cell (table, row, col) as `rep` can supply it, also across the two 表三 versions of
    （六）其他处理 (the 2021 rows summed into the single 2019 row); None if `rep`'s layout has no such
    figure (table 二 of the other format version, the 2021 rows of （六） from a single-row report).
    The roll-up (helpers.rollup.aggregate) adds units up with this, so the rule and the sum agree."""
    how = _supplying(rep.layout, table, row, col)
    if how is None:
        return None
    itself, keys = how
    if itself:
        return rep.get(*keys[0])
    cells = [rep.get(*k) for k in keys]
    if any(c.state == schema.NUMBER for c in cells):
        return Cell.number(sum(c.numeric for c in cells))
    return Cell(schema.NA) if all(c.state == schema.NA for c in cells) else Cell(schema.BLANK)


def _value_in(rep: Report, table: str, row: str, col: str):
    """The cell's value in `rep` for arithmetic (`Cell.numeric`, as `Report.value` reads it); None if
    `rep` cannot supply it (cell_in)."""
    cell = cell_in(rep, table, row, col)
    return None if cell is None else cell.numeric


def check_rollup(parent: Report, children: list[Report], sums: dict | None = None) -> list[Finding]:
    """One warning per cell of the parent that differs from the sum over the children. Cells that a
    child cannot supply (another table 二 version, the 2021 rows of （六） against a single-row child)
    are skipped. `sums` ({cell key: sum}, without the cells some child cannot supply) saves adding
    the children up again when the caller has (the roll-up's aggregate)."""
    if not children:
        return []
    years = {c.year for c in children}
    if years != {parent.year}:
        raise ValueError(f"rollup: 下级单位报告的年度 {sorted(years)} 与汇总报告 {parent.year} 年不一致")
    names = "、".join(c.agency for c in children[:3]) + (f" 等 {len(children)} 家" if len(children) > 3
                                                          else f" 共 {len(children)} 家")
    out = []
    for (t, r, c) in schema.cell_order(parent.layout):
        if sums is None:
            values = [_value_in(ch, t, r, c) for ch in children]
            expected = None if any(v is None for v in values) else sum(values, 0)
        else:
            expected = sums.get((t, r, c))
        if expected is None:
            continue
        actual = parent.value(t, r, c)
        if expected != actual:
            out.append(finding(
                "rollup", parent,
                f"{schema.cell_label(parent.layout, t, r, c)}：下级单位（{names}）之和为 {number_text(expected)}，"
                f"汇总填报为 {number_text(actual)}",
                table=t, row=r, col=c, expected=expected, actual=actual))
    return out
