"""A roll-up of more units than a printed page lists (rollup.page.PRINT_ROWS): the HTML page has
every unit in sortable tables, the PDF the units that must act and where the full lists are; the
PDF nbconvert's exporter prints from the notebook is the pipeline's."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.format.schema import Agency
from helpers.render.options import RenderOptions
from helpers.render.pipeline import render_rollup
from helpers.rollup.page import FULL_LIST_NOTE, PRINT_ROWS
from helpers.store import Store
from helpers.synth.dataset import synthesize

pytestmark = [pytest.mark.slow]
UNITS = PRINT_ROWS + 5
LATE, BROKEN, CLEAN = "demo-late", "demo-0007", "demo-0010"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("many")
    store = Store(f"sqlite:///{tmp / 'many.sqlite'}")
    synthesize(store, n=UNITS, years=[2023, 2024])                    # demo-0001 and its streets
    store.upsert_agencies([Agency(LATE, "示例迟报街道", "街道", "demo-0001")])   # declared, no data: 未报送
    rep = store.load_report(BROKEN, 2024)
    rep.set("t3", "carried_forward", "total", rep.value("t3", "carried_forward", "total") + 1)
    store.save_reports([rep], replace=True)
    summary = render_rollup("demo-0001", 2024, out_dir=tmp / "out", db=store.url, options=RenderOptions())
    return {kind: Path(path) for kind, path in summary["paths"].items()}


def test_the_page_lists_every_unit_the_pdf_those_that_must_act(rendered, pdf_text):
    html = rendered["html"].read_text(encoding="utf-8")
    status = html.split('<table class="rollup status"', 1)[1].split("</table>", 1)[0]
    assert status.count("<tr class=") == UNITS        # every unit below demo-0001, sortable
    assert "data-sortable" in html and "打印版" not in html
    text = "".join(pdf_text(rendered["pdf"]).split())
    assert LATE in text and BROKEN in text and "未报送" in text
    assert CLEAN not in text                          # a unit without problems is counted, not listed
    assert "".join(FULL_LIST_NOTE.split()) in text
    units = {u["agency"]: u["status"] for u in json.loads(rendered["provenance"].read_text(encoding="utf-8"))["units"]}
    assert (units[LATE], units[BROKEN], units[CLEAN]) == ("missing", "errors", "clean")


def test_nbconvert_prints_the_same_pdf(rendered, tmp_path):
    jupyter = Path(sys.executable).parent / "jupyter"
    subprocess.run([str(jupyter), "nbconvert", "--to", "xxgk_pdf", str(rendered["ipynb"]), "--output-dir",
                    str(tmp_path)], check=True, capture_output=True)
    assert (tmp_path / "rollup.pdf").read_bytes() == rendered["pdf"].read_bytes()
