"""notebooks/rollup.ipynb executed by papermill (a real Jupyter kernel) through `xxgk rollup`, its
HTML opened in headless Chromium (sorting works, no console errors), its PDF's fonts and text."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers.cli import main
from helpers.store import Store
from helpers.synth import tree as example

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The city's roll-up with dist-a stored first (so one 汇总 unit has stored figures), a unit
    with a hard error and a missing unit."""
    tmp = tmp_path_factory.mktemp("rollup-nb")
    store = example.store_tree(Store(f"sqlite:///{tmp / 'tree.sqlite'}"))
    rep = store.load_report("dept-c", example.YEAR)
    rep.set("t3", "carried_over", "natural_person", rep.value("t3", "carried_over", "natural_person") + 1)
    store.save_reports([rep], replace=True)          # carry-over and balance errors in dept-c
    out = tmp / "out"
    assert main(["--db", store.url, "rollup", "--parent", "dist-a", "--year", str(example.YEAR), "--store",
                 "--out", str(out)]) == 0
    # a real Jupyter kernel, as papermill runs any notebook
    code = main(["--db", store.url, "rollup", "--parent", "city", "--year", str(example.YEAR), "--store", "--out", str(out),
                 "--engine", "nbclient"])
    assert code == 2                                  # refused: dept-c has hard errors; rendered all the same
    return store, out / str(example.YEAR) / "city"


def test_outputs_and_rollup_json(rendered):
    store, folder = rendered
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["rollup.html", "rollup.ipynb", "rollup.json", "rollup.pdf"]
    data = json.loads((folder / "rollup.json").read_text(encoding="utf-8"))
    units = {u["agency"]: u for u in data["units"]}
    assert units[example.MISSING]["status"] == "missing" and units[example.MISSING]["reported"] is False
    assert units["dept-c"]["status"] == "errors" and units["dept-c"]["errors"] >= 1
    assert "carry_over" in units["dept-c"]["rules"]
    assert data["counts"]["total"] == 7 and data["computed"] == ["dist-b"]
    assert data["provenance"]["kind"] == "rollup" and data["provenance"]["input_key"]
    assert set(data["files"]) == {"rollup.html", "rollup.pdf"}
    assert store.load_report("city", example.YEAR) is None   # --store was refused
    nb = json.loads((folder / "rollup.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["papermill"]["parameters"]["parent"] == "city"
    assert not any(o.get("output_type") == "error" for c in nb["cells"] for o in c.get("outputs", []))


def test_html_content(rendered):
    _, folder = rendered
    html = (folder / "rollup.html").read_text(encoding="utf-8")
    for text in ("示例市2024年度政府信息公开工作年度报告汇总", "一、下级单位报送情况", "未报送", "有错误",
                 "表三　收到和处理政府信息公开申请情况", "三、各单位情况比较", "五、跨年度问题",
                 "上年结转 = 上一年度结转下年度", "中位数绝对偏差"):
        assert text in html, text
    assert html.count('<table class="official') == 3 and "data-sortable" in html and "<script>" in html
    assert len(re.findall(r'<img[^>]*class="svg"', html)) == 3


def test_pdf_fonts_embedded_and_text_extracted(rendered, pdf_text):
    _, folder = rendered
    pdf = folder / "rollup.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes yes " in r for r in rows), fonts
    assert {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC"} <= {r.split()[0].split("+")[1].replace("-Bold", "") for r in rows}
    flat = "".join(pdf_text(pdf).split())
    for phrase in ("示例市2024年度政府信息公开工作", "下级单位报送情况", "乙区第一街道", "未报送", "各单位情况比较",
                   "示例市丙局"):
        assert phrase in flat, phrase


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")
def test_sorting_in_chromium(rendered, tmp_path):
    from playwright.sync_api import sync_playwright

    _, folder = rendered
    html = tmp_path / "rollup.html"
    shutil.copy(folder / "rollup.html", html)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 800})
        problems, requests = [], []
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(html.as_uri(), wait_until="load")
        league = page.locator("table.league")
        col = 1   # 本年新收…申请

        def column():
            return page.evaluate(f"""[...document.querySelectorAll('table.league tbody tr')]
                .map(r => r.cells[{col}].getAttribute('data-value'))""")

        league.locator("thead th").nth(col).locator("button").click()
        up = column()
        league.locator("thead th").nth(col).locator("button").click()
        down = column()
        nums = [int(v) for v in up if v]
        assert nums == sorted(nums) and len(nums) == 2 and nums[0] != nums[1]   # dist-a (stored) and dept-c
        assert [int(v) for v in down if v] == sorted(nums, reverse=True)
        assert league.locator("thead th").nth(col).get_attribute("aria-sort") == "descending"
        # text columns sort too (the status table by status)
        page.locator("table.status thead th").nth(3).locator("button").click()
        first = page.evaluate("document.querySelector('table.status tbody tr').dataset.agency")
        assert first == example.MISSING                    # 未报送 first
        assert problems == [] and requests == [html.as_uri()]
        browser.close()
