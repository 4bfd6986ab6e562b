"""Text that a report made by this project adds around the stored narrative, taken back out on import.

    strip_generated(report) -> None     in place, on the narrative of a report just read

What is generated is known exactly, so it is recognised exactly (no guessing):
- the data paragraphs under tables 三 and 四 (`helpers.report.paragraphs`): their wording follows from the
  cells, so they are regenerated from the cells just read and a paragraph of sections 三/四 is
  dropped only if it is that text (with or without the 同比 phrases, which depend on the year
  before, which the file does not give us);
- the 落款 that closes the document after section 六 (the issuing agency over a date line), and
  the check panel that follows it in a draft;
- in files made by earlier versions, the provenance footer (and a draft's check panel before it),
  from their fixed first lines to the end;
- a draft's placeholder of a missing section (【待补充：五、存在的主要问题及改进情况】);
- the charts' text, which a PDF gives back as lines (their titles, labels, values and ticks follow
  from the cells for the charts of the year; the trend chart's years and values from years the file
  does not give, so there its labels are known, its numbers only as numbers).
HTML files lose these by their markup too (the HTML reader drops `<footer>`, `.data-text`,
`.check-panel`, `.placeholder`); PDFs keep no markup, so this is what removes them there. It is applied to every
import, so a report made with this tool and republished by an agency reads back the same way.
"""
from __future__ import annotations

import re
from functools import cache

from ..format import derived, schema
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


# The footer reports made by xxgk 0.1 ended with (the page no longer shows it); files made then still
# come back for import.
LEGACY_FOOTER = "说明：本报告由 xxgk 根据数据库中的数据自动生成，下列指纹可核对所用数据与程序 (provenance)。"
_DATE_LINE = re.compile(r"^(?:19|20)\d\d年\d{1,2}月\d{1,2}日$")
_PUNCTUATION = re.compile(r"[。，；：！？,.;:!?、]")
_ISSUER_MAX = 40     # characters of an issuing agency's name


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


def _legacy_footer_start(flat: list[str]) -> int | None:
    """Where the footer of an earlier version starts (or the draft's check panel before it)."""
    from ..report.tables import CHECK_PANEL_TITLE
    note = _SPACE.sub("", LEGACY_FOOTER)
    if note not in flat:
        return None
    end = flat.index(note)
    if CHECK_PANEL_TITLE in flat[:end]:
        end = flat.index(CHECK_PANEL_TITLE)
    return end


def _signature_start(flat: list[str], agency_name: str) -> int | None:
    """Where the 落款 starts: a date line that ends the text or is followed by a draft's check
    panel, with the issuing agency's name (or a short line without punctuation) before it."""
    from ..report.tables import CHECK_PANEL_TITLE
    for i in range(len(flat) - 1, -1, -1):
        if _DATE_LINE.match(flat[i]) and (i == len(flat) - 1 or flat[i + 1] == CHECK_PANEL_TITLE):
            before = flat[i - 1] if i else ""
            issuer = before and (before == _SPACE.sub("", agency_name or "\0") or
                                 (len(before) <= _ISSUER_MAX and not _PUNCTUATION.search(before)))
            return i - 1 if issuer else i
    return None


def _without_trailer(text: str, agency_name: str = "") -> str:
    lines = text.split("\n")
    flat = [_SPACE.sub("", l) for l in lines]
    end = _legacy_footer_start(flat)
    if end is None:
        end = _signature_start(flat, agency_name)
    return text if end is None else "\n".join(lines[:end]).strip()


def _chart_line(report: Report):
    """A test for lines made only of the charts' text: their words, numbers, years."""
    from ..report import charts
    known = set()
    for spec in (charts.outcomes_spec, charts.applicants_spec):
        try:
            known.update(charts.texts(spec(report)))
        except Exception:   # cells not read as numbers: no chart of them was drawn
            continue
    known.add(charts.NEW_RECEIVED_SERIES)
    known.update(c.name for c in derived.outcome_categories(report.table("t3")))
    trend_title = re.compile(re.escape(charts.trend_title(1000, 9999)).replace("1000", r"\d{4}").replace("9999", r"\d{4}"))
    number = re.compile(r"\d+(?:\.\d+)?|\d{4}年")

    def is_chart(line: str) -> bool:
        tokens = line.split()
        words = [t for t in tokens if not number.fullmatch(t)]
        if not words:          # an axis: several numbers or years, nothing else
            return len(tokens) >= 2
        return all(t in known or trend_title.fullmatch(t) for t in words)
    return is_chart


def _without_charts(report: Report, narrative: dict[str, str]) -> dict[str, str]:
    is_chart = _chart_line(report)
    return {k: "\n".join(l for l in v.split("\n") if not is_chart(l)).strip() for k, v in narrative.items()}


def _without_placeholders(narrative: dict[str, str]) -> dict[str, str]:
    from ..report.narrative import placeholder_text
    out = {}
    for key, text in narrative.items():
        mark = placeholder_text(key) if key in schema.NARRATIVE_KEYS else None
        out[key] = "\n".join(l for l in text.split("\n") if _SPACE.sub("", l) != mark).strip()
    return out


def strip_generated(report: Report) -> None:
    """Remove the generated paragraphs, a draft's placeholders of missing sections, the charts'
    text, the 落款 and what follows it (a draft's check panel; the footer of earlier versions)
    from `report.narrative`."""
    narrative = _without_placeholders(dict(report.narrative or {}))
    if report.cells:
        narrative = _without_charts(report, narrative)
    last = next((k for k in reversed(schema.NARRATIVE_KEYS) if narrative.get(k)), None)
    if last is not None:
        narrative[last] = _without_trailer(narrative[last], getattr(report, "agency_name", ""))
    for key, pattern in data_paragraphs(report).items():
        text = narrative.get(key)
        if text:
            narrative[key] = "\n".join(l for l in text.split("\n") if not pattern.fullmatch(l)).strip()
    report.narrative = {k: v for k, v in narrative.items() if v}
