"""Set-up shared by the importer tests."""
from __future__ import annotations

from pathlib import Path

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


@pytest.fixture(scope="session")
def fill_word_template(test_data_dir):
    """fill_word_template(dst, rep): the official blank Word template (test data) with the report's
    values typed into its empty cells in reading order (the order of the exchange format)."""
    def fill(dst: Path, rep: Report) -> Path:
        import docx
        doc = docx.Document(str(test_data_dir / "template-2021.docx"))
        it = iter([cell.text() for _, cell in rep.ordered_cells()])
        for table in doc.tables:
            for row in table.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    if not cell.text.strip():
                        cell.text = next(it)
        assert next(it, None) is None
        doc.paragraphs[0].text = f"测试街道办事处{rep.year}年政府信息公开工作年度报告"
        doc.save(str(dst))
        return dst
    return fill
