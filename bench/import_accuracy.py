"""Import accuracy on the sample reports: cells read correctly out of cells expected, per file.

    .venv/bin/python bench/import_accuracy.py [DIR]     (default data/samples)

Each report `X.<ext>` with `X.expected.csv` beside it is read with `helpers.importers.read` (agency
and year from the expected file) and compared cell by cell (state and value) with the expected file.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from helpers.config import samples_dir
from helpers.importers import exchange_csv, read


def compare(report_path: Path, expected_path: Path) -> tuple[int, int, list[str]]:
    expected = exchange_csv.read(expected_path)[0]
    got = read(report_path, agency=expected.agency, year=expected.year, partial=True)[0]
    wrong = []
    correct = 0
    for key, cell in expected.ordered_cells():
        mine = got.cells.get(key)
        if got.layout == expected.layout and mine is not None and mine.state == cell.state and mine.text() == cell.text():
            correct += 1
        else:
            wrong.append(f"{'/'.join(key)}: expected {cell.text()!r}, read {mine.text() if mine else None!r}")
    return correct, len(expected.ordered_cells()), wrong


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else samples_dir()
    total_ok = total = 0
    for exp in sorted(folder.glob("*.expected.csv")):
        stem = exp.name[: -len(".expected.csv")]
        sources = [p for p in folder.glob(stem + ".*") if p != exp and not p.name.endswith(".csv")]
        for src in sources:
            t0 = time.perf_counter()
            ok, n, wrong = compare(src, exp)
            dt = time.perf_counter() - t0
            total_ok, total = total_ok + ok, total + n
            print(f"{src.name:28s} {ok:4d}/{n:<4d} {dt:6.2f} s")
            for w in wrong[:10]:
                print("    " + w)
    print(f"{'total':28s} {total_ok:4d}/{total:<4d}")
    return 0 if total_ok == total else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
