"""The roll-up's charts, in the look of the annual report's (Noto Sans CJK SC, text as text, one
muted colour, byte-identical SVG for the same data), drawn with matplotlib under report.charts'
settings (the annual report's own charts are written by report/chart_svg.py).

    totals_chart(years, series)            the jurisdiction's totals over the stored years
    share_chart(values, title)             how the units' 公开 share is distributed (10 % bins)
    units_chart(names, values, title)      applications by unit (the largest TOP_UNITS)
"""
from __future__ import annotations

import io
import warnings

import matplotlib
from matplotlib.figure import Figure

from ..errors import FontError
from ..report.charts import FONT_FAMILY, LINE_STYLES, SIZE, SvgChart, setup_fonts

BAR_COLOR = "#4d6f8f"      # the annual report's charts' colour

TOP_UNITS = 20          # bars an A4 page reads well; every unit is in the league table
BINS = 10


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
    drawn = ax.barh(ypos, values, color=BAR_COLOR, height=0.6)
    for bar, key in zip(drawn, keys):
        bar.set_gid(f"bar-{key}")
    ax.set_yticks(ypos, labels)
    ax.bar_label(drawn, labels=[str(v) for v in values], padding=3, fontsize=8)
    ax.set_title(title, loc="left")
    ax.set_xlim(0, max(max(values, default=0), 1) * 1.15)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.tick_params(axis="y", length=0)


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


def totals_chart(years: list[int], series: list[tuple[str, str, list]], title: str) -> SvgChart:
    """One line per (key, label, values) over `years`, drawn as the annual report's trend."""
    return line_chart(years, series, title)


def share_chart(values: list[float], title: str, unit_label: str) -> SvgChart:
    """Number of units per 10 % band of a share (0–10 %, …, 90–100 %)."""
    counts = [0] * BINS
    for v in values:
        counts[min(int(v * BINS), BINS - 1)] += 1
    labels = [f"{i * 10}–{(i + 1) * 10}%" for i in range(BINS)]

    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        bars_ = ax.bar(range(BINS), counts, color=BAR_COLOR, width=0.8)
        for i, b in enumerate(bars_):
            b.set_gid(f"bin-{i}")
        ax.set_xticks(range(BINS), labels, fontsize=7)
        ax.bar_label(bars_, labels=[str(c) if c else "" for c in counts], padding=2, fontsize=8)
        ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.set_ylabel(unit_label)
        ax.set_title(title, loc="left")
    return render_svg(draw, title)


def units_chart(keys: list[str], names: list[str], values: list[int], title: str) -> SvgChart:
    """Horizontal bars, largest first, at most TOP_UNITS."""
    order = sorted(range(len(values)), key=lambda i: (-values[i], keys[i]))[:TOP_UNITS]
    height = max(2.8, 0.22 * len(order) + 0.8)
    return render_svg(lambda fig: bars(fig, [keys[i] for i in order], [names[i] for i in order],
                                       [values[i] for i in order], title), title, size=(6.0, height))


def context_charts(ctx) -> list[SvgChart]:
    """The roll-up page's charts for a RollupContext: those its data can fill."""
    from ..format import derived

    out = []
    received = derived.INDICATORS["received"]
    if ctx.totals is not None and len(ctx.totals):
        years = [int(y) for y in ctx.totals.index]
        out.append(totals_chart(years, [(k, derived.INDICATORS[k].label, [int(v) for v in ctx.totals[k]])
                                        for k in ("received", "processed")],
                                f"{years[0]}—{years[-1]}年下级单位合计（件）" if len(years) > 1
                                else f"{years[0]}年下级单位合计（件）"))
    if ctx.league is not None and len(ctx.league):
        rate = derived.INDICATORS["substantive_rate"]
        values = [float(v) for v in ctx.league[rate.key].dropna()]
        if values:
            out.append(share_chart(values, f"{ctx.year}年各单位{rate.label}分布（按单位数）", "单位数"))
        if any(int(v) for v in ctx.league[received.key].fillna(0)):
            out.append(units_chart(list(ctx.league["agency"]), list(ctx.league["name"]),
                                   [int(v) for v in ctx.league[received.key].fillna(0)],
                                   f"{ctx.year}年各单位{received.label}（件，前 {TOP_UNITS} 家）"))
    return out
