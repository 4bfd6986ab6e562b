"""WeasyPrint's parsing of the page's <style> sheets, set up once per process: an adjustment of
WeasyPrint 70's `css` module that only saves time (~0.01 s of a report's ~0.4 s).

    share_style_sheets()   a <style> sheet seen before is not parsed again

Installed by pdf.font_config() with the font adjustments (weasyprint_fonts.py, same version
guard), tested against WeasyPrint's own parsing (tests/render/test_pdf_print.py).
"""
from __future__ import annotations

MAX_SHEETS = 32     # every report has the same sheet (report.css), a draft one more (its watermark)
# At-rules whose parsing changes the document's own state (fonts, counter styles, colour profiles,
# layer order) or reads other files: a sheet with one is parsed for each document, as WeasyPrint does.
STATEFUL = ("@font-face", "@counter-style", "@color-profile", "@import", "@layer")


def share_style_sheets() -> None:
    """Parse each <style> sheet once per process instead of once per document.

    WeasyPrint builds a `CSS` from the text of every <style> element of every document: tinycss2
    parses it and cssselect2 compiles its selectors into a matcher, ~0.01 s for report.css, the
    same sheet in every report. The parsed sheet is read-only once built (the cascade asks its
    matcher and reads its @page rules), so the `CSS` that `css.find_stylesheets` makes for a
    <style> text is kept, keyed by the text, base URL and medium, with its own lists of @page
    rules and layers (WeasyPrint passes each sheet the document's lists, which only the sheets
    themselves read: the cascade walks each sheet's `page_rules`). A sheet with an at-rule that
    changes the document's state (STATEFUL) is parsed each time, as before."""
    from weasyprint import css

    if getattr(css, "xxgk_shared_sheets", None) is not None:
        return
    sheets: dict[tuple, object] = {}
    parse = css.CSS

    def style_sheet(*args, string=None, base_url=None, media_type="print", page_rules=None, layers=None, **kw):
        if args or string is None or any(rule in string for rule in STATEFUL):
            return parse(*args, string=string, base_url=base_url, media_type=media_type,
                         page_rules=page_rules, layers=layers, **kw)
        key = (string, base_url, media_type)
        sheet = sheets.get(key)
        if sheet is None:
            sheet = parse(string=string, base_url=base_url, media_type=media_type, **kw)
            if len(sheets) < MAX_SHEETS:
                sheets[key] = sheet
        return sheet

    css.CSS = style_sheet
    css.xxgk_shared_sheets = sheets
