"""How a report ends and how a draft shows itself: the 落款 (issuing agency and date), the
publication date, the draft mark in the title.

    publication_date(year, given=None, changed_on=None) -> date   the date of the 落款
    parse_date(text) / check_date(value, year)                    a date given by the user
    date_text(date) -> '2025年1月15日'
    signature_html(agency_name, date) -> HtmlFragment              right-aligned, after section 六
    report_title(title, mode) -> the title with '（草稿）' in a draft

The date is a parameter; by default it is the day the report's data last changed (the store
knows it), never the day of rendering: the same inputs give the same bytes. A report cannot be
published before its statistics period ends, so the date is at least 1 January of the next year.
"""
from __future__ import annotations

import datetime as _dt
import re

from markupsafe import escape

from ..errors import XxgkError
from .html_fragment import HtmlFragment

SIGNATURE_CLASS = "signature"     # importers recognise our 落款 by the date line that closes the text
MAX_YEARS_AFTER = 10              # a 落款 date this many years after the report year is a typo
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def earliest_date(year: int) -> _dt.date:
    """The first day a report of `year` can be published (the period ends on 31 December)."""
    return _dt.date(int(year) + 1, 1, 1)


def parse_date(value, what: str = "参数 date") -> _dt.date | None:
    """None, a date, or 'YYYY-MM-DD' as a date (None for nothing given)."""
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    try:
        if not _ISO.match(text):
            raise ValueError(text)
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise XxgkError(f"{what} 应为 YYYY-MM-DD 格式的日期，读到的是 {value!r} "
                        f"(date must be YYYY-MM-DD)") from None


def check_date(value, year: int, what: str = "参数 date") -> _dt.date | None:
    """A given publication date: None, a date, or 'YYYY-MM-DD' within the years after `year`."""
    value = parse_date(value, what)
    if value is None:
        return None
    first = earliest_date(year)
    if not first <= value <= _dt.date(int(year) + MAX_YEARS_AFTER, 12, 31):
        raise XxgkError(f"{what} {value.isoformat()} 不在 {first.isoformat()} 至 {int(year) + MAX_YEARS_AFTER} 年底之间："
                        f"{year} 年度报告在统计期限结束后发布 (publication date out of range)")
    return value


def publication_date(year: int, given=None, changed_on: _dt.date | None = None) -> _dt.date:
    """The date of the 落款: the one given, else the day the data last changed, never before
    1 January after the report year."""
    chosen = check_date(given, year)
    if chosen is not None:
        return chosen
    first = earliest_date(year)
    return max(changed_on, first) if changed_on else first


def date_text(date: _dt.date) -> str:
    """'2025年1月15日': Arabic numerals, no leading zeros (GB/T 9704-2012)."""
    return f"{date.year}年{date.month}月{date.day}日"


def report_title(title: str, mode: str) -> str:
    """The title as printed: a draft says so ('……年度报告（草稿）')."""
    from .mode import Mode
    return f"{title}（{Mode.DRAFT.label}）" if mode == Mode.DRAFT else title


def signature_html(agency_name: str, date: _dt.date) -> HtmlFragment:
    """The 落款: the issuing agency's name over the date, right-aligned at the end."""
    lines = [line for line in (agency_name.strip(), date_text(date)) if line]
    body = "\n".join(f"<p>{escape(line)}</p>" for line in lines)
    return HtmlFragment(f'<div class="{SIGNATURE_CLASS}">\n{body}\n</div>')
