"""The charts drawn as small SVG documents: horizontal bars and lines across years.

    bars_svg(spec) -> str      charts.Bars
    trend_svg(spec) -> str     charts.Trend
    check_glyphs(texts, title) a character the chart font lacks is an error, never a box

The look is the one matplotlib gave these charts (6 × 2.8 in, Noto Sans CJK SC 9 pt, title 10 pt
left, left and bottom axis lines, matplotlib's tick positions and colour cycle, tight margins), but
the document is written directly: a few dozen elements instead of matplotlib's hundreds, text as
<text> (selectable and searchable in the PDF). Writing it takes microseconds where matplotlib took
0.07 s a chart, and WeasyPrint draws it in a third of the time (bench/render_times.py).
Text widths come from the font's advance widths (matplotlib's FreeType binding), so labels are
measured, not guessed, and margins are laid out as matplotlib's tight_layout did.
"""
from __future__ import annotations

import os
from functools import cache
from xml.sax.saxutils import escape, quoteattr

from ..errors import FontError

WIDTH, HEIGHT = 432.0, 201.6          # points: 6 × 2.8 in, as the charts always were
FONT_SIZE, TITLE_SIZE, SMALL_SIZE = 9.0, 10.0, 8.0
PAD = 1.08 * FONT_SIZE                # matplotlib's tight_layout padding
TITLE_PAD = 6.0
TICK_LENGTH, TICK_PAD, LINE_WIDTH = 3.5, 3.5, 0.8
ASCENT, DESCENT = 0.88, 0.12          # the ideographic em box of Noto CJK, in em
AXIS_COLOR = "#333333"
BAR_HEIGHT, BAR_LABEL_PAD = 0.6, 3.0
MARGIN = 0.05                          # matplotlib's axes.xmargin / ymargin
# matplotlib's colour cycle (tab10) and its dash patterns, scaled by the line width
COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
          "#bcbd22", "#17becf")
DASHES = {"-": (), "--": (3.7, 1.6), "-.": (6.4, 1.6, 1.0, 1.6), ":": (1.0, 1.65)}
# legend (fontsize 8): border pad, handle length, handle-text pad, label spacing, axes pad (× 8 pt)
LEGEND = {"border": 0.4 * SMALL_SIZE, "handle": 2.0 * SMALL_SIZE, "text_pad": 0.8 * SMALL_SIZE,
          "spacing": 0.5 * SMALL_SIZE, "axes_pad": 0.5 * SMALL_SIZE}


@cache
def _font():
    """The FreeType face of the chart font (charts.FONT_FAMILY)."""
    from matplotlib import font_manager

    from .charts import FONT_FAMILY, setup_fonts
    setup_fonts()      # the font is there, or a clear error naming the package
    path = font_manager.fontManager.findfont(font_manager.FontProperties(family=FONT_FAMILY),
                                             fallback_to_default=False)
    return font_manager.get_font(path)


# matplotlib's FreeType face reads its file through one open file: forked sweep workers that share
# the parent's would move each other's read position ("broken file", glyphs reported missing).
# A child opens its own, as matplotlib does for its own font cache.
os.register_at_fork(after_in_child=_font.cache_clear)


@cache
def _charmap() -> dict[int, int]:
    """The chart font's character map: a plain dict, read once, shared with forked workers
    (reading it again costs a worker ~0.01 s per report)."""
    return _font().get_charmap()


@cache
def _advance(char: str) -> float:
    """Advance width of one character, in em."""
    from matplotlib.ft2font import LoadFlags
    face = _font()
    return face.load_char(ord(char), flags=LoadFlags.NO_SCALE).horiAdvance / face.units_per_EM


def text_width(text: str, size: float) -> float:
    return sum(_advance(c) for c in text) * size


def check_glyphs(texts, title: str) -> None:
    from .charts import FONT_FAMILY
    charmap = _charmap()
    missing = sorted({c for t in texts for c in t if not c.isspace() and ord(c) not in charmap})
    if missing:
        raise FontError(f"图表“{title}”中有字体 {FONT_FAMILY} 缺少的字符：{'、'.join(missing)} (missing glyph)")


def _n(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _text(x, y, text, *, size=FONT_SIZE, anchor="start", color="#000000") -> str:
    size_attr = "" if size == FONT_SIZE else f' font-size="{_n(size)}"'
    anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
    fill = "" if color == "#000000" else f' fill="{color}"'
    return f'<text x="{_n(x)}" y="{_n(y)}"{size_attr}{anchor_attr}{fill}>{escape(text)}</text>'


def _middle(y: float, size: float) -> float:
    """The baseline that centres a line of text of `size` on `y`."""
    return y + (ASCENT - DESCENT) / 2 * size


def _ticks(top: float) -> list[float]:
    """matplotlib's integer tick positions for an axis from 0 to `top` (MaxNLocator)."""
    from matplotlib.ticker import MaxNLocator
    return [float(t) for t in MaxNLocator(integer=True).tick_values(0, top) if -1e-9 <= t <= top * (1 + 1e-9)]


def _scale(start: float, end: float, top: float):
    """Values 0 … top to points start … end."""
    return lambda value: start + (end - start) * value / top


def _label(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _document(title: str, body: list[str]) -> str:
    """The chart on a transparent ground: on the white page it looks the same, and a draft's
    watermark shows through."""
    from .charts import FONT_FAMILY
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(WIDTH)}pt" height="{_n(HEIGHT)}pt" '
            f'viewBox="0 0 {_n(WIDTH)} {_n(HEIGHT)}" version="1.1"><title>{escape(title)}</title>'
            f'<g font-family={quoteattr(f"{FONT_FAMILY!r}, sans-serif")} font-size="{_n(FONT_SIZE)}">'
            + "".join(body) + "</g></svg>")


def _frame(left, top, right, bottom) -> str:
    """The left and bottom axis lines (no top and right lines, as the charts always had)."""
    return (f'<path d="M{_n(left)} {_n(top)}V{_n(bottom)}H{_n(right)}" fill="none" stroke="{AXIS_COLOR}" '
            f'stroke-width="{LINE_WIDTH}" stroke-linecap="square"/>')


def _x_ticks(positions: list[tuple[float, str]], bottom: float) -> list[str]:
    marks = "".join(f"M{_n(x)} {_n(bottom)}v{TICK_LENGTH}" for x, _ in positions)
    out = [f'<path d="{marks}" stroke="#000000" stroke-width="{LINE_WIDTH}"/>'] if marks else []
    baseline = bottom + TICK_LENGTH + TICK_PAD + ASCENT * FONT_SIZE
    return out + [_text(x, baseline, label, anchor="middle") for x, label in positions]


def _top() -> float:
    """Where the plot starts: under the title line."""
    return PAD + (ASCENT + DESCENT) * TITLE_SIZE + TITLE_PAD


def _bottom() -> float:
    """Where the plot ends: over the tick marks and their labels."""
    return HEIGHT - PAD - (ASCENT + DESCENT) * FONT_SIZE - TICK_PAD - TICK_LENGTH


def _title(title: str, left: float, top: float) -> str:
    return _text(left, top - TITLE_PAD - DESCENT * TITLE_SIZE, title, size=TITLE_SIZE)


def bars_svg(spec) -> str:
    labels, values = list(spec.labels), list(spec.values)
    check_glyphs([spec.title, *labels], spec.title)
    n = len(labels)
    top, bottom = _top(), _bottom()
    left = PAD + max((text_width(label, FONT_SIZE) for label in labels), default=0) + TICK_PAD
    xmax = max(max(values, default=0), 1) * 1.15
    ticks = _ticks(xmax)
    right = WIDTH - PAD
    for _ in range(2):   # the last tick label may stick out to the right: keep it on the figure
        x_of = _scale(left, right, xmax)
        overflow = max((x_of(t) + text_width(_label(t), FONT_SIZE) / 2 - (WIDTH - PAD) for t in ticks), default=0)
        right -= max(0.0, overflow)
    x_of = _scale(left, right, xmax)
    # categories at n-1 … 0 (first on top), bars 0.6 high, 5 % margins around the bars
    lo, hi = -BAR_HEIGHT / 2, n - 1 + BAR_HEIGHT / 2
    lo, hi = lo - MARGIN * (hi - lo), hi + MARGIN * (hi - lo)
    y_of = lambda pos: bottom - (bottom - top) * (pos - lo) / (hi - lo)  # noqa: E731
    body = [_title(spec.title, left, top)]
    for i, (key, label, value) in enumerate(zip(spec.keys, labels, values)):
        pos = n - 1 - i
        y0, y1 = y_of(pos + BAR_HEIGHT / 2), y_of(pos - BAR_HEIGHT / 2)
        width = x_of(value) - left
        body.append(f'<g id={quoteattr(f"bar-{key}")}><rect x="{_n(left)}" y="{_n(y0)}" width="{_n(width)}" '
                    f'height="{_n(y1 - y0)}" fill="#4d6f8f"/></g>')
        middle = _middle((y0 + y1) / 2, FONT_SIZE)
        body.append(_text(left - TICK_PAD, middle, label, anchor="end"))
        body.append(_text(x_of(value) + BAR_LABEL_PAD, _middle((y0 + y1) / 2, SMALL_SIZE), _label(value),
                          size=SMALL_SIZE))
    body.append(_frame(left, top, right, bottom))
    body += _x_ticks([(x_of(t), _label(t)) for t in ticks], bottom)
    return _document(spec.title, body)


def trend_svg(spec) -> str:
    years = list(spec.years)
    check_glyphs([spec.title, *(label for _, label, _ in spec.series)], spec.title)
    values = [v for _, _, vs in spec.series for v in vs]
    top, bottom = _top(), _bottom()
    lo_v, hi_v = min(values, default=0), max(values, default=0)
    ymax = hi_v + MARGIN * (hi_v - lo_v) if hi_v > lo_v else hi_v + max(1.0, abs(hi_v) * MARGIN)
    yticks = _ticks(ymax)
    left = PAD + max(text_width(_label(t), FONT_SIZE) for t in yticks) + TICK_PAD + TICK_LENGTH
    legend_width = (2 * LEGEND["border"] + LEGEND["handle"] + LEGEND["text_pad"]
                    + max(text_width(label, SMALL_SIZE) for _, label, _ in spec.series))
    right = WIDTH - PAD - legend_width - LEGEND["axes_pad"]
    span = years[-1] - years[0]
    x_lo, x_hi = years[0] - MARGIN * span, years[-1] + MARGIN * span
    x_of = lambda year: left + (right - left) * (year - x_lo) / (x_hi - x_lo)  # noqa: E731
    y_of = lambda v: bottom - (bottom - top) * v / ymax  # noqa: E731
    body = [_title(spec.title, left, top)]
    for i, (key, label, series) in enumerate(spec.series):
        style = _line_style(i)
        points = " ".join(f"{_n(x_of(y))},{_n(y_of(v))}" for y, v in zip(years, series))
        dots = "".join(f'<circle cx="{_n(x_of(y))}" cy="{_n(y_of(v))}" r="2"/>' for y, v in zip(years, series))
        body.append(f'<g id={quoteattr(f"series-{key}")} fill="{style["color"]}">'
                    f'<polyline points="{points}" fill="none" stroke="{style["color"]}" '
                    f'stroke-width="{_n(style["width"])}"{style["dash"]} stroke-linecap="butt"/>{dots}</g>')
    body.append(_frame(left, top, right, bottom))
    body += _x_ticks([(x_of(y), f"{y}年") for y in years], bottom)
    marks = "".join(f"M{_n(left)} {_n(y_of(t))}h{-TICK_LENGTH}" for t in yticks)
    body.append(f'<path d="{marks}" stroke="#000000" stroke-width="{LINE_WIDTH}"/>')
    body += [_text(left - TICK_LENGTH - TICK_PAD, _middle(y_of(t), FONT_SIZE), _label(t), anchor="end")
             for t in yticks]
    body += _legend(spec, right + LEGEND["axes_pad"], top + LEGEND["axes_pad"])
    return _document(spec.title, body)


def _line_style(i: int) -> dict:
    """Series 0 bold and black; the others thin, in matplotlib's colours and line styles."""
    from .charts import LINE_STYLES
    width = 2.0 if i == 0 else 1.2
    pattern = DASHES["-" if i == 0 else LINE_STYLES[(i - 1) % len(LINE_STYLES)]]
    dash = f' stroke-dasharray="{",".join(_n(d * width) for d in pattern)}"' if pattern else ""
    return {"color": "#222222" if i == 0 else COLORS[(i - 1) % len(COLORS)], "width": width, "dash": dash}


def _legend(spec, x: float, y: float) -> list[str]:
    out = []
    row = (ASCENT + DESCENT) * SMALL_SIZE
    for i, (_, label, _) in enumerate(spec.series):
        style = _line_style(i)
        middle = y + LEGEND["border"] + row / 2 + i * (row + LEGEND["spacing"])
        x0 = x + LEGEND["border"]
        out.append(f'<g fill="{style["color"]}"><path d="M{_n(x0)} {_n(middle)}h{_n(LEGEND["handle"])}" '
                   f'stroke="{style["color"]}" stroke-width="{_n(style["width"])}"{style["dash"]}/>'
                   f'<circle cx="{_n(x0 + LEGEND["handle"] / 2)}" cy="{_n(middle)}" r="2"/></g>')
        out.append(_text(x0 + LEGEND["handle"] + LEGEND["text_pad"], _middle(middle, SMALL_SIZE), label,
                         size=SMALL_SIZE))
    return out
