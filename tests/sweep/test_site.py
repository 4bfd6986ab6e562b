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
    # and only it may run (its hash); the browser loads nothing for markup that got in (test_browser)
    assert "Content-Security-Policy\" content=\"default-src 'none'; img-src data:;" in html.replace("&#39;", "'")
    assert "script-src 'sha256-" in html.replace("&#39;", "'")
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


# --- what a reader of the published folder sees ---------------------------------------------------
def _public_site(tmp_path, timezone=None) -> Path:
    """A site with two failed reports whose messages carry the server's paths (a crash in the
    charts step, a refusal by the publish gate), a rendered one, one with warnings, and names
    that sort differently as text and as people read them."""
    out = tmp_path / "site"
    agencies = {f"street-{n}": Agency(f"street-{n}", f"示例区第{n}街道办事处", "街道") for n in (9, 100, 20)}
    m = Manifest(out)
    for agency, year, result in (("street-100", 2023, "failed"), ("street-20", 2023, "warnings"),
                                 ("street-9", 2023, "rendered"), ("street-9", 2024, "failed")):
        folder = out / str(year) / agency
        folder.mkdir(parents=True)
        (folder / ("report.failed.ipynb" if result == "failed" else "report.html")).write_text("x")
        entry = dict(agency=agency, year=year, status=result, result=result, errors=0, warnings=0, input_key="k")
        m.put(entry)
    partial = out / "2023" / "street-100" / "report.failed.ipynb"
    m.put(dict(m.get("street-100", 2023), failing_cell="charts", refused=False,
               error=f"笔记本在单元格 'charts' 出错 (notebook failed in cell 'charts')：OverflowError: int too large；"
                     f"未完成的笔记本见 {partial}\n  File \"/usr/lib/python3.11/site-packages/matplotlib/axis.py\", line 3"))
    m.put(dict(m.get("street-9", 2024), failing_cell="gate", refused=True,
               error="示例区第9街道办事处（street-9）2024 年数据有 1 个错误，发布模式拒绝生成"))
    m.save()
    write_site(m, agencies, **({} if timezone is None else {"timezone": timezone}))
    return out


def test_failed_rows_show_no_server_path_and_name_the_step(tmp_path):
    out = _public_site(tmp_path)
    html = (out / "index.html").read_text(encoding="utf-8")
    summary = (out / "summary.csv").read_text(encoding="utf-8-sig")
    for text in (html, summary):
        assert str(tmp_path) not in text and "/usr/lib" not in text
    assert "未完成的笔记本见 2023/street-100/report.failed.ipynb" in html
    assert "axis.py" in html
    assert "单元格 (cell)" not in html and ": gate" not in html and ": charts" not in html
    assert "停在 (stopped at)：图表" in html            # the notebook's own heading over the charts cell
    assert html.count("停在 (stopped at)") == 1          # a refusal explains itself


def test_times_are_shown_in_the_offices_zone(tmp_path, monkeypatch):
    from helpers.sweep import site

    monkeypatch.setattr(site, "now", lambda: "2026-12-06T10:05:00+00:00")
    html = (_public_site(tmp_path).joinpath("index.html")).read_text(encoding="utf-8")
    assert "更新于 (updated) 2026-12-06 18:05（Asia/Shanghai，UTC+08:00）" in html
    html = (_public_site(tmp_path / "b", timezone="Europe/Berlin").joinpath("index.html")).read_text(encoding="utf-8")
    assert "2026-12-06 11:05（Europe/Berlin，UTC+01:00）" in html


def test_the_time_zone_is_a_setting_of_the_sweep_definition(tmp_path, monkeypatch):
    from helpers.errors import InputError
    from helpers.sweep.options import sweep_options

    (tmp_path / "params" / "sweeps").mkdir(parents=True)
    monkeypatch.setenv("XXGK_ROOT", str(tmp_path))
    assert sweep_options().timezone == "Asia/Shanghai"
    (tmp_path / "params" / "sweeps" / "b.yaml").write_text("timezone: Europe/Berlin\n", encoding="utf-8")
    assert sweep_options("b").timezone == "Europe/Berlin"
    (tmp_path / "params" / "sweeps" / "c.yaml").write_text("timezone: Mars/Olympus\n", encoding="utf-8")
    with pytest.raises(InputError, match="未知的时区"):
        sweep_options("c")


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (make sysdeps)")
def test_counts_filter_natural_order_and_keyboard_in_chromium(tmp_path):
    from playwright.sync_api import sync_playwright

    out = _public_site(tmp_path)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto((out / "index.html").as_uri())

        def column(i):
            return page.eval_on_selector_all(
                "#reports tbody tr:not([hidden])", f"rows => rows.map(r => r.cells[{i}].textContent.trim())")

        # the header's count of each status is what the filter shows for it
        for value in ("rendered", "warnings", "failed"):
            said = page.text_content(f'[data-count="{value}"]')
            page.select_option("#status", value)
            shown = int(page.text_content("#shown").split()[1])
            assert said.endswith(f": {shown}"), (value, said, shown)
            assert page.eval_on_selector(f'#status option[value="{value}"]', "o => o.textContent").startswith(
                said.split(":")[0])
        page.select_option("#status", "")
        # ids and names in the order people read them, from the start and after sorting
        assert column(0) == ["street-9", "street-9", "street-20", "street-100"]
        page.click("th:nth-child(2) button")
        assert column(1) == [f"示例区第{n}街道办事处" for n in (9, 9, 20, 100)]
        # the headers are buttons: Tab reaches them, Enter and Space sort
        page.click("h1")
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent") == "年度 (year)":
                break
        assert page.evaluate("document.activeElement.tagName") == "BUTTON"
        page.keyboard.press("Enter")
        assert column(3) == ["2023", "2023", "2023", "2024"]
        assert page.get_attribute("th:nth-child(4)", "aria-sort") == "ascending"
        page.keyboard.press("Space")
        assert column(3) == ["2024", "2023", "2023", "2023"]
        assert page.get_attribute("th:nth-child(4)", "aria-sort") == "descending"
        browser.close()
