"""The exchange JSON (`xxgk export --format json`): everything the store holds of a report, so
that exporting and importing it again gives the same report back.

    {"format": "xxgk-exchange", "version": 1,
     "reports": [{"agency": ID, "year": N, "layout": ID,
                  "agency_record": {schema.Agency fields},
                  "cells": [{"table", "row", "col", "state": number|blank|na, "value": text}, ...],
                  "narrative": {section key: text}}]}

Cells are written as the exchange CSV writes them (`Cell.text`, every cell of the layout in its
order) and read with the same rule (`model.parse_value`), the state checked against the value.
"""
from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

from ..errors import InputError, InvalidValue
from ..format import schema
from ..format.ids import check_agency_id, check_year
from ..format.model import Report, parse_value

FORMAT = "xxgk-exchange"
VERSION = 1


def as_data(reports: list[Report], agencies: dict) -> dict:
    """The document for `reports`; `agencies` maps an agency id to its schema.Agency (if stored)."""
    out = []
    for r in reports:
        agency = agencies.get(r.agency)
        out.append({
            "agency": r.agency, "year": r.year, "layout": r.layout,
            "agency_record": agency.as_dict() if agency else None,
            "cells": [{"table": t, "row": row, "col": c, "state": cell.state, "value": cell.text()}
                      for (t, row, c), cell in r.ordered_cells()],
            "narrative": {k: r.narrative[k] for k in schema.NARRATIVE_KEYS if r.narrative.get(k)},
        })
    return {"format": FORMAT, "version": VERSION, "reports": out}


def to_text(reports: list[Report], agencies: dict) -> str:
    return json.dumps(as_data(reports, agencies), ensure_ascii=False, indent=1) + "\n"


def looks_like(head: bytes) -> bool:
    """Whether the first bytes of a file are this format's (importers.detect)."""
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and FORMAT.encode() in head[:200]


def _object(value, what: str, path: Path, where: dict | None = None) -> dict:
    if not isinstance(value, dict):
        raise InputError(f"{what}应为 JSON 对象 (object expected)", file=str(path), **(where or {}))
    return value


def _text(value, what: str, path: Path, where: dict | None = None) -> str:
    if not isinstance(value, str):
        raise InputError(f"{what}应为文本，读到的是 {json.dumps(value, ensure_ascii=False)[:40]} (text expected)",
                         file=str(path), **(where or {}))
    return value


def read(path: Path, *, agency: str | None = None, year: int | None = None,
         partial: bool = False) -> list[Report]:
    """Every report of the file, checked as strictly as the exchange CSV (known keys, every cell of
    the layout once, values that fit their field and state)."""
    path = Path(path)
    try:
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError("文件不是 UTF-8 编码 (not UTF-8)", file=str(path)) from None
    except ValueError as exc:
        raise InputError(f"JSON 格式有误：{exc} (malformed JSON)", file=str(path)) from None
    doc = _object(doc, "文件", path)
    if doc.get("format") != FORMAT or doc.get("version") != VERSION:
        raise InputError(f"不是 xxgk 导出的 JSON（应有 \"format\": \"{FORMAT}\", \"version\": {VERSION}）"
                         f" (not an xxgk exchange JSON)", file=str(path))
    items = doc.get("reports")
    if not isinstance(items, list) or not items:
        raise InputError("\"reports\" 应为非空列表 (no reports)", file=str(path))
    return [_report(_object(item, f"第 {i} 份报告", path), i, path, agency, year)
            for i, item in enumerate(items, start=1)]


def _report(item: dict, i: int, path: Path, agency: str | None, year: int | None) -> Report:
    where = f"第 {i} 份报告"
    try:
        ag = check_agency_id(_text(item.get("agency"), f"{where}的 agency ", path), f"{where}的 agency")
        yr = check_year(item.get("year"), f"{where}的 year")
    except InputError as exc:
        raise exc.at(file=str(path)) from None
    if agency and ag != agency:
        raise InputError(f"文件中的机构 {ag} 与 --agency {agency} 不符", file=str(path))
    if year and yr != int(year):
        raise InputError(f"文件中的年度 {yr} 与 --year {year} 不符", file=str(path))
    lay = item.get("layout")
    if lay not in schema.LAYOUTS:
        raise InputError(f"{ag} {yr}：未知的报告格式 {lay!r}（应为 {'、'.join(schema.LAYOUTS)}）(unknown layout)",
                         file=str(path))
    rep = Report(ag, yr, lay, source=str(path), agency_record=_record(item.get("agency_record"), ag, path))
    cells = item.get("cells")
    if not isinstance(cells, list):
        raise InputError(f"{ag} {yr}：\"cells\" 应为列表 (cells must be a list)", file=str(path))
    keys = schema.cell_keys(lay)
    for cell in cells:
        cell = _object(cell, f"{ag} {yr} 的单元格", path)
        t, r, c = (_text(cell.get(k), f"{ag} {yr} 单元格的 {k} ", path) for k in ("table", "row", "col"))
        loc = dict(file=str(path), table=schema.table_name(t), row=r, col=c)
        if (t, r, c) not in keys:
            raise InputError(f"{ag} {yr}：{lay} 格式没有这个单元格 (no such cell in the layout)", **loc)
        if (t, r, c) in rep.cells:
            raise InputError(f"{ag} {yr}：单元格重复 (duplicate cell)", **loc)
        try:
            parsed = parse_value(_text(cell.get("value"), "value ", path), schema.field_of(lay, t, r, c).kind)
        except InvalidValue as exc:
            raise exc.at(**loc) from None
        if parsed.state != cell.get("state"):
            raise InputError(f"{ag} {yr}：state {cell.get('state')!r} 与值 {cell.get('value')!r} 不符"
                             f" (state does not match the value)", **loc)
        rep.cells[(t, r, c)] = parsed
    missing = rep.missing_cells()
    if missing:
        names = "、".join(schema.cell_label(lay, *k) for k in missing[:5])
        raise InputError(f"{ag} {yr}：缺少单元格 {names}{f' 等 {len(missing)} 个' if len(missing) > 5 else ''}"
                         f" (missing cells)", file=str(path))
    narrative = _object(item.get("narrative") or {}, f"{ag} {yr} 的 narrative ", path)
    for key, text in narrative.items():
        if key not in schema.NARRATIVE_KEYS:
            raise InputError(f"{ag} {yr}：未知的正文部分 {key!r}（应为 {'、'.join(schema.NARRATIVE_KEYS)}）"
                             f" (unknown narrative section)", file=str(path))
        rep.narrative[key] = _text(text, f"{ag} {yr} 正文 {key} ", path)
    return rep


def _record(value, agency: str, path: Path) -> dict | None:
    """The agency record of a report (schema.Agency fields as text), or None if the file has none."""
    if value is None:
        return None
    value = _object(value, f"{agency} 的 agency_record ", path)
    unknown = set(value) - set(schema.AGENCY_FIELDS)
    if unknown:
        raise InputError(f"{agency} 的 agency_record 有未知字段 {', '.join(sorted(unknown))} (unknown fields)",
                         file=str(path))
    flags = {f.name for f in fields(schema.Agency) if isinstance(f.default, bool)}
    record = {}
    for k, v in value.items():
        if k in flags:
            if not isinstance(v, bool):
                raise InputError(f"{agency} 的 {k} 应为 true 或 false，读到的是 {json.dumps(v, ensure_ascii=False)[:40]}"
                                 f" (true or false expected)", file=str(path))
            record[k] = v
        else:
            record[k] = None if v is None and k == "parent_id" else _text(v, f"{agency} 的 {k} ", path)
    if not (record.get("name") or "").strip():
        raise InputError(f"{agency} 的 agency_record 没有机构名称 name (name missing)", file=str(path))
    if record.get("id", agency) != agency:
        raise InputError(f"agency_record 的 id {record['id']} 与报告的机构 {agency} 不符", file=str(path))
    record["id"] = agency
    return record
