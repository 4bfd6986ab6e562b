"""What other tools make of a published report: the text a user holds after converting it.

    convert(path, name) -> str       the text `name` makes of the PDF or HTML file at `path`
    CONVERTERS[kind]                 the converter names for a source kind ("pdf", "html")
    score(got, want)                 cells read right, read wrong, not read, what was wrong, and
                                     whether the reader decided another layout (Score)
    as_printed(report)               the cells a rendered report shows (a blank cell prints 0)

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
from typing import NamedTuple

from ..format import schema
from ..format.model import Cell, Report

SUFFIX = {"pdftotext": ".txt", "markitdown": ".md", "pymupdf-text": ".txt", "pymupdf-tables": ".md",
          "page-text": ".txt", "cell-lines": ".txt", "cell-pipes": ".txt", "glued": ".txt"}
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


class Score(NamedTuple):
    right: int
    wrong: int
    unread: int
    notes: list[str]           # what was read wrong
    other_layout: bool         # the reader decided another format version than the report's


def score(got: Report | None, want: Report) -> Score:
    """`got` against `want`, cell by cell (state and value), whatever layout the reader decided.

    A cell of `want` that `got` does not have is unread (also where `got`'s layout has no such row:
    nothing was asserted about it); one it has with another state or value is wrong. A cell `got`
    holds in a row `want`'s layout does not have (（六）'s three rows read for the single row, or the
    other way) is wrong too: the import puts a value where the report has none. Those cells come on
    top of `want`'s, so right + wrong + unread can exceed len(want.cells). A layout other than
    `want`'s is itself reported (`other_layout`, and the first note): the report was imported under
    another format version even where every cell it shares with `want` is right."""
    right = wrong = unread = 0
    notes = []
    other = got is not None and got.layout != want.layout
    if other:
        notes.append(f"layout: expected {want.layout}, read {got.layout}")
    mine_all = got.cells if got is not None else {}
    for key, cell in want.ordered_cells():
        mine = mine_all.get(key)
        if mine is None:
            unread += 1
        elif mine.state == cell.state and mine.text() == cell.text():
            right += 1
        else:
            wrong += 1
            notes.append(f"{'/'.join(key)}: expected {cell.text()!r}, read {mine.text()!r}")
    for key in sorted(set(mine_all) - set(schema.cell_order(want.layout))):
        wrong += 1
        notes.append(f"{'/'.join(key)}: not a cell of layout {want.layout}, read {mine_all[key].text()!r}")
    return Score(right, wrong, unread, notes, other)


def as_printed(rep: Report) -> Report:
    """The report as its rendered pages show it: a blank cell prints 0 (FORMAT.md rule `blank`)."""
    out = Report(rep.agency, rep.year, rep.layout)
    out.cells = {k: (Cell.number(0) if c.state == schema.BLANK else c) for k, c in rep.cells.items()}
    return out
