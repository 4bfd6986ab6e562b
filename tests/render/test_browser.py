"""The published HTML in a real browser (Debian's headless Chromium through Playwright): it loads
with no console error and no request but the file itself, it looks like a page of text and tables,
and the seed's own narrative is there."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser, html_path: Path):
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    requests, problems = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(html_path.as_uri(), wait_until="load")
    return page, requests, problems


WATERMARK = "getComputedStyle(document.body, '::before').backgroundImage"


def _non_white_ratio(png: bytes) -> float:
    import io

    from matplotlib import image
    pixels = image.imread(io.BytesIO(png), format="png")[..., :3]
    return float((pixels.min(axis=2) < 0.9).mean())


def test_seed_page_in_chromium(browser, tmp_path, rendered, seed_snippet):
    summary = rendered("qianjindao", 2023)
    # a copy in a folder of its own: nothing else there that the page could reach for
    html = tmp_path / "report.html"
    shutil.copy(summary["paths"]["html"], html)
    page, requests, problems = _open(browser, html)
    try:
        assert requests == [html.as_uri()], requests
        assert problems == []
        text = page.inner_text("body")
        assert "包头市昆都仑区前进道街道办事处" in page.inner_text("h1")
        assert "2023年政府信息公开工作年度报告" in page.inner_text("h1")
        assert seed_snippet in text
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        # the fonts the CSS names are the ones the browser uses for the body and headings
        family = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert family.startswith('"Noto Serif CJK SC"')
        height = page.evaluate("document.documentElement.scrollHeight")
        assert 3000 < height < 20000, height          # five A4 pages of text and tables, not a blank page
        shot = page.screenshot(full_page=True)
        (tmp_path / "seed.png").write_bytes(shot)
        ratio = _non_white_ratio(shot)
        assert 0.01 < ratio < 0.4, ratio                 # text on white, not empty, not a black box
        widths = page.evaluate("[...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().width)")
        assert len(widths) == 3 and all(w > 500 for w in widths)
        assert page.evaluate(WATERMARK) == "none"             # a published page has no watermark
    finally:
        page.close()


def test_draft_page_with_charts_in_chromium(browser, tmp_path, rendered):
    summary = rendered("huaian", 2024, "draft", db="broken")
    html = tmp_path / "report.html"
    shutil.copy(summary["paths"]["html"], html)
    page, requests, problems = _open(browser, html)
    try:
        assert requests == [html.as_uri()] and problems == []
        assert page.locator("figure.chart img.svg").count() == 2
        box = page.locator("figure.chart img.svg").first.bounding_box()
        assert box["width"] > 300 and box["height"] > 100
        assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 300)")
        # the check panel links to the marked cell
        page.click(".check-panel a[href^='#cell-t3-carried_forward-natural_person']")
        assert page.evaluate("location.hash") == "#cell-t3-carried_forward-natural_person"
        bg = page.evaluate("getComputedStyle(document.querySelector('td.finding.error')).backgroundColor")
        assert bg != "rgba(0, 0, 0, 0)"
        # a draft: the diagonal mark stays behind the text wherever the reader scrolls
        assert page.evaluate(WATERMARK).startswith('url("data:image/svg+xml')
        assert page.evaluate("getComputedStyle(document.body, '::before').position") == "fixed"
        assert "（草稿）" in page.inner_text("h1")
    finally:
        page.close()


def test_markup_that_slipped_into_the_page_neither_loads_nor_runs(browser, tmp_path, rendered, watched_url):
    """The page's Content-Security-Policy: were some markup ever to get past the escaping (an <img>,
    a <script>, a stylesheet link), the browser would neither request anything for it nor run it."""
    url, asked = watched_url
    page_text = Path(rendered("qianjindao", 2023)["paths"]["html"]).read_text(encoding="utf-8")
    assert page_text.count('http-equiv="Content-Security-Policy"') == 1
    injected = (f'<img src="{url}/img.png"><link rel="stylesheet" href="{url}/a.css">'
                f'<script>document.title = "ran"</script><script src="{url}/s.js"></script>'
                f'<p style="background: url({url}/bg.png)">x</p>')
    html = tmp_path / "report.html"
    html.write_text(page_text.replace("</main>", injected + "</main>"), encoding="utf-8")
    page, _, problems = _open(browser, html)
    try:
        page.wait_for_timeout(300)
        assert page.title() != "ran"
        assert asked == []          # (Playwright lists the blocked requests too; the server saw none)
        assert problems and all("Content Security Policy" in p for p in problems), problems
    finally:
        page.close()
