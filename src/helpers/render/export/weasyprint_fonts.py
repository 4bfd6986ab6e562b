"""WeasyPrint's font embedding, set up once per process: two adjustments of WeasyPrint 70's
`pdf.fonts` that only save time (measured on a report: ~0.06 s and ~0.1 s of ~0.65 s).

    share_font_files()     each font file is read into memory once per process, not per document
    subset_in_one_pass()   each embedded font is subset by HarfBuzz in one pass, not two

Both replace names in `weasyprint.pdf.fonts` only, are installed by pdf.font_config() (once), and
are tested against WeasyPrint's own functions (tests/render/test_pdf_print.py). They are written
for WeasyPrint 70 (pyproject pins it): with another major version WeasyPrint's own code runs.
"""
from __future__ import annotations

MAX_SHARED_FACES = 16     # the report uses 3 faces; a bound in case pango hands out new ones
WRITTEN_FOR = 70          # WeasyPrint's major version whose pdf.fonts these two adjust


def applies() -> bool:
    """Whether the installed WeasyPrint is the one the adjustments were written and tested for."""
    import weasyprint

    return weasyprint.__version__.split(".")[0] == str(WRITTEN_FOR)


def share_font_files() -> None:
    """Read each font file WeasyPrint embeds once per process instead of once per document.

    WeasyPrint 70 copies the whole font file of every face a document uses into a Python bytes
    object (`pdf.fonts.Font.__init__`: get_hb_object_data(hb_face)) before subsetting it with
    HarfBuzz, which works on the face, not on the copy: 73 MB of Noto CJK per report, ~0.05-0.09 s
    of CPU and as many fresh pages in every forked worker. The faces come from pango's font map,
    which the process-wide FontConfiguration keeps: the same face every document. So the two
    functions `pdf.fonts` calls are wrapped there (and only there): a face pango hands out is kept
    (so its address stays its own) and its file's bytes are read on first use and then shared;
    anything else (the subset faces, colour glyphs) goes to WeasyPrint's function as before. The
    bytes are those of the file, so the PDF is the same (tests/render/test_pdf_print.py)."""
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import ffi

    if getattr(fonts, "xxgk_shared_faces", None) is not None:
        return
    faces: dict[int, list] = {}        # face address -> [face, file bytes or None]
    face_of, data_of = fonts.get_pango_font_hb_face, fonts.get_hb_object_data

    def pango_font_face(pango_font):
        face = face_of(pango_font)
        if len(faces) < MAX_SHARED_FACES:
            faces.setdefault(int(ffi.cast("uintptr_t", face)), [face, None])
        return face

    def object_data(hb_object, ot_color=None, glyph=None):
        shared = faces.get(int(ffi.cast("uintptr_t", hb_object))) if ot_color is None else None
        if shared is None:
            return data_of(hb_object, ot_color, glyph)
        if shared[1] is None:
            shared[1] = data_of(hb_object)
        return shared[1]

    fonts.get_pango_font_hb_face, fonts.get_hb_object_data = pango_font_face, object_data
    fonts.xxgk_shared_faces = faces


# Tables a PDF has no use for (WeasyPrint's list).
DROP_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")


def subset_in_one_pass() -> None:
    """Subset each embedded font with HarfBuzz once instead of twice.

    WeasyPrint 70 (`Font._harfbuzz_subset`) subsets a font keeping the used glyphs at their ids,
    then subsets the result again keeping glyphs 0..the last used one, to drop the empty glyphs
    after it and, there, the hints. With the Noto CJK fonts the used glyph ids reach ~60 000, so
    the second pass rewrites (and desubroutinises) ~60 000 glyphs again: ~0.1 s of a report's
    ~0.16 s of subsetting. One pass with WeasyPrint's flags of both passes keeps the same glyphs
    at the same ids, without hints; the font only keeps the empty glyphs after the last one used
    (a few KB compressed). Fonts without HarfBuzz-Subset keep WeasyPrint's fontTools path."""
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset

    if getattr(fonts.Font, "xxgk_one_pass", False) or not harfbuzz_subset:
        return
    from weasyprint.text.fonts import get_hb_object_data

    def one_pass(self, to_unicode, hinting):
        subset = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy)
        glyphs = sorted(to_unicode)
        harfbuzz.hb_set_add_sorted_array(harfbuzz_subset.hb_subset_input_glyph_set(subset),
                                         ffi.new("hb_codepoint_t[]", glyphs), len(glyphs))
        flags = (harfbuzz_subset.HB_SUBSET_FLAGS_RETAIN_GIDS | harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
                 | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE)
        if not hinting:
            flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
        if self.missing:
            flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
        harfbuzz_subset.hb_subset_input_set_flags(subset, flags)
        tags = [harfbuzz.hb_tag_from_string(name, -1) for name in DROP_TABLES]
        harfbuzz.hb_set_add_sorted_array(
            harfbuzz_subset.hb_subset_input_set(subset, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG),
            ffi.new("hb_codepoint_t[]", sorted(tags)), len(tags))
        face = ffi.gc(harfbuzz_subset.hb_subset_or_fail(self.hb_face, subset), harfbuzz.hb_face_destroy)
        content = get_hb_object_data(face) if face else None
        if content:
            self.file_content = content
        else:
            original(self, to_unicode, hinting)   # WeasyPrint's own, with its warning

    original = fonts.Font._harfbuzz_subset
    fonts.Font._harfbuzz_subset = one_pass
    fonts.Font.xxgk_one_pass = True
