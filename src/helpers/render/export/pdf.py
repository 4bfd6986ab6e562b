"""The report's HTML -> PDF with WeasyPrint, in-process: A4, fonts embedded as CID subsets,
page numbers in the footer, and the same bytes for the same HTML.

`XxgkPDFExporter` is nbconvert's `--to xxgk_pdf`: the HTML exporter's page, printed. It subclasses
the HTML exporter (as nbconvert's WebPDFExporter does), so options given to it apply to the page.
"""
from __future__ import annotations

from functools import cache

from traitlets import default

from .. import records
from .html import XxgkHTMLExporter


@cache
def font_config():
    """One fontconfig set-up per process (WeasyPrint would build one per document)."""
    from weasyprint.text.fonts import FontConfiguration
    return FontConfiguration()


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    from weasyprint import HTML
    # custom_metadata puts the page's <meta name="xxgk:..."> into the PDF's document info;
    # no pdf_identifier and dates from the page's dcterms metas keep the bytes reproducible.
    return HTML(string=html, base_url=base_url).write_pdf(
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
