"""The Word document's page and styles: what every report.docx starts from.

    base_document() -> bytes            A4 with 公文 margins, our styles, fonts, page numbers (cached)
    add_watermark(document)             Word's own diagonal "草稿" watermark on every page (drafts)

The page is the 公文's (GB/T 9704): A4, margins 37 mm top, 28 mm left, 35 mm bottom, 26 mm right,
the page number "— N —" in 4号 宋体 7 mm under the text. Paragraphs, headings, tables, charts,
captions and the 落款 are Word styles (Normal, Title, heading 1/2, Figure, caption, Table Text,
Table Label, Signature, Check Item), so an analyst restyles the whole report in one place. Sizes
and spacing follow report.css, so the Word pages break about where the PDF's do.

Fonts are the ones Word in a Chinese office has (方正小标宋简体, 黑体, 仿宋_GB2312, 宋体), named for
Latin and Chinese text alike (eastAsia); the font table gives each its Noto CJK family as the
alternative (w:altName), and fontconfig maps the names to the Noto families where the office fonts
are missing (templates/fontconfig/65-xxgk-office-fonts.conf, installed by the Makefile), so
LibreOffice never falls back to Japanese glyph forms.

The parts of python-docx's own template that a report has no use for (a thumbnail picture,
Word 2010 style effects, a bibliography, list numbering) are left out.
"""
from __future__ import annotations

import io
from functools import cache
from xml.sax.saxutils import quoteattr

from ...report.mode import Mode

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (f'xmlns:w="{W_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
      'xmlns:w10="urn:schemas-microsoft-com:office:word"')

# font roles -> (the font a Chinese office has, its Noto CJK alternative)
TITLE, HEADING, BODY, TABLE = "title", "heading", "body", "table"
FONTS = {
    TITLE: ("方正小标宋简体", "Noto Serif CJK SC"),
    HEADING: ("黑体", "Noto Sans CJK SC"),
    BODY: ("仿宋_GB2312", "Noto Serif CJK SC"),
    TABLE: ("宋体", "Noto Serif CJK SC"),
}
# what the font table says about each (GB2312 character set, as Word writes them)
_FONT_FAMILY = {"方正小标宋简体": "script", "黑体": "modern", "仿宋_GB2312": "modern", "宋体": "auto"}

MM = 56.6929          # twips per millimetre
PAGE = {"width": 210, "height": 297, "top": 37, "left": 28, "bottom": 35, "right": 26,
        "header": 15, "footer": 22}   # mm; the footer sits 7 mm under the text (35 - 7 - a 4号 line)
TEXT_WIDTH = round((PAGE["width"] - PAGE["left"] - PAGE["right"]) * MM)   # twips: 156 mm


def _fonts(role: str) -> str:
    name = FONTS[role][0]
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'


def _style(style_id: str, name: str, *, based_on: str | None = "Normal",
           font: str | None = None, size: float | None = None, bold: bool = False, color: str | None = None,
           jc: str | None = None, first_line_chars: int | None = None, hanging: float | None = None,
           before: float | None = None, after: float | None = None, line: float | str | None = None,
           keep_next: bool = False, outline: int | None = None, next_style: str | None = None,
           custom: bool = False) -> str:
    """One paragraph <w:style>; sizes in points (line: an exact line height, or "auto")."""
    ppr, rpr = [], []
    if keep_next:
        ppr += ["<w:keepNext/>", "<w:keepLines/>"]
    if before is not None or after is not None or line is not None:
        attrs = ""
        if before is not None:
            attrs += f' w:before="{round(before * 20)}"'
        if after is not None:
            attrs += f' w:after="{round(after * 20)}"'
        if line == "auto":      # single: a picture's line grows with it (an exact line would clip it)
            attrs += ' w:line="240" w:lineRule="auto"'
        elif line is not None:
            attrs += f' w:line="{round(line * 20)}" w:lineRule="exact"'
        ppr.append(f"<w:spacing{attrs}/>")
    if first_line_chars is not None:
        ppr.append(f'<w:ind w:firstLineChars="{first_line_chars * 100}" '
                   f'w:firstLine="{round(first_line_chars * (size or 12) * 20)}"/>')
    elif hanging is not None:
        ppr.append(f'<w:ind w:left="{round(hanging * 20)}" w:hanging="{round(hanging * 20)}"/>')
    if jc:
        ppr.append(f'<w:jc w:val="{jc}"/>')
    if outline is not None:
        ppr.append(f'<w:outlineLvl w:val="{outline}"/>')
    if font:
        rpr.append(_fonts(font))
    if bold:
        rpr += ["<w:b/>", "<w:bCs/>"]
    if color:
        rpr.append(f'<w:color w:val="{color}"/>')
    if size:
        rpr += [f'<w:sz w:val="{round(size * 2)}"/>', f'<w:szCs w:val="{round(size * 2)}"/>']
    flag = ' w:customStyle="1"' if custom else ""
    parts = [f'<w:style w:type="paragraph" w:styleId="{style_id}"{flag}>',
             f"<w:name w:val={quoteattr(name)}/>"]
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_style:
        parts.append(f'<w:next w:val="{next_style}"/>')
    parts.append("<w:qFormat/>")
    if ppr:
        parts.append("<w:pPr>" + "".join(ppr) + "</w:pPr>")
    if rpr:
        parts.append("<w:rPr>" + "".join(rpr) + "</w:rPr>")
    parts.append("</w:style>")
    return "".join(parts)


BODY_SIZE, BODY_LINE = 12, 21.6          # report.css: 12pt, line-height 1.8
TABLE_SIZE, TABLE_LINE = 9.5, 13.8       # 9.5pt, line-height 1.45


def styles_xml() -> bytes:
    styles = [
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        f'<w:pPr><w:widowControl/><w:spacing w:before="0" w:after="{round(BODY_SIZE * 0.4 * 20)}" '
        f'w:line="{round(BODY_LINE * 20)}" w:lineRule="exact"/>'
        f'<w:ind w:firstLineChars="200" w:firstLine="{BODY_SIZE * 2 * 20}"/><w:jc w:val="both"/></w:pPr>'
        f'<w:rPr>{_fonts(BODY)}<w:sz w:val="{BODY_SIZE * 2}"/><w:szCs w:val="{BODY_SIZE * 2}"/></w:rPr></w:style>',
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>',
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:semiHidden/></w:style>',
        _style("Title", "Title", font=TITLE, size=20, bold=True, jc="center", first_line_chars=0,
               before=8, after=25, line=30, next_style="Normal"),
        _style("Heading1", "heading 1", font=HEADING, size=14, jc="left", first_line_chars=0,
               before=19.6, after=8.4, line=25.2, keep_next=True, outline=0, next_style="Normal"),
        _style("Heading2", "heading 2", font=BODY, size=BODY_SIZE, bold=True, keep_next=True, outline=1,
               next_style="Normal"),
        _style("Figure", "Figure", jc="center", first_line_chars=0, before=9.6, after=14.4, line="auto",
               custom=True),
        _style("Caption", "caption", font=TABLE, size=10.5, jc="center", first_line_chars=0, before=0, after=12,
               line=16),
        _style("TableText", "Table Text", based_on=None, font=TABLE, size=TABLE_SIZE, jc="center",
               first_line_chars=0, before=0, after=0, line=TABLE_LINE, custom=True),
        _style("TableLabel", "Table Label", based_on="TableText", jc="left", custom=True),
        _style("Signature", "Signature", jc="right", first_line_chars=0, after=0),
        _style("CheckItem", "Check Item", based_on=None, font=BODY, size=10.5, jc="left", hanging=21, after=3,
               line=16, custom=True),
        _style("Header", "header", font=TABLE, jc="center", first_line_chars=0, after=0),
        _style("Footer", "footer", font=TABLE, size=14, jc="center", first_line_chars=0, after=0, line=20),
    ]
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles {NS}>'
            f'<w:docDefaults><w:rPrDefault><w:rPr>{_fonts(BODY)}<w:kern w:val="2"/>'
            f'<w:sz w:val="{BODY_SIZE * 2}"/><w:szCs w:val="{BODY_SIZE * 2}"/>'
            '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
            # no automatic space between Chinese and Latin letters or digits: the text is printed as written
            '<w:pPrDefault><w:pPr><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:spacing w:after="0"/>'
            '</w:pPr></w:pPrDefault></w:docDefaults>'
            + "".join(styles) + "</w:styles>").encode("utf-8")


def font_table_xml() -> bytes:
    """The fonts the styles name, each with its Noto CJK alternative and the GB2312 character set."""
    fonts = []
    for name, alt in dict(FONTS.values()).items():
        fonts.append(f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
                     f'<w:family w:val="{_FONT_FAMILY[name]}"/><w:pitch w:val="variable"/></w:font>')
    for alt in sorted({alt for _, alt in FONTS.values()}):
        fonts.append(f'<w:font w:name="{alt}"><w:charset w:val="86"/><w:family w:val="auto"/>'
                     '<w:pitch w:val="variable"/></w:font>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts {NS}>'
            + "".join(fonts) + "</w:fonts>").encode("utf-8")


def _settings(document) -> None:
    from docx.oxml.ns import qn
    settings = document.settings.element
    for tag in ("w:savePreviewPicture", "w:rsids", "w:proofState", "w:attachedTemplate"):
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _drop_unused_parts(document) -> None:
    """Parts of python-docx's template a report does not use: gone, so nothing stale ships."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    unused = {RT.CUSTOM_XML, RT.NUMBERING, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"}
    rels = document.part.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype in unused]:
        del rels[rid]
    package_rels = document.part.package.rels
    for rid in [rid for rid, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        del package_rels[rid]


def _page(document) -> None:
    from docx.shared import Mm
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE["width"]), Mm(PAGE["height"])
    section.top_margin, section.bottom_margin = Mm(PAGE["top"]), Mm(PAGE["bottom"])
    section.left_margin, section.right_margin = Mm(PAGE["left"]), Mm(PAGE["right"])
    section.header_distance, section.footer_distance = Mm(PAGE["header"]), Mm(PAGE["footer"])
    section.gutter = 0
    _page_number(section.footer)


def _page_number(footer) -> None:
    """'— N —' centred in the footer: the number is Word's PAGE field."""
    from docx.oxml import parse_xml
    paragraph = footer.paragraphs[0]
    paragraph.style = "Footer"
    dash = "—"
    paragraph._p.append(parse_xml(f'<w:r {NS}><w:t xml:space="preserve">{dash} </w:t></w:r>'))
    paragraph._p.append(parse_xml(
        f'<w:fldSimple {NS} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    paragraph._p.append(parse_xml(f'<w:r {NS}><w:t xml:space="preserve"> {dash}</w:t></w:r>'))


@cache
def base_document() -> bytes:
    """The empty report document, built once per process (a sweep's workers inherit it)."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    document = docx.Document()
    document.part._styles_part._element = parse_xml(styles_xml())
    document.part.part_related_by(RT.FONT_TABLE)._blob = font_table_xml()
    _settings(document)
    _drop_unused_parts(document)
    _page(document)
    body = document.element.body
    for p in body.findall(f"{{{W_NS}}}p"):      # the template's empty first paragraph
        body.remove(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


# Word's own watermark (Design > Watermark): WordArt text in the header, behind the text, on
# every page; Word and LibreOffice show it and can remove it with their watermark dialogs.
_WATERMARK_SHAPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/>'
    '<v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>'
    '<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/>'
    '<v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>'
    '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
    'o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/>'
    '<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
    '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>')


WATERMARK_COLOR, WATERMARK_OPACITY = "#e0e0e0", "0.5"    # light: LibreOffice ignores the opacity


def add_watermark(document, text: str = Mode.DRAFT.label) -> None:
    """A light grey "草稿" rotated across the middle of every page (in the header, behind the text)."""
    from docx.oxml import parse_xml
    from xml.sax.saxutils import escape
    header = document.sections[0].header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.style = "Header"
    font = FONTS[HEADING][0]
    paragraph._p.append(parse_xml(
        f'<w:r {NS}><w:rPr><w:noProof/></w:rPr><w:pict>{_WATERMARK_SHAPE}'
        f'<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s1025" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:360pt;height:180pt;rotation:325;'
        'z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
        'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
        f'fillcolor="{WATERMARK_COLOR}" stroked="f"><v:fill opacity="{WATERMARK_OPACITY}"/>'
        f'<v:textpath style="font-family:&quot;{font}&quot;;font-size:1pt" string="{escape(text)}"/>'
        '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'))
