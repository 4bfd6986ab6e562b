"""The report title and the generated preamble (used when the store has no preamble text).

The preamble follows published reports (see data/samples/qianjindao-2023.txt): legal basis,
compiling body, the list of sections, the statistics period and a contact. Empty contact parts
are left out rather than printed blank.
"""
from __future__ import annotations

from ..format import schema

LEGAL_BASIS = "《中华人民共和国政府信息公开条例》"
CONTACT_FIELDS = (("address", "地址"), ("postcode", "邮编"), ("telephone", "电话"))


def _field(agency, name: str) -> str:
    """A field of an agency record: schema.Agency, a dict (Report.agency_record) or None."""
    if agency is None:
        return ""
    value = agency.get(name) if isinstance(agency, dict) else getattr(agency, name, "")
    return str(value or "").strip()


def agency_name(agency) -> str:
    """The agency's name; a plain string is taken as the name itself."""
    if isinstance(agency, str):
        return agency.strip()
    if agency is None:
        return ""
    return _field(agency, "name")


def title_text(agency, year: int) -> str:
    """'<agency name><year>年政府信息公开工作年度报告'."""
    return f"{agency_name(agency)}{int(year)}年{schema.REPORT_TITLE}"


def preamble_text(report, agency) -> str:
    """The preamble for `report` (any object with .year) compiled by `agency`."""
    year = int(report.year)
    name = agency_name(agency) or "本机关"
    sections = "；".join(s.heading for s in schema.SECTIONS)
    parts = [
        f"本年度报告根据{LEGAL_BASIS}要求，由{name}编制。",
        f"全文包括：{sections}。",
        f"本年度报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
    ]
    contact = "，".join(f"{label}：{_field(agency, key)}" for key, label in CONTACT_FIELDS if _field(agency, key))
    if contact:
        parts.append(f"如对本年度报告有任何疑问，请与{name}联系（{contact}）。")
    return "".join(parts)
