"""Narrative text as the rules read it: paragraphs kept, line breaks inside a paragraph removed
(text from PDFs breaks words and numbers across lines), then cut into sentences."""
from __future__ import annotations

import re

_BLANK_LINE = re.compile(r"\n[ \t\u3000\xa0]*\n\s*")
_LINE_BREAK = re.compile(r"[ \t\u3000\xa0]*\n[ \t\u3000\xa0]*")


def normalize(text: str) -> str:
    paragraphs = _BLANK_LINE.split((text or "").replace("\r\n", "\n").replace("\r", "\n").strip())
    return "\n".join(_LINE_BREAK.sub("", p) for p in paragraphs)


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs over `text` (already normalized); sentences end at 。！？ or a paragraph end."""
    out, pos = [], 0
    for part in re.split(r"(?<=[。！？!?\n])", text):
        if part:
            out.append((pos, part))
        pos += len(part)
    return out
