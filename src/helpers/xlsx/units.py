"""`xxgk template --parent ID --year Y -o DIR`: one prefilled template per unit below a parent.

Each unit's agency sheet is filled from the store; 上年结转 (every column of table 三) is prefilled
from the unit's stored 结转下年度 of the year before and locked, so the carry-over error (rule
carry_over) cannot be typed in. Units without a stored year before get that row open, as usual.
Units marked `rollup: true` get none: their figures are the sum of their own units'.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..format import schema
from ..format.model import Report
from .template import write_template

CARRIED_OVER, CARRIED_FORWARD = "carried_over", "carried_forward"


@dataclass
class UnitTemplate:
    agency: str
    path: Path
    carried: bool        # 上年结转 prefilled from the year before


def template_name(agency: str, year: int) -> str:
    return f"{agency}-{year}.xlsx"   # agency ids are checked slugs: safe as file names


def layout_for(year: int, previous: Report | None) -> str:
    """The year's format; a unit that used the single-row （六） keeps it."""
    if previous is not None and previous.layout == "2021-single-other" and year >= 2021:
        return previous.layout
    return schema.default_layout_for_year(year)


def carry_over(unit: str, year: int, layout: str, previous: Report) -> tuple[Report, frozenset]:
    """A report holding only 上年结转 = last year's 结转下年度, and the cells it fixes."""
    rep = Report(unit, year, layout)
    fixed = set()
    for col in rep.table("t3").columns:
        key = ("t3", CARRIED_OVER, col.key)
        rep.cells[key] = previous.get("t3", CARRIED_FORWARD, col.key)
        fixed.add(key)
    return rep, frozenset(fixed)


def write_unit_templates(store, parent: str, year: int, out_dir: Path) -> list[UnitTemplate]:
    tree = store.tree()
    units = [a for a in tree.below(parent) if not tree.by_id[a].rollup]
    previous = store.load_reports(units, years=[year - 1])
    out = []
    for unit in units:
        prev = previous.get((unit, year - 1))
        layout = layout_for(year, prev)
        report, fixed = carry_over(unit, year, layout, prev) if prev is not None else (None, frozenset())
        path = write_template(Path(out_dir) / template_name(unit, year), layout,
                              agency=tree.by_id[unit].as_dict(), year=year, report=report, fixed=fixed)
        out.append(UnitTemplate(unit, path, prev is not None))
    return out
