"""Reader for HTML reports (web pages of government sites).

Leaf tables (tables without tables inside) become grids with rowspan/colspan expanded; tables that
hold other tables are page layout and are walked through. <script>, <style> and the like are
dropped; narrative is kept as plain text (never as HTML), so a text "<script>" stays inert text.
"""
from __future__ import annotations

import re
from pathlib import Path

from .encoding import decode
from .grid import Block, Grid, Paragraph, SpanCell, expand, one_column_as_text
from .published import build

_DROP = ("script", "style", "noscript", "template", "iframe", "object", "svg", "nav", "footer", "head", "button",
         "select")
# page furniture of government web sites: paragraphs with these are not report text
_CHROME = re.compile(r"版权所有|网站标识码|ICP备|公网安备|主办单位[:：]|承办单位[:：]|打印本页|关闭窗口|【打印】|【关闭】|"
                     r"分享到|字体[:：]?\s*[【\[]?\s*大|浏览次数|阅读次数|您当前的位置|当前位置[:：]")
_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
          "header", "footer", "blockquote", "pre", "tr", "dt", "dd", "dl", "hr", "center", "form", "main",
          "address", "figure", "figcaption", "caption", "nav", "aside"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_WS = re.compile(r"[ \t\r\n\xa0\u3000]+")


def _span(value) -> int:
    try:
        return max(1, int(str(value).strip() or 1))
    except ValueError:
        return 1


def _cell_text(td) -> str:
    for br in td.find_all("br"):
        br.replace_with("\n")
    return _WS.sub(" ", td.get_text("")).strip()


def _grid(table) -> Grid:
    rows = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        rows.append([SpanCell(_cell_text(td), _span(td.get("rowspan")), _span(td.get("colspan")))
                     for td in tr.find_all(["td", "th"], recursive=False)])
    return Grid(expand(rows), exact=True, where="table")


def blocks_of(soup) -> list[Block]:
    blocks: list[Block] = []
    buf: list[str] = []

    def flush():
        text = _WS.sub(" ", "".join(buf)).strip()
        buf.clear()
        if text and not _CHROME.search(text):
            blocks.append(Paragraph(text))

    def walk(node):
        from bs4 import NavigableString, Tag
        from bs4.element import Comment, Doctype, ProcessingInstruction
        for child in node.children:
            if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                buf.append(str(child))
                continue
            if not isinstance(child, Tag) or child.name in _DROP:
                continue
            if child.name == "table":
                flush()
                if child.find("table") is not None:       # layout table: walk its cells
                    for td in child.find_all(["td", "th"]):
                        if td.find_parent("table") is child:
                            walk(td)
                            flush()
                    continue
                g = _grid(child)
                if g.width >= 2:
                    blocks.append(g)
                else:
                    blocks.extend(one_column_as_text(g))
                continue
            block = child.name in _BLOCK
            if block:
                flush()
            walk(child)
            if block:
                flush()

    body = soup.body or soup
    walk(body)
    flush()
    return blocks


def read(path: Path, *, agency: str | None = None, year: int | None = None, partial: bool = False):
    from bs4 import BeautifulSoup

    path = Path(path)
    raw = path.read_bytes()
    m = _META_CHARSET.search(raw[:4096])
    text = decode(raw, str(path), declared=m.group(1).decode("ascii", "ignore") if m else None)
    soup = BeautifulSoup(text, "lxml")
    for tag in soup.find_all([t for t in _DROP if t not in ("head", "button", "select")]):
        tag.decompose()
    blocks = blocks_of(soup)
    # the page <title> is a title when the body has none
    if soup.title and soup.title.string and "年度报告" in soup.title.string \
            and not any(isinstance(b, Paragraph) and "年度报告" in b.text for b in blocks[:4]):
        blocks.insert(0, Paragraph(soup.title.string.strip()))
    return build(path, blocks, agency=agency, year=year, partial=partial)
