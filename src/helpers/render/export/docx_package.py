"""What the Word package says about the report, and its bytes.

    PageInfo.from_head(page)          the title, date and provenance the HTML page carries in <head>
    set_properties(document, info)    core properties (title, author, dates, identifier = input key)
                                      and custom properties (every xxgk:* record of the page)
    normalized(data, date) -> bytes   the zip with fixed timestamps: same inputs, same bytes

Provenance stays off the page: in the document's properties, as in the PDF's metadata.
"""
from __future__ import annotations

import datetime as _dt
import io
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from ...format import schema

CUSTOM_PROPERTIES_URI = "/docProps/custom.xml"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"    # the property set of user-defined properties
META_PREFIX = "xxgk:"


@dataclass
class PageInfo:
    title: str = ""
    author: str = ""
    keywords: str = ""
    created: _dt.datetime = _dt.datetime(1980, 1, 1, tzinfo=_dt.timezone.utc)
    record: dict[str, str] = field(default_factory=dict)    # xxgk:* metas, without the prefix

    @classmethod
    def from_head(cls, page) -> "PageInfo":
        metas = {m.get("name"): m.get("content") or "" for m in page.iter("meta") if m.get("name")}
        title = page.find(".//title")
        info = cls(title=(title.text_content() if title is not None else "").strip(),
                   author=metas.get("author", ""), keywords=metas.get("keywords", ""),
                   record={k[len(META_PREFIX):]: v for k, v in metas.items() if k.startswith(META_PREFIX)})
        if metas.get("dcterms.created"):
            info.created = _dt.datetime.fromisoformat(metas["dcterms.created"].replace("Z", "+00:00"))
        return info

    @property
    def mode(self) -> str:
        return self.record.get("mode", "")


def set_properties(document, info: PageInfo) -> None:
    core = document.core_properties
    core.title = info.title
    core.subject = schema.REPORT_TITLE
    core.author = core.last_modified_by = info.author
    core.keywords = info.keywords
    core.comments = ""
    core.category = info.mode
    core.identifier = info.record.get("input_key", "")
    core.language = "zh-CN"
    core.version = info.record.get("version:xxgk", "")
    core.revision = 1
    created = info.created.replace(tzinfo=None)      # python-docx writes naive datetimes as UTC
    core.created = core.modified = created
    _custom_properties(document, info.record)
    _app_properties(document, info.record.get("version:xxgk", ""))


def _custom_properties(document, record: dict[str, str]) -> None:
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    props = "".join(f'<property fmtid="{_FMTID}" pid="{i}" name={quoteattr(META_PREFIX + key)}>'
                    f"<vt:lpwstr>{escape(str(value))}</vt:lpwstr></property>"
                    for i, (key, value) in enumerate(sorted(record.items()), start=2))
    blob = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            f'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{props}</Properties>')
    package = document.part.package
    part = Part(PackURI(CUSTOM_PROPERTIES_URI), CT.OFC_CUSTOM_PROPERTIES, blob.encode("utf-8"), package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def _app_properties(document, version: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    app = document.part.package.part_related_by(RT.EXTENDED_PROPERTIES)
    app._blob = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                 f"<Application>{escape(f'xxgk {version}'.strip())}</Application><DocSecurity>0</DocSecurity>"
                 "<LinksUpToDate>false</LinksUpToDate></Properties>").encode("utf-8")


def normalized(data: bytes, when: _dt.datetime) -> bytes:
    """The package re-zipped in the same order with every member dated `when` (the zip format
    stores local times, so python-docx would write the time of saving) and readable by all."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item))
    return out.getvalue()
