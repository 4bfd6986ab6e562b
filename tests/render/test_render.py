"""Rendering: the PDF (text, fonts, page size, page numbers, metadata), the self-contained HTML,
reproducible bytes, the provenance record and input key, the nbconvert exporter, `xxgk run`."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers.format import schema
from helpers.format.model import Report
from helpers.render import provenance

# --- input key (fast) ---------------------------------------------------------------------------
BASE = dict(agency_record={"id": "a", "name": "甲"}, narrative_file_hash="", static="s", mode="publish")


def _key(fps, **over):
    return provenance.input_key("a", 2023, fingerprints=fps, **{**BASE, **over})


def test_input_key_covers_what_a_report_reads():
    fps = {("a", 2023): "f23", ("a", 2022): "f22", ("a", 2021): "f21", ("a", 2024): "f24", ("b", 2023): "g"}
    key = _key(fps)
    assert key == _key(dict(fps))
    changed = {
        "own data": {**fps, ("a", 2023): "x"},
        "previous year": {**fps, ("a", 2022): "x"},
        "trend year": {**fps, ("a", 2021): "x"},
    }
    for what, other in changed.items():
        assert _key(other) != key, what
    for what, over in {"agency record": {"agency_record": {"id": "a", "name": "乙"}},
                       "narrative file": {"narrative_file_hash": "h"}, "static": {"static": "t"},
                       "mode": {"mode": "draft"}}.items():
        assert _key(fps, **over) != key, what
    # what the report does not read leaves the key alone
    assert _key({**fps, ("b", 2023): "x"}) == key
    assert _key({**fps, ("a", 2024): "x"}) == key


def test_static_fingerprint_is_cached_and_names_the_fonts():
    assert provenance.static_fingerprint() is provenance.static_fingerprint()
    assert re.fullmatch(r"[0-9a-f]{64}", provenance.static_fingerprint())
    names = [Path(f).name for f in provenance.font_files()]
    assert any("SerifCJK" in n for n in names) and any("SansCJK" in n for n in names)
    assert set(provenance.KEY_LIBRARIES) <= set(provenance.library_versions())


def test_report_input_key_follows_the_store(tmp_path, make_samples_db):
    from helpers.store import Store
    store = Store(make_samples_db(tmp_path / "db.sqlite"))
    key = provenance.report_input_key(store, "qianjindao", 2023)
    assert key == provenance.report_input_key(store, "qianjindao", 2023, "publish")
    assert key != provenance.report_input_key(store, "qianjindao", 2023, "draft")
    store.save_reports([Report.zeros("qianjindao", 2022)])          # a previous year appears
    assert provenance.report_input_key(store, "qianjindao", 2023) != key


# --- the rendered seed and huaian ---------------------------------------------------------------
@pytest.fixture(scope="module")
def seed(rendered):
    return rendered("qianjindao", 2023)


@pytest.fixture(scope="module")
def huaian(rendered):
    return rendered("huaian", 2024, "draft")


def _run(*cmd) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
def test_pdf_text_has_headings_labels_and_numbers(seed, huaian, pdf_text):
    text = re.sub(r"\s+", "", pdf_text(seed["paths"]["pdf"]))
    for section in schema.SECTIONS:
        assert section.heading in text
    for label in ("第二十条第（一）项", "行政规范性文件", "本年收费金额（单位：万元）", "申请人情况",
                  "四、结转下年度继续办理", "未经复议直接起诉", "复议后起诉"):
        assert label in text, label
    assert "包头市昆都仑区前进道街道办事处2023年政府信息公开工作年度报告" in text
    assert "—1—" in text and "—2—" in text           # page numbers in the footer

    text = pdf_text(huaian["paths"]["pdf"])
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines() if line.split()}
    assert rows["一、本年新收政府信息公开申请数量"] == ["3001", "53", "0", "0", "61", "4", "3119"]
    assert rows["四、结转下年度继续办理"] == ["103", "0", "0", "0", "0", "0", "103"]
    assert "96171.6" in text and "3985758" in text


@pytest.mark.slow
def test_pdf_fonts_are_embedded_cid_subsets_and_a4(seed, huaian):
    for summary in (seed, huaian):
        fonts = _run("pdffonts", summary["paths"]["pdf"]).splitlines()[2:]
        assert fonts
        assert any("Noto-Serif-CJK-SC" in f for f in fonts) and any("Noto-Sans-CJK-SC" in f for f in fonts)
        for line in fonts:
            assert "Type 3" not in line, line
            emb, sub = line.split()[-5:-3]
            assert (emb, sub) == ("yes", "yes"), line
        info = _run("pdfinfo", summary["paths"]["pdf"])
        assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)


@pytest.mark.slow
def test_pdf_metadata_carries_the_provenance(seed):
    info = _run("pdfinfo", "-custom", seed["paths"]["pdf"])
    assert f"xxgkinputkey:    {seed['input_key']}" in info or re.search(rf"xxgkinputkey:\s*{seed['input_key']}", info)
    assert re.search(r"xxgkagency:\s*qianjindao", info)
    # the document's date is the publication date of the 落款 (by default the day the data last changed)
    date = json.loads(Path(seed["paths"]["provenance"]).read_text(encoding="utf-8"))["date"]
    created = re.search(r"CreationDate:\s+(.+)", info).group(1)
    assert __import__("datetime").datetime.strptime(created, "%a %b %d %H:%M:%S %Y UTC").date().isoformat() == date


@pytest.mark.slow
def test_html_is_self_contained_and_official(seed):
    html = Path(seed["paths"]["html"]).read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "zh-CN"
    assert not soup.find_all("script") and not soup.find_all("link")
    for tag in soup.find_all(src=True) + soup.find_all(href=True):
        assert not re.match(r"(https?:)?//", tag.get("src") or tag.get("href")), tag
    assert "http://" not in html.split("<body")[0] and "https://" not in html.split("<body")[0]
    css = soup.style.get_text()
    for rule in ('"Noto Serif CJK SC"', '"Noto Sans CJK SC"', "size: A4", "counter(page)",
                 "table-header-group", "break-inside: avoid"):
        assert rule in css, rule
    assert len(css) < 8000, "keep the CSS slim (WeasyPrint is slower on big style sheets)"
    # no code, no prompts, no analyst notes, no parameters
    text = soup.get_text()
    assert "report_context" not in text and "In [" not in text and "第一步" not in text
    assert "allow_errors" not in text
    metas = {m["name"]: m["content"] for m in soup.find_all("meta", attrs={"name": True})}
    assert metas["xxgk:input_key"] == seed["input_key"]
    assert metas["xxgk:agency"] == "qianjindao" and metas["xxgk:year"] == "2023"
    assert metas["xxgk:version:xxgk"]
    # provenance stays in the head: the page shows no hashes and no tool names
    body = soup.body.get_text()
    assert seed["input_key"][:16] not in body and "xxgk" not in body and not soup.select("footer")


@pytest.mark.slow
def test_provenance_json(seed, expected_input_key, samples_db):
    record = json.loads(Path(seed["paths"]["provenance"]).read_text(encoding="utf-8"))
    assert record["agency"] == "qianjindao" and record["year"] == 2023 and record["mode"] == "publish"
    assert record["input_key"] == seed["input_key"]
    from helpers.store import Store
    store = Store(samples_db)
    assert record["data_fingerprint"] == store.fingerprints()[("qianjindao", 2023)]
    assert record["input_key"] == expected_input_key(store, "qianjindao", 2023, record["static_fingerprint"])
    assert provenance.report_input_key(store, "qianjindao", 2023) == expected_input_key(
        store, "qianjindao", 2023, provenance.static_fingerprint())
    assert record["notebook_sha256"] == provenance.file_hash(provenance.notebook_path())
    assert record["files"]["report.pdf"] == provenance.file_hash(seed["paths"]["pdf"])
    assert set(record["versions"]) >= {"xxgk", "papermill", "nbconvert", "weasyprint", "matplotlib", "pandas"}
    assert record["checks"] == {"errors": 0, "warnings": 0}


@pytest.mark.slow
def test_same_inputs_give_identical_bytes(rendered):
    # two fresh renders back to back (the static fingerprint covers the package's code, which must
    # not change in between)
    first = rendered("huaian", 2024, "draft", out="first")
    again = rendered("huaian", 2024, "draft", out="again")
    records = [json.loads(Path(r["paths"]["provenance"]).read_text(encoding="utf-8")) for r in (first, again)]
    assert records[0]["static_fingerprint"] == records[1]["static_fingerprint"], "code changed between renders"
    assert again["input_key"] == first["input_key"]
    for kind in ("html", "pdf"):
        assert Path(first["paths"][kind]).read_bytes() == Path(again["paths"][kind]).read_bytes(), kind


@pytest.mark.slow
def test_nbconvert_exporter_gives_the_same_pdf(seed, tmp_path):
    jupyter = Path(sys.executable).parent / "jupyter"
    subprocess.run([str(jupyter), "nbconvert", "--to", "xxgk_pdf", seed["paths"]["ipynb"],
                    "--output-dir", str(tmp_path)], check=True, capture_output=True)
    assert (tmp_path / "report.pdf").read_bytes() == Path(seed["paths"]["pdf"]).read_bytes()


@pytest.mark.slow
def test_nbconvert_pdf_exporter_takes_the_html_exporters_options(seed, tmp_path):
    # XxgkPDFExporter is an XxgkHTMLExporter: its options change the printed page
    jupyter = Path(sys.executable).parent / "jupyter"
    subprocess.run([str(jupyter), "nbconvert", "--to", "xxgk_pdf", seed["paths"]["ipynb"], "--output-dir",
                    str(tmp_path), "--XxgkPDFExporter.exclude_markdown=False"], check=True, capture_output=True)
    text = subprocess.run(["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "第一步：核对参数" in text   # a markdown note for the analyst, hidden by default


def _nbconvert(to: str, notebook, out_dir):
    jupyter = Path(sys.executable).parent / "jupyter"
    return subprocess.run([str(jupyter), "nbconvert", "--to", to, str(notebook), "--output-dir", str(out_dir)],
                          capture_output=True, text=True)


@pytest.mark.slow
@pytest.mark.parametrize("to", ["xxgk_pdf", "xxgk_html"])
def test_nbconvert_refuses_a_notebook_never_executed(tmp_path, to):
    """The master notebook as it is in the repository has no report in it: converting it used to
    give a one-page PDF with only the page number, exit status 0."""
    from helpers.render.provenance import notebook_path

    res = _nbconvert(to, notebook_path(), tmp_path)
    assert res.returncode == 1
    assert "annual_report：这个笔记本还没有执行" in res.stderr and "xxgk run" in res.stderr
    assert "Traceback" not in res.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("to", ["xxgk_pdf", "xxgk_html"])
def test_nbconvert_refuses_a_notebook_that_stopped(tmp_path, broken_db, seed, to):
    """A refused publish (the real partial notebook) and a cell that raised: both used to convert to
    a page showing the traceback, exit status 0."""
    import nbformat

    from helpers.errors import NotebookFailed
    from helpers.render.pipeline import render_report

    with pytest.raises(NotebookFailed):
        render_report("huaian", 2024, out_dir=tmp_path / "out", db=broken_db)
    refused = tmp_path / "out" / "2024" / "huaian" / "report.failed.ipynb"
    res = _nbconvert(to, refused, tmp_path / "a")
    assert res.returncode == 1 and "笔记本拒绝生成报告" in res.stderr and "收结平衡 [balance]" in res.stderr
    assert not (tmp_path / "a").exists() or list((tmp_path / "a").iterdir()) == []
    nb = nbformat.read(seed["paths"]["ipynb"], as_version=4)
    charts = next(c for c in nb.cells if c.get("id") == "charts")
    charts.outputs = [nbformat.v4.new_output("error", ename="OverflowError", evalue="int too large", traceback=[])]
    crashed = tmp_path / "crashed.ipynb"
    nbformat.write(nb, crashed)
    res = _nbconvert(to, crashed, tmp_path / "b")
    assert res.returncode == 1 and "单元格 'charts' 出错" in res.stderr and "OverflowError" in res.stderr
    assert not (tmp_path / "b").exists() or list((tmp_path / "b").iterdir()) == []


@pytest.mark.slow
def test_outputs_are_written_where_documented(seed):
    target = Path(seed["paths"]["html"]).parent
    assert target.parts[-2:] == ("2023", "qianjindao")
    assert sorted(p.name for p in target.iterdir()) == sorted(
        ["report.ipynb", "report.html", "report.pdf", "report.docx", "checks.json", "provenance.json"])
    assert json.loads((target / "checks.json").read_text(encoding="utf-8")) == []
    assert set(seed["durations"]) >= {"execute", "html", "pdf", "total"}


# --- the command --------------------------------------------------------------------------------
@pytest.mark.slow
def test_xxgk_run(tmp_path, capsys, samples_db):
    from helpers.cli import main
    db = samples_db
    assert main(["--db", db, "run", "--agency", "huaian", "--year", "2024", "--out", str(tmp_path),
                 "--draft", "--no-pdf"]) == 0
    out = capsys.readouterr().out
    assert "report.html" in out and (tmp_path / "2024" / "huaian" / "report.html").exists()
    assert not (tmp_path / "2024" / "huaian" / "report.pdf").exists()

    assert main(["--db", db, "run", "--agency", "huaian", "--year", "2024", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "缺少正文" in err and "Traceback" not in err
    # the refused run left the draft's set published as it was, its own traces beside it
    assert (tmp_path / "2024" / "huaian" / "report.html").exists()
    assert (tmp_path / "2024" / "huaian" / "report.failed.ipynb").exists()


@pytest.mark.parametrize("args, message", [
    (["--agency", "nobody", "--year", "2023"], "未知机构"),
    (["--agency", "qianjindao", "--year", "2019"], "没有 2019 年的数据"),
    (["--agency", "Bad!", "--year", "2023"], "机构标识"),
])
def test_xxgk_run_refuses_unknown_agency_or_year(args, message, capsys, samples_db):
    from helpers.cli import main
    assert main(["--db", samples_db, "run", *args]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.slow
def test_weasyprint_has_nothing_to_complain_about(huaian, caplog):
    import logging

    from helpers.render.export.pdf import html_to_pdf
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = html_to_pdf(Path(huaian["paths"]["html"]).read_text(encoding="utf-8"))
    assert pdf == Path(huaian["paths"]["pdf"]).read_bytes()
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


@pytest.mark.slow
def test_xxgk_run_writes_the_word_document_unless_told_not_to(tmp_path, capsys, samples_db):
    from helpers.cli import main
    folder = tmp_path / "2023" / "qianjindao"
    assert main(["--db", samples_db, "run", "--agency", "qianjindao", "--year", "2023", "--out", str(tmp_path),
                 "--no-docx"]) == 0
    assert (folder / "report.pdf").exists() and not (folder / "report.docx").exists()
    assert main(["--db", samples_db, "run", "--agency", "qianjindao", "--year", "2023", "--out", str(tmp_path)]) == 0
    assert "report.docx" in capsys.readouterr().out
    assert (folder / "report.docx").read_bytes()[:2] == b"PK"
