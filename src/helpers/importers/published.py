"""From the blocks of a published report (any reader) to a Report: tables, narrative, agency, year."""
from __future__ import annotations

from pathlib import Path

from .. import limits
from ..errors import InputError, InvalidAgencyId
from ..format import schema
from ..format.ids import check_agency_id
from ..format.model import Report
from . import generated_text, identity, sections, tables
from .grid import Block, Paragraph
from .placement import Placement

_LAYOUT_OF = {(l.t2, l.t3): l.id for l in schema.LAYOUTS.values()}


def _layout(versions: dict[str, str], year: int, path: str) -> str:
    # what the text proves decides; the year only what it does not (itemised （六） exists only in
    # the 2021 table 二's layout, the 2019 table 二 only with the single row)
    default = schema.layout(schema.default_layout_for_year(year))
    t2 = versions.get("t2", "2021" if versions.get("t3") == "2021" else default.t2)
    t3 = versions.get("t3", "2019" if t2 == "2019" else default.t3)
    lay = _LAYOUT_OF.get((t2, t3))
    if lay is None:
        raise InputError(f"{schema.table_name('t2')}是 {t2} 年格式，{schema.table_name('t3')}是 {t3} 年格式：没有这种组合"
                         f" (mixed format versions)", file=path)
    return lay


def check_length(chars: int, path: Path | str) -> None:
    """Refuse a text longer than any report (limits.REPORT_CHARS) before it is read."""
    if chars > limits.REPORT_CHARS:
        raise InputError(f"文本共 {chars:,} 个字符，超过上限 {limits.REPORT_CHARS:,}，不像一份年度报告"
                         f" (text too long for an annual report)", file=str(path))


def _chars(blocks: list[Block]) -> int:
    return sum(len(b.text) if isinstance(b, Paragraph) else sum(len(c or "") for r in b.rows for c in r)
               for b in blocks)


def build(path: Path | str, blocks: list[Block], *, agency: str | None, year: int | None,
          partial: bool, placed: Placement | None = None) -> list[Report]:
    """The report of `blocks`; `placed`: their tables, if already placed (tables.place)."""
    path = str(path)
    check_length(_chars(blocks), path)
    narr = sections.split(blocks, path)
    placed = placed or tables.place(blocks, path)
    if not placed.found:
        raise InputError(f"这不是{schema.REPORT_TITLE}：找不到{'、'.join(map(schema.table_name, schema.TABLE_IDS))}的行名"
                         " (not an annual report: no table labels found)", file=path)
    if agency:
        try:
            check_agency_id(agency, "--agency")
        except InvalidAgencyId as exc:
            raise exc.at(file=path) from None
    else:
        agency = identity.agency_from_path(path)
    found_year = sections.year_of(narr)
    if year is None:
        if found_year is None:
            raise InputError("报告中找不到年度（标题或统计期限），请用 --year 指定 (no year found: give --year)",
                             file=path)
        year = found_year
    year = int(year)
    if sections.title_year(narr) not in (None, year):
        raise InputError(f"报告标题是 {sections.title_year(narr)} 年度，与 --year {year} 不符"
                         f" (the title names another year)", file=path)
    layout = _layout(placed.versions, year, path)
    rep = Report(agency, year, layout, source=path)
    rep.agency_name = sections.agency_name_of(narr)
    rep.narrative = dict(narr.sections)
    own = schema.cell_keys(layout)
    rep.cells = {k: c for k, c in placed.cells.items() if k in own}
    generated_text.strip_generated(rep)     # what our own renderer added is not narrative
    unread = list(placed.unread)
    problems = list(placed.problems)
    for t in schema.layout(layout).tables():
        if t.id not in placed.found:
            unread.append(f"{schema.table_name(t.id)}：找不到表格 (table not found)")
            problems.append(InputError("找不到表格 (table not found)", file=path, table=schema.table_name(t.id)))
            continue
        missing = [k for k in own if k[0] == t.id and k not in rep.cells]
        if missing and not any(e.table == schema.table_name(t.id) for e in problems):
            # every cell not read is accounted for, even where no reader said why
            msg = f"有 {len(missing)} 个单元格未能读出 ({len(missing)} cells not read)"
            unread.append(f"{schema.table_name(t.id)}：{msg}")
            problems.append(InputError(msg, file=path, table=schema.table_name(t.id)))
    rep.unread = unread
    if problems and not partial:
        first = problems[0]
        more = "；".join(unread[1:6]) + (f" 等共 {len(unread)} 处" if len(unread) > 6 else "")
        raise InputError(first.detail + (f"；另有：{more}" if more else "") + "（可用 --partial 导入已读出的部分）(use --partial to import what was read)",
                         file=path, table=first.table, row=first.row, col=first.col, problems=unread)
    return [rep]
