"""Table 四 (行政复议、行政诉讼): the 15 values after the first mention of 行政复议 following table 三,
in the order 行政复议 · 未经复议直接起诉 · 复议后起诉 — or by group label where rows carry one.
Groups read from lines of text by position alone are marked (Placement.by_order): complete.py
keeps them only where the identities hold."""
from __future__ import annotations

from functools import cache

from ..format import schema
from . import cells as cellmod
from . import labels
from .grid import Paragraph
from .placement import T4, Placer, wrong_count
from .rows import fit, flat
from .table3 import match_label as t3_match_label


@cache
def _header_cores() -> frozenset[str]:
    return frozenset(labels.core(h.label) for row in schema.T4_HEADER for h in row)


def place(placer: Placer, lo: int) -> None:
    items = placer.items
    groups = dict(schema.T4_GROUPS)
    start = next((i for i in range(lo, len(items)) if groups[schema.T4_REVIEW] in flat(items[i])), None)
    if start is None:
        return
    table = schema.table(T4)
    nf, ng = len(table.columns), len(schema.T4_GROUPS)
    values: list[str] = []
    by_group: dict[str, list[str]] = {}
    lines = 0                      # lines of text the values come from: their order is not a grid's
    runs = 0                       # runs of values printed one per line among them
    for it in items[start:]:
        if sum(max(1, cellmod.glued_values(v)) for v in values) >= nf * ng:
            break                           # cells glued by a converter ("0 0 0") count as many as they hold
        if isinstance(it, Paragraph):
            if values and (len(labels.core(it.text)) > 40 or it.text.rstrip().endswith("。")):
                break                       # narrative after the table (a sentence, however short)
            continue
        if not it.has_numbers and not (it.exact and len(it.values) in (nf, nf * ng)):
            continue                        # header rows (an exact row left blank still counts)
        own = it.label_cells[-1] if it.label_cells else ""
        if own and (labels.best_match(own, labels.t2_row_labels()) or t3_match_label(own, "")):
            continue                        # a row of table 二 or 三, not table 四
        if not it.has_numbers and labels.core(own) in _header_cores():
            continue                        # a header row ending in empty cells (spans dropped)
        g = labels.best_match(own, groups, min_prefix=4) if own else None
        if g is not None and len(fit(it.values, nf, it.exact)) == nf:
            by_group[g] = fit(it.values, nf, it.exact)
            continue
        values += it.values
        lines += not it.exact
        runs += it.run
    if not values and not by_group:
        return
    placer.out.found.add(T4)
    rest = fit(values, nf * (ng - len(by_group)), exact=not lines)
    if len(rest) != nf * (ng - len(by_group)):
        placer.problem(wrong_count(nf * ng, values, len(values) + nf * len(by_group), exact=not lines), T4)
        return
    if lines > 1:
        placer.out.by_order |= {(T4, g) for g, _ in schema.T4_GROUPS if g not in by_group}
    if runs:
        placer.out.one_per_line |= {(T4, g) for g, _ in schema.T4_GROUPS if g not in by_group}
    pos = 0
    for gkey, _ in schema.T4_GROUPS:
        if gkey in by_group:
            vals = by_group[gkey]
        else:
            vals, pos = rest[pos:pos + nf], pos + nf
        for f, v in zip(table.columns, vals):
            placer.put(T4, "2021", gkey, f.key, v)

