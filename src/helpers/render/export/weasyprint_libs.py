"""Two libraries WeasyPrint 70 prints with, set up once per process: adjustments that only save
time (measured on a report's PDF: ~0.02 s and ~0.025 s of ~0.4 s).

    cache_tokenizer_regexes()   tinyhtml5 (WeasyPrint's HTML parser) keeps the regexes it builds
    compress_fast()             pydyf compresses the PDF's streams at zlib level 1, not 9

Both change one module-level name of the library (nothing of WeasyPrint itself), are installed by
pdf.font_config() with the font adjustments, and are tested against the library's own behaviour
(tests/render/test_pdf_print.py). Same inputs still give the same bytes.
"""
from __future__ import annotations

import re
import zlib

STREAM_LEVEL = 1    # a report's PDF 2.7 % larger than at level 9 (6: 0.2 %), in 0.35x its time (6: 0.6x)


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


class _Zlib:
    """pydyf's view of zlib: streams compressed at STREAM_LEVEL whatever level pydyf asks for."""

    compress = staticmethod(zlib.compress)
    decompress = staticmethod(zlib.decompress)

    @staticmethod
    def compressobj(level=STREAM_LEVEL, *args, **kw):
        return zlib.compressobj(STREAM_LEVEL, *args, **kw)

    def __getattr__(self, name):
        return getattr(zlib, name)


def compress_fast() -> None:
    """Compress the PDF's streams at zlib level 1.

    pydyf (`Stream.data`) compresses every stream at level 9, a level WeasyPrint offers no option
    for. The three embedded Noto CJK subsets keep their glyph ids (~770 KB each before compression,
    mostly empty glyph entries): level 9 spends 0.040 s a report on them, the default level 6
    0.024 s for a file 0.2 % larger, level 1 0.014 s for a file 2.7 % larger (590 KB instead of
    575 KB). Lossless at every level. Only the name `zlib` inside pydyf is replaced."""
    import pydyf

    if pydyf.zlib is zlib:
        pydyf.zlib = _Zlib()
