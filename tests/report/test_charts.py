"""Charts: deterministic bytes, text as text in Noto Sans CJK SC or a clear error, data in the bars,
the same chart as PNG from its data."""
from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from lxml import etree

from helpers import importers
from helpers.config import samples_dir
from helpers.errors import XxgkError
from helpers.format import derived
from helpers.format.model import Report
from helpers.report import charts

SAMPLES = samples_dir()
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def huaian() -> Report:
    return importers.read(SAMPLES / "huaian-2024.expected.csv")[0]


@pytest.fixture(scope="module")
def series(huaian) -> list[Report]:
    prev = copy.deepcopy(huaian)
    prev.year = 2023
    prev.set("t3", "new_received", "total", 2500)
    for r in derived.outcome_categories(prev.table("t3"))[-1].rows:   # 其他处理 0 in 2023 …
        prev.set("t3", r, "total", 0)
    return [huaian, prev]


def all_charts(huaian, series):
    return [charts.outcomes_chart(huaian), charts.applicants_chart(huaian), charts.trend_chart(series)]


def test_svg_is_deterministic_and_its_text_is_text_in_the_named_font(huaian, series):
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # no missing-glyph (or any other) warning
        first = all_charts(huaian, series)
        again = all_charts(huaian, series)
    for a, b in zip(first, again):
        assert a.svg == b.svg
        assert a._repr_svg_() == a.svg
        root = etree.fromstring(a.svg.encode())
        assert root.tag == SVG_NS + "svg"
        texts = list(root.iter(SVG_NS + "text"))
        assert a.title in [t.text for t in texts]          # labels are text: selectable, searchable
        # every text inherits the named family from the group around all of them
        assert all(t.getparent().get("font-family") == "'Noto Sans CJK SC', sans-serif" for t in texts)
        assert "<dc:date>" not in a.svg


def test_same_bytes_in_a_fresh_process(huaian):
    code = ("from helpers.report import charts; from helpers import importers; import sys; "
            f"r = importers.read({str(SAMPLES / 'huaian-2024.expected.csv')!r})[0]; "
            "sys.stdout.write(charts.outcomes_chart(r).svg)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == charts.outcomes_chart(huaian).svg


def _bar_widths(svg: str) -> dict[str, float]:
    """Width of each horizontal bar, from its rectangle in the SVG (<g id="bar-<key>">)."""
    root = etree.fromstring(svg.encode())
    return {g.get("id")[4:]: float(g.find(SVG_NS + "rect").get("width"))
            for g in root.iter(SVG_NS + "g") if (g.get("id") or "").startswith("bar-")}


def test_bars_are_the_data(huaian):
    widths = _bar_widths(charts.outcomes_chart(huaian).svg)
    totals = derived.category_totals(huaian)
    assert list(widths) == [c.key for c in derived.outcome_categories(huaian.table("t3"))]
    for key in widths:   # width proportional to the value (1362 / 454 …)
        assert widths[key] / widths["granted"] == pytest.approx(totals[key] / totals["granted"], rel=1e-3)
    widths = _bar_widths(charts.applicants_chart(huaian).svg)
    assert widths["natural_person"] / widths["legal_service"] == pytest.approx(3001 / 61, rel=1e-3)
    assert widths["research"] == 0


def test_trend_chart_series_and_limits(huaian, series):
    svg = charts.trend_chart(series).svg
    ids = re.findall(r'id="series-([a-z_]+)"', svg)
    assert ids == ["new_received", "granted", "partial", "denied", "unable", "rejected", "other"]
    no_other = [copy.deepcopy(r) for r in series]
    for r in no_other:
        for row in derived.outcome_categories(r.table("t3"))[-1].rows:
            r.set("t3", row, "total", 0)
    assert "series-other" not in charts.trend_chart(no_other).svg   # 0 every year: left out
    with pytest.raises(XxgkError):
        charts.trend_chart([huaian])
    stranger = copy.deepcopy(series[1])
    stranger.agency = "other"
    with pytest.raises(XxgkError):
        charts.trend_chart([huaian, stranger])


def test_trend_across_layouts(huaian):
    """A 2019-format year (（六）其他处理 one row) and a 2021 one share the outcome categories."""
    old = Report.zeros("huaian", 2020, "2019")
    old.set("t3", "new_received", "total", 900)
    old.set("t3", "other_processing", "total", 12)
    svg = charts.trend_chart([huaian, old]).svg
    assert "series-other" in svg and "series-new_received" in svg


def test_zero_report_draws():
    zero = Report.zeros("demo", 2023)
    assert _bar_widths(charts.outcomes_chart(zero).svg) == dict.fromkeys(
        [c.key for c in derived.outcome_categories(zero.table("t3"))], 0.0)


def test_missing_glyph_is_an_error():
    lacking = charts.Bars("测试", ("a",), ("表\U0001F600",), (1,))
    with pytest.raises(charts.FontError, match="缺少的字符：\U0001F600"):
        charts.chart(lacking)
    with pytest.raises(charts.FontError, match="缺少的字符"):
        charts.render_png(lacking)


def test_font_is_noto_cjk_sc_and_global_state_untouched(huaian):
    import matplotlib
    before = dict(matplotlib.rcParams)
    rc = charts.setup_fonts()
    chart = charts.outcomes_chart(huaian)
    assert dict(matplotlib.rcParams) == before      # the notebook kernel's own settings are left alone
    assert "NotoSansCJK" in rc["_font_path"]
    assert rc["font.sans-serif"] == ["Noto Sans CJK SC"] and rc["svg.fonttype"] == "none"
    assert etree.fromstring(chart.svg.encode()).find(SVG_NS + "title").text == chart.title == "2024年度办理结果（件）"


def _run_in_fresh_matplotlib(code: str, cache_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, MPLCONFIGDIR=str(cache_dir))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)


def test_stale_font_cache_is_rebuilt(tmp_path):
    """NOTES.md: fonts installed after matplotlib's first run are invisible until the cache is rebuilt."""
    stale = ("import matplotlib; from matplotlib import font_manager as fm; "
             "m = fm.FontManager(); m.ttflist = [f for f in m.ttflist if 'CJK' not in f.name]; "
             "fm.json_dump(m, f'{matplotlib.get_cachedir()}/fontlist-v{fm.FontManager.__version__}.json')")
    assert _run_in_fresh_matplotlib(stale, tmp_path).returncode == 0
    use = ("from helpers.report import charts; from helpers.format.model import Report; "
           "print(charts.setup_fonts()['_font_path']); charts.outcomes_chart(Report.zeros('demo', 2023))")
    done = _run_in_fresh_matplotlib(use, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "NotoSansCJK" in done.stdout
    assert "Noto Sans CJK SC" in next(tmp_path.glob("fontlist-*.json")).read_text()


def test_missing_font_names_the_package(tmp_path):
    code = ("from helpers.report import charts; charts.FONT_FAMILY = 'No Such Font Family'; "
            "charts.setup_fonts()")
    done = _run_in_fresh_matplotlib(code, tmp_path)
    assert done.returncode != 0
    assert "fonts-noto-cjk" in done.stderr and "FontError" in done.stderr


def test_png_from_the_charts_data_is_deterministic_and_high_resolution(huaian, series):
    from PIL import Image
    import io
    import json

    for chart in all_charts(huaian, series):
        data = json.loads(json.dumps(charts.as_dict(chart.spec)))      # as the page carries it
        spec = charts.chart_from_dict(data)
        assert spec == chart.spec
        assert charts.chart(spec).svg == chart.svg
        png = charts.render_png(spec)
        assert png == charts.render_png(chart.spec)
        image = Image.open(io.BytesIO(png))
        assert image.size == (round(charts.SIZE[0] * charts.PNG_DPI), round(charts.SIZE[1] * charts.PNG_DPI))
        assert b"matplotlib" not in png


def test_png_has_the_pixels_cairos_own_png_writer_gives(huaian, series):
    """chart_png writes the picture with Pillow (faster than cairo's PNG writer): the same picture,
    transparent where it was; only the rounding of some anti-aliased edge colours differs, by 1."""
    from PIL import Image, ImageChops
    import io

    import cairosvg

    for chart in all_charts(huaian, series):
        ours = Image.open(io.BytesIO(charts.render_png(chart.spec)))
        cairos = Image.open(io.BytesIO(cairosvg.svg2png(bytestring=chart.svg.encode("utf-8"), dpi=charts.PNG_DPI)))
        assert ours.mode == cairos.mode == "RGBA" and ours.size == cairos.size
        assert ours.getchannel("A").tobytes() == cairos.getchannel("A").tobytes()
        assert max(hi for _, hi in ImageChops.difference(ours, cairos).getextrema()) <= 1
        alphas = {a for _, a in ours.getchannel("A").getcolors(256)}
        assert {0, 255} < alphas         # transparent, opaque and edges between them


def test_png_draws_its_text_in_noto_sans_cjk_sc_with_no_glyph_missing(huaian, series, tmp_path):
    """The Word document's charts are CairoSVG's pictures of the SVG: cairo picks the font through
    fontconfig from the SVG's family. The same CairoSVG surface written as PDF shows which font it
    drew with (pdffonts) and what it drew (pdftotext): only Noto Sans CJK SC, every text of the chart."""
    import cairosvg

    for n, chart in enumerate(all_charts(huaian, series)):
        pdf = tmp_path / f"chart{n}.pdf"
        pdf.write_bytes(cairosvg.svg2pdf(bytestring=chart.spec.svg().encode("utf-8")))
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
        assert names == {"NotoSansCJKsc-Regular"}, names
        drawn = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                                  check=True).stdout)
        for text in charts.texts(chart.spec):
            assert re.sub(r"\s+", "", text) in drawn, text


def test_forked_workers_measure_chart_text_with_their_own_font_file():
    """A sweep forks its workers from a parent that has measured text already: two workers measuring
    at once must not share the parent's open font file (they read each other's positions: a
    "broken file" error, or glyphs reported missing and widths wrong)."""
    from helpers.report import chart_svg

    chart_svg._font()                      # opened in the parent, as after the sweep's warm-up
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 6000)]   # all in Noto Sans CJK SC, 1 em wide
    pids = []
    for k in range(2):
        pid = os.fork()
        if pid == 0:                       # pragma: no cover (child)
            try:
                chart_svg._advance.cache_clear()
                widths = [chart_svg._advance(c) for c in (chars if k == 0 else chars[::-1])]
                os._exit(0 if all(w == 1.0 for w in widths) else 3)
            except BaseException:
                os._exit(2)
        pids.append(pid)
    assert [os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in pids] == [0, 0]
