"""Rule `narrative_numbers`: figures stated in the narrative text against the tables.

Conservative on purpose: a figure is checked only when its wording fixes its meaning
("予以公开 28 件", "结转下年度 3 件", "行政诉讼 46 件"), approximate figures ("约", "余", "左右")
are skipped, and where real reports use one word for two things (“受理/收到…申请 N 件” is the new
requests in some reports and new + carried over in others, FORMAT.md 受理合计) either reading passes.
Growth rates ("同比增长 12.5%", "同比减少 3 件") are checked against the previous year's report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..format import schema
from ..format.derived import Category, accepted_total, outcome_categories, yoy
from ..format.model import Report
from .findings import Finding, finding, number_text
from .text import normalize, sentences

_NUM = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)"
_APPROX_BEFORE = ("约", "近", "超过", "逾", "达近")
_APPROX_AFTER = ("余", "多", "左右")


# --- what a figure can mean: metrics over a report -------------------------------------------------
@dataclass(frozen=True)
class Metric:
    key: str
    describe: Callable[[Report], str]          # how the message names it (official labels)
    value: Callable[[Report], object]
    cell: tuple[str | None, str | None, str | None]   # where a finding points (None: several)
    reads: Callable[[Report], tuple]                    # the cells the figure is made of

    def unstated(self, rep: Report) -> str:
        """'空白' or '不适用' when a cell the figure is made of holds no number: the table does not
        say the figure (Report.value would read it as 0), so a narrative figure can't be checked."""
        states = {rep.get(*c).state for c in self.reads(rep)} - {schema.NUMBER}
        return "不适用" if states == {schema.NA} else "空白" if states else ""


def _t3_label(rep: Report, row: str) -> str:
    return schema.cell_label(rep.layout, "t3", row, "total")


def _t3_cell(row: str) -> Metric:
    cell = ("t3", row, "total")
    return Metric(row, lambda rep: _t3_label(rep, row), lambda rep: rep.value(*cell), cell, lambda rep: (cell,))


def _category(rep: Report, word: str) -> Category | None:
    """The outcome category of the report's 表三 layout called `word` (其他处理 is one row in 2019)."""
    return next((c for c in outcome_categories(rep.table("t3")) if c.name == word), None)


def _group_metric(word: str) -> Metric:
    def value(rep):
        cat = _category(rep, word)
        return sum((rep.value("t3", r, "total") for r in cat.rows), 0) if cat else 0

    def describe(rep):
        cat = _category(rep, word)
        if len(cat.rows) == 1:
            return _t3_label(rep, cat.rows[0])
        return f"{schema.table_name('t3')} {cat.label} 各项 · {schema.T3_COLUMNS[-1].label}之和"
    def reads(rep):
        cat = _category(rep, word)
        return tuple(("t3", r, "total") for r in cat.rows) if cat else ()
    return Metric(f"group:{word}", describe, value, ("t3", None, "total"), reads)


def _t4_metric(groups: tuple[str, ...], field: str) -> Metric:
    def value(rep):
        return sum((rep.value("t4", g, field) for g in groups), 0)

    def describe(rep):
        return " + ".join(schema.cell_label(rep.layout, "t4", g, field) for g in groups)
    cell = ("t4", groups[0], field) if len(groups) == 1 else ("t4", None, field)
    return Metric(f"t4:{'+'.join(groups)}:{field}", describe, value, cell,
                  lambda rep: tuple(("t4", g, field) for g in groups))


NEW = _t3_cell("new_received")
ACCEPTED = Metric(   # 受理合计 of FORMAT.md
    "accepted",
    lambda rep: f"{_t3_label(rep, 'new_received')} + {rep.table('t3').row_label('carried_over')}",
    accepted_total,
    ("t3", None, "total"),
    lambda rep: (("t3", "new_received", "total"), ("t3", "carried_over", "total")))
PROCESSED = _t3_cell("processed_total")
CARRIED_OVER = _t3_cell("carried_over")
CARRIED_FORWARD = _t3_cell("carried_forward")

_T3 = schema.table("t3", "2021")
# 予以公开, 部分公开 (a row each), 不予公开, 无法提供, 不予处理, 其他处理 (groups of rows)
RESULT_METRICS = {c.name: (_t3_cell(c.rows[0]) if len(c.rows) == 1 else _group_metric(c.name))
                  for c in outcome_categories(_T3)}


# Single outcome rows named by their own label without its number, the wording a narrative repeats
# ("本机关不掌握相关政府信息 5 件"); labels too short to be unambiguous ("3.其他") are left out.
ROW_METRICS = {schema.strip_enumerator(r.label): _t3_cell(r.key) for r in _T3.rows
               if len(r.groups) > 1 and len(schema.strip_enumerator(r.label)) >= 4}

_REVIEW = schema.T4_REVIEW
_SUITS = schema.T4_SUIT_GROUPS
T4_FIELD_LABELS = {f.label: f.key for f in schema.T4_FIELDS if f.key != "total"}


# --- wording -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern
    metrics: tuple[Metric, ...]       # any of these readings passes
    needs_request_context: bool = False


def _p(regex: str, *metrics: Metric, context: bool = False) -> Pattern:
    return Pattern(re.compile(regex), metrics, context)


_GAP = r"(?P<gap>[^，,。；;：:\d（()）]{0,20}?)"
_UNIT = r"\s*件"
# Specific wordings first: a span taken by one pattern is not read again by a later one.
PATTERNS: tuple[Pattern, ...] = (
    _p(r"(?:上年|上一年|去年)度?结转(?:的)?(?:政府信息公开)?(?:申请)?(?:共)?\s*" + _NUM + _UNIT, CARRIED_OVER),
    _p(r"结转(?:至|到)?下一?年度?(?:继续办理)?(?:的)?(?:申请)?(?:共)?\s*" + _NUM + _UNIT, CARRIED_FORWARD),
    _p(_NUM + r"\s*件(?:申请)?(?:结转|顺延)(?:至|到)?下一?年", CARRIED_FORWARD),
) + tuple(
    _p(("(?<!不)" if w.startswith("予") else "") + re.escape(w) + r"(?:的)?(?:申请)?(?:共)?\s*" + _NUM + _UNIT, m)
    for w, m in RESULT_METRICS.items()
) + tuple(
    _p(re.escape(phrase) + r"(?:的)?(?:申请)?(?:共)?\s*" + _NUM + _UNIT, m) for phrase, m in ROW_METRICS.items()
) + (
    _p(r"新收" + _GAP + _NUM + _UNIT, NEW),
    _p(r"(?:收到|接收|受理|接到)" + _GAP + _NUM + _UNIT, NEW, ACCEPTED),
    _p(r"(?<!不予)(?<!正在)(?<!继续)(?:办结|答复|办理)(?:完毕|完成)?了?(?:政府信息公开|依申请公开|信息公开)?(?:申请)?"
       r"(?:事项)?(?:共|合计)?\s*" + _NUM + _UNIT, PROCESSED, context=True),
)
_REVIEW_RE = re.compile(re.escape(dict(schema.T4_GROUPS)[_REVIEW]) + r"(?:案件|申请)?(?:共)?\s*" + _NUM + r"\s*[件起]")
_SUIT_RE = re.compile(re.escape(schema.T4_SUIT) + r"(?:案件)?(?:共)?\s*" + _NUM + r"\s*[件起]")
_T4_PART_RE = re.compile("(?P<f>" + "|".join(map(re.escape, T4_FIELD_LABELS)) + r")(?:的)?\s*" + _NUM + r"\s*[件起]")
_GROWTH_RE = re.compile(r"\s*[，,]?\s*(?:同比|较上年|比上年|较去年|比去年|较上一年)度?"
                        r"(?P<dir>增长|增加|上升|提高|下降|减少|降低)了?\s*(?P<g>\d+(?:\.\d+)?)\s*(?P<u>%|％|个百分点|件)?")
_EXCLUDED_GAP = ("复议", "诉讼", "信访", "建议", "提案", "问政", "咨询", "投诉")


@dataclass
class Statement:
    """One figure read from the text: what it can mean, the number, where it is."""
    start: int
    end: int
    metrics: tuple[Metric, ...]
    stated: int
    snippet: str
    growth: "Growth | None" = None


def _approximate(text: str, m: re.Match) -> bool:
    before = text[max(0, m.start("n") - 4):m.start("n")].rstrip()
    after = text[m.end("n"):m.end("n") + 3]
    return any(before.endswith(a) for a in _APPROX_BEFORE) or any(after.lstrip().startswith(a) for a in _APPROX_AFTER)


def read_statements(text: str) -> list[Statement]:
    """Every figure of the text whose meaning the wording fixes, in text order."""
    text = normalize(text)
    out: list[Statement] = []
    for offset, sent in sentences(text):
        taken: list[tuple[int, int]] = []

        def add(m: re.Match, metrics):
            s, e = m.start(), m.end()
            if any(s < te and ts < e for ts, te in taken) or _approximate(sent, m):
                return
            taken.append((s, e))
            out.append(Statement(offset + s, offset + e, tuple(metrics), int(m.group("n").replace(",", "")),
                                 sent[s:e].strip()))

        for pat in PATTERNS:
            if pat.needs_request_context and "申请" not in sent:
                continue
            for m in pat.regex.finditer(sent):
                gap = m.groupdict().get("gap") or ""
                if "gap" in pat.regex.groupindex and ("申请" not in gap or any(w in gap for w in _EXCLUDED_GAP)):
                    continue
                add(m, pat.metrics)
        # table 四: totals, then the breakdown "其中结果维持 N 件…" of the case type named last
        subjects = []
        for m in _REVIEW_RE.finditer(sent):
            if "诉讼" not in sent[max(0, m.start() - 4):m.start()]:   # "行政诉讼、行政复议 N 件" is a joint figure
                subjects.append((m.start(), (_REVIEW,)))
                add(m, (_t4_metric((_REVIEW,), "total"),))
        for m in _SUIT_RE.finditer(sent):
            if "复议" not in sent[max(0, m.start() - 4):m.start()]:
                subjects.append((m.start(), _SUITS))
                add(m, (_t4_metric(_SUITS, "total"),))
        subjects.sort()
        for m in _T4_PART_RE.finditer(sent):
            before = [g for s, g in subjects if s < m.start()]
            if before:
                add(m, (_t4_metric(before[-1], T4_FIELD_LABELS[m.group("f")]),))
    out.sort(key=lambda s: s.start)
    _attach_growth(text, out)
    return out


@dataclass
class Growth:
    direction: int      # +1 / −1
    amount: float
    decimals: int
    unit: str           # "%" or "件"
    snippet: str


def _attach_growth(text: str, statements: list[Statement]) -> None:
    for st in statements:
        m = _GROWTH_RE.match(text, st.end)
        st.growth = None
        if m and m.group("u") in ("%", "％", "件"):
            g = m.group("g")
            st.growth = Growth(-1 if m.group("dir") in ("下降", "减少", "降低") else 1, float(g),
                               len(g.split(".")[1]) if "." in g else 0,
                               "%" if m.group("u") in ("%", "％") else "件",
                               text[st.start:m.end()].strip())


def check_narrative_numbers(rep: Report, previous: Report | None = None) -> list[Finding]:
    out = []
    for key in schema.NARRATIVE_KEYS:
        text = rep.narrative.get(key) or ""
        for st in read_statements(text):
            values = [m.value(rep) for m in st.metrics]
            matching = [m for m, v in zip(st.metrics, values) if v == st.stated]
            if not matching:
                unstated = [m for m in st.metrics if m.unstated(rep)]
                if unstated:    # a blank or 不适用 is not 0: the figure may be right, the table doesn't say
                    m0 = unstated[0]
                    out.append(finding(
                        "narrative_numbers", rep,
                        f"正文“{st.snippet}”无法与表格核对：{m0.describe(rep)} 为{m0.unstated(rep)}",
                        table=m0.cell[0], row=m0.cell[1], col=m0.cell[2], actual=st.stated))
                    continue
                m0 = st.metrics[0]
                also = "".join(f"（{m.describe(rep)} 为 {number_text(v)}）" for m, v in zip(st.metrics[1:], values[1:]))
                out.append(finding(
                    "narrative_numbers", rep,
                    f"正文“{st.snippet}”与表格不符：{m0.describe(rep)} 为 {number_text(values[0])}{also}",
                    table=m0.cell[0], row=m0.cell[1], col=m0.cell[2], expected=values[0], actual=st.stated))
                continue
            if st.growth and previous is not None and previous.year == rep.year - 1:
                f = _check_growth(rep, previous, st, matching)
                if f:
                    out.append(f)
    return out


def _check_growth(rep: Report, previous: Report, st: Statement, metrics: list[Metric]) -> Finding | None:
    g = st.growth
    stated = g.direction * g.amount
    best = None
    for m in metrics:
        if m.unstated(previous):
            return None     # last year's table doesn't say the figure: no change to check
        now, before = m.value(rep), m.value(previous)
        if g.unit == "件":
            expected = now - before
            tol = 0
        else:
            if not before:
                return None     # no rate from zero
            expected = round(float(yoy(now, before) * 100), max(g.decimals, 2))
            tol = 10 ** -g.decimals + 1e-9     # rounding or truncation to the stated decimals
        if abs(float(expected) - stated) <= tol:
            return None
        best = best or (m, expected, now, before)
    m, expected, now, before = best
    unit = "%" if g.unit == "%" else " 件"
    return finding(
        "narrative_numbers", rep,
        f"正文“{g.snippet}”与表格不符：{m.describe(rep)} {previous.year} 年为 {number_text(before)}，{rep.year} 年为 "
        f"{number_text(now)}，同比应为 {number_text(expected)}{unit}",
        table=m.cell[0], row=m.cell[1], col=m.cell[2],
        expected=float(expected) if g.unit == "%" else expected,
        actual=stated if g.unit == "%" else int(stated))
