"""What other tools make of a published report: the text a user holds after converting it.

    convert(path, name) -> str       the text `name` makes of the PDF or HTML file at `path`
    CONVERTERS[kind]                 the converter names for a source kind ("pdf", "html")

The tools are the real ones (test-only dependencies, imported when used): poppler's `pdftotext`
without `-layout` (one cell per line, columns read in blocks), `markitdown` (PDF and HTML to
Markdown), PyMuPDF's page text and its table finder; and, for web pages, the page's text as
people copy or scrape it: cells separated by tabs (a browser's copy), one cell per line (empty
cells vanish), one cell per line ending in "|" (an empty cell is a line "|"), the cells of a row
glued together (numbers a space apart, labels run into them, empty cells vanish). Outputs are
deterministic for a given input.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

CONVERTERS = {
    "pdf": ("pdftotext", "markitdown", "pymupdf-text", "pymupdf-tables"),
    "html": ("markitdown", "page-text", "cell-lines", "cell-pipes", "glued"),
}


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          timeout=60).stdout.decode("utf-8")


def markitdown(path: Path) -> str:
    from markitdown import MarkItDown
    return MarkItDown().convert(str(path)).text_content


def pymupdf_text(path: Path) -> str:
    import pymupdf
    with pymupdf.open(str(path)) as doc:
        return "".join(page.get_text() for page in doc)


def pymupdf_tables(path: Path) -> str:
    """Per page, text blocks outside tables and each table as Markdown, top to bottom (what
    PyMuPDF's Markdown helpers do)."""
    import pymupdf
    out = []
    with pymupdf.open(str(path)) as doc:
        for page in doc:
            tables = page.find_tables().tables
            boxes = [pymupdf.Rect(t.bbox) for t in tables]
            parts = [(t.bbox[1], t.to_markdown()) for t in tables]
            for x0, y0, x1, y1, text, *_ in page.get_text("blocks"):
                if not any(pymupdf.Rect(x0, y0, x1, y1).intersects(b) for b in boxes):
                    parts.append((y0, text))
            out += [text for _, text in sorted(parts, key=lambda p: p[0])]
    return "\n".join(out)


def _html_rows(path: Path):
    """The page as ('p', text) paragraphs and ('tr', [cell texts]) rows in reading order."""
    import lxml.html
    doc = lxml.html.document_fromstring(path.read_bytes())
    for bad in doc.xpath("//script|//style|//head"):
        bad.drop_tree()
    for el in doc.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "tr":
            yield "tr", [" ".join("".join(td.itertext()).split()) for td in el.xpath("./td|./th")]
        elif tag in ("p", "h1", "h2", "h3", "h4", "li", "div") and not el.xpath("ancestor::table") \
                and not el.xpath(".//p|.//div|.//table|.//li"):
            text = " ".join("".join(el.itertext()).split())
            if text:
                yield "p", text


def page_text(path: Path, style: str) -> str:
    lines = []
    for kind, content in _html_rows(path):
        if kind == "p":
            lines.append(content)
        elif style == "page-text":          # a browser's copy: a tab between cells
            lines.append("\t".join(content))
        elif style == "cell-lines":
            lines += [c for c in content if c]
        elif style == "cell-pipes":          # an empty cell stays visible: a line "|"
            lines += [f"{c} |".strip() for c in content]
        elif style == "glued":              # labels run into their numbers, numbers a space apart
            text = ""
            for c in content:
                if c:
                    text += (" " if text and c[0].isdigit() and text[-1].isdigit() else "") + c
            lines.append(text)
    return "\n".join(lines) + "\n"


def convert(path: Path | str, name: str) -> str:
    path = Path(path)
    if name == "pdftotext":
        return pdftotext(path)
    if name == "markitdown":
        return markitdown(path)
    if name == "pymupdf-text":
        return pymupdf_text(path)
    if name == "pymupdf-tables":
        return pymupdf_tables(path)
    if name in CONVERTERS["html"]:
        return page_text(path, name)
    raise KeyError(name)
