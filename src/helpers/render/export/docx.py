"""The report as the official Word document (python-docx): the same page as the HTML and the PDF.

    html_to_docx(html) -> bytes          the report page (XxgkHTMLExporter's) as report.docx
    XxgkDOCXExporter                     `jupyter nbconvert --to xxgk_docx executed.ipynb`

The page's content is walked in order and written with Word styles (docx_page.py): the title, the
preamble and narrative paragraphs, the section headings, the data paragraphs, the 落款, a draft's
check panel. The three tables are real Word tables built from the schema's grid with the official
merges (docx_tables.py), showing what the page's cells show. Charts are drawn again from the data
each figure carries (`data-chart`) as high-resolution PNG, with their titles as alt text. The
provenance the page carries in <head> goes into the document's properties (docx_package.py), and a
draft gets Word's diagonal watermark.
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from ...report.html_fragment import without_controls
from ...report.mode import Mode
from . import docx_package
from .docx_page import NS, W_NS
from .html import XxgkHTMLExporter

EMU_PER_INCH = 914400
RED = "C00000"
SEVERITY_COLORS = {"error": "C00000", "warning": "B58900"}   # report.css: .check-panel .severity


@dataclass(frozen=True)
class Run:
    text: str = ""
    bold: bool = False
    color: str = ""
    brk: bool = False       # a line break


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _runs(el, bold: bool = False, color: str = "") -> list[Run]:
    """The inline content of `el` as runs: <strong>/<b> bold, a finding's severity bold in its
    colour (as report.css has them), <br> a line break."""
    out = [Run(el.text, bold, color)] if el.text else []
    for child in el:
        if isinstance(child.tag, str):
            if child.tag == "br":
                out.append(Run(brk=True))
            elif child.tag not in ("style", "script"):
                severity = "severity" in _classes(child)
                tint = next((SEVERITY_COLORS[c] for c in SEVERITY_COLORS if c in _classes(el)), color) \
                    if severity else color
                out += _runs(child, bold or severity or child.tag in ("strong", "b"), tint)
        if child.tail:
            out.append(Run(child.tail, bold, color))
    return out


def _run_xml(run: Run) -> str:
    if run.brk:
        return "<w:r><w:br/></w:r>"
    props = ("<w:b/><w:bCs/>" if run.bold else "") + (f'<w:color w:val="{run.color}"/>' if run.color else "")
    text = escape(without_controls(run.text.replace("\n", " ")))   # XML allows no C0 controls
    return f'<w:r>{f"<w:rPr>{props}</w:rPr>" if props else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


class _Writer:
    """Collects the body's XML in page order; images are added to the package as they come."""

    def __init__(self, document):
        self.document = document
        self.xml: list[str] = []
        self.after_table = False
        self.shapes = 0

    def paragraph(self, runs: list[Run], style: str = "Normal", extra: str = "") -> None:
        if self.after_table:        # report.css: a table keeps 1em below it
            extra += '<w:spacing w:before="240"/>'
            self.after_table = False
        self.xml.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr>'
                        f'{"".join(_run_xml(r) for r in runs)}</w:p>')

    def blocks(self, el, style: str = "Normal") -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            tag, cls = child.tag, _classes(child)
            if tag == "h1":
                self.paragraph(_runs(child), "Title")
            elif tag in ("h2", "h3", "h4"):
                self.paragraph(_runs(child), "Heading1" if tag == "h2" else "Heading2")
            elif tag == "p":
                if "subheading" in cls:
                    self.paragraph(_runs(child), "Heading2")
                else:
                    self.paragraph(_runs(child, color=RED if "placeholder" in cls else ""), style)
            elif tag == "table":
                self.table(child)
            elif tag == "figure":
                self.figure(child)
            elif tag in ("ol", "ul"):
                items = [li for li in child if li.tag == "li"]
                for number, li in enumerate(items, start=1):
                    lead = [Run(f"{number}. " if tag == "ol" else "• ")]
                    self.paragraph(lead + _runs(li), "CheckItem")
            elif tag not in ("style", "script", "img"):
                self.blocks(child, "Signature" if "signature" in cls else style)

    def table(self, el) -> None:
        from ...format import schema
        from .docx_tables import ShownCell, table_xml

        table_id, version = el.get("data-table"), el.get("data-version")
        if table_id not in schema.TABLE_IDS or not version:
            return          # only the official tables are on the page
        from lxml import etree

        cells = {}
        for td in el.iter("td"):
            if td.get("data-row") and td.get("data-col"):
                cls = _classes(td)
                mark = next((m for m in ("error", "warning") if m in cls and "finding" in cls), "")
                cells[(td.get("data-row"), td.get("data-col"))] = ShownCell(
                    td.text_content().strip(), mark or ("blank" if "blank" in cls else ""))
        self.xml.append(etree.tostring(table_xml(schema.table(table_id, version), cells), encoding="unicode"))
        self.after_table = True

    def figure(self, el) -> None:
        from ...report import charts
        data = el.get("data-chart")
        if not data:
            return
        spec = charts.chart_from_dict(json.loads(data))
        rid, _ = self.document.part.get_or_add_image(io.BytesIO(charts.render_png(spec)))
        self.shapes += 1
        cx, cy = (round(v * EMU_PER_INCH) for v in charts.SIZE)
        drawing = (
            f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:docPr id="{self.shapes}" name="图表 {self.shapes}" descr={quoteattr(spec.title)}/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:pic><pic:nvPicPr><pic:cNvPr id="{self.shapes}" name="chart{self.shapes}.png" descr={quoteattr(spec.title)}/>'
            f'<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
            f'</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
            "</wp:inline></w:drawing></w:r>")
        self.xml.append(f'<w:p><w:pPr><w:pStyle w:val="Figure"/></w:pPr>{drawing}</w:p>')
        caption = el.find("figcaption")
        if caption is not None:
            self.paragraph(_runs(caption), "Caption")

    def finish(self) -> None:
        """Move the collected paragraphs and tables into the document, before its section properties."""
        from docx.oxml import parse_xml
        ns = (f'{NS} xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
              'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
              'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"')
        parsed = parse_xml(f'<w:body {ns}>{"".join(self.xml)}</w:body>')
        body = self.document.element.body
        sect = body.find(f"{{{W_NS}}}sectPr")
        for child in list(parsed):
            sect.addprevious(child)


def html_to_docx(html: str) -> bytes:
    """The report page (the HTML exporter's, with its <head>) as the bytes of report.docx."""
    import docx
    import lxml.html

    from .docx_page import add_watermark, base_document

    page = lxml.html.document_fromstring(html)
    info = docx_package.PageInfo.from_head(page)
    document = docx.Document(io.BytesIO(base_document()))
    writer = _Writer(document)
    main = page.find(".//main")
    writer.blocks(main if main is not None else page.body)
    writer.finish()
    if info.mode == Mode.DRAFT:
        add_watermark(document)
    docx_package.set_properties(document, info)
    buf = io.BytesIO()
    document.save(buf)
    return docx_package.normalized(buf.getvalue(), info.created)


class XxgkDOCXExporter(XxgkHTMLExporter):
    """`jupyter nbconvert --to xxgk_docx executed.ipynb` gives the same report.docx as `xxgk run`."""

    # as XxgkPDFExporter: the HTML exporter's template renders the page, which is then written as Word
    export_from_notebook = "xxgk report (Word)"

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = super().from_notebook_node(nb, resources, **kw)
        resources["output_extension"] = ".docx"
        return html_to_docx(html), resources

