"""Spaces next to Chinese text that a line must not break at.

A PDF loses the space at a line break, and between Chinese and Latin letters or digits a space is
optional ("2024 年" and "2024年" are both written), so a reader of the PDF could not tell whether
one was there. Such a space is rendered as a no-break space: it never falls at a line end, and the
importers read it back as an ordinary space. Chinese text still breaks between its characters.
"""
from __future__ import annotations

import re

NBSP = "\u00a0"
_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}]) (?=\S)|(?<=\S) (?=[{_CJK}])")


def keep_cjk_spaces(text: str) -> str:
    """'达 3.5 万次' -> '达\\u00a03.5\\u00a0万次'; spaces between two Latin words stay breakable."""
    return _SPACE_BY_CJK.sub(NBSP, text)
