"""The aggregate (汇总) of a parent's units: the exact sum of their tables, read cell by cell the way
the rule `rollup` reads them (checks.rollup.cell_in), so that a stored aggregate passes that rule.

Units are the parent's direct units: a unit that is itself a 汇总 (`rollup: true`) brings its own
sum, so nothing below is counted twice. A 汇总 unit whose aggregate is not stored yet is added up
from its own units here (and said so). Blank and 不适用 count as 0, as in every rule; a cell is
不适用 in the sum only when it is 不适用 in every unit, blank when no unit has a number.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ..checks.rollup import cell_in, check_rollup
from ..format import schema
from ..format.model import Cell, Report
from ..store import ROLLUP_SOURCE


@dataclass
class Aggregate:
    report: Report                              # the sum, in `report.layout`
    units: list[Report]                         # the figures added up, one per unit
    computed: list[str] = field(default_factory=list)     # 汇总 units added up here from their own units
    missing: list[str] = field(default_factory=list)      # units without figures for the year
    unsupplied: list[tuple[str, str, str]] = field(default_factory=list)   # cells some unit cannot supply

    @property
    def source(self) -> str:
        """What the import log records for a stored roll-up: the units and their data fingerprints."""
        parts = ", ".join(f"{u.agency}={u.fingerprint()[:16]}" for u in self.units)
        return f"{ROLLUP_SOURCE} {len(self.units)} units: {parts}"

    @property
    def digest(self) -> str:
        """sha256 over the units' fingerprints (the import log's sha256 of a stored roll-up)."""
        text = "\n".join(f"{u.agency},{u.year},{u.fingerprint()}" for u in self.units)
        return hashlib.sha256(text.encode()).hexdigest()


def target_layout(year: int, units: list[Report]) -> str:
    """The layout every unit can supply: the year's format, with the single-row （六） as soon as one
    unit uses it (the three 2021 rows add up to it; the other way round they cannot be split); the
    units' common layout when they all share one."""
    layouts = {u.layout for u in units}
    if len(layouts) == 1:
        return layouts.pop()
    t3 = {schema.layout(lay).t3 for lay in layouts}
    t2 = {schema.layout(lay).t2 for lay in layouts}
    year_t2 = schema.layout(schema.default_layout_for_year(year)).t2
    t2_version = t2.pop() if len(t2) == 1 else year_t2
    t3_version = "2021" if t3 == {"2021"} else "2019"
    return next(lay.id for lay in schema.LAYOUTS.values() if (lay.t2, lay.t3) == (t2_version, t3_version))


def add_up(agency: str, year: int, units: list[Report], layout: str | None = None) -> tuple[Report, list]:
    """The sum of `units` as a Report of `agency`; also the cells that some unit cannot supply
    (left blank: a partial sum would be a wrong figure)."""
    lay = layout or target_layout(year, units)
    out = Report(agency, year, lay)
    unsupplied = []
    for key in schema.cell_order(lay):
        cells = [cell_in(u, *key) for u in units]
        if any(c is None for c in cells):
            unsupplied.append(key)
            out.cells[key] = Cell(schema.BLANK)
        elif any(c.state == schema.NUMBER for c in cells):
            out.cells[key] = Cell.number(sum((c.numeric for c in cells), 0))
        elif cells and all(c.state == schema.NA for c in cells):
            out.cells[key] = Cell(schema.NA)
        else:
            out.cells[key] = Cell(schema.BLANK)
    return out, unsupplied


def aggregate(parent: str | None, year: int, tree, reports: dict, *, name: str | None = None) -> Aggregate:
    """The sum over the direct units of `parent` (None: the agencies at the top of the tree) for
    `year`. `reports` holds {(agency, year): Report} of the units (Store.load_reports)."""
    units, computed, missing = [], [], []
    for unit in tree.units(parent):
        rep = reports.get((unit, year))
        if rep is None and tree.by_id[unit].rollup and tree.units(unit):
            inner = aggregate(unit, year, tree, reports)
            if inner.units:
                rep = inner.report
                computed.append(unit)
        if rep is None:
            missing.append(unit)
        else:
            units.append(rep)
    total, unsupplied = add_up(name or parent or "all", year, units) if units else (None, [])
    return Aggregate(total, units, computed, missing, unsupplied)


def differences(own: Report, agg: Aggregate) -> list:
    """The parent's own stored figures against the sum, cell by cell (findings of the rule rollup,
    from the sum already made when the parent has the sum's layout)."""
    if own is None or not agg.units:
        return []
    if own.layout != agg.report.layout:
        return check_rollup(own, agg.units)
    skip = set(agg.unsupplied)
    sums = {k: cell.numeric for k, cell in agg.report.cells.items() if k not in skip}
    return check_rollup(own, agg.units, sums=sums)
