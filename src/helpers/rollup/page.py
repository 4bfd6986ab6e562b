"""The HTML fragments of the roll-up page (escaped here; the notebook only arranges them).

Tables the reader may sort carry `data-sortable`; each sortable cell carries its sort value in
`data-value` (numbers as numbers, missing as empty), and the page's small script (the report
template's sort.js, included for roll-ups only) sorts by it when a column heading is clicked.
"""
from __future__ import annotations

import math

import pandas as pd
from markupsafe import escape

from ..format import derived, schema
from ..report.html_fragment import HtmlFragment
from ..report.tables import finding_place
from . import league as league_mod
from . import status as st

SECTIONS = (
    ("status", "一、下级单位报送情况"),
    ("tables", "二、汇总表"),
    ("league", "三、各单位情况比较"),
    ("charts", "四、图表"),
    ("problems", "五、跨年度问题"),
)
CROSS_YEAR_RULES = ("carry_over", "stock_continuity")
TITLE_SUFFIX = "政府信息公开工作年度报告汇总"
ALL_AGENCIES = "全部机构"


def heading(key: str) -> HtmlFragment:
    return HtmlFragment(f'<h2 class="section" id="rollup-{key}">{escape(dict(SECTIONS)[key])}</h2>')


def title_text(parent, year: int) -> str:
    return f"{parent.name if parent else ALL_AGENCIES}{year}年度{TITLE_SUFFIX}"


def _cell(value, *, css: str = "", sort=None) -> str:
    """A <td> with its sort value; `value` is shown as text."""
    attrs = f' class="{css}"' if css else ""
    if sort is not None:
        attrs += f' data-value="{escape(str(sort))}"'
    return f"<td{attrs}>{escape(str(value))}</td>"


def _head(columns: list[tuple[str, str]], sortable: bool) -> str:
    """<thead>; columns are (label, "num" | "text")."""
    ths = []
    for label, kind in columns:
        if sortable:
            ths.append(f'<th scope="col" data-type="{kind}"><button type="button">{escape(label)}</button></th>')
        else:
            ths.append(f'<th scope="col">{escape(label)}</th>')
    return "<thead><tr>" + "".join(ths) + "</tr></thead>"


def _table(css: str, columns, rows: list[str], sortable: bool = True) -> str:
    flag = " data-sortable" if sortable else ""
    return (f'<table class="{css}"{flag}>{_head(columns, sortable)}<tbody>' + "".join(rows)
            + "</tbody></table>")


# --- 一、status ----------------------------------------------------------------------------------
def status_summary(items: list[st.UnitStatus], year: int) -> HtmlFragment:
    c = st.counts(items)
    parts = [f"{st.STATUS_LABELS[k]} {c[k]} 家" for k in st.STATUS_ORDER if c[k] or k != st.COMPUTED]
    text = (f"下级单位共 {c['total']} 家，已报送 {year} 年度数据 {c['reported']} 家：" + "，".join(parts)
            + f"；正文不完整 {c['narrative_incomplete']} 家。")
    return HtmlFragment(f'<p class="rollup-summary">{escape(text)}</p>')


def _narrative_text(u: st.UnitStatus) -> str:
    if u.narrative_complete is None:
        return "—"
    return "完整" if u.narrative_complete else "缺少：" + "、".join(s.split("、")[0] for s in
                                                              u.as_dict()["missing_sections"])


def status_table(items: list[st.UnitStatus]) -> HtmlFragment:
    cols = [("机构", "text"), ("机构标识", "text"), ("层级", "text"), ("状态", "text"), ("错误", "num"),
            ("提示", "num"), ("正文", "text")]
    rows = []
    for u in items:
        indent = "　" * (u.depth - 1)
        rows.append(f'<tr class="status-{u.status}" data-agency="{escape(u.agency)}">'
                    + _cell(indent + u.name, sort=u.name) + _cell(u.agency, sort=u.agency)
                    + _cell(u.level or "—", sort=u.level)
                    + _cell(u.label, css=f"status {u.status}", sort=st.STATUS_ORDER.index(u.status))
                    + _cell(u.errors if u.reported else "—", css="num", sort=u.errors if u.reported else "")
                    + _cell(u.warnings if u.reported else "—", css="num", sort=u.warnings if u.reported else "")
                    + _cell(_narrative_text(u), sort=int(bool(u.narrative_complete))) + "</tr>")
    return HtmlFragment(_table("rollup status", cols, rows))


def fix_list(items: list[st.UnitStatus], layouts: dict[str, str]) -> HtmlFragment:
    """What each unit must fix: its findings (errors first) with rule, cell and message."""
    blocks = []
    for u in items:
        if not u.findings and not u.missing_sections:
            continue
        lis = []
        for f in sorted(u.findings, key=lambda f: f.severity != schema.ERROR):
            rule = schema.RULES.get(f.rule)
            lis.append(f'<li class="finding {escape(f.severity)}"><span class="severity">'
                       f'{escape(schema.SEVERITY_LABELS[f.severity])}</span> '
                       f'<span class="where">{escape(finding_place(f, layouts.get(u.agency, schema.DEFAULT_LAYOUT)))}</span>：'
                       f'<span class="message">{escape(f.message)}</span> '
                       f'<span class="rule">[{escape(f.rule)}{("：" + escape(rule.title)) if rule else ""}]</span></li>')
        if u.missing_sections:
            lis.append('<li class="finding narrative"><span class="severity">正文</span> 缺少：'
                       + escape("、".join(u.as_dict()["missing_sections"])) + "</li>")
        blocks.append(f'<div class="unit-fixes" id="fix-{escape(u.agency)}"><h3>{escape(u.name)}（{escape(u.agency)}）'
                      f'</h3><ol>{"".join(lis)}</ol></div>')
    if not blocks:
        return HtmlFragment('<p class="rollup-ok">各单位数据均未发现问题，正文完整。</p>')
    return HtmlFragment('<h3 class="sub">需要改正的问题</h3>' + "".join(blocks))


# --- 二、aggregate tables ------------------------------------------------------------------------
def aggregate_note(agg, names: dict[str, str]) -> HtmlFragment:
    lay = schema.layout(agg.report.layout)
    parts = [f"下表为 {len(agg.units)} 家下级单位数据之和（{lay.description}）。"]
    if agg.missing:
        parts.append(f"未报送的 {len(agg.missing)} 家单位（{'、'.join(names.get(a, a) for a in agg.missing[:10])}"
                     f"{'等' if len(agg.missing) > 10 else ''}）未计入。")
    if agg.computed:
        parts.append(f"{'、'.join(names.get(a, a) for a in agg.computed)} 尚未存入汇总数，按其下级单位之和计入。")
    if {u.layout for u in agg.units} != {agg.report.layout}:
        parts.append("部分单位使用另一格式版本：表三（六）其他处理按单行汇总（2021 年格式的三项之和）。")
    if agg.unsupplied:
        labels = "；".join(schema.cell_label(agg.report.layout, *k) for k in agg.unsupplied[:5])
        parts.append(f"有 {len(agg.unsupplied)} 个单元格部分单位无法提供（格式版本不同），留空不汇总：{labels}"
                     f"{'等' if len(agg.unsupplied) > 5 else ''}。")
    return HtmlFragment(f'<p class="rollup-note">{escape("".join(parts))}</p>')


def table_heading(table_id: str) -> HtmlFragment:
    t = schema.table(table_id)
    return HtmlFragment(f'<h3 class="sub">表{schema.TABLE_NUMBERS[table_id]}　{escape(t.title)}</h3>')


def differences_html(own, diffs: list, rollup_parent: bool) -> HtmlFragment:
    """The parent's own figures against the sum of its units, cell by cell."""
    if own is None:
        return HtmlFragment('<p class="rollup-note">本级尚未存入本年度数据，无可比较的本级填报数。</p>')
    if not diffs:
        return HtmlFragment('<p class="rollup-note">本级已存数据与下级单位之和逐项一致。</p>')
    note = ("" if rollup_parent else "本机关不是汇总单位（rollup），其数字是本机关自身的数字，与下级之和不同属正常。")
    rows = []
    for f in diffs:
        label = schema.cell_label(own.layout, f.table, f.row, f.col)
        diff = f.actual - f.expected
        rows.append("<tr>" + _cell(label, sort=label) + _cell(f.actual, css="num", sort=f.actual)
                    + _cell(f.expected, css="num", sort=f.expected)
                    + _cell(f"{diff:+}", css="num", sort=diff) + "</tr>")
    cols = [("单元格", "text"), ("本级填报", "num"), ("下级之和", "num"), ("差额", "num")]
    text = f"本级已存数据与下级单位之和有 {len(diffs)} 处不同。{note}"
    return HtmlFragment(f'<p class="rollup-note">{escape(text)}</p>' + _table("rollup differences", cols, rows))


# --- 三、league table ----------------------------------------------------------------------------
def _shown(key: str, value) -> tuple[str, object]:
    """(text, sort value) of one indicator value."""
    if value is None or pd.isna(value):
        return "—", ""
    ind = derived.INDICATORS.get(key)
    if key == "yoy" or (ind is not None and ind.is_ratio):
        # a ratio from frames (Float64) printed like the report's percentages (half-up, one decimal)
        from decimal import Decimal
        return derived.percent_text(Decimal(repr(float(value)))), repr(float(value))
    return str(int(value)), int(value)


def league_html(table: pd.DataFrame, marks: pd.DataFrame) -> HtmlFragment:
    heads = league_mod.headings()
    cols = [(heads["name"], "text")] + [(heads[k], "num") for k in league_mod.COLUMNS]
    rows = []
    for i, row in table.iterrows():
        cells = [_cell(row["name"] or row["agency"], sort=row["name"] or row["agency"])]
        for k in league_mod.COLUMNS:
            text, sort = _shown(k, row[k])
            far = k in marks.columns and bool(marks.loc[i, k])
            cells.append(_cell(text, css="num outlier" if far else "num", sort=sort))
        rows.append(f'<tr data-agency="{escape(row["agency"])}">' + "".join(cells) + "</tr>")
    if not rows:
        return HtmlFragment('<p class="rollup-note">没有已报送的下级单位。</p>')
    return HtmlFragment(_table("rollup league", cols, rows)
                        + f'<p class="rollup-note">点击表头可排序。{escape(league_mod.EXPLANATION)}</p>')


# --- 五、cross-year problems ---------------------------------------------------------------------
def problems_html(items: list[st.UnitStatus], layouts: dict[str, str]) -> HtmlFragment:
    rows = []
    for u in items:
        for f in u.findings:
            if f.rule in CROSS_YEAR_RULES:
                where = finding_place(f, layouts.get(u.agency, schema.DEFAULT_LAYOUT))
                rows.append("<tr>" + _cell(u.name, sort=u.name) + _cell(schema.RULES[f.rule].title, sort=f.rule)
                            + _cell(where, sort=where) + _cell(f.message) + "</tr>")
    if not rows:
        return HtmlFragment('<p class="rollup-note">各单位未发现跨年度结转或存量衔接问题。</p>')
    cols = [("机构", "text"), ("规则", "text"), ("单元格", "text"), ("说明", "text")]
    return HtmlFragment(f'<p class="rollup-note">共 {len(rows)} 处。</p>' + _table("rollup problems", cols, rows))


def finite(value) -> bool:
    return value is not None and not pd.isna(value) and math.isfinite(float(value))


# --- the page, per notebook cell -----------------------------------------------------------------
def intro_text(ctx) -> str:
    who = ctx.parent.name if ctx.parent else "数据库中全部机构"
    units = f"{who}的 {len(ctx.units)} 家直属下级单位" if ctx.parent else f"{len(ctx.units)} 家顶层机构"
    kind = ("本机关为汇总单位，其公开的统计数为下级单位之和。" if ctx.is_rollup_parent else "")
    return (f"本汇总根据{units}（含其下属单位共 {len(ctx.statuses)} 家）报送的{ctx.year}年度数据自动生成，"
            f"统计期限自{ctx.year}年1月1日起至{ctx.year}年12月31日止。{kind}"
            f"全文包括：" + "；".join(title for _, title in SECTIONS) + "。")


def aggregate_section(ctx) -> list:
    """The aggregate tables 二/三/四 in the official layout and the differences with the parent's own."""
    from ..report.tables import table_html

    agg = ctx.aggregate
    if agg.report is None:
        return [HtmlFragment('<p class="rollup-note">没有已报送的下级单位，无法汇总。</p>')]
    parts = [aggregate_note(agg, ctx.names)]
    for t in schema.TABLE_IDS:
        parts += [table_heading(t), table_html(agg.report, t, mode=ctx.mode, id_prefix="sum-")]
    if ctx.parent is not None:
        parts += [HtmlFragment('<h3 class="sub">本级已存数据与下级之和的比较</h3>'),
                  differences_html(ctx.own, ctx.differences, ctx.is_rollup_parent)]
    return parts


def league_section(ctx) -> HtmlFragment:
    if ctx.league is None or not len(ctx.league):
        return HtmlFragment('<p class="rollup-note">没有已报送的下级单位。</p>')
    return league_html(ctx.league, ctx.outliers)
