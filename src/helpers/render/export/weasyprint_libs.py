"""A library WeasyPrint 70 prints with, set up once per process: an adjustment that only saves
time (measured on a report's PDF: ~0.02 s of ~0.4 s).

    cache_tokenizer_regexes()   tinyhtml5 (WeasyPrint's HTML parser) keeps the regexes it builds

It changes one module-level name of the library (nothing of WeasyPrint itself), is installed by
pdf.font_config() with the font adjustments, and is tested against the library's own behaviour
(tests/render/test_pdf_libs.py). Same inputs still give the same bytes.
"""
from __future__ import annotations

import re


class _TokenizerRegexes(dict):
    """tinyhtml5's cache of chars_until() regexes, filled under the key it is looked up by."""

    def __missing__(self, key):
        characters, opposite = key
        # tinyhtml5's own construction (inputstream.HTMLUnicodeInputStream.chars_until)
        regex = "".join(f"\\x{ord(character):02x}" for character in characters)
        if not opposite:
            regex = f"^{regex}"
        self[key] = compiled = re.compile(f"[{regex}]+")
        return compiled


def cache_tokenizer_regexes() -> None:
    """Make tinyhtml5's regex cache hit.

    tinyhtml5 2.1 (`inputstream.chars_until`) caches the regex for a set of characters with
    `characters = cache[(characters, opposite)] = regex`: Python assigns `characters` first, so the
    entry is stored under the regex, never found, and every call (~3000 for a report's page,
    most of them in attribute values) builds the regex's source again and looks it up in re's
    cache: about 0.02 s of a report's 0.035 s of HTML parsing. A dict that builds a missing entry
    itself answers the lookup, so the store after the KeyError never runs."""
    from tinyhtml5 import inputstream

    if type(inputstream.characters_until_regex) is dict:
        inputstream.characters_until_regex = _TokenizerRegexes(inputstream.characters_until_regex)
