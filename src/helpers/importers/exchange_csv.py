"""The exchange CSV of FORMAT.md: one row per cell, the columns of `schema.EXCHANGE_HEADER`."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .. import csvfile
from ..errors import InputError, InvalidValue
from ..format import schema
from ..format.ids import check_agency_id, check_year
from ..format.model import Report, parse_value

HEADER = list(schema.EXCHANGE_HEADER)


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError(f"文件不是 UTF-8 编码（第 {exc.start} 字节）；交换格式 CSV 必须是 UTF-8 (not UTF-8)",
                         file=str(path), line=line) from None


def _records(text: str, path: Path):
    """The CSV records; a malformed file (a field beyond the csv module's size limit) is an InputError."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from reader
    except csv.Error as exc:
        raise InputError(f"CSV 格式有误：{exc} (malformed CSV)", file=str(path), line=reader.line_num) from None


def _all_keys() -> dict[str, dict[str, dict[str, schema.Field]]]:
    """table -> row -> col -> Field over every layout (to tell an unknown key from a wrong layout)."""
    keys: dict = {}
    for lay in schema.LAYOUTS.values():
        for t in lay.tables():
            for r, c, f in t.cells():
                keys.setdefault(t.id, {}).setdefault(r, {})[c] = f
    return keys


def read(path: Path, *, agency: str | None = None, year: int | None = None,
         partial: bool = False) -> list[Report]:
    """Parse and validate the whole file; return one Report per agency-year, in file order."""
    path = Path(path)
    text = _decode(path)
    if not text.strip():
        raise InputError("文件是空的 (empty file)", file=str(path))
    rows = _records(text, path)
    header = next(rows)
    if [h.strip() for h in header] != HEADER:
        raise InputError(f"表头应为 {','.join(HEADER)}，读到的是 {','.join(header)} (wrong header)",
                         file=str(path), line=1)
    known = _all_keys()
    reports: dict[tuple[str, int], Report] = {}
    seen: dict[tuple, int] = {}
    line = 1
    for line, rec in enumerate(rows, start=2):
        if not rec or all(not f.strip() for f in rec):
            continue
        if len(rec) != len(HEADER):
            raise InputError(f"应有 {len(HEADER)} 列，读到 {len(rec)} 列 (wrong number of fields)",
                             file=str(path), line=line)
        ag, yr, tb, rw, cl = (f.strip() for f in rec[:5])
        val = rec[5]
        try:
            check_agency_id(ag)
            yr_i = check_year(yr)
        except InputError as exc:
            raise exc.at(file=str(path), line=line) from None
        if agency and ag != agency:
            raise InputError(f"文件中的机构 {ag} 与 --agency {agency} 不符", file=str(path), line=line)
        if year and yr_i != int(year):
            raise InputError(f"文件中的年度 {yr_i} 与 --year {year} 不符", file=str(path), line=line)
        if tb not in known:
            raise InputError(f"未知的表 {tb!r}（应为 t2、t3 或 t4）(unknown table)", file=str(path), line=line, table=tb)
        tname = schema.table_name(tb)
        if rw not in known[tb]:
            raise InputError(f"未知的行 {rw!r} (unknown row key)", file=str(path), line=line, table=tname, row=rw)
        if cl not in known[tb][rw]:
            raise InputError(f"行 {rw} 没有列 {cl!r} (unknown column key)", file=str(path), line=line,
                             table=tname, row=rw, col=cl)
        field = known[tb][rw][cl]
        where = dict(file=str(path), line=line, table=tname, row=rw, col=cl)
        key = (ag, yr_i, tb, rw, cl)
        if key in seen:
            raise InputError(f"单元格重复，第 {seen[key]} 行已有 (duplicate cell)", **where)
        seen[key] = line
        try:
            cell = parse_value(val, field.kind)
        except InvalidValue as exc:
            raise exc.at(**where) from None
        # the exchange CSV has no narrative: storing it keeps the stored one (Report.narrative_complete)
        rep = reports.setdefault((ag, yr_i), Report(ag, yr_i, source=str(path), narrative_complete=False))
        rep.cells[(tb, rw, cl)] = cell
    if not reports:
        raise InputError("文件只有表头，没有数据 (no data rows)", file=str(path), line=line)
    for rep in reports.values():
        _settle_layout(rep, path)
    return list(reports.values())


def _settle_layout(rep: Report, path: Path) -> None:
    """Choose the layout from the keys present; reject mixtures; missing cells are an error."""
    keys = set(rep.cells)
    lay = schema.layout_for_keys(keys)
    if lay is None:
        raise InputError(f"{rep.agency} {rep.year}：行列组合不属于任何一种格式（2021、2019、2021 单行（六））"
                         f" (cells from different format versions mixed)", file=str(path))
    rep.layout = lay
    missing = rep.missing_cells()
    if missing:
        names = "、".join(schema.cell_label(lay, *k) for k in missing[:5])
        more = f" 等 {len(missing)} 个" if len(missing) > 5 else ""
        raise InputError(f"{rep.agency} {rep.year}：缺少单元格 {names}{more}（空白请写空值，不适用写 NA）"
                         f" (missing cells: write an empty value for blank)", file=str(path))


def write(reports: list[Report], out: io.TextIOBase) -> None:
    """Write reports in the exchange format, rows in the order of the tables."""
    # CRLF line ends, as RFC 4180 and the published sample files have them (csvfile's default)
    w = csvfile.writer(out)
    w.writerow(HEADER)
    for rep in reports:
        for (t, r, c), cell in rep.ordered_cells():
            w.writerow([rep.agency, rep.year, t, r, c, cell.text()])


def to_text(reports: list[Report]) -> str:
    buf = io.StringIO()
    write(reports, buf)
    return buf.getvalue()
