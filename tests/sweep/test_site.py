"""The sweep's index.html and summary.csv: content, escaping, and behaviour in headless Chromium."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from helpers.format.schema import Agency
from helpers.sweep.manifest import Manifest
from helpers.sweep.site import render_csv, rows, write_site

EVIL = '<script>window.__pwned = 1</script>"><img src=x onerror="window.__pwned=2">&amp;'
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def _site(tmp_path) -> Path:
    """A manifest as a sweep leaves it (with report files for the links), three agencies, one
    with a malicious name, one failed report."""
    out = tmp_path / "site"
    agencies = {
        "demo-0001": Agency("demo-0001", "示例市示例区人民政府", "区"),
        "demo-0002": Agency("demo-0002", "示例市示例区第2街道办事处", "街道", "demo-0001"),
        "evil": Agency("evil", EVIL, "<b>街道</b>"),
    }
    m = Manifest(out)
    plan = [("demo-0001", 2022, "rendered", 0, 0), ("demo-0001", 2023, "warnings", 0, 3),
            ("demo-0002", 2021, "rendered", 0, 0), ("demo-0002", 2023, "failed", 2, 1),
            ("evil", 2024, "rendered", 0, 1)]
    for agency, year, result, errors, warnings in plan:
        folder = out / str(year) / agency
        folder.mkdir(parents=True)
        names = ["report.failed.ipynb"] if result == "failed" else ["report.html", "report.pdf", "report.ipynb"]
        for name in names:
            (folder / name).write_text("x")
        entry = dict(agency=agency, year=year, status=result, result=result, errors=errors, warnings=warnings,
                     input_key="k", duration=1.0)
        if result == "failed":
            entry.update(error='<img src=x onerror="window.__pwned=3"> 出错', failing_cell="load",
                         partial_notebook=f"{year}/{agency}/report.failed.ipynb")
        m.put(entry)
    m.save()
    write_site(m, agencies)
    return out


def test_index_escapes_data_and_links_relatively(tmp_path):
    out = _site(tmp_path)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and '"Noto Sans CJK SC"' in html
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert html.count("<script") == 1                                   # only the page's own script
    assert 'href="2022/demo-0001/report.html"' in html and 'href="2022/demo-0001/report.pdf"' in html
    assert 'href="2023/demo-0002/report.failed.ipynb"' in html
    assert "http://" not in html and "https://" not in html and "src=" not in html.replace("src=x", "")


def test_summary_csv_has_every_report(tmp_path):
    out = _site(tmp_path)
    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfagency,")     # BOM for Excel
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["agency"], r["year"], r["result"]) for r in table] == [
        ("demo-0001", "2022", "rendered"), ("demo-0001", "2023", "warnings"), ("demo-0002", "2021", "rendered"),
        ("demo-0002", "2023", "failed"), ("evil", "2024", "rendered")]
    assert table[4]["name"] == EVIL and table[0]["html"] == "2022/demo-0001/report.html"
    assert table[3]["failing_cell"] == "load" and table[3]["html"] == ""


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (make sysdeps)")
def test_index_sorts_and_filters_offline_in_chromium(tmp_path):
    from playwright.sync_api import sync_playwright

    out = _site(tmp_path)
    requests, problems = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto((out / "index.html").as_uri())

        def column(i):
            return page.eval_on_selector_all(
                "#reports tbody tr:not([hidden])", f"rows => rows.map(r => r.cells[{i}].textContent.trim())")

        assert column(0) == ["demo-0001", "demo-0001", "demo-0002", "demo-0002", "evil"]
        page.click("th:nth-child(4)")                       # year, ascending
        assert column(3) == ["2021", "2022", "2023", "2023", "2024"]
        page.click("th:nth-child(4)")                       # descending
        assert column(3) == ["2024", "2023", "2023", "2022", "2021"]
        page.click("th:nth-child(7)")                       # warnings, numeric
        assert column(6) == ["0", "0", "1", "1", "3"]
        page.fill("#filter", "街道办")
        assert column(0) == ["demo-0002", "demo-0002"]
        page.fill("#filter", "")
        page.select_option("#status", "failed")
        assert column(0) == ["demo-0002"] and "显示 1 / 5" in page.text_content("#shown")
        page.select_option("#status", "")
        assert len(column(0)) == 5
        assert page.evaluate("window.__pwned") is None
        assert EVIL in page.text_content("#reports")
        browser.close()
    assert all(u.startswith("file://") for u in requests), requests
    assert problems == []


def test_rows_come_from_the_manifest(tmp_path):
    out = _site(tmp_path)
    table = rows(Manifest.load(out), {})
    assert len(table) == 5 and table[0]["name"] == ""          # unknown agency: empty name, no crash
    assert render_csv(table).splitlines()[0].startswith("agency,name,level,year,status")
