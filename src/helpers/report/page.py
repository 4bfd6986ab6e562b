"""The page-level pieces of the rendered report: display, title, section headings, figures, the close.

Every notebook output goes through `show`, so the executed notebook holds HTML display data only
(no text reprs, no stray prints). Everything taken from data is escaped here.
"""
from __future__ import annotations

import base64
import json
from html import escape

from ..format import schema
from ..render import records
from .closing import signature_html
from .html_fragment import text_paragraphs


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
    """A chart on the page. Its data rides along (`data-chart`, charts.as_dict): the Word export
    draws the same chart from it."""
    from .charts import as_dict
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    spec = getattr(chart, "spec", None)
    data = f' data-chart="{escape(json.dumps(as_dict(spec), ensure_ascii=False, sort_keys=True))}"' if spec else ""
    return f'<figure class="chart"{data}>{fragment(chart)}{cap}</figure>'


def closing(agency_name: str, date, record: dict) -> Html:
    """The 落款 (agency and publication date, closing.py). The provenance record rides along as
    output metadata, where the exporters read it for the HTML head, the PDF metadata and the Word
    document's properties: what the report was made from stays complete but off the page."""
    return Html(signature_html(agency_name, date), {records.PROVENANCE: record})


def show_closing(agency_name: str, date, record: dict) -> None:
    closing(agency_name, date, record).display()


def show_provenance(record: dict) -> None:
    """The provenance record alone, for a page without a 落款 (the roll-up's): an output that shows
    nothing and carries the record as metadata, as the 落款 does."""
    Html("", {records.PROVENANCE: record}).display()
