"""Small, sober SVG charts with Chinese labels; they follow the tables, never replace them.

    outcomes_chart(report)   办理结果 by category (予以公开 … 其他处理), from the schema's row groups
    applicants_chart(report) 本年新收 by applicant type, from the table 三 columns
    trend_chart(reports)     ≥ 2 years: 本年新收 and the outcome categories across years

Each returns an `SvgChart`: Jupyter shows it as SVG (`_repr_svg_`), `.svg` is the raw text.

Determinism and fonts: text is drawn as paths (`svg.fonttype = "path"`), so the SVG does not
depend on fonts in the browser or PDF; `svg.hashsalt` is fixed and the date metadata dropped, so
the same data gives byte-identical SVG. The font must really be Noto Sans CJK SC (fallback fonts
draw Japanese glyph forms or boxes); a glyph missing from it is an error, never silent tofu.
Figures are built with the object API (`matplotlib.figure.Figure`, no pyplot): no GUI backend,
no global figure registry to leak into, and the rc settings apply only inside `rc_context`, so a
notebook kernel's own matplotlib state is left alone.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from functools import cache

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure

from ..errors import FontError, XxgkError
from ..format import derived, schema
from ..format.model import Report

FONT_FAMILY = "Noto Sans CJK SC"
FONT_PACKAGE = "fonts-noto-cjk"
HASH_SALT = "xxgk"
SIZE = (6.0, 2.8)          # inches; the page is A4, the charts sit under the tables
BAR_COLOR = "#4d6f8f"      # one muted colour: an official document, not a dashboard
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
    """Check that Noto Sans CJK SC is usable (rebuilding matplotlib's font cache once if needed)
    and return the rc settings every chart is drawn with (`_font_path`: the font file found).

    The charts of this module apply these settings only while drawing (rc_context). With
    apply=True they are also set in matplotlib.rcParams, for charts an analyst draws by hand."""
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
        "svg.fonttype": "path",
        "svg.hashsalt": HASH_SALT,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#333333",
        "axes.titlesize": 10,
        "legend.frameon": False,
        "_font_path": path,
    }


@dataclass(frozen=True)
class SvgChart:
    svg: str
    title: str

    def _repr_svg_(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.svg


def render_svg(draw, title: str, size: tuple[float, float] = SIZE) -> SvgChart:
    """Draw on a fresh Figure under the chart rc settings; missing glyphs raise."""
    rc = {k: v for k, v in setup_fonts().items() if not k.startswith("_")}
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from.*")
        fig = Figure(figsize=size)
        try:
            draw(fig)
            fig.tight_layout()
            buf = io.StringIO()
            fig.savefig(buf, format="svg", metadata={"Date": None, "Title": title})
        except UserWarning as exc:
            raise FontError(f"图表“{title}”中有字体 {FONT_FAMILY} 缺少的字符：{exc} (missing glyph)") from None
        finally:
            fig.clear()
    return SvgChart(buf.getvalue(), title)


def bars(fig: Figure, keys: list[str], labels: list[str], values: list, title: str) -> None:
    ax = fig.add_subplot()
    ypos = list(range(len(labels)))[::-1]   # first category on top, as in the table
    bars = ax.barh(ypos, values, color=BAR_COLOR, height=0.6)
    for bar, key in zip(bars, keys):
        bar.set_gid(f"bar-{key}")           # <g id="bar-granted">: lets tests and CSS find a bar
    ax.set_yticks(ypos, labels)
    ax.bar_label(bars, labels=[str(v) for v in values], padding=3, fontsize=8)
    ax.set_title(title, loc="left")
    ax.set_xlim(0, max(max(values, default=0), 1) * 1.15)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.tick_params(axis="y", length=0)


RESULTS_TITLE = derived.short_label(schema.table("t3").row("granted").groups[0])   # 本年度办理结果
NEW_RECEIVED = derived.short_label(schema.table("t3").row_label("new_received")).removesuffix("数量")
THIS_YEAR, THIS_YEAR_RESULTS = "本年", "本年度"   # replaced by the year in titles ("2024年度办理结果")


def outcomes_chart(report: Report) -> SvgChart:
    """The year's outcomes (column 总计) by category, in the order of table 三."""
    cats = derived.outcome_categories(report.table("t3"))
    totals = derived.category_totals(report)
    title = RESULTS_TITLE.replace(THIS_YEAR_RESULTS, f"{report.year}年度") + "（件）"
    return render_svg(lambda fig: bars(fig, [c.key for c in cats], [c.name for c in cats], [totals[c.key] for c in cats], title), title)


def applicants_chart(report: Report) -> SvgChart:
    """本年新收 by applicant type (the six applicant columns of table 三)."""
    cols = [c for c in report.table("t3").columns if c.key in schema.T3_APPLICANT_COLUMNS]
    labels = [c.label for c in cols]
    values = [report.value("t3", "new_received", c.key) for c in cols]
    title = NEW_RECEIVED.replace(THIS_YEAR, f"{report.year}年") + f"·{schema.T3_APPLICANTS_HEADER}（件）"
    return render_svg(lambda fig: bars(fig, [c.key for c in cols], labels, values, title), title)


def trend_chart(reports: list[Report]) -> SvgChart:
    """本年新收 and the outcome categories across years (one agency, at least two years).
    Categories that are 0 in every year are left out of the legend (they would all lie on 0)."""
    reports = sorted(reports, key=lambda r: r.year)
    if len(reports) < 2:
        raise XxgkError("趋势图至少需要两个年度的数据 (trend needs at least two years)")
    if len({r.agency for r in reports}) > 1 or len({r.year for r in reports}) < len(reports):
        raise XxgkError("趋势图只能用同一机构、年度各不相同的报告 (one agency, distinct years)")
    years = [r.year for r in reports]
    new_received = NEW_RECEIVED.removeprefix(THIS_YEAR)
    series = [("new_received", new_received, [r.value("t3", "new_received", "total") for r in reports])]
    per_year = [derived.category_totals(r) for r in reports]
    for cat in derived.outcome_categories(reports[-1].table("t3")):
        values = [t.get(cat.key, 0) for t in per_year]
        if any(values):
            series.append((cat.key, cat.name, values))
    title = f"{years[0]}—{years[-1]}年{new_received}及{RESULTS_TITLE.removeprefix(THIS_YEAR_RESULTS)}（件）"

    return line_chart(years, series, title)


def line_chart(years: list[int], series: list[tuple[str, str, list]], title: str) -> SvgChart:
    """One line per (key, label, values) across `years`: the first bold and black, the others thin
    in distinct dash styles (a printed page has no colours to tell them apart)."""
    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        for i, (key, label, values) in enumerate(series):
            ax.plot(years, values, marker="o", markersize=3, label=label, gid=f"series-{key}",
                    color="#222222" if i == 0 else None,
                    linewidth=2 if i == 0 else 1.2, linestyle=LINE_STYLES[(i - 1) % len(LINE_STYLES)] if i else "-")
        ax.set_xticks(years, [f"{y}年" for y in years])
        ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.set_ylim(bottom=0)
        ax.set_title(title, loc="left")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)

    return render_svg(draw, title)
