"""Small, sober charts with Chinese labels; they follow the tables, never replace them.

    outcomes_chart(report)   办理结果 by category (予以公开 … 其他处理), from the schema's row groups
    applicants_chart(report) 本年新收 by applicant type, from the table 三 columns
    trend_chart(reports)     ≥ 2 years: 本年新收 and the outcome categories across years
    texts(spec)              every text a chart shows (importers recognise charts' text by it)

Each returns an `SvgChart` (the *_spec functions give its data alone): Jupyter shows it as SVG (`_repr_svg_`), `.svg` is the raw text and
`.spec` the chart's data (`Bars` or `Trend`, JSON-able with `as_dict`/`chart_from_dict`), from which
`render_png` draws the same chart as a high-resolution image (the Word document's charts).

The SVG is written by chart_svg.py with the look matplotlib gave these charts; text is text in
Noto Sans CJK SC (the PDF embeds the font, its labels can be selected, searched and read aloud),
and a character the font lacks is an error, never silent tofu. The same data gives byte-identical
SVG and PNG (CairoSVG draws the PNG from the SVG, chart_png.py). `setup_fonts(apply=True)` gives matplotlib the
same font for charts an analyst draws by hand in the notebook.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache

import matplotlib
from matplotlib import font_manager

from ..errors import FontError, XxgkError
from ..format import derived, schema
from ..format.model import Report

FONT_FAMILY = "Noto Sans CJK SC"
FONT_PACKAGE = "fonts-noto-cjk"
SIZE = (6.0, 2.8)          # inches; the page is A4, the charts sit under the tables
LINE_STYLES = ("-", "--", "-.", ":")


def _find_font() -> str:
    path = font_manager.fontManager.findfont(font_manager.FontProperties(family=FONT_FAMILY),
                                             fallback_to_default=False)
    if font_manager.get_font(path).family_name != FONT_FAMILY:   # a .ttc has several families
        raise ValueError(path)
    return str(path)


def _rebuild_font_cache() -> None:
    """matplotlib caches its font list; fonts installed after its first run stay invisible until the
    list is rebuilt (NOTES.md). Rebuild it in place: other modules hold the fontManager object."""
    fresh = font_manager._load_fontmanager(try_read_cache=False)
    font_manager.fontManager.ttflist = fresh.ttflist
    font_manager.fontManager.afmlist = fresh.afmlist
    font_manager.fontManager._findfont_cached.cache_clear()


def setup_fonts(apply: bool = False) -> dict:
    """Check that Noto Sans CJK SC is usable (rebuilding matplotlib's font cache once if needed:
    chart_svg.py measures text with it) and return matplotlib rc settings in the charts' style
    (`_font_path`: the font file found). With apply=True they are set in matplotlib.rcParams, for
    charts an analyst draws by hand; otherwise matplotlib's own state is left alone."""
    rc = dict(_chart_rc())
    if apply:
        matplotlib.rcParams.update({k: v for k, v in rc.items() if not k.startswith("_")})
    return rc


@cache
def _chart_rc() -> dict:
    try:
        path = _find_font()
    except ValueError:
        _rebuild_font_cache()
        try:
            path = _find_font()
        except ValueError:
            raise FontError(f"找不到字体 {FONT_FAMILY}，图表中的中文无法显示。请安装 apt 软件包 {FONT_PACKAGE}"
                            f"（apt-get install {FONT_PACKAGE}）(font {FONT_FAMILY} not found)") from None
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [FONT_FAMILY],
        "font.size": 9,
        "axes.unicode_minus": False,   # the CJK font's minus; U+2212 is not needed
        "svg.fonttype": "none",        # text as text: selectable in the PDF
        "svg.hashsalt": "xxgk",        # fixed ids: the same figure gives the same SVG bytes
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#333333",
        "axes.titlesize": 10,
        "legend.frameon": False,
        "_font_path": path,
    }


PNG_DPI = 200    # the Word document's charts: 1200 dots across the 6-inch chart, sharp on screen and paper


@dataclass(frozen=True)
class Bars:
    """Horizontal bars, first category on top (as in the table), each labelled with its value."""
    title: str
    keys: tuple[str, ...]
    labels: tuple[str, ...]
    values: tuple[int, ...]

    def svg(self) -> str:
        from .chart_svg import bars_svg
        return bars_svg(self)


@dataclass(frozen=True)
class Trend:
    """Lines across years: the first series bold and black, the others thin in line styles."""
    title: str
    years: tuple[int, ...]
    series: tuple[tuple[str, str, tuple[int, ...]], ...]    # (key, label, one value per year)

    def svg(self) -> str:
        from .chart_svg import trend_svg
        return trend_svg(self)


_KINDS = {"bars": Bars, "trend": Trend}


def as_dict(spec) -> dict:
    """A chart's data as JSON-able dict (the page carries it; the Word export redraws from it)."""
    kind = next(k for k, cls in _KINDS.items() if isinstance(spec, cls))
    return {"kind": kind, **asdict(spec)}


def chart_from_dict(data: dict):
    data = dict(data)
    cls = _KINDS[data.pop("kind")]
    if cls is Trend:
        data["series"] = tuple((k, label, tuple(v)) for k, label, v in data["series"])
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


@dataclass(frozen=True)
class SvgChart:
    svg: str
    title: str
    spec: object = None     # Bars or Trend

    def _repr_svg_(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.svg


def chart(spec) -> SvgChart:
    return SvgChart(spec.svg(), spec.title, spec)


def render_png(spec, dpi: int = PNG_DPI) -> bytes:
    """The chart as PNG, `dpi` dots per inch: the same SVG, rasterised by CairoSVG (chart_png.py)."""
    from .chart_png import svg_to_png
    return svg_to_png(spec.svg(), dpi)   # the SVG is in points


RESULTS_TITLE = derived.short_label(schema.table("t3").row("granted").groups[0])   # 本年度办理结果
NEW_RECEIVED = derived.short_label(schema.table("t3").row_label("new_received")).removesuffix("数量")
THIS_YEAR, THIS_YEAR_RESULTS = "本年", "本年度"   # replaced by the year in titles ("2024年度办理结果")


def outcomes_spec(report: Report) -> Bars:
    """The year's outcomes (column 总计) by category, in the order of table 三."""
    cats = derived.outcome_categories(report.table("t3"))
    totals = derived.category_totals(report)
    title = RESULTS_TITLE.replace(THIS_YEAR_RESULTS, f"{report.year}年度") + "（件）"
    return Bars(title, tuple(c.key for c in cats), tuple(c.name for c in cats), tuple(totals[c.key] for c in cats))


def applicants_spec(report: Report) -> Bars:
    """本年新收 by applicant type (the six applicant columns of table 三)."""
    cols = [c for c in report.table("t3").columns if c.key in schema.T3_APPLICANT_COLUMNS]
    title = NEW_RECEIVED.replace(THIS_YEAR, f"{report.year}年") + f"·{schema.T3_APPLICANTS_HEADER}（件）"
    return Bars(title, tuple(c.key for c in cols), tuple(c.label for c in cols),
                tuple(report.value("t3", "new_received", c.key) for c in cols))


NEW_RECEIVED_SERIES = NEW_RECEIVED.removeprefix(THIS_YEAR)      # 新收政府信息公开申请


def trend_title(first: int | str, last: int | str) -> str:
    return f"{first}—{last}年{NEW_RECEIVED_SERIES}及{RESULTS_TITLE.removeprefix(THIS_YEAR_RESULTS)}（件）"


def trend_spec(reports: list[Report]) -> Trend:
    """本年新收 and the outcome categories across years (one agency, at least two years).
    Categories that are 0 in every year are left out of the legend (they would all lie on 0)."""
    reports = sorted(reports, key=lambda r: r.year)
    if len(reports) < 2:
        raise XxgkError("趋势图至少需要两个年度的数据 (trend needs at least two years)")
    if len({r.agency for r in reports}) > 1 or len({r.year for r in reports}) < len(reports):
        raise XxgkError("趋势图只能用同一机构、年度各不相同的报告 (one agency, distinct years)")
    years = tuple(r.year for r in reports)
    series = [("new_received", NEW_RECEIVED_SERIES, tuple(r.value("t3", "new_received", "total") for r in reports))]
    per_year = [derived.category_totals(r) for r in reports]
    for cat in derived.outcome_categories(reports[-1].table("t3")):
        values = tuple(t.get(cat.key, 0) for t in per_year)
        if any(values):
            series.append((cat.key, cat.name, values))
    return Trend(trend_title(years[0], years[-1]), years, tuple(series))


def outcomes_chart(report: Report) -> SvgChart:
    return chart(outcomes_spec(report))


def applicants_chart(report: Report) -> SvgChart:
    return chart(applicants_spec(report))


def trend_chart(reports: list[Report]) -> SvgChart:
    return chart(trend_spec(reports))


def texts(spec) -> list[str]:
    """Every text the chart shows (title, labels, values, ticks, legend), as its SVG has them."""
    import html
    import re
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", spec.svg())]
