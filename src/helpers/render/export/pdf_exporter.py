"""nbconvert exporter `xxgk_pdf`: `jupyter nbconvert --to xxgk_pdf executed.ipynb` gives the same
PDF as `xxgk run` (same template, same HTML, same WeasyPrint call)."""
from __future__ import annotations

from nbconvert.exporters import Exporter
from traitlets import default

from .html import html_exporter
from .pdf import html_to_pdf


class XxgkPDFExporter(Exporter):
    export_from_notebook = "xxgk report (PDF)"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = html_exporter().from_notebook_node(nb, resources, **kw)
        resources["output_extension"] = ".pdf"
        return html_to_pdf(html), resources
