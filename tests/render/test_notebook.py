"""The master notebook: its shape (thin cells, parameters), its parameter checks, what an execution
leaves in the notebook, and the publish gate (refusals name the problems; drafts mark them)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from helpers.errors import XxgkError
from helpers.format import schema
from helpers.render import provenance
from helpers.render.options import RenderOptions
from helpers.render.provenance import notebook_path
from helpers.report.context import Parameters, check_parameters, require_data
from helpers.store import Store

NOTEBOOK = notebook_path()


@pytest.fixture(scope="module")
def nb():
    return nbformat.read(NOTEBOOK, as_version=4)


# --- the notebook file --------------------------------------------------------------------------
def test_notebook_metadata_and_parameters_cell(nb):
    assert nb.metadata.kernelspec.name == "python3"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    ns: dict = {}
    exec(tagged[0].source, ns)
    assert (ns["agency"], ns["year"], ns["db"], ns["mode"], ns["allow_errors"]) == \
        ("qianjindao", 2023, None, "publish", False)
    assert isinstance(ns["agency"], str) and isinstance(ns["year"], int)


def test_notebook_is_thin_and_explained_in_chinese(nb):
    code = [c for c in nb.cells if c.cell_type == "code"]
    for cell in code:
        lines = [l for l in cell.source.splitlines() if l.strip()]
        assert len(lines) <= 8, f"cell {cell.id} is not thin: {len(lines)} lines"
        assert "def " not in cell.source and "class " not in cell.source
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    assert len(markdown) >= len(code) - 1
    assert all(re.search(r"[\u4e00-\u9fff]", c.source) for c in markdown)
    # every cell has a stable, meaningful id: failures are reported by it
    assert all(re.fullmatch(r"[a-z0-9-]+", c.id) for c in nb.cells)


# --- parameters ---------------------------------------------------------------------------------
def test_check_parameters_normalises(monkeypatch):
    monkeypatch.setenv("XXGK_DB", "sqlite:////tmp/x-from-env.sqlite")
    p = check_parameters("qianjindao", "2023", None, "draft", False)
    assert p == Parameters("qianjindao", 2023, "sqlite:////tmp/x-from-env.sqlite", "draft", False)


def test_agency_given_as_number_is_coerced_with_a_hint():
    # papermill -p agency 029 passes the int 29
    assert check_parameters(29, 2023).agency == "29"
    with pytest.raises(XxgkError, match="-r agency"):
        check_parameters(-29, 2023)


@pytest.mark.parametrize("kwargs, message", [
    (dict(agency="Bad Id", year=2023), "机构标识"),
    (dict(agency="qianjindao", year="twenty"), "年度"),
    (dict(agency="qianjindao", year=2023, mode="final"), "mode"),
    (dict(agency="qianjindao", year=2023, allow_errors="yes"), "allow_errors"),
    (dict(agency=None, year=2023), "agency"),
])
def test_bad_parameters_are_refused_clearly(kwargs, message):
    with pytest.raises(XxgkError, match=message):
        check_parameters(**kwargs)


def test_agency_that_lost_its_leading_zero_gets_the_hint(tmp_path, make_samples_db):
    from helpers.report.context import validate
    url = make_samples_db(tmp_path / "db.sqlite")
    with pytest.raises(XxgkError, match="未知机构 29.*-r agency"):
        validate(29, 2023, url)
    assert validate("qianjindao", 2023, url).agency == "qianjindao"


def test_unknown_agency_and_missing_year(tmp_path, make_samples_db):
    store = Store(make_samples_db(tmp_path / "db.sqlite"))
    with pytest.raises(XxgkError, match="未知机构 nobody.*xxgk agencies"):
        require_data(store, check_parameters("nobody", 2023, store.url))
    with pytest.raises(XxgkError, match="没有 2022 年的数据.*2023"):
        require_data(store, check_parameters("qianjindao", 2022, store.url))
    assert require_data(store, check_parameters("qianjindao", 2023, store.url)).id == "qianjindao"


# --- executions ---------------------------------------------------------------------------------
def _executed(summary) -> nbformat.NotebookNode:
    return nbformat.read(summary["paths"]["ipynb"], as_version=4)


@pytest.mark.slow
@pytest.mark.parametrize("args", [("qianjindao", 2023, "publish"), ("huaian", 2024, "draft")])
def test_outputs_are_html_display_data_only(args, rendered):
    nb = _executed(rendered(*args))
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert outputs, "the notebook displayed nothing"
    for out in outputs:
        assert out.output_type == "display_data", out
        assert set(out.data) == {"text/html"}, set(out.data)
    # the parameters papermill injected are in the notebook, with the agency as a string
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert f'agency = "{args[0]}"' in injected.source


@pytest.mark.slow
def test_seed_report_has_every_section_and_its_own_narrative(rendered, seed_snippet):
    html = Path(rendered("qianjindao", 2023)["paths"]["html"]).read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    headings = [h.get_text(strip=True) for h in soup.select("h2.section")]
    assert headings == [s.heading for s in schema.SECTIONS]
    assert seed_snippet in soup.get_text()
    assert soup.select_one("h1.report-title").get_text() == "包头市昆都仑区前进道街道办事处2023年政府信息公开工作年度报告"
    assert not soup.select(".check-panel"), "a published report has no check panel"
    # all zeros: no request charts, no trend (one year)
    assert not soup.select("figure.chart")


@pytest.mark.slow
def test_huaian_draft_has_charts_and_placeholders_for_missing_text(rendered):
    html = Path(rendered("huaian", 2024, "draft")["paths"]["html"]).read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    charts = soup.select("figure.chart img.svg")
    assert len(charts) == 2 and all(img["src"].startswith("data:image/svg+xml;base64,") for img in charts)
    assert "【待补充：一、总体情况】" in soup.get_text()
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), "duplicate ids in the page"
    assert soup.select(".check-panel")


@pytest.mark.slow
def test_publish_refuses_hard_errors_and_lists_them(tmp_path, broken_db):
    from helpers.render.pipeline import NotebookFailed, render_report

    out = tmp_path / "out"
    with pytest.raises(NotebookFailed) as info:
        render_report("huaian", 2024, out_dir=out, db=broken_db)
    err = info.value
    assert err.refused and err.cell == "gate"
    assert "[balance]" in str(err) and "发布模式拒绝生成" in str(err)
    target = out / "2024" / "huaian"
    assert not (target / "report.html").exists() and not (target / "report.pdf").exists()
    failed = nbformat.read(target / "report.failed.ipynb", as_version=4)
    assert any(o.output_type == "error" for c in failed.cells if c.cell_type == "code" for o in c.outputs)
    # the refusal's findings beside the failed notebook (checks.json belongs to a published set)
    assert not (target / "checks.json").exists()
    checks = json.loads((target / "checks.failed.json").read_text(encoding="utf-8"))
    balance = [f for f in checks if f["rule"] == "balance"]
    assert balance and set(balance[0]) == {"rule", "severity", "agency", "year", "table", "row", "col",
                                           "expected", "actual", "message", "cells"}
    assert (balance[0]["row"], balance[0]["col"]) == ("carried_forward", "natural_person")


@pytest.mark.slow
def test_draft_marks_the_finding_at_its_cell(rendered):
    summary = rendered("huaian", 2024, "draft", db="broken")
    assert summary["errors"] >= 1
    soup = BeautifulSoup(Path(summary["paths"]["html"]).read_text(encoding="utf-8"), "html.parser")
    cell = soup.select_one('table.t3 td[data-row="carried_forward"][data-col="natural_person"]')
    assert "finding" in cell["class"] and "error" in cell["class"]
    assert cell.get_text(strip=True) == "104"
    others = soup.select("td.finding")
    assert all(td["data-col"] in ("natural_person", "total") for td in others)
    assert "balance" in soup.select_one(".check-panel").get_text()


@pytest.mark.slow
def test_allow_errors_publishes_anyway(tmp_path, broken_db):
    from helpers.render.pipeline import render_report
    summary = render_report("huaian", 2024, out_dir=tmp_path, db=broken_db,
                            options=RenderOptions(allow_errors=True, pdf=False))
    assert summary["errors"] >= 1 and Path(summary["paths"]["html"]).exists()
    assert "pdf" not in summary["paths"]


@pytest.mark.slow
def test_publish_refuses_missing_sections(tmp_path, samples_db):
    from helpers.render.pipeline import NotebookFailed, render_report
    with pytest.raises(NotebookFailed, match="缺少正文：一、总体情况、五、存在的主要问题及改进情况、六、其他需要报告的事项"):
        render_report("huaian", 2024, out_dir=tmp_path, db=samples_db)


@pytest.mark.slow
def test_text_from_the_data_is_escaped(hostile_text, pdf_text, rendered, requests_note):
    summary = rendered("qianjindao", 2023, db="hostile")
    html = Path(summary["paths"]["html"]).read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all("script")
    assert "<script>alert(1)</script>" not in html
    assert hostile_text in soup.get_text()
    # text written for section 三 comes before its table, escaped like the rest
    note = soup.find(string=lambda s: s and requests_note in s)
    assert note is not None and not soup.find("b")
    assert note.find_next("table")["data-table"] == "t3"
    assert "<script>alert(1)</script> 与 {{ x }}" in pdf_text(summary["paths"]["pdf"]).replace("\n", "")


@pytest.mark.slow
@pytest.mark.parametrize("parameters, message", [({"mode": "final"}, "mode"), ({"agency": "nobody"}, "未知机构"),
                                                 ({"year": 2019}, "没有 2019 年的数据")])
def test_bad_parameter_stops_the_notebook_in_the_first_cell(tmp_path, parameters, message, samples_db):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as info:
        papermill.execute_notebook(str(NOTEBOOK), str(tmp_path / "out.ipynb"), kernel_name="python3",
                                   parameters={**parameters, "db": samples_db}, progress_bar=False)
    assert info.value.ename == "XxgkError" and message in info.value.evalue
    failed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    cell = next(c for c in failed.cells if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs))
    assert cell.id == "check-params"


def test_provenance_record_round_trips_through_notebook_metadata_off_the_page():
    import datetime

    from helpers.report.page import closing
    record = {"agency": "a", "year": 2023, "mode": "draft", "input_key": "k" * 64}
    close = closing("甲市人民政府", datetime.date(2024, 2, 1), record)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    data, meta = close._repr_mimebundle_()
    nb.cells[0].outputs = [nbformat.v4.new_output("display_data", data=data, metadata=meta)]
    assert provenance.from_notebook(nb) == record
    assert "甲市人民政府" in data["text/html"] and "2024年2月1日" in data["text/html"]
    assert "kkkk" not in data["text/html"] and "xxgk" not in data["text/html"]


def _project_with_notebook(tmp_path, monkeypatch, *cells) -> None:
    """A project root of its own (XXGK_ROOT) whose notebook is the parameters cell plus `cells`
    given as (id, source)."""
    root = tmp_path / "root"
    (root / "notebooks").mkdir(parents=True)
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    params = nbformat.v4.new_code_cell('agency = "x"\nyear = 2023\ndb = None\nmode = "publish"\nallow_errors = False',
                                       id="parameters")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params] + [nbformat.v4.new_code_cell(src, id=cid) for cid, src in cells]
    nbformat.write(nb, root / "notebooks" / "annual_report.ipynb")
    monkeypatch.setenv("XXGK_ROOT", str(root))


@pytest.mark.slow
def test_a_failing_cell_is_named_and_the_partial_notebook_kept(tmp_path, monkeypatch, samples_db):
    from helpers.render.pipeline import NotebookFailed, render_report

    _project_with_notebook(tmp_path, monkeypatch, ("fine", "done = 1"), ("boom", "1 / 0"))
    with pytest.raises(NotebookFailed) as info:
        render_report("qianjindao", 2023, out_dir=tmp_path / "out", db=samples_db)
    err = info.value
    assert err.cell == "boom" and not err.refused
    assert "'boom'" in str(err) and "ZeroDivisionError" in str(err)
    failed = nbformat.read(tmp_path / "out" / "2023" / "qianjindao" / "report.failed.ipynb", as_version=4)
    assert next(c for c in failed.cells if c.get("id") == "fine").metadata.papermill.status == "completed"
    assert not list((tmp_path / "out" / "2023" / "qianjindao").glob(".report.*"))


@pytest.mark.slow
def test_a_cell_timeout_is_named(tmp_path, monkeypatch, samples_db):
    from helpers.render.pipeline import NotebookFailed, render_report

    _project_with_notebook(tmp_path, monkeypatch, ("sleepy", "import time\ntime.sleep(30)"))
    with pytest.raises(NotebookFailed, match="单元格 'sleepy'.*CellTimeoutError") as info:
        render_report("qianjindao", 2023, out_dir=tmp_path / "out", db=samples_db,
                      options=RenderOptions(engine="nbclient", timeout=1))
    assert info.value.cell == "sleepy"
    assert not list((tmp_path / "out" / "2023" / "qianjindao").glob(".report.*"))


@pytest.mark.slow
def test_several_years_give_a_trend_chart_and_year_on_year_text(tmp_path, expected_input_key):
    import random

    from helpers.format.schema import Agency
    from helpers.render.pipeline import render_report
    from helpers.synth.series import consistent_series

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    Store(url).save_reports(consistent_series(random.Random(7), "demo-town", range(2022, 2025)),
                            agencies=[Agency("demo-town", "示范县人民政府")])
    summary = render_report("demo-town", 2024, out_dir=tmp_path / "out", db=url, options=RenderOptions(pdf=False))
    soup = BeautifulSoup(Path(summary["paths"]["html"]).read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select("figure.chart img.svg")) == 3
    assert "同比" in soup.select_one('p.data-text[data-source="t3"]').get_text()
    # the key depends on the earlier years it compares with
    store = Store(url)
    static = json.loads(Path(summary["paths"]["provenance"]).read_text(encoding="utf-8"))["static_fingerprint"]
    assert summary["input_key"] == expected_input_key(store, "demo-town", 2024, static)
    earlier = store.load_report("demo-town", 2022)
    earlier.narrative["other"] = "改过的文字。"
    store.save_reports([earlier], replace=True)
    assert expected_input_key(store, "demo-town", 2024, static) != summary["input_key"]
