"""The report's HTML -> PDF with WeasyPrint, in-process: A4, fonts embedded as CID subsets,
page numbers in the footer, and the same bytes for the same HTML. Per process, not per document:
the font configuration and the font files' bytes (share_font_files); per document, the page is
printed without the ids nothing links to (without_unlinked_ids): both only save time.

`XxgkPDFExporter` is nbconvert's `--to xxgk_pdf`: the HTML exporter's page, printed. It subclasses
the HTML exporter (as nbconvert's WebPDFExporter does), so options given to it apply to the page.
"""
from __future__ import annotations

import re
from functools import cache

from traitlets import default

from .. import records
from .html import XxgkHTMLExporter


@cache
def font_config():
    """One fontconfig set-up per process (WeasyPrint would build one per document)."""
    from weasyprint.text.fonts import FontConfiguration
    share_font_files()
    return FontConfiguration()


MAX_SHARED_FACES = 16     # the report uses 3 faces; a bound in case pango hands out new ones


def share_font_files() -> None:
    """Read each font file WeasyPrint embeds once per process instead of once per document.

    WeasyPrint 70 copies the whole font file of every face a document uses into a Python bytes
    object (`pdf.fonts.Font.__init__`: get_hb_object_data(hb_face)) before subsetting it with
    HarfBuzz, which works on the face, not on the copy: 73 MB of Noto CJK per report, ~0.05-0.09 s
    of CPU and as many fresh pages in every forked worker. The faces come from pango's font map,
    which the process-wide FontConfiguration keeps: the same face every document. So the two
    functions `pdf.fonts` calls are wrapped there (and only there): a face pango hands out is kept
    (so its address stays its own) and its file's bytes are read on first use and then shared;
    anything else (the subset faces, colour glyphs) goes to WeasyPrint's function as before. The
    bytes are those of the file, so the PDF is the same (tests/render/test_print.py)."""
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import ffi

    if getattr(fonts, "xxgk_shared_faces", None) is not None:
        return
    faces: dict[int, list] = {}        # face address -> [face, file bytes or None]
    face_of, data_of = fonts.get_pango_font_hb_face, fonts.get_hb_object_data

    def pango_font_face(pango_font):
        face = face_of(pango_font)
        if len(faces) < MAX_SHARED_FACES:
            faces.setdefault(int(ffi.cast("uintptr_t", face)), [face, None])
        return face

    def object_data(hb_object, ot_color=None, glyph=None):
        shared = faces.get(int(ffi.cast("uintptr_t", hb_object))) if ot_color is None else None
        if shared is None:
            return data_of(hb_object, ot_color, glyph)
        if shared[1] is None:
            shared[1] = data_of(hb_object)
        return shared[1]

    fonts.get_pango_font_hb_face, fonts.get_hb_object_data = pango_font_face, object_data
    fonts.xxgk_shared_faces = faces


_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_ID = re.compile(r'\sid="([^"]*)"')
_LINK_TARGET = re.compile(r'\shref="#([^"]*)"')


def without_unlinked_ids(html: str) -> str:
    """The page without the id attributes no link of the page points to (the tables' cell ids,
    nbconvert's cell ids). WeasyPrint makes an anchor of every id, and an element with one cannot
    share its computed style with its like: the ~250 cell ids cost about 0.1 s of a report's
    ~0.65 s in WeasyPrint and add nothing to the printed page. The ids a draft's check panel
    links to stay, with their links. Our page's markup only: attribute values are quoted and
    escaped (nbconvert, report.page), so `id="` inside a tag is the attribute."""
    targets = set(_LINK_TARGET.findall(html))

    def thin(tag: re.Match) -> str:
        return _ID.sub(lambda m: m.group(0) if m.group(1) in targets else "", tag.group(0))

    return _TAG.sub(thin, html)


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    from weasyprint import HTML
    # custom_metadata puts the page's <meta name="xxgk:..."> into the PDF's document info;
    # no pdf_identifier and dates from the page's dcterms metas keep the bytes reproducible.
    return HTML(string=without_unlinked_ids(html), base_url=base_url).write_pdf(
        font_config=font_config(), custom_metadata=True, pdf_identifier=None)


class XxgkPDFExporter(XxgkHTMLExporter):
    """`jupyter nbconvert --to xxgk_pdf executed.ipynb` gives the same PDF as `xxgk run`."""

    # file_extension and output_mimetype stay the HTML exporter's (as in nbconvert's
    # WebPDFExporter): they pick the template, which renders HTML; the output is then printed
    export_from_notebook = "xxgk report (PDF)"

    @default("medium")
    def _medium_default(self):
        return records.PRINT

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = super().from_notebook_node(nb, resources, **kw)
        resources["output_extension"] = ".pdf"
        return html_to_pdf(html), resources
