"""The report's HTML -> PDF with WeasyPrint, in-process: A4, fonts embedded as CID subsets,
page numbers in the footer, and the same bytes for the same HTML."""
from __future__ import annotations

from functools import cache


@cache
def font_config():
    """One fontconfig set-up per process (WeasyPrint would build one per document)."""
    from weasyprint.text.fonts import FontConfiguration
    return FontConfiguration()


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    from weasyprint import HTML
    # custom_metadata puts the page's <meta name="xxgk:..."> into the PDF's document info;
    # no pdf_identifier and dates from the page's dcterms metas keep the bytes reproducible.
    return HTML(string=html, base_url=base_url).write_pdf(
        font_config=font_config(), custom_metadata=True, pdf_identifier=None)


def warm_up() -> None:
    """Load WeasyPrint, fontconfig and the CJK fonts once (before a sweep forks its workers)."""
    html_to_pdf('<html lang="zh-CN"><body style="font-family: \'Noto Serif CJK SC\'">'
                '预热<b style="font-family: \'Noto Sans CJK SC\'">字体</b></body></html>')
