"""A piece of HTML that notebooks display as HTML and templates do not escape twice, and plain
text made into one (escaped paragraphs)."""
from __future__ import annotations

import re

from markupsafe import escape

from .text_breaks import keep_cjk_spaces


class HtmlFragment(str):
    """A str holding ready, escaped HTML.

    `_repr_html_` makes Jupyter show it as HTML when it is the value of a cell; `__html__` is the
    markupsafe/Jinja protocol, so a template inserts it as is. Being a str, it still compares,
    concatenates and writes like the plain string it is.
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)

    def __html__(self) -> str:
        return str(self)


# C0 control characters but tab, newline and return, DEL and the C1 controls: never text in HTML
# (a parse error; ESC, BEL, BS, VT, FF typed or pasted into a narrative or a name). And the bidi
# embeddings, overrides and isolates: one pasted into a name or a paragraph reverses what follows
# it on the published page ("Trojan Source"); Chinese text never needs them.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def without_controls(text: str) -> str:
    """`text` without control characters. Every HTML page xxgk writes (the report page, the
    sweep's index) passes through it last, so no input can bring one in; so does the Word text."""
    return _CONTROLS.sub("", text)


def escape_text(text: str) -> str:
    """Plain text as HTML: escaped, braces as entities too (the text can never be read as a template
    expression, {{ }} or {% %}), a space next to Chinese kept with the character after it."""
    return keep_cjk_spaces(str(escape(text)).replace("{", "&#123;").replace("}", "&#125;"))


def text_paragraphs(text: str, css_class: str = "") -> HtmlFragment:
    """Plain text as escaped paragraphs, one per non-empty line."""
    cls = f' class="{escape(css_class)}"' if css_class else ""
    return HtmlFragment("\n".join(f"<p{cls}>{escape_text(line.strip())}</p>"
                                  for line in (text or "").splitlines() if line.strip()))


def content_policy(script: str | None = None) -> str:
    """The Content-Security-Policy of a page xxgk publishes: it loads nothing from anywhere (images
    are data: URLs, styles inline) and runs at most the one inline script whose text is `script`
    (hashed as the page writes it, between newlines). Should any markup ever slip through the
    escaping, a browser still neither fetches for it nor runs it."""
    import base64
    import hashlib
    scripts = "'none'"
    if script:
        digest = hashlib.sha256(f"\n{script}\n".encode("utf-8")).digest()
        scripts = f"'sha256-{base64.b64encode(digest).decode()}'"
    return (f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src {scripts}; "
            f"base-uri 'none'; form-action 'none'")
