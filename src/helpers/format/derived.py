"""Derived figures of FORMAT.md (受理合计, 实质公开率, 复议纠错率, 诉讼总数, 同比) and the outcome
categories of table 三, computed from a Report. Used by the data paragraphs and by the charts, so
that text and charts always show the same numbers.

Ratios are Decimal (exact) or None when the denominator is 0: a rate over nothing is not 0 %.

`INDICATORS` defines the figures compared across agencies once, as signed sums of cells
(numerator, optional denominator): `Indicator.of(report)` evaluates one on a Report (exactly, as the
paragraphs use it) and `helpers.frames.indicators` evaluates the same definitions on a DataFrame of
many agency-years; `YOY_OF` names the figure whose 同比 is given.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from . import schema
from .model import CellKey, Report

T3, T4 = "t3", "t4"
TOTAL = "total"

# "（三）不予公开" -> "不予公开"; "（二）部分公开（区分处理的，…）" -> "部分公开"; "一、本年新收…数量" -> "本年新收…"
_TRAILING_NOTE = re.compile(r"[（(][^（()）]*[)）]$")


def short_label(label: str) -> str:
    """An official row label without its ordinal and its trailing note in brackets."""
    text = schema.strip_enumerator(label.strip())
    return _TRAILING_NOTE.sub("", text).strip()


@dataclass(frozen=True)
class Category:
    """An outcome category of table 三: a result row of its own, or a group of rows (（三）不予公开 …)."""
    key: str                   # granted, partial, denied, unable, rejected, other
    label: str                 # official label, e.g. "（三）不予公开"
    rows: tuple[str, ...]      # row keys whose sum is the category

    @property
    def name(self) -> str:     # "不予公开"
        return short_label(self.label)


def outcome_categories(table: schema.Table) -> tuple[Category, ...]:
    """The outcome categories of a table 三 layout, from the schema's row groups (both layouts)."""
    cats: list[Category] = []
    for key in schema.outcome_rows(table):
        row = table.row(key)
        # a row inside a sub-group (（三）…（六）) belongs to that group; a row directly under
        # 三、本年度办理结果 is a category by itself (（一）予以公开, 2019's single （六）其他处理)
        label = row.groups[1] if len(row.groups) > 1 else row.label
        if cats and cats[-1].label == label:
            cats[-1] = Category(cats[-1].key, label, cats[-1].rows + (key,))
        else:
            cats.append(Category(key.split("_")[0], label, (key,)))
    return tuple(cats)


def category_totals(report: Report, col: str = TOTAL) -> dict[str, int]:
    """Category key -> the sum of its rows in column `col` (blank and 不适用 count as 0)."""
    return {c.key: sum(report.value(T3, r, col) for r in c.rows)
            for c in outcome_categories(report.table(T3))}


def accepted_total(report: Report, col: str = TOTAL):
    """受理合计 = 本年新收 + 上年结转 (FORMAT.md): the applications an agency had to deal with in the
    year. Rule narrative_numbers reads "受理…申请 N 件" as this figure (or as 本年新收)."""
    return report.value(T3, "new_received", col) + report.value(T3, "carried_over", col)


def legal_person_received(report: Report, row: str = "new_received"):
    """法人或其他组织: the applicant columns other than 自然人 (table 三 has no subtotal column)."""
    return sum(report.value(T3, row, c) for c in schema.T3_LEGAL_PERSON_COLUMNS)


def ratio(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


def substantive_rate(report: Report) -> Decimal | None:
    """实质公开率 = (予以公开 + 部分公开) / （七）总计."""
    return INDICATORS["substantive_rate"].of(report)


def review_correction_rate(report: Report) -> Decimal | None:
    """复议纠错率 = 行政复议 结果纠正 / (总计 − 尚未审结)."""
    return INDICATORS["review_correction_rate"].of(report)


def litigation_total(report: Report):
    """诉讼总数 = 未经复议直接起诉 总计 + 复议后起诉 总计."""
    return INDICATORS["litigation_total"].of(report)


def litigation_field(report: Report, field: str):
    """One result field (结果维持 …) summed over both kinds of suit."""
    return report.value(T4, "suit_direct", field) + report.value(T4, "suit_after_review", field)


def yoy(current, previous) -> Decimal | None:
    """同比 = (x_y − x_{y−1}) / x_{y−1}, exact; None when the previous value is 0."""
    return ratio(Decimal(current) - Decimal(previous), previous)


PERCENT_PLACES = Decimal("0.1")


def percent(value: Decimal, places: Decimal = PERCENT_PLACES) -> Decimal:
    """A ratio as a percentage rounded half-up (12.25 % -> 12.3 %), always with Decimal."""
    return (Decimal(value) * 100).quantize(places, rounding=ROUND_HALF_UP)


def percent_text(value: Decimal, places: Decimal = PERCENT_PLACES) -> str:
    return f"{percent(value, places)}%"


def has_requests(report: Report) -> bool:
    """Whether table 三 has any request at all (charts of all zeros say nothing)."""
    return any(report.value(T3, r, TOTAL) for r in ("new_received", "carried_over", "processed_total", "carried_forward"))


# --- indicators: the figures compared across agencies, each defined once -------------------------


@dataclass(frozen=True)
class CellSum:
    """A signed sum of cells, the same keys in every layout (blank and 不适用 count as 0)."""
    terms: tuple[tuple[int, CellKey], ...]

    @classmethod
    def of_cells(cls, *keys: CellKey, minus: tuple[CellKey, ...] = ()) -> "CellSum":
        return cls(tuple((1, k) for k in keys) + tuple((-1, k) for k in minus))

    def keys(self) -> tuple[CellKey, ...]:
        return tuple(k for _, k in self.terms)

    def value(self, report: Report):
        return sum((sign * report.value(*key) for sign, key in self.terms), 0)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str                       # as tables and columns name it
    numerator: CellSum
    denominator: CellSum | None = None   # None: a count; else a ratio (None when the denominator is 0)

    @property
    def is_ratio(self) -> bool:
        return self.denominator is not None

    def of(self, report: Report):
        n = self.numerator.value(report)
        return n if self.denominator is None else ratio(n, self.denominator.value(report))


def _t3_total(*rows: str) -> CellSum:
    return CellSum.of_cells(*((T3, r, TOTAL) for r in rows))


def _category_rows(key: str) -> tuple[str, ...]:
    """Rows of an outcome category in the 2021 table 三 (不予公开 and 无法提供 have the same rows in 2019)."""
    return next(c.rows for c in outcome_categories(schema.table(T3, "2021")) if c.key == key)


def _category_name(key: str) -> str:
    return next(c.name for c in outcome_categories(schema.table(T3, "2021")) if c.key == key)


_REVIEW = schema.T4_REVIEW
_T3_TABLE = schema.table(T3, "2021")
_PROCESSED = _t3_total("processed_total")
_SUITS = CellSum.of_cells(*((T4, g, TOTAL) for g in schema.T4_SUIT_GROUPS))
INDICATORS: dict[str, Indicator] = {i.key: i for i in (
    Indicator("received", short_label(_T3_TABLE.row_label("new_received")).removesuffix("数量"),
              _t3_total("new_received")),
    Indicator("processed", "办结申请", _PROCESSED),
    Indicator("substantive_rate", "实质公开率", _t3_total("granted", "partial"), _PROCESSED),
    Indicator("denied_rate", f"{_category_name('denied')}占比", _t3_total(*_category_rows("denied")), _PROCESSED),
    Indicator("unable_rate", f"{_category_name('unable')}占比", _t3_total(*_category_rows("unable")), _PROCESSED),
    Indicator("review_total", dict(schema.T4_GROUPS)[_REVIEW], CellSum.of_cells((T4, _REVIEW, TOTAL))),
    Indicator("litigation_total", schema.T4_SUIT, _SUITS),
    Indicator("review_correction_rate", "复议纠错率", CellSum.of_cells((T4, _REVIEW, "corrected")),
              CellSum.of_cells((T4, _REVIEW, TOTAL), minus=((T4, _REVIEW, "pending"),))),
)}
YOY_OF = "received"          # 同比 is given for the applications received
YOY_LABEL = "同比"


def indicators(report: Report, previous: Report | None = None) -> dict:
    """Every indicator of one report (and 同比 of YOY_OF when `previous` is the year before)."""
    out = {k: ind.of(report) for k, ind in INDICATORS.items()}
    prev = INDICATORS[YOY_OF].of(previous) if previous is not None and previous.year == report.year - 1 else None
    out["yoy"] = None if prev is None else yoy(out[YOY_OF], prev)
    return out
