"""Reader for HTML reports (web pages of government sites), with lxml.

Leaf tables (tables without tables inside) become grids with rowspan/colspan expanded; tables that
hold other tables are page layout and are walked through. <script>, <style> and the like are
dropped, and so is page furniture (menus, breadcrumbs, footers); narrative is kept as plain text
(never as HTML), so a text "<script>" stays inert text. The tree is walked without recursion, so
deeply nested markup cannot exhaust the stack.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from .encoding import decode
from .grid import Block, Grid, Paragraph, SpanCell, expand, one_column_as_text
from .published import build

_DROP = {"script", "style", "noscript", "template", "iframe", "object", "svg", "nav", "footer", "head", "button",
         "select", "textarea", "title", "math"}
_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
          "header", "blockquote", "pre", "tr", "dt", "dd", "dl", "hr", "center", "form", "main",
          "address", "figure", "figcaption", "caption", "aside", "td", "th"}
# page furniture of government web sites: paragraphs with these are not report text
_CHROME = re.compile(r"版权所有|网站标识码|ICP备|公网安备|主办单位[:：]|承办单位[:：]|打印本页|关闭窗口|【打印】|【关闭】|"
                     r"分享到|字体[:：]?\s*[【\[]?\s*大|浏览次数|阅读次数|您当前的位置|当前位置[:：]")
# what this project's renderer adds to the stored narrative: data paragraphs, a draft's check panel
# and placeholders
_GENERATED = "|".join(f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {c} ')]"
                      for c in ("data-text", "check-panel", "placeholder"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_WS = re.compile(r"[ \t\r\n\xa0\u3000]+")


def _span(value) -> int:
    try:
        return max(1, int(str(value).strip() or 1))
    except ValueError:
        return 1


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _cell_text(td) -> str:
    return _WS.sub(" ", "".join(td.itertext())).strip()


def _own_rows(table) -> list:
    return table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")


def _grid(table) -> Grid:
    rows = [[SpanCell(_cell_text(td), _span(td.get("rowspan")), _span(td.get("colspan")))
             for td in tr.xpath("./td|./th")] for tr in _own_rows(table)]
    return Grid(expand(rows), exact=True, where="table")


def blocks_of(root) -> list[Block]:
    """Paragraphs and grids of an HTML tree in reading order."""
    blocks: list[Block] = []
    buf: list[str] = []

    def flush():
        text = _WS.sub(" ", "".join(buf)).strip()
        buf.clear()
        if text and not _CHROME.search(text):
            blocks.append(Paragraph(text))

    # an explicit stack of things to do, in reading order: enter an element, add text, flush
    stack: list[tuple[str, object]] = [("enter", root)]
    while stack:
        what, node = stack.pop()
        if what == "text":
            buf.append(node)
            continue
        if what == "flush":
            flush()
            continue
        tag = _tag(node)
        if node is not root and node.tail:
            stack.append(("text", node.tail))
        if not tag or tag in _DROP:
            continue
        if tag == "table":
            flush()
            if node.xpath(".//table"):              # layout table: walk its own cells
                for td in reversed([td for tr in _own_rows(node) for td in tr.xpath("./td|./th")]):
                    stack += [("flush", None), ("enter", td)]
                continue
            g = _grid(node)
            blocks.extend([g] if g.width >= 2 else one_column_as_text(g))
            continue
        if tag in _BLOCK:
            flush()
            stack.append(("flush", None))
        for child in reversed(node):
            stack.append(("enter", child))
        if node.text:
            stack.append(("text", node.text))
    flush()
    return blocks


def read(path: Path, *, agency: str | None = None, year: int | None = None, partial: bool = False):
    import lxml.html
    from lxml import etree

    path = Path(path)
    raw = path.read_bytes()
    m = _META_CHARSET.search(raw[:4096])
    text = decode(raw, str(path), declared=m.group(1).decode("ascii", "ignore") if m else None)
    try:
        doc = lxml.html.document_fromstring(_XML_DECL.sub("", text) or "<html></html>")
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"无法解析 HTML (cannot parse HTML: {exc})", file=str(path)) from None
    title = doc.findtext(".//title") or ""
    for el in doc.xpath("|".join(f"//{t}" for t in sorted(_DROP - {"head"}))) + doc.xpath(_GENERATED):
        if el.getparent() is not None:        # not inside one dropped already
            el.drop_tree()                    # keeps the text that follows it
    body = doc.find("body")
    blocks = blocks_of(body if body is not None else doc)
    # the page <title> is a title when the body has none
    if "年度报告" in title and not any(isinstance(b, Paragraph) and "年度报告" in b.text for b in blocks[:4]):
        blocks.insert(0, Paragraph(_WS.sub(" ", title).strip()))
    return build(path, blocks, agency=agency, year=year, partial=partial)
