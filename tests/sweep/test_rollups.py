"""Sweeps render the roll-up of every agency with units, incrementally (its input key covers every
unit's data), and index.html groups reports under their parent and links the roll-ups."""
from __future__ import annotations

import json

import pytest

from helpers.format.model import Cell
from helpers.store import Store

pytestmark = [pytest.mark.slow]


def test_sweep_renders_rollups_incrementally_and_links_them(tmp_path, synth_db, sweep):
    db = synth_db(tmp_path / "s.sqlite", n=3, years=(2022, 2023))
    out = tmp_path / "out"
    r = sweep(db, out, workers=1)
    assert (r.failed, r.rollups_rendered, r.rollups_failed) == (0, 2, 0)
    for year in (2022, 2023):
        folder = out / str(year) / "demo-0001"
        assert (folder / "rollup.html").is_file() and (folder / "report.html").is_file()
        assert json.loads((folder / "rollup.json").read_text(encoding="utf-8"))["counts"]["total"] == 2
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="2023/demo-0001/rollup.html"' in index and "汇总 (roll-ups)" in index
    # the streets are listed right after their district, indented
    body = index.split('<table id="reports">')[1]
    assert body.index("示例市示例区人民政府") < body.index("第2街道") and "depth-1" in body

    again = sweep(db, out, workers=1)
    assert (again.rendered, again.rollups_rendered, again.rollups_skipped) == (0, 0, 2)

    store = Store(db)
    rep = store.load_report("demo-0003", 2023)
    rep.cells[("t2", "regulations", "issued")] = Cell.number(rep.value("t2", "regulations", "issued") + 1)
    store.save_reports([rep], replace=True)
    third = sweep(db, out, workers=1)
    assert (third.rendered, third.rollups_rendered, third.rollups_skipped) == (1, 1, 1)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rollups"]["2023/demo-0001"]["status"] == "rendered"
    assert manifest["rollups"]["2022/demo-0001"]["status"] == "skipped"
