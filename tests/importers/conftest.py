"""Set-up shared by the importer tests."""
from __future__ import annotations

import pytest

from helpers.format.model import Cell, Report


@pytest.fixture(scope="session")
def assert_same_cells():
    """assert_same_cells(got, want): same layout and every cell of `want` read the same."""
    def check(got: Report, want: Report) -> None:
        assert got.layout == want.layout
        diffs = [(k, want.get(*k).text(), got.cells.get(k, Cell("missing")).text() if k in got.cells else None)
                 for k, _ in want.ordered_cells() if got.cells.get(k) != want.get(*k)]
        assert not diffs, diffs[:10]
    return check
