"""Spaces next to Chinese text that a line must not break at.

A PDF loses the space at a line break, and between Chinese and Latin letters or digits a space is
optional ("2024 年" and "2024年" are both written), so a reader of the PDF could not tell whether
one was there. Such a space is kept on one line with the character after it
(`<span class="nobr"> 3</span>`, `white-space: nowrap` in report.css; no line breaks before a
space anyway), so it is never at a line end. The text itself is unchanged: the page shows and copies
the same characters, and Chinese text still breaks between its characters.
"""
from __future__ import annotations

import re

NOBR_CLASS = "nobr"
_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
# in escaped HTML: an entity (&lt;) is one character
_CHAR = r"(?:&#?\w+;|[^\s&<>])"
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}]) ({_CHAR})| ([{_CJK}])")


def keep_cjk_spaces(escaped_html: str) -> str:
    """Escaped text -> the same with every space next to a Chinese character bound to the next
    character: '达 3.5 万次' -> '达<span class="nobr"> 3</span>.5<span class="nobr"> 万</span>次'.
    Spaces between two Latin words stay breakable."""
    return _SPACE_BY_CJK.sub(lambda m: f'<span class="{NOBR_CLASS}"> {m.group(1) or m.group(2)}</span>',
                             str(escaped_html))
