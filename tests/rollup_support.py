"""A generated tree of three levels for the roll-up tests:

    city (汇总)
    ├── dist-a (汇总)      ├── street-a1 (2021 layout)
    │                      └── street-a2 (single-row （六）, with blanks and 不适用)
    ├── dist-b (汇总, not stored: added up from its units)
    │                      ├── street-b1 (declared, no data: 未报送)
    │                      └── street-b2
    └── dept-c (2021 layout)

Every unit has consistent 2023 and 2024 reports (carry-over holds), except street-b1.
"""
from __future__ import annotations

import random
from pathlib import Path

from helpers.format import schema
from helpers.format.model import Cell
from helpers.format.schema import Agency
from helpers.store import Store
from helpers.synth.series import consistent_series

YEAR = 2024
TREE = (
    ("city", "示例市", "市", None, True),
    ("dist-a", "示例市甲区", "区", "city", True),
    ("street-a1", "甲区第一街道", "街道", "dist-a", False),
    ("street-a2", "甲区第二街道", "街道", "dist-a", False),
    ("dist-b", "示例市乙区", "区", "city", True),
    ("street-b1", "乙区第一街道", "街道", "dist-b", False),
    ("street-b2", "乙区第二街道", "街道", "dist-b", False),
    ("dept-c", "示例市丙局", "市级部门", "city", False),
)
LEAVES = ("street-a1", "street-a2", "street-b2", "dept-c")
SINGLE_ROW = "street-a2"
MISSING = "street-b1"


def agencies() -> list[Agency]:
    return [Agency(i, n, level, parent, rollup=r) for i, n, level, parent, r in TREE]


def unit_reports(seed: int = 0) -> list:
    out = []
    for i, unit in enumerate(LEAVES):
        layout = "2021-single-other" if unit == SINGLE_ROW else None
        series = consistent_series(random.Random(seed * 100 + i), unit, [YEAR - 1, YEAR], layout, scale=2)
        out += series
    a2 = next(r for r in out if r.agency == SINGLE_ROW and r.year == YEAR)
    a2.cells[("t2", "fees", "amount")] = Cell(schema.NA)              # 不适用
    a2.cells[("t2", "licensing", "decisions")] = Cell(schema.BLANK)   # blank
    return out


def make_store(path: Path, seed: int = 0) -> Store:
    store = Store(f"sqlite:///{path}")
    store.save_reports(unit_reports(seed), source="tests", agencies=agencies())
    return store


def yaml_text(rows=TREE) -> str:
    lines = ["agencies:"]
    for i, n, level, parent, r in rows:
        lines.append(f"  - id: {i}\n    name: {n}\n    level: {level}")
        if parent:
            lines.append(f"    parent_id: {parent}")
        if r:
            lines.append("    rollup: true")
    return "\n".join(lines) + "\n"
