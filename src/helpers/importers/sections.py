"""Split the narrative of a published report into preamble + sections 一 … 六 by their headings,
and read the title, the agency name and the report year from the text.

Headings are recognised by their number (一、 … 六、) followed by the official title, one of
`schema.Section.aliases`, or a short text containing one of `Section.keywords`; they must come in
order, so "一是…" or a table row "四、结转下年度继续办理" never starts a section. Text is stored
as plain text, paragraphs separated by newlines; table captions inside sections 二–四 are dropped.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from ..errors import InputError
from ..format import schema
from . import cells as cellmod
from . import labels
from .grid import Block, Grid, Paragraph

_HEAD = re.compile(rf"^\s*(?:#{{1,6}}\s*)?(?:\*\*)?\s*{schema.ENUM_NUMERAL}\s*")
_PROSE = re.compile(r"[。；;]|，.*，")
_NUMBERS = [s.number for s in schema.SECTIONS]
_MAX_HEADING = 40      # characters (core) a heading variant may have


@dataclass
class Narrative:
    sections: dict[str, str] = field(default_factory=dict)
    title: str = ""


def _numbered(text: str) -> re.Match | None:
    """The match of a section number (一、 … 六、) at the start of `text`."""
    m = _HEAD.match(text)
    return m if m and m.group(1) in _NUMBERS else None


def parse_heading(text: str) -> tuple[int, str] | None:
    """(section index, text after the heading) if `text` starts with a section heading."""
    raw = text.strip()
    t = unicodedata.normalize("NFKC", raw)
    m = _numbered(t)
    if not m:
        return None
    idx = _NUMBERS.index(m.group(1))
    sec = schema.SECTIONS[idx]
    # the text after the heading as written (NFKC keeps the length of CJK text and punctuation)
    rest = (raw if len(raw) == len(t) else t)[m.end():].strip().strip("*").strip()
    c = labels.core(rest, keep_enumerator=True)
    for title in (sec.title, *sec.aliases):
        tc = labels.core(title, keep_enumerator=True)
        if c == tc:
            return idx, ""
        if c.startswith(tc):
            # heading and text on one line: cut after the title's last character
            last = labels.flat(title)[-1]
            pos = rest.find(last)
            return idx, rest[pos + 1:].lstrip("。.:：;； ") if pos >= 0 else ""
    if len(c) <= _MAX_HEADING and any(k in c for k in sec.keywords):
        return idx, ""
    return None


def _title_end(paras: list[Paragraph]) -> int:
    """Number of leading paragraphs up to the title (the short line naming 年度报告); what comes
    before it on a web page (breadcrumbs, menus) is not part of the report."""
    for i, p in enumerate(paras[:15]):
        f = labels.flat(p.text)
        if len(f) > 80 or "。" in f or _numbered(p.text):
            return 0
        if "年度报告" in f or "年报" in f or "工作报告" in f:
            return i + 1
    return 0


def _title_text(paras: list[Paragraph], n_title: int) -> str:
    """The title line; with the line before it when the title starts with the year
    ("淮安市人民政府" / "2024 年政府信息公开工作年度报告")."""
    if not n_title:
        return ""
    title = paras[n_title - 1].text.strip()
    if n_title >= 2 and re.match(r"^\s*(?:#+\s*)?20\d\d\s*年", title):
        title = paras[n_title - 2].text.strip() + " " + title
    return title


@cache
def _table_words(table: str) -> tuple[frozenset[str], str]:
    """Label cores of a table (both versions) and all of them joined (to find fragments in)."""
    words: set[str] = set()
    for version in ("2021", "2019"):
        t = schema.table(table, version)
        words |= {labels.core(r.label) for r in t.rows}
        words |= {labels.core(g) for r in t.rows for g in r.groups}
        words |= {labels.core(f.label) for r in t.rows for f in r.fields} | {labels.core(f.label) for f in t.columns}
        words |= {labels.core(b.caption) for b in t.blocks} | {labels.core(h.label) for hr in t.header for h in hr}
        words |= {labels.core(t.note), labels.core(schema.T2_ROW_LABEL_HEADER)}
    words.discard("")
    return frozenset(words), "|".join(sorted(words))


def _is_caption(text: str, table: str | None) -> bool:
    """A short line naming table labels, or made of pieces of them (md headings over split
    tables, header cells of a table read as text lines)."""
    if table is None:
        return False
    if text.rstrip().endswith(("。", "！", "；")):   # a sentence, not a label
        return False
    c = labels.core(text)
    if len(c) <= 3:      # fragments of labels printed vertically or broken over lines
        return True
    if len(c) > _MAX_HEADING:
        return False
    words, joined = _table_words(table)
    if c in words or any(len(w) >= 2 and w in c for w in words) or c in joined:
        return True
    pieces = [labels.core(t) for t in text.split()]
    return all(p == "" or p in joined for p in pieces)


class _TableLine(Paragraph):
    """A row of a table that is not one of the report's tables (kept as a line of text)."""


def _narrative_blocks(blocks: list[Block]) -> list[Paragraph]:
    """Paragraphs; rows of other tables as lines "a | b"; lines of text-split 'tables' that are
    really justified prose (PDF text)."""
    out: list[Paragraph] = []
    for b in blocks:
        if isinstance(b, Paragraph):
            out.append(b)
        elif isinstance(b, Grid):
            for i, row in enumerate(b.rows):
                cells = [c.strip() for c in row if c and c.strip()]
                joined = b.lines[i] if i < len(b.lines) else " ".join(cells)
                if not b.exact and (_PROSE.search(joined) and sum(cellmod.is_value(c) for c in cells) < 3
                                    or (len(cells) <= 2 and "年度报告" in joined)):
                    out.append(Paragraph(joined, b.where))
                elif cells:
                    out.append(_TableLine(joined if not b.exact else " | ".join(cells), b.where))
    return out


def split(blocks: list[Block], path: str = "") -> Narrative:
    paras = [p for p in _narrative_blocks(blocks) if p.text.strip()]
    out = Narrative()
    n_title = _title_end([p for p in paras if not isinstance(p, _TableLine)])
    if n_title and any(isinstance(p, _TableLine) for p in paras[:n_title]):
        n_title = 0
    out.title = _title_text([p for p in paras if not isinstance(p, _TableLine)], n_title)
    current = schema.PREAMBLE
    current_idx = -1
    texts: dict[str, list[str]] = {schema.PREAMBLE: []}
    for p in paras[n_title:]:
        if isinstance(p, _TableLine):
            # tables outside sections 二–四 are part of the text; the report's own tables are not
            sec = schema.SECTION_BY_KEY.get(current)
            if sec is None or sec.table is None:
                texts[current].append(p.text)
            continue
        h = parse_heading(p.text)
        if h is not None and h[0] > current_idx:
            current_idx = h[0]
            current = schema.SECTIONS[current_idx].key
            texts.setdefault(current, [])
            if h[1]:
                texts[current].append(h[1])
            continue
        if h is not None and h[0] == 0 and current_idx >= 4 and not h[1]:
            raise InputError(f"文件中有两份报告（“{schema.SECTIONS[0].heading}”出现两次）：一个文件只能有一份报告"
                             " (two reports in one file)", file=path)
        text = p.text.strip()
        sec = schema.SECTION_BY_KEY.get(current)
        if sec is not None and sec.table and _is_caption(text, sec.table):
            continue
        texts[current].append(text)
    out.sections = {k: "\n".join(v).strip() for k, v in texts.items() if "\n".join(v).strip()}
    return out


# --- the agency name and the year, from the title and the preamble ---------------------------------
_YEAR_IN_TITLE = re.compile(r"(20\d\d)\s*年")
_PERIOD = re.compile(r"统计(?:期限|时限|时间|周期|区间|范围)?[^。]{0,24}?(20\d\d)\s*年\s*0?1\s*月\s*0?1\s*日")
_YEAR_OF_REPORT = re.compile(r"(20\d\d)年度?(?:政府信息公开|政务公开)")
_NAME_BEFORE_YEAR = re.compile(r"^(.{2,40}?)(?:20\d\d)\s*年")
_NAME_AFTER_YEAR = re.compile(r"^(?:20\d\d)\s*年度?(.{2,40}?)(?:政府信息公开|政务公开|信息公开)")
_COMPILER = re.compile(r"由(.{2,40}?)(?:负责)?编制")


_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")
_CN_YEAR = re.compile(r"[二][〇零○][〇零○一二三四五六七八九]{2}(?=年)")


def _arabic_years(text: str) -> str:
    """二〇二三年 -> 2023年 (titles and dates are often written in Chinese numerals)."""
    return _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), labels.flat(text))


def title_year(narr: Narrative) -> int | None:
    m = _YEAR_IN_TITLE.search(_arabic_years(narr.title))
    return int(m.group(1)) if m else None


def year_of(narr: Narrative) -> int | None:
    """The report year: from the title, else the statistics period, else "2023年度政府信息公开…"."""
    pre = narr.sections.get(schema.PREAMBLE, "")
    if title_year(narr) is not None:
        return title_year(narr)
    for text in (pre, *narr.sections.values()):
        m = _PERIOD.search(_arabic_years(text))
        if m:
            return int(m.group(1))
    m = _YEAR_OF_REPORT.search(_arabic_years(pre))
    return int(m.group(1)) if m else None


def agency_name_of(narr: Narrative) -> str:
    title = _arabic_years(narr.title).lstrip("#")
    for rx in (_NAME_BEFORE_YEAR, _NAME_AFTER_YEAR):
        m = rx.search(title)
        if m:
            name = re.sub(r"^关于|关于$", "", m.group(1).strip("《》“”\"' "))
            if name and not name.isdigit():
                return name
    m = _COMPILER.search(labels.flat(narr.sections.get(schema.PREAMBLE, "")))
    if m:
        return m.group(1)
    return ""
