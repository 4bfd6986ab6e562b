"""Narrative rules besides the figures: section5_empty and year_mismatch.

Both are skipped for a report without any narrative (numbers only, e.g. from the exchange CSV):
there is no text to judge.
"""
from __future__ import annotations

import re

from ..format import schema
from ..format.model import Report
from .findings import Finding, finding
from .text import normalize, sentences

# Section 五 that says nothing: empty, or only "无" and the like (punctuation ignored).
_NOTHING = {"", "无", "暂无", "没有", "无问题", "不存在"}
_PUNCTUATION = re.compile(r"[\s。．.，,；;：:、！!]")


def says_nothing(text: str | None) -> bool:
    """Whether a section 五 text is empty or only "无" and the like. The publish gate
    (report.narrative.missing_sections) refuses the same texts this rule warns about."""
    return _PUNCTUATION.sub("", text or "") in _NOTHING


def check_section5_empty(rep: Report) -> list[Finding]:
    if not any((v or "").strip() for v in rep.narrative.values()):
        return []
    sec = schema.SECTION_BY_KEY["problems"]
    text = rep.narrative.get(sec.key) or ""
    if not says_nothing(text):
        return []
    what = "为空" if not _PUNCTUATION.sub("", text) else f"只写了“{text.strip()}”"
    return [finding("section5_empty", rep, f"{sec.heading}：{what}，应写明{sec.title}",
                    expected=None, actual=text.strip() or None)]


_YEAR = r"(?P<y>(?:19|20)\d\d)\s*年"
# A sentence that opens with a year ("2022年，我办…") speaks of that year as the report's own.
_OPENING = re.compile(rf"^\s*(?:{schema.ENUM_BRACKETED}[^，,。]{{0,20}}?[。.：:]?)?\s*" + _YEAR
                      + r"\s*度?\s*(?:以来)?\s*[，,]")
# The statistics period of the preamble ("统计期限自2022年1月1日起至2022年12月31日止").
_PERIOD = re.compile(_YEAR + r"\s*(?:1|01|一)\s*月\s*(?:1|01|一)\s*日|" + _YEAR.replace("?P<y>", "?P<y2>")
                     + r"\s*(?:12|十二)\s*月\s*(?:31|三十一)\s*日")
# The report naming itself in the preamble (titles in 《》 are other documents).
_SELF = re.compile(_YEAR + r"\s*度?\s*(?:的)?\s*(?:政府信息公开|政务公开)(?:工作)?(?:年度)?报告(?!格式)")


def _inside_title(sentence: str, pos: int) -> bool:
    before = sentence[:pos]
    return before.count("《") > before.count("》") or before.count("“") > before.count("”")


def check_year_mismatch(rep: Report) -> list[Finding]:
    """Text that speaks of another year as the report year: a sentence opening with an earlier year,
    a statistics period of another year, the preamble naming the report with another year.
    Earlier years mentioned in passing ("较2022年", "《…2022年度报告》", "同比") do not count."""
    out = []
    for key in schema.NARRATIVE_KEYS:
        text = normalize(rep.narrative.get(key) or "")
        for _, sent in sentences(text):
            hits: list[tuple[int, int, str]] = []   # (position, year, what)
            m = _OPENING.match(sent)
            if m and int(m.group("y")) < rep.year:
                hits.append((m.start("y"), int(m.group("y")), "句首年份"))
            if "统计" in sent:
                for m in _PERIOD.finditer(sent):
                    y = int(m.group("y") or m.group("y2"))
                    if y != rep.year:
                        hits.append((m.start(), y, "统计期限"))
            if key == schema.PREAMBLE:
                for m in _SELF.finditer(sent):
                    if int(m.group("y")) != rep.year and not _inside_title(sent, m.start()):
                        hits.append((m.start(), int(m.group("y")), "报告名称"))
            seen = set()
            for pos, y, what in sorted(hits):
                if (what, y) in seen:
                    continue
                seen.add((what, y))
                snippet = sent.strip()
                if len(snippet) > 40:
                    snippet = snippet[:40] + "…"
                out.append(finding(
                    "year_mismatch", rep,
                    f"正文“{snippet}”（{what}）写的是 {y} 年，本报告为 {rep.year} 年度，疑为沿用往年文字",
                    expected=rep.year, actual=y))
    return out
