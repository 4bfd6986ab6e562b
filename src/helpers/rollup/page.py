"""The HTML fragments of the roll-up page (escaped here; the notebook only arranges them).

Tables the reader may sort carry `data-sortable`; each sortable cell carries its sort value in
`data-value` (numbers as numbers, missing as empty), and the page's small script (the report
template's sort.js, included for roll-ups only) sorts by it when a column heading is clicked.

The page and the PDF differ where a parent has many units (more than PRINT_ROWS): the HTML page has
every unit in sortable tables, the printed PDF what an office head acts on (the units that need
action, the units far from their peers) and says where the full lists are. `show_status` and
`show_league` display both versions, each marked for its medium (render.records.MEDIUM).
"""
from __future__ import annotations

import pandas as pd
from markupsafe import escape

from ..format import derived, schema
from ..render.records import PRINT, ROLLUP, SCREEN
from ..report import page
from ..report.html_fragment import HtmlFragment
from ..report.tables import finding_message, finding_place
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
PRINT_ROWS = 40           # longer lists of units go to the HTML page only; the PDF keeps who needs action
FULL_LIST_NOTE = "完整列表见网页版（rollup.html，可按各列排序）。"


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


def _note(text: str) -> str:
    return f'<p class="rollup-note">{escape(text)}</p>'


def _print_note(text: str) -> str:
    """A line at the head of a PDF-only output: seen by the analyst in Jupyter, not printed."""
    return f'<p class="print-version">{escape(text)}</p>'


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


def status_table(items: list[st.UnitStatus], sortable: bool = True) -> HtmlFragment:
    labels = schema.AGENCY_FIELD_LABELS
    cols = [(labels["name"], "text"), (labels["id"], "text"), (labels["level"], "text"), ("状态", "text"),
            ("错误", "num"), ("提示", "num"), ("正文", "text")]
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
    return HtmlFragment(_table("rollup status", cols, rows, sortable))


def must_act(u: st.UnitStatus) -> bool:
    """Whether a unit must act before the roll-up is published: not reported, errors, incomplete text."""
    return u.status in (st.MISSING, st.ERRORS) or u.narrative_complete is False


def fix_list(items: list[st.UnitStatus], layouts: dict[str, str], errors_only: bool = False) -> HtmlFragment:
    """What each unit must fix: its findings (errors first) with rule, cell and message; with
    `errors_only` (the PDF of many units) the warnings are counted, not listed."""
    blocks = []
    for u in items:
        shown = [f for f in u.findings if not errors_only or f.severity == schema.ERROR]
        if not shown and not u.missing_sections:
            continue
        lis = []
        for f in sorted(shown, key=lambda f: f.severity != schema.ERROR):
            rule = schema.RULES.get(f.rule)
            where = finding_place(f, layouts.get(u.agency, schema.DEFAULT_LAYOUT))
            lis.append(f'<li class="finding {escape(f.severity)}"><span class="severity">'
                       f'{escape(schema.SEVERITY_LABELS[f.severity])}</span> '
                       f'<span class="where">{escape(where)}</span>：'
                       f'<span class="message">{escape(finding_message(f, where))}</span> '
                       f'<span class="rule">[{escape(f.rule)}{("：" + escape(rule.title)) if rule else ""}]</span></li>')
        if errors_only and u.warnings:
            lis.append(f'<li class="finding warning"><span class="severity">{schema.SEVERITY_LABELS[schema.WARNING]}'
                       f'</span> 另有 {u.warnings} 项，明细见网页版</li>')
        if u.missing_sections:
            lis.append('<li class="finding narrative"><span class="severity">正文</span> 缺少：'
                       + escape("、".join(u.as_dict()["missing_sections"])) + "</li>")
        blocks.append(f'<div class="unit-fixes" id="fix-{escape(u.agency)}"><h3>{escape(u.name)}（{escape(u.agency)}）'
                      f'</h3><ol>{"".join(lis)}</ol></div>')
    if not blocks:
        if errors_only and any(u.findings for u in items):
            return HtmlFragment('<p class="rollup-ok">各单位数据均未发现错误，正文完整；提示的明细见网页版。</p>')
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


def differences_note(own, diffs: list, rollup_parent: bool) -> str:
    """How the parent's own stored figures compare with the sum of its units, in one sentence."""
    if own is None:
        return _note("本级尚未存入本年度数据，无可比较的本级填报数。")
    if not diffs:
        return _note("本级已存数据与下级单位之和逐项一致。")
    note = ("" if rollup_parent else "本机关不是汇总单位（rollup），其数字是本机关自身的数字，与下级之和不同属正常。")
    return _note(f"本级已存数据与下级单位之和有 {len(diffs)} 处不同。{note}")


def differences_table(own, diffs: list) -> HtmlFragment | None:
    """The parent's own figures against the sum of its units, cell by cell."""
    if own is None or not diffs:
        return None
    rows = []
    for f in diffs:
        label = schema.cell_label(own.layout, f.table, f.row, f.col)
        diff = f.actual - f.expected
        rows.append("<tr>" + _cell(label, sort=label) + _cell(f.actual, css="num", sort=f.actual)
                    + _cell(f.expected, css="num", sort=f.expected)
                    + _cell(f"{diff:+}", css="num", sort=diff) + "</tr>")
    cols = [("单元格", "text"), ("本级填报", "num"), ("下级之和", "num"), ("差额", "num")]
    return HtmlFragment(_table("rollup differences", cols, rows))


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


def league_html(table: pd.DataFrame, marks: pd.DataFrame, sortable: bool = True) -> HtmlFragment:
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
    how = "点击表头可排序。" if sortable else ""
    return HtmlFragment(_table("rollup league", cols, rows, sortable)
                        + f'<p class="rollup-note">{how}{escape(league_mod.EXPLANATION)}</p>')


# --- 五、cross-year problems ---------------------------------------------------------------------
def cross_year(items: list[st.UnitStatus]) -> list[tuple[st.UnitStatus, object]]:
    """(unit, finding) of the carry-over and stock-continuity findings, in the order of the units."""
    return [(u, f) for u in items for f in u.findings if f.rule in CROSS_YEAR_RULES]


def problems_note(problems: list) -> str:
    if not problems:
        return _note("各单位未发现跨年度结转或存量衔接问题。")
    by_rule = {}
    for u, f in problems:
        by_rule.setdefault(f.rule, set()).add(u.agency)
    parts = "，".join(f"{schema.RULES[r].title} {len(us)} 家单位" for r, us in by_rule.items())
    return _note(f"共 {len(problems)} 处（{parts}）。")


def problems_table(problems: list, layouts: dict[str, str]) -> HtmlFragment | None:
    if not problems:
        return None
    rows = []
    for u, f in problems:
        where = finding_place(f, layouts.get(u.agency, schema.DEFAULT_LAYOUT))
        rows.append("<tr>" + _cell(u.name, sort=u.name) + _cell(schema.RULES[f.rule].title, sort=f.rule)
                    + _cell(where, sort=where) + _cell(finding_message(f, where)) + "</tr>")
    cols = [(schema.AGENCY_FIELD_LABELS["name"], "text"), ("规则", "text"), ("单元格", "text"), ("说明", "text")]
    return HtmlFragment(_table("rollup problems", cols, rows))


# --- the page, per notebook cell -----------------------------------------------------------------
def intro_text(ctx) -> str:
    who = ctx.parent.name if ctx.parent else "数据库中全部机构"
    units = f"{who}的 {len(ctx.units)} 家直属下级单位" if ctx.parent else f"{len(ctx.units)} 家顶层机构"
    kind = ("本机关为汇总单位，其公开的统计数为下级单位之和。" if ctx.is_rollup_parent else "")
    return (f"本汇总根据{units}（含其下属单位共 {len(ctx.statuses)} 家）报送的{ctx.year}年度数据自动生成，"
            f"统计期限自{ctx.year}年1月1日起至{ctx.year}年12月31日止。{kind}"
            f"全文包括：" + "；".join(title for _, title in SECTIONS) + "。")


def _show_long(rows: int, full: list, printed: list) -> None:
    """`full` on the page and in the PDF when it has at most PRINT_ROWS rows; else `full` on the
    page only and `printed` (what an office head acts on, and where the rest is) in the PDF."""
    if rows <= PRINT_ROWS:
        page.show(*full)
        return
    page.show(*full, medium=SCREEN)
    page.show(_print_note("以下为 PDF 打印版：单位较多，网页版的完整列表不打印"), *printed, medium=PRINT)


def show_status(ctx) -> None:
    """一、: the summary (and the status for rollup.json), then every unit and what each must fix; in
    the PDF of many units, the units that must act (未报送, errors, incomplete text) and their errors."""
    page.show(heading("status"), status_summary(ctx.statuses, ctx.year), metadata={ROLLUP: ctx.summary()})
    act = [u for u in ctx.statuses if must_act(u)]
    hinted = sum(u.status == st.WARNINGS and not must_act(u) for u in ctx.statuses)
    text = (f"下表列出须跟进的 {len(act)} 家单位（未报送、有错误或正文不完整）"
            + (f"；另有 {hinted} 家仅有提示" if hinted else "") + f"。{FULL_LIST_NOTE}")
    _show_long(len(ctx.statuses), [status_table(ctx.statuses), fix_list(ctx.statuses, ctx.layouts)],
               [_note(text), status_table(act, sortable=False) if act else None,
                fix_list(act, ctx.layouts, errors_only=True)])


def show_tables(ctx) -> None:
    """二、: the aggregate tables 二/三/四 in the official layout and the differences with the parent's own."""
    from ..report.tables import table_html

    agg = ctx.aggregate
    if agg.report is None:
        page.show(heading("tables"), _note("没有已报送的下级单位，无法汇总。"))
        return
    parts = [heading("tables"), aggregate_note(agg, ctx.names)]
    for t in schema.TABLE_IDS:
        parts += [table_heading(t), table_html(agg.report, t, mode=ctx.mode, id_prefix="sum-")]
    page.show(*parts)
    if ctx.parent is not None:
        head = ['<h3 class="sub">本级已存数据与下级之和的比较</h3>',
                differences_note(ctx.own, ctx.differences, ctx.is_rollup_parent)]
        _show_long(len(ctx.differences), [*head, differences_table(ctx.own, ctx.differences)],
                   [*head, _note(f"逐项差额{FULL_LIST_NOTE}")])


def show_league(ctx) -> None:
    """三、: every unit side by side, sortable; in the PDF of many units, the units far from their peers."""
    if ctx.league is None or not len(ctx.league):
        page.show(heading("league"), _note("没有已报送的下级单位。"))
        return
    page.show(heading("league"))
    far = ctx.outliers.any(axis=1)
    text = (f"{len(ctx.league)} 家单位中，{int(far.sum())} 家有比率与同级单位差别特别大，列于下表。"
            if far.any() else f"{len(ctx.league)} 家单位的比率都与同级单位相近。") + FULL_LIST_NOTE
    _show_long(len(ctx.league), [league_html(ctx.league, ctx.outliers)],
               [_note(text), league_html(ctx.league[far], ctx.outliers[far], sortable=False) if far.any() else None])


def show_problems(ctx) -> None:
    """五、: carry-over breaks and stock discontinuities across the units, in one list."""
    problems = cross_year(ctx.statuses)
    page.show(heading("problems"))
    _show_long(len(problems), [problems_note(problems), problems_table(problems, ctx.layouts)],
               [problems_note(problems), _note(f"逐项明细{FULL_LIST_NOTE}")])
