"""Reader for PDF reports (pdfplumber).

Ruled tables are read as grids of cells (pdfplumber's line-based table finder), so a page number
printed near a cell can never be glued to its value; a table continued on the next page is a
second grid, which the table modules read on. Text outside the tables becomes paragraphs: lines
are joined back into paragraphs by indentation, line length, spacing and font size; page-number
lines are dropped. A line of numbers outside a ruled table (a row cut by a page break, or a table
printed without rules) is a row whose cells are told apart by the gaps between characters, each
with its position on the page, so that a blank cell (which prints nothing) is placed by column.
Scans (no text layer) and text layers that cannot be decoded are refused with a clear message.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..errors import InputError
from ..format import schema
from . import cells as cellmod
from . import pdfguard
from .grid import Block, Grid, Paragraph
from .published import build
from .text import PAGE_NUMBER_LINE, short_labels

_BLANKS = re.compile(r"[ \t\u00a0\u3000]+")
# a line may end inside a Latin word only after these (line-break rules of Unicode, UAX #14:
# after a hyphen, a slash, ? ! } |), as web addresses do; after any other Latin character it ended
# at a space
_LATIN_END = re.compile(r"[^\x00- \x7f-\U0010ffff\-/?!}|]$")
_LATIN_START = re.compile(r"^[!-~]")


# what ends a sentence at the end of a line; a colon does not: what it introduces follows in the
# same paragraph, often as a long run that did not fit on the line ("电话：0517-83605210").
_SENTENCE_END = ("。", "！", "？", "；", "…", "”", "」", "）", ".", "!", "?", ";", ")")
_URL_TAIL = re.compile(r"(https?://|www\.)\S*$")      # a web address broken at its ? or . goes on


def _ends_sentence(text: str) -> bool:
    return text.endswith(_SENTENCE_END) and not _URL_TAIL.search(text)


def _join(a: str, b: str) -> str:
    """Lines of one paragraph; a line broken between two Latin words or symbols lost a space there."""
    return a + (" " if _LATIN_END.search(a) and _LATIN_START.search(b) else "") + b


def _inner(exc: Exception) -> Exception:
    """The exception pdfminer raised, which pdfplumber wraps in its own."""
    return exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc


def _open(path: Path):
    """The open PDF, refused before reading when it has more pages than a report (pdfguard)."""
    import pdfplumber
    try:
        pdf = pdfplumber.open(path)
        pages = len(pdf.pages)
    except Exception as exc:   # pdfminer raises many kinds (PDFSyntaxError, PSEOF, KeyError, …)
        inner = _inner(exc)
        if isinstance(inner, pdfguard.TooLarge):
            raise pdfguard.refuse(path, inner) from None
        name = type(inner).__name__
        if "Password" in name or "Encrypt" in name:
            raise InputError("PDF 已加密，无法读取 (encrypted PDF)", file=str(path)) from None
        raise InputError(f"PDF 文件已损坏或不完整，无法读取 (corrupt or truncated PDF: {name})",
                         file=str(path)) from None
    try:
        pdfguard.check_pages(path, pages)
    except InputError:
        pdf.close()
        raise
    return pdf


def _page_items(page, pno: int, ruled: bool = True):
    """(top, kind, payload) of one page: ruled tables (>= 2 columns) and text lines outside them."""
    items = []
    tables = []
    # a page background or frame rectangle would join every table on the page into one,
    area = float(page.width) * float(page.height)
    # and curves are charts (table rules are lines and rectangles): their edges cut cells in two
    page = page.filter(lambda o: o.get("object_type") != "curve" and not (
        o.get("object_type") == "rect" and float(o["width"]) * float(o["height"]) > 0.3 * area))
    for t in (page.find_tables() if ruled else ()):
        rows = t.extract()
        xs = [[None if b is None else (b[0] + b[2]) / 2 for b in r.cells] for r in t.rows]
        grid = Grid([[c if c is None else c.replace("\n", "") for c in r] for r in rows], exact=True,
                    where=f"第 {pno} 页", xs=xs if [len(x) for x in xs] == [len(r) for r in rows] else [])
        if grid.width >= 2:
            tables.append(t)
            items.append((t.bbox[1], "grid", grid))
    rest = page
    for t in tables:
        rest = rest.outside_bbox(t.bbox)
    lines = []
    # spaces as the PDF writes them (space glyphs), not guessed from gaps, where the PDF has them
    for line in rest.extract_text_lines(return_chars=True, keep_blank_chars=True):
        line["text"] = _BLANKS.sub(" ", line["text"])
        text = line["text"].strip()
        if text and not PAGE_NUMBER_LINE.match(text):
            line["cells"] = _cells(line)
            line["page"] = pno
            del line["chars"]
            lines.append(line)
    _rejoin_wrapped_na(lines)
    items += [(line["top"], "line", line) for line in lines if line["cells"]]
    items.sort(key=lambda it: it[0])
    return items


def _rejoin_wrapped_na(lines: list[dict]) -> None:
    """"不适用" wrapped in a narrow column of a table without rules: "不适" on the line above a row
    of numbers, "用" below it. Put "不适用" back into the row, at its column."""
    na = schema.NA_TEXT
    for v in lines:
        nums = [x for c, x in v["cells"] if cellmod.is_value(c) and not cellmod.is_empty(c)]
        if len(nums) < 2:
            continue
        h = v["bottom"] - v["top"]
        above = [(u, k) for u in lines if v["top"] - 2 * h <= u["top"] < v["top"] and u is not v
                 for k, (c, _) in enumerate(u["cells"]) if c and na.startswith(c) and c != na]
        below = [(w, k) for w in lines if v["top"] < w["top"] <= v["bottom"] + 2 * h and w is not v
                 for k, (c, _) in enumerate(w["cells"]) if c and na.endswith(c) and c != na]
        for u, ku in above:
            top_text, x = u["cells"][ku]
            for w, kw in below:
                bottom_text, xw = w["cells"][kw]
                if top_text + bottom_text != na or abs(x - xw) > h or any(abs(x - xv) < h for xv in nums):
                    continue
                v["cells"] = sorted(v["cells"] + [(na, x)], key=lambda c: c[1])
                u["cells"][ku] = ("", x)
                w["cells"][kw] = ("", xw)
                break
    for line in lines:
        line["cells"] = [(c, x) for c, x in line["cells"] if c]


def _cells(line: dict) -> list[tuple[str, float]]:
    """The line cut into cells where the gap between characters is a column gap, each cell with
    its horizontal centre; words of one cell keep a space. Digits of one number sit tight, so a
    visible gap between two digits is a column gap too."""
    chars = []
    blanks = 0                      # space glyphs before each printed character
    for c in line["chars"]:
        if c["text"].strip():
            chars.append((c, blanks))
            blanks = 0
        else:
            blanks += 1
    cells: list[list] = []          # [text, x0, x1]
    for (a, _), (b, spaces) in zip([(None, 0)] + chars, chars):
        size = max((a or b).get("size", 10), 4)
        gap = b["x0"] - a["x1"] if a is not None else None
        if gap is not None and spaces == 1:
            # one space glyph is a space between words, however wide justification made it
            cells[-1][0] += " " + b["text"]
            cells[-1][2] = b["x1"]
            continue
        if gap is None or gap > 0.9 * size or (gap > 0.15 * size and a["text"].isdigit() and b["text"].isdigit()):
            cells.append([b["text"], b["x0"], b["x1"]])
            continue
        cells[-1][0] += (" " if gap > 0.2 * size else "") + b["text"]
        cells[-1][2] = b["x1"]
    return [(text, (x0 + x1) / 2) for text, x0, x1 in cells]


def _paragraphs(items: list, left: float, right: float) -> list[Block]:
    """Join wrapped lines: a line starts a paragraph when indented, set apart, or after a short
    line; but in a document whose paragraphs all start indented (as this project's PDFs do), a
    short line followed by one that is not indented is a line cut short by a long word (a web
    address) and the paragraph goes on. So is, in any document, a short line inside a paragraph
    (not its first, unless indented) that ends in the middle of a sentence: the next word did not fit (a run kept
    together, "发布会 12 场"). Lines of numbers outside ruled tables (a row cut by a page break)
    become table rows."""
    after_short: list[bool] = []          # after a short line: was the next line indented?
    blocks = _join_lines(items, left, right, by_indent=False, after_short=after_short)
    if len(after_short) >= 3 and sum(after_short) >= 0.9 * len(after_short):
        blocks = _join_lines(items, left, right, by_indent=True, after_short=[])
    return blocks


def _join_lines(items: list, left: float, right: float, *, by_indent: bool,
                after_short: list[bool]) -> list[Block]:
    blocks: list[Block] = []
    cur: str | None = None
    prev_short = True
    prev: dict | None = None
    cut_short = False        # the previous line was short in mid-sentence, inside a paragraph
    for _, kind, payload in items:
        if kind == "line":
            cells = [c for c, _ in payload["cells"]]
            # a table row: values, or (a header row) several short labels well apart
            if len(cells) >= 2 and (any(cellmod.is_value(c) for c in cells)
                                    or short_labels(cells)):
                kind, xs, line_text = "row", [x for _, x in payload["cells"]], payload["text"].strip()
                payload = cells
        if kind in ("grid", "row"):
            if cur:
                blocks.append(Paragraph(cur))
            cur, prev_short, prev = None, True, None
            if kind == "row":
                if blocks and isinstance(blocks[-1], Grid) and not blocks[-1].exact:
                    blocks[-1].rows.append(payload)
                    blocks[-1].lines.append(line_text)
                    blocks[-1].xs.append(xs)
                else:
                    blocks.append(Grid([payload], exact=False, where="pdf", lines=[line_text], xs=[xs]))
            else:
                blocks.append(payload)
            continue
        line = payload
        size = max(line["bottom"] - line["top"], 6)
        indented = line["x0"] > left + 1.2 * size
        # a heading set in another size, or a gap wider than the line spacing, ends a paragraph
        apart = prev is not None and (abs(size - prev["size"]) > 0.15 * prev["size"] or (
            prev["page"] == line["page"] and line["top"] - prev["bottom"] > 0.9 * size))
        if cur is not None and prev_short and not apart:
            after_short.append(indented)
        starts = cur is None or indented or apart or (prev_short and not by_indent and not cut_short)
        text = line["text"].strip()
        if starts:
            if cur:
                blocks.append(Paragraph(cur))
            cur = text
        else:
            cur = _join(cur, text)
        prev_short = line["x1"] < right - 2.5 * size
        # a paragraph's first line counts when indented (headings and one-line paragraphs of an
        # unindented document are not)
        cut_short = prev_short and (not starts or indented) and not _ends_sentence(text)
        prev = {"size": size, "page": line["page"], "bottom": line["bottom"]}
    if cur:
        blocks.append(Paragraph(cur))
    return blocks


def _right_edge(lines: list[dict]) -> float:
    """Where full lines end: the rightmost end that several lines share (a line running past the
    margin, an unbreakable web address, does not move it)."""
    ends = Counter(round(l["x1"]) for l in lines)
    shared = [x for x, n in ends.items() if n >= 2]
    return float(max(shared)) if shared else max((l["x1"] for l in lines), default=0)


def read_blocks(path: Path, *, ruled: bool = True) -> list[Block]:
    """The blocks of a PDF; ruled=False reads tables from the laid-out text (PDFs without rules).
    Every stream is decompressed within pdfguard's bounds."""
    with pdfguard.bounded():
        return _read_blocks(path, ruled)


def _read_blocks(path: Path, ruled: bool) -> list[Block]:
    pdf = _open(path)
    with pdf:
        try:
            nchars = sum(len(p.chars) for p in pdf.pages)
            images = sum(len(p.images) for p in pdf.pages)
            # no text, or a few stray characters (a stamp, a page number) over page images
            if nchars == 0 or (images and nchars < 30 * len(pdf.pages)):
                raise InputError("这是扫描件（扫描件，无文字层），无法读取数字；请取得有文字的 PDF、Word 或网页版本"
                                 " (this is a scan: no text layer)", file=str(path))
            sample = "".join(c["text"] for p in pdf.pages[:3] for c in p.chars[:2000])
            if sample.count("(cid:") * 6 > len(sample) * 0.3 or sample.count("\ufffd") > len(sample) * 0.3:
                raise InputError("PDF 的文字层无法解码（字体缺少 Unicode 映射），请取得 Word 或网页版本"
                                 " (text layer cannot be decoded: fonts without ToUnicode)", file=str(path))
            # without a ruled table anywhere, the table rows come from the text lines and their
            # gaps; a ruled pass that found no grid has already read exactly those lines
            pages = [_page_items(p, i + 1, ruled) for i, p in enumerate(pdf.pages)]
            lines = [pl for items in pages for _, k, pl in items if k == "line"]
            left = min((l["x0"] for l in lines), default=0)
            right = _right_edge(lines)
            # one pass over all pages: a paragraph continued over a page break stays one
            return _paragraphs([it for items in pages for it in items], left, right)
        except InputError:
            raise
        except Exception as exc:
            if isinstance(_inner(exc), pdfguard.TooLarge):
                raise pdfguard.refuse(path, _inner(exc)) from None
            raise InputError(f"PDF 文件已损坏或不完整，无法读取 (corrupt or truncated PDF: {type(exc).__name__})",
                             file=str(path)) from None


def read(path: Path, *, agency: str | None = None, year: int | None = None, partial: bool = False):
    path = Path(path)
    return build(path, read_blocks(path), agency=agency, year=year, partial=partial)
