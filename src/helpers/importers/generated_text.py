"""Text that a report made by this project adds around the stored narrative, taken back out on import.

    strip_generated(report) -> None     in place, on the narrative of a report just read

What is generated is known exactly, so it is recognised exactly (no guessing):
- the data paragraphs under tables 三 and 四 (`helpers.report.paragraphs`): their wording follows from the
  cells, so they are regenerated from the cells just read and a paragraph of sections 三/四 is
  dropped only if it is that text (with or without the 同比 phrases, which depend on the year
  before, which the file does not give us);
- the check panel of a draft and the provenance footer, which close the document after section 六:
  from their fixed first line to the end;
- a draft's placeholder of a missing section (【待补充：五、存在的主要问题及改进情况】).
HTML files lose these by their markup too (the HTML reader drops `<footer>`, `.data-text`,
`.check-panel`, `.placeholder`); PDFs keep no markup, so this is what removes them there. It is applied to every
import, so a report made with this tool and republished by an agency reads back the same way.
"""
from __future__ import annotations

import re
from functools import cache

from ..format import schema
from ..format.model import Cell, Report

_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# (current, previous) pairs that make paragraphs.yoy_phrase write each of its wordings:
# 与上年持平, 上年为 0, 同比增长 …, 同比下降 …, and the changes too small for one decimal
_YOY_CASES = ((1, 1), (1, 0), (9, 8), (7, 8), (100001, 100000), (99999, 100000))


def _spaced(text: str) -> str:
    """`text` as a pattern in which spaces may come and go (PDF text adds or loses them between
    Chinese and digits)."""
    return "".join(re.escape(ch) + r"\s*" for ch in _SPACE.sub("", text))


@cache
def _yoy_patterns() -> tuple[str, str]:
    """(the phrases written after a zero previous year, any 同比 phrase with its "，", optional):
    from paragraphs.yoy_phrase itself, its numbers free."""
    from ..report.paragraphs import yoy_phrase
    zero = "|".join(re.escape(yoy_phrase(c, 0)) for c in (0, 1))
    phrases = sorted({yoy_phrase(c, p) for c, p in _YOY_CASES})
    any_phrase = "|".join(r"[0-9.,]+\s*".join(_spaced(part) for part in _NUMBER.split(p)) for p in phrases)
    return rf"，(?:{zero})", rf"(?:{_spaced('，')}(?:{any_phrase}))?"


def _zero_previous(report: Report) -> Report:
    """The year before with every figure 0: paragraphs then write a fixed phrase ("上年为 0" or
    "与上年持平") exactly where a 同比 phrase goes."""
    prev = Report(report.agency, report.year - 1, report.layout)
    prev.cells = {k: Cell.number(0) for k in schema.cell_keys(report.layout)}
    return prev


def _pattern(with_zero_previous: str) -> re.Pattern:
    """A paragraph of this wording, with or without 同比 phrases; spaces may come and go."""
    zero, yoy = _yoy_patterns()
    parts = re.split(zero, with_zero_previous)
    return re.compile(r"\s*" + yoy.join(_spaced(p) for p in parts) + r"\s*")


def data_paragraphs(report: Report) -> dict[str, re.Pattern]:
    """Section key -> the pattern of its generated paragraph; {} when the cells cannot give one
    (a table missing or not a number)."""
    from ..report import paragraphs
    out = {}
    prev = _zero_previous(report)
    for key, make in (("requests", paragraphs.requests_text), ("appeals", paragraphs.appeals_text)):
        try:
            out[key] = _pattern(make(report, prev))
        except Exception:   # blank or 不适用 cells, tables not read: nothing was generated from them
            continue
    return out


def _trailer_starts() -> tuple[str, ...]:
    from ..report.page import PROVENANCE_NOTE
    from ..report.tables import CHECK_PANEL_TITLE
    return PROVENANCE_NOTE, CHECK_PANEL_TITLE


def _without_trailer(text: str) -> str:
    lines = text.split("\n")
    note, panel = _trailer_starts()
    flat = [_SPACE.sub("", l) for l in lines]
    if _SPACE.sub("", note) not in flat:
        return text
    end = flat.index(_SPACE.sub("", note))
    # the draft's check panel comes right before the footer
    if panel in flat[:end]:
        end = flat.index(panel)
    return "\n".join(lines[:end]).strip()


def _without_placeholders(narrative: dict[str, str]) -> dict[str, str]:
    from ..report.narrative import placeholder_text
    out = {}
    for key, text in narrative.items():
        mark = placeholder_text(key) if key in schema.NARRATIVE_KEYS else None
        out[key] = "\n".join(l for l in text.split("\n") if _SPACE.sub("", l) != mark).strip()
    return out


def strip_generated(report: Report) -> None:
    """Remove the generated paragraphs, a draft's placeholders of missing sections and the trailing
    panel/footer from `report.narrative`."""
    narrative = _without_placeholders(dict(report.narrative or {}))
    last = next((k for k in reversed(schema.NARRATIVE_KEYS) if narrative.get(k)), None)
    if last is not None:
        narrative[last] = _without_trailer(narrative[last])
    for key, pattern in data_paragraphs(report).items():
        text = narrative.get(key)
        if text:
            narrative[key] = "\n".join(l for l in text.split("\n") if not pattern.fullmatch(l)).strip()
    report.narrative = {k: v for k, v in narrative.items() if v}
