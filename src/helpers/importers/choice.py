"""One rule for choosing between candidate readings of the same text (issue 10): the identities
are the proof, never a guess.

A candidate reading is a set of cells (the values under one order a converter may have printed
them in). `choose` takes the readings and whether each satisfies every hard identity over the
cells it fills (`holds_where_filled`):

  exactly one fits, every other breaks an identity   that reading, whole (where it differs from
                                                     the others, in identities it fills);
  two or more fit                                    the cells they all give alike; the others
                                                     are not in the text (the caller names them);
  none fits                                          nothing.

Used by the token reader (solve: orders of the values; its candidates all hold), by the text
reader (text: the orders of a 不适用 glued to a value) and by the check of table 四 read by
position (complete: the placer and the token reader).
"""
from __future__ import annotations

from typing import Callable, Hashable, Mapping, TypeVar

from ..format import schema
from ..format.model import Cell

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def holds(cells: Mapping[schema.CellKey, Cell], table: str, version: str) -> bool:
    """Whether every identity of the table holds, all its cells read (blank and 不适用 count as
    0, as the checks do)."""
    return all(k in cells for i in schema.identities(table, version) for k in i.cells) and \
        holds_where_filled(cells, table, version)


def holds_where_filled(cells: Mapping[schema.CellKey, Cell], table: str, version: str) -> bool:
    """Whether every identity of the table whose cells are all read holds."""
    for ident in schema.identities(table, version):
        if all(k in cells for k in ident.cells) and \
                sum(cells[k].numeric for k in ident.left) != sum(cells[k].numeric for k in ident.right):
            return False
    return True


def in_filled_identity(cells: Mapping[schema.CellKey, Cell], key: schema.CellKey, version: str) -> bool:
    """Whether an identity of `key`'s table that has `key` has all its cells read in `cells`."""
    return any(key in i.cells and all(k in cells for k in i.cells) for i in schema.identities(key[0], version))


def choose(readings: list[Mapping[K, V]], fits: list[bool],
           proves: Callable[[Mapping[K, V], set[K]], bool] | None = None) -> tuple[dict[K, V], set[K]] | None:
    """The cells the identities prove of `readings` (each with whether it fits every identity
    over the cells it fills), and the cells left unread because readings that fit differ there;
    None if no reading fits. `proves(reading, keys)`: whether the only reading that fits has the
    cells where it differs from the others in identities it fills; if not, its fit is no proof
    there (nothing to break) and all readings count as fitting."""
    fit = [r for r, ok in zip(readings, fits) if ok]
    if not fit:
        return None
    if len(fit) == 1 and proves is not None:
        differ = {k for r in readings for k in r if r.get(k, _MISSING) != fit[0].get(k, _MISSING)}
        if not proves(fit[0], differ & set(fit[0])):
            fit = list(readings)
    first, *others = fit
    agreed = {k: v for k, v in first.items() if all(o.get(k, _MISSING) == v for o in others)}
    return agreed, {k for r in fit for k in r if k not in agreed}


_MISSING = object()
