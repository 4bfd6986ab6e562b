"""A small agency tree of three levels with a 汇总 at each level, for the roll-up's tests and demos:

    city (汇总)
    ├── dist-a (汇总)      ├── street-a1 (2021 layout)
    │                      └── street-a2 (single-row （六）, with a blank and a 不适用)
    ├── dist-b (汇总, not stored: added up from its units)
    │                      ├── street-b1 (declared, no data: 未报送)
    │                      └── street-b2
    └── dept-c (2021 layout)

Every unit with data has consistent reports of YEAR − 1 and YEAR (carry-over holds).

    agencies() -> [Agency]; unit_reports(seed) -> [Report]; store_tree(store, seed) stores both
    declarations_yaml(rows) -> the tree as an office's declarations file (xxgk agencies --sync)
"""
from __future__ import annotations

import random

from ..format import schema
from ..format.model import Cell
from ..format.schema import Agency
from .series import consistent_series

YEAR = 2024
TREE = (   # id, name, level, parent_id, rollup
    ("city", "示例市", "市", None, True),
    ("dist-a", "示例市甲区", "区", "city", True),
    ("street-a1", "甲区第一街道", "街道", "dist-a", False),
    ("street-a2", "甲区第二街道", "街道", "dist-a", False),
    ("dist-b", "示例市乙区", "区", "city", True),
    ("street-b1", "乙区第一街道", "街道", "dist-b", False),
    ("street-b2", "乙区第二街道", "街道", "dist-b", False),
    ("dept-c", "示例市丙局", "市级部门", "city", False),
)
LEAVES = ("street-a1", "street-a2", "street-b2", "dept-c")   # the units with data
SINGLE_ROW = "street-a2"
MISSING = "street-b1"


def agencies() -> list[Agency]:
    return [Agency(i, n, level, parent, rollup=r) for i, n, level, parent, r in TREE]


def unit_reports(seed: int = 0) -> list:
    out = []
    for i, unit in enumerate(LEAVES):
        layout = "2021-single-other" if unit == SINGLE_ROW else None
        out += consistent_series(random.Random(seed * 100 + i), unit, [YEAR - 1, YEAR], layout, scale=2)
    single = next(r for r in out if r.agency == SINGLE_ROW and r.year == YEAR)
    single.cells[("t2", "fees", "amount")] = Cell(schema.NA)              # 不适用
    single.cells[("t2", "licensing", "decisions")] = Cell(schema.BLANK)   # blank
    return out


def store_tree(store, seed: int = 0):
    store.save_reports(unit_reports(seed), source="synthetic tree", agencies=agencies())
    return store


def declarations_yaml(rows=TREE) -> str:
    """`rows` (id, name, level, parent_id, rollup) as a declarations file."""
    lines = ["agencies:"]
    for i, n, level, parent, r in rows:
        lines.append(f"  - id: {i}\n    name: {n}\n    level: {level}")
        if parent:
            lines.append(f"    parent_id: {parent}")
        if r:
            lines.append("    rollup: true")
    return "\n".join(lines) + "\n"
