"""The report's HTML -> PDF with WeasyPrint, in-process: A4, fonts embedded as CID subsets,
page numbers in the footer, and the same bytes for the same HTML. Set up once per process: the
font configuration, WeasyPrint's font embedding (weasyprint_fonts.py), its parsed <style> sheets
(weasyprint_styles.py), its HTML parser's regex cache and pydyf's compression level
(weasyprint_libs.py). The page is printed without the ids
nothing links to (without_unlinked_ids). These only save time.

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

    from .weasyprint_fonts import applies, share_font_files, subset_in_one_pass
    from .weasyprint_libs import cache_tokenizer_regexes, compress_fast
    from .weasyprint_styles import share_style_sheets
    if applies():
        share_font_files()
        subset_in_one_pass()
        share_style_sheets()
    cache_tokenizer_regexes()
    compress_fast()
    return FontConfiguration()


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


@cache
def _data_only():
    """A fetcher of data: URLs only (made once: it builds a urllib opener)."""
    from weasyprint.urls import URLFetcher
    return URLFetcher(allowed_protocols={"data"})


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    from weasyprint import HTML
    # custom_metadata puts the page's <meta name="xxgk:..."> into the PDF's document info;
    # no pdf_identifier and dates from the page's dcterms metas keep the bytes reproducible.
    # The page carries everything it shows (charts and watermark are data: URLs): nothing else is
    # fetched, so no text that reaches the page can make the printing read a file or a URL.
    return HTML(string=without_unlinked_ids(html), base_url=base_url,
                url_fetcher=_data_only()).write_pdf(
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
