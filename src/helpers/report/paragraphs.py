"""The data paragraphs under tables 三 and 四: fixed wording that names exactly what each number is.

    requests_text(report, previous=None) -> str        plain text
    requests_paragraph(report, previous=None) -> HtmlFragment   '<p class="data-text">…</p>', escaped
    appeals_text / appeals_paragraph                     the same for table 四

Numbers come from `helpers.format.derived` (the same functions the charts use); every label is derived
from `helpers.format.schema`. With `previous` (the same agency's report of the year before) the text adds
同比 = (x_y − x_{y−1}) / x_{y−1}, one decimal, rounded half-up with Decimal; a previous value of 0
gives no percentage ("上年为 0").
"""
from __future__ import annotations

from markupsafe import escape

from ..errors import XxgkError
from ..format import derived, schema
from ..format.model import Report, format_number
from .html_fragment import HtmlFragment

_T3 = schema.table("t3")


def _row_phrase(key: str) -> str:
    """'一、本年新收政府信息公开申请数量' -> '本年新收政府信息公开申请'."""
    text = derived.short_label(_T3.row_label(key))
    return text[:-2] if text.endswith("数量") else text


NATURAL_PERSON = schema.T3_NATURAL_PERSON.label              # 自然人
LEGAL_PERSON = schema.T3_LEGAL_PERSON_HEADER                 # 法人或其他组织
REVIEW = dict(schema.T4_GROUPS)["review"]                    # 行政复议
SUIT = schema.T4_SUIT                                        # 行政诉讼
T4_FIELD = {f.key: f.label for f in schema.T4_FIELDS}        # upheld -> 结果维持 …
APPEALS_TITLE = schema.SECTION_BY_KEY["appeals"].title       # 政府信息公开行政复议、行政诉讼情况
SUBJECT = APPEALS_TITLE.split(REVIEW)[0]                     # 政府信息公开
APPLICATION = SUBJECT + "申请"                                # 政府信息公开申请 (as in the row labels)


def n(value) -> str:
    return f"{format_number(value)} 件"


def yoy_phrase(current, previous) -> str:
    """'同比增长 12.5%（上年 8 件）' / '同比下降 …' / '与上年持平' / '上年为 0'; '' without previous."""
    if previous is None:
        return ""
    if current == previous:
        return "与上年持平"
    rate = derived.yoy(current, previous)
    if rate is None:
        return "上年为 0"
    pct = derived.percent(rate)
    before = f"（上年 {n(previous)}）"
    if pct == 0:   # a change too small to show with one decimal is still not "持平"
        return ("同比增长" if rate > 0 else "同比下降") + f"不足 {derived.PERCENT_PLACES}%" + before
    return ("同比增长 " if pct > 0 else "同比下降 ") + f"{abs(pct)}%" + before


def _check_previous(report: Report, previous: Report | None) -> None:
    if previous is not None and (previous.agency != report.agency or previous.year != report.year - 1):
        raise XxgkError(f"同比需要同一机构上一年度的报告：{report.agency} {report.year} 年不能与 "
                        f"{previous.agency} {previous.year} 年比较 (previous must be the year before)")


def _with_yoy(text: str, current, previous_value) -> str:
    phrase = yoy_phrase(current, previous_value)
    return f"{text}，{phrase}" if phrase else text


def requests_text(report: Report, previous: Report | None = None) -> str:
    """The paragraph under table 三, as plain text."""
    _check_previous(report, previous)
    f = derived
    if not f.has_requests(report):
        return f"本年度未收到{APPLICATION}，无上年结转、办结及结转下年度继续办理的申请。"
    new = report.value("t3", "new_received", "total")
    first = (f"{_row_phrase('new_received')} {n(new)}（其中{NATURAL_PERSON} {n(report.value('t3', 'new_received', schema.T3_NATURAL_PERSON.key))}，"
             f"{LEGAL_PERSON} {n(f.legal_person_received(report))}）")
    first = _with_yoy(first, new, previous.value("t3", "new_received", "total") if previous else None)
    cats = f.outcome_categories(report.table("t3"))
    totals = f.category_totals(report)
    outcomes = "、".join(f"{c.name} {n(totals[c.key])}" for c in cats)
    done = f"本年度办结 {n(report.value('t3', 'processed_total', 'total'))}，其中{outcomes}"
    rate = f.substantive_rate(report)
    if rate is not None:
        names = [c.name for c in cats]
        done += f"，{names[0]}与{names[1]}合计占办结数的 {f.percent_text(rate)}"
    return "；".join((
        first,
        f"{_row_phrase('carried_over')} {n(report.value('t3', 'carried_over', 'total'))}",
        done,
        f"{_row_phrase('carried_forward')} {n(report.value('t3', 'carried_forward', 'total'))}",
    )) + "。"


def _results(values: dict[str, object]) -> str:
    return "、".join(f"{T4_FIELD[k]} {n(values[k])}" for k in ("upheld", "corrected", "other", "pending"))


def appeals_text(report: Report, previous: Report | None = None) -> str:
    """The paragraph under table 四, as plain text."""
    _check_previous(report, previous)
    f = derived
    review_total = report.value("t4", "review", "total")
    suits = f.litigation_total(report)
    if not review_total and not suits:
        return f"本年度未发生{APPEALS_TITLE}。"
    parts = []
    if review_total:
        review = {k: report.value("t4", "review", k) for k in T4_FIELD}
        # 同比 right after the figure it concerns: after "尚未审结 N 件" it would read as that one's
        text = _with_yoy(f"本年度发生{SUBJECT}{REVIEW} {n(review_total)}", review_total,
                         previous.value("t4", "review", "total") if previous else None)
        text += f"，其中{_results(review)}"
        rate = f.review_correction_rate(report)
        if rate is not None:
            text += f"，已审结的{REVIEW}中{T4_FIELD['corrected']}占 {f.percent_text(rate)}"
        parts.append(text)
    else:
        parts.append(f"本年度未发生{SUBJECT}{REVIEW}")
    if suits:
        direct, after = (dict(schema.T4_GROUPS)[g] for g in ("suit_direct", "suit_after_review"))
        by_field = {k: f.litigation_field(report, k) for k in T4_FIELD}
        text = _with_yoy(f"{SUIT} {n(suits)}（{direct} {n(report.value('t4', 'suit_direct', 'total'))}，"
                         f"{after} {n(report.value('t4', 'suit_after_review', 'total'))}）", suits,
                         f.litigation_total(previous) if previous else None)
        text += f"，其中{_results(by_field)}"
        parts.append("发生" + SUBJECT + text)
    else:
        parts.append(f"未发生{SUBJECT}{SUIT}")
    return "；".join(parts) + "。"


def paragraph(text: str, source: str) -> HtmlFragment:
    """Plain text -> an escaped `<p class="data-text">` (source = the table it describes)."""
    return HtmlFragment(f'<p class="data-text" data-source="{escape(source)}">{escape(text)}</p>')


def requests_paragraph(report: Report, previous: Report | None = None) -> HtmlFragment:
    return paragraph(requests_text(report, previous), "t3")


def appeals_paragraph(report: Report, previous: Report | None = None) -> HtmlFragment:
    return paragraph(appeals_text(report, previous), "t4")
