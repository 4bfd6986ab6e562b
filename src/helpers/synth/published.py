"""Reports written the way agencies publish them (pipe/tab text, HTML tables), with the variants
real reports show, for testing and measuring the importers.

Labels come from helpers.format.schema; the options imitate what FORMAT.md lists under "What real
published reports look like" (separators, full-width digits, "1、", spaces inside labels,
thousands separators, a blank 总计 column, the 2019 layout, the single-row （六）).
"""
from __future__ import annotations

import html as htmlmod
from decimal import Decimal

from ..format import schema
from ..format.model import Cell, Report

FULLWIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")

PREAMBLE = ("本年度报告根据《中华人民共和国政府信息公开条例》要求编制。本年度报告中所列数据的统计期限自{y}年1月1日起"
            "至{y}年12月31日止。如对本报告有疑问，请联系办公室（电话：0000-1234567）。")
BODY = {
    "overview": "{y}年，本机关认真贯彻落实《条例》，政府信息公开工作平稳有序。\n（一）主动公开情况\n全年主动公开政府信息120条。",
    "problems": "（一）存在的问题。公开内容还不够全面。\n（二）改进情况。下一步将加强培训。",
    "other": "本年度未收取信息处理费。",
}


def numbered(agency: str, year: int, layout: str) -> Report:
    """A report whose cells all differ (so a misplaced cell shows), amounts with decimals."""
    rep = Report(agency, year, layout)
    for i, (t, r, c) in enumerate(schema.cell_order(layout)):
        kind = schema.field_of(layout, t, r, c).kind
        if kind == schema.AMOUNT:
            rep.cells[(t, r, c)] = Cell.number(Decimal(f"{1000 + i}.25"))
        elif kind == schema.DELTA:
            rep.cells[(t, r, c)] = Cell.number(-i if i % 2 else i)
        else:
            rep.cells[(t, r, c)] = Cell.number(1000 + 37 * i)
    rep.narrative = {"preamble": PREAMBLE.format(y=year), **{k: v.format(y=year) for k, v in BODY.items()}}
    return rep


def _fmt(cell: Cell, *, fullwidth=False, thousands=False, blank="") -> str:
    if cell.state == schema.BLANK:
        return blank
    if cell.state == schema.NA:
        return schema.NA_TEXT
    text = f"{cell.value:,}" if thousands and isinstance(cell.value, int) else cell.text()
    return text.translate(FULLWIDTH) if fullwidth else text


def _label(text: str, *, enum_comma=False, spaced=False) -> str:
    if enum_comma and len(text) > 2 and text[0].isdigit() and text[1] == ".":
        text = text[0] + "、" + text[2:]
    if spaced:  # "(三) 不予 公开": half-width brackets and spaces inside labels
        text = text.replace("（", "(").replace("）", ") ")
        text = " ".join(text[i:i + 4] for i in range(0, len(text), 4))
    return text


def text_report(rep: Report, *, sep=" | ", fullwidth=False, thousands=False, enum_comma=False,
                spaced=False, drop_total=False, title=True, blank="", md_pipes=False) -> str:
    """The report as plain text with table rows as separated cells (like the seed); md_pipes
    writes Markdown rows "| a | b |" (an empty first cell is then visible)."""
    if md_pipes:
        text = text_report(rep, sep=" | ", fullwidth=fullwidth, thousands=thousands, enum_comma=enum_comma,
                           spaced=spaced, drop_total=drop_total, title=title, blank=blank)
        return "\n".join(f"| {line} |" if " | " in line else line for line in text.split("\n"))
    f = lambda c: _fmt(c, fullwidth=fullwidth, thousands=thousands, blank=blank)  # noqa: E731
    lab = lambda t: _label(t, enum_comma=enum_comma, spaced=spaced)  # noqa: E731
    lines = []
    if title:
        lines.append(f"测试县人民政府{rep.year}年{schema.REPORT_TITLE}")
    lines.append(rep.narrative.get("preamble", ""))
    secs = {s.key: s for s in schema.SECTIONS}
    lines += [secs["overview"].heading, rep.narrative.get("overview", "")]
    lines.append(secs["proactive"].heading)
    t2, t3, t4 = rep.tables()
    for b in t2.blocks:
        lines.append(b.caption)
        lines.append(sep.join((schema.T2_ROW_LABEL_HEADER,) + b.header))
        for r in b.rows:
            lines.append(sep.join([r.label] + [f(rep.get("t2", r.key, fl.key)) for fl in r.fields]))
    lines.append(secs["requests"].heading)
    lines.append(t3.note + sep + "申请人情况")
    cols = [c for c in t3.columns if not (drop_total and c.key == "total")]
    lines.append(sep.join(c.label for c in cols))
    seen_groups = set()
    for r in t3.rows:
        cells = []
        for g in r.groups[1:]:
            if g not in seen_groups:
                cells.append(lab(g))
                seen_groups.add(g)
        cells.append(lab(r.label))
        cells += [f(rep.get("t3", r.key, c.key)) for c in cols]
        lines.append(sep.join(cells))
    lines.append(secs["appeals"].heading)
    lines.append(sep.join(["行政复议", "行政诉讼"]))
    lines.append(sep.join(fl.label for fl in t4.columns) + sep + "未经复议直接起诉" + sep + "复议后起诉")
    lines.append(sep.join(f(rep.get("t4", g, fl.key)) for g, _ in schema.T4_GROUPS for fl in t4.columns))
    lines += [secs["problems"].heading, rep.narrative.get("problems", "")]
    lines += [secs["other"].heading, rep.narrative.get("other", "")]
    return "\n".join(lines) + "\n"


def _td(text, rowspan=1, colspan=1) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return f"<td{attrs}>{htmlmod.escape(text) if text else '&nbsp;'}</td>"


def html_report(rep: Report, *, extra_body: str = "", borders: bool = True) -> str:
    """The report as an HTML page with the official merged-cell tables."""
    secs = {s.key: s for s in schema.SECTIONS}
    t2, t3, t4 = rep.tables()
    p = lambda t: "".join(f"<p>{htmlmod.escape(x)}</p>" for x in t.split("\n") if x)  # noqa: E731
    out = [f"<h1>测试县人民政府{rep.year}年{schema.REPORT_TITLE}</h1>", p(rep.narrative.get("preamble", "")),
           f"<p>{secs['overview'].heading}</p>", p(rep.narrative.get("overview", "")),
           f"<p>{secs['proactive'].heading}</p>", "<table>"]
    w = t2.width
    for b in t2.blocks:
        out.append("<tr>" + _td(b.caption, colspan=w) + "</tr>")
        span = w - len(b.header)
        out.append("<tr>" + _td(schema.T2_ROW_LABEL_HEADER) + "".join(
            _td(h, colspan=(1 + span if i == len(b.header) - 1 else 1)) for i, h in enumerate(b.header)) + "</tr>")
        for r in b.rows:
            vals = [_fmt(rep.get("t2", r.key, fl.key)) for fl in r.fields]
            out.append("<tr>" + _td(r.label) + "".join(
                _td(v, colspan=(1 + span if i == len(vals) - 1 else 1)) for i, v in enumerate(vals)) + "</tr>")
    out.append("</table>")
    out.append(f"<p>{secs['requests'].heading}</p><table>")
    for hr in t3.header:
        out.append("<tr>" + "".join(_td(h.label, h.rowspan, h.colspan) for h in hr) + "</tr>")
    group_rows: dict[str, int] = {}
    for r in t3.rows:
        for g in r.groups:
            group_rows[g] = group_rows.get(g, 0) + 1
    started = set()
    for r in t3.rows:
        cells = []
        for depth, g in enumerate(r.groups):
            if g not in started:
                started.add(g)
                cells.append(_td(g, rowspan=group_rows[g]))
        cells.append(_td(r.label, colspan=3 - len(r.groups)))
        cells += [_td(_fmt(rep.get("t3", r.key, c.key))) for c in t3.columns]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    out.append(f"<p>{secs['appeals'].heading}</p><table>")
    for hr in t4.header:
        out.append("<tr>" + "".join(_td(h.label, h.rowspan, h.colspan) for h in hr) + "</tr>")
    out.append("<tr>" + "".join(_td(_fmt(rep.get("t4", g, fl.key))) for g, _ in schema.T4_GROUPS
                                 for fl in t4.columns) + "</tr></table>")
    out += [f"<p>{secs['problems'].heading}</p>", p(rep.narrative.get("problems", "")),
            f"<p>{secs['other'].heading}</p>", p(rep.narrative.get("other", "")), extra_body]
    style = ("<style>table{border-collapse:collapse} td{border:1px solid #000;padding:2px;font-size:9pt}"
             " body{font-family:'Noto Serif CJK SC'}</style>") if borders else ""
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">{style}</head><body>'
            + "\n".join(out) + "</body></html>")
