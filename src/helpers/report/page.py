"""The page-level pieces of the rendered report: display, title, section headings, provenance footer.

Every notebook output goes through `show`, so the executed notebook holds HTML display data only
(no text reprs, no stray prints). Everything taken from data is escaped here.
"""
from __future__ import annotations

import base64
from html import escape

from ..format import schema
from ..render import records
from .html_fragment import text_paragraphs
from .mode import Mode


class Html:
    """A fragment of HTML for IPython's display: text/html only (no text/plain repr to leak)."""

    def __init__(self, html: str, metadata: dict | None = None):
        self.html = html
        self.metadata = metadata or {}

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.html}, self.metadata

    def display(self) -> None:
        from IPython.display import display
        # raw: the bundle as given; otherwise IPython adds a text/plain repr of the object
        display({"text/html": self.html}, raw=True, metadata=self.metadata)


def show(*parts, metadata: dict | None = None, medium: str | None = None) -> None:
    """Display HTML fragments (strings or objects with an SVG/HTML repr) as one output. `medium`
    (records.SCREEN / records.PRINT) keeps it to the HTML page or to the PDF."""
    html = "\n".join(fragment(p) for p in parts if p is not None)
    if medium is not None:
        metadata = {**(metadata or {}), records.MEDIUM: medium}
    if html.strip():   # nothing to show leaves no empty output behind
        Html(html, metadata).display()


def fragment(part) -> str:
    """HTML of one part: a string is HTML already; rich objects give their SVG or HTML repr."""
    if isinstance(part, str):
        return part
    if isinstance(part, Html):
        return part.html
    for attr in ("_repr_svg_", "_repr_html_"):
        method = getattr(part, attr, None)
        if method:
            out = method()
            if isinstance(out, tuple):
                out = out[0]
            if out:
                return svg_image(out, getattr(part, "title", "")) if attr == "_repr_svg_" else out
    raise TypeError(f"cannot display {type(part).__name__} as HTML")


def svg_image(svg: str, alt: str = "") -> str:
    """An SVG as an <img> with a data URI. Not inlined: matplotlib's SVGs reuse the same ids
    (glyphs, groups, clip paths), which would clash between two charts on one page."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="svg" alt="{escape(alt)}" src="data:image/svg+xml;base64,{data}">'


def title_block(title: str, preamble: str, *, agency_name: str = "") -> str:
    """The centred title (the agency's name on its own line, as official reports set it) and the
    preamble paragraphs."""
    if agency_name and title.startswith(agency_name) and len(title) > len(agency_name):
        head = f"<span>{escape(agency_name)}</span><br><span>{escape(title[len(agency_name):])}</span>"
    else:
        head = escape(title)
    return (f'<header class="report-head">\n<h1 class="report-title">{head}</h1>\n</header>\n'
            f'<div class="preamble">\n{text_paragraphs(preamble)}\n</div>')


def section_heading(key: str) -> str:
    section = schema.SECTION_BY_KEY[key]
    return f'<h2 class="section" id="section-{section.key}">{escape(section.heading)}</h2>'


def figure(chart, caption: str = "") -> str:
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="chart">{fragment(chart)}{cap}</figure>'


PROVENANCE_TITLE = "说明"
# the footer's first sentence; importers recognise the footer of our own reports by it
PROVENANCE_NOTE = f"{PROVENANCE_TITLE}：本报告由 xxgk 根据数据库中的数据自动生成，下列指纹可核对所用数据与程序 (provenance)。"
_PROVENANCE_ROWS = (
    ("agency", "机构标识"), ("year", "报告年度"), ("mode", "生成方式"), ("layout", "表格格式"),
    ("data_fingerprint", "数据指纹"), ("input_key", "输入键"), ("notebook_sha256", "笔记本哈希"),
)


def provenance_footer(record: dict) -> Html:
    """A small visible note of what the report was made from; the full record rides along as
    output metadata, where the exporters read it for the HTML head and the PDF metadata."""
    items = []
    for key, label in _PROVENANCE_ROWS:
        value = record.get(key, "")
        if key == "mode":
            value = Mode(value).label if value in tuple(Mode) else value
        if key in ("data_fingerprint", "input_key", "notebook_sha256"):
            value = str(value)[:16]
        items.append(f"<span>{escape(label)}：<code>{escape(str(value))}</code></span>")
    versions = record.get("versions", {})
    items.append(f"<span>程序版本：<code>xxgk {escape(str(versions.get('xxgk', '')))}</code></span>")
    html = (f'<footer class="provenance">\n<p class="provenance-title">{escape(PROVENANCE_NOTE)}</p>\n'
            f'<p>{" ".join(items)}</p>\n</footer>')
    return Html(html, {records.PROVENANCE: record})


def show_provenance(record: dict) -> None:
    provenance_footer(record).display()
