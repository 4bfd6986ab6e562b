"""Internally consistent synthetic reports: every identity of FORMAT.md holds, and a report made
from the previous year's report carries over from it (上年结转 = last year's 结转下年度, table 二 stocks
continue when the table 二 version is the same).

Randomness comes from either a seeded `random.Random` (for `xxgk synth` and demos) or a hypothesis
`draw` function (for property tests), through the same code:

    consistent_report(random.Random(7), "demo-town", 2023)
    consistent_series(random.Random(7), "demo-town", range(2019, 2025))
    @st.composite
    def reports(draw): return consistent_report(draw, "x", 2023)
"""
from __future__ import annotations

import random
from decimal import Decimal
from typing import Callable, Iterable

from ..format import schema
from ..format.model import Cell, Report

# Upper bound of requests per applicant column for each scale (0 = a street office with no requests).
SCALES = (0, 10, 100, 1000, 5000)


class Source:
    """Integers from a random.Random or from a hypothesis draw (imported only when used)."""

    def __init__(self, rng_or_draw):
        if isinstance(rng_or_draw, Source):
            self._int = rng_or_draw._int
        elif isinstance(rng_or_draw, random.Random):
            self._int = rng_or_draw.randint
        elif callable(rng_or_draw):
            from hypothesis import strategies as st
            self._int = lambda lo, hi: rng_or_draw(st.integers(lo, hi))
        else:
            raise TypeError("need a random.Random or a hypothesis draw function")

    def integer(self, lo: int, hi: int) -> int:
        return self._int(lo, max(lo, hi))

    def chance(self, percent: int) -> bool:
        return self._int(0, 99) < percent

    def sparse(self, hi: int, percent: int = 50) -> int:
        """0 most of the time, else up to `hi` (real tables are mostly zeros)."""
        return self.integer(0, hi) if hi > 0 and self.chance(percent) else 0

    def split(self, total: int, parts: int) -> list[int]:
        """`total` cut into `parts` non-negative integers."""
        if parts <= 1:
            return [total]
        cuts = sorted(self.integer(0, total) for _ in range(parts - 1))
        return [b - a for a, b in zip([0] + cuts, cuts + [total])]


def _consecutive(previous: Report | None, year: int) -> Report | None:
    return previous if previous is not None and previous.year == year - 1 else None


def _layout_for(year: int, previous: Report | None, layout: str | None) -> str:
    if layout:
        schema.layout(layout)   # validates the id
        return layout
    if previous is not None and previous.layout == "2021-single-other" and year >= 2021:
        return previous.layout
    return schema.default_layout_for_year(year)


def _amount(src: Source, hi: int) -> Decimal:
    """A decimal amount with 0 to 4 decimals, as real reports write them."""
    decimals = src.integer(0, 4)
    return Decimal(src.integer(0, hi * 10 ** decimals)).scaleb(-decimals)


# --- table 二 ------------------------------------------------------------------------------------
def _t2_2021(src: Source, rep: Report, prev: Report | None, scale: int) -> None:
    t2 = rep.table("t2")
    same = prev is not None and prev.table("t2").version == "2021"
    for row in schema.stock_rows(t2):
        issued = src.sparse(3 if row == "regulations" else 20)
        if same:
            stock = prev.value("t2", row, "in_force") + issued
            repealed = src.sparse(stock, 30)
            in_force = stock - repealed
        else:
            repealed = src.sparse(10, 30)
            in_force = src.integer(0, 100)
        rep.set("t2", row, "issued", issued)
        rep.set("t2", row, "repealed", repealed)
        rep.set("t2", row, "in_force", in_force)
    big = 10 ** (scale + 2)
    for row in schema.rows_with(t2, "decisions"):
        rep.set("t2", row, "decisions", src.sparse(big, 70))
    rep.set("t2", "fees", "amount", _amount(src, 10 ** (scale + 1)) if src.chance(50) else Decimal("0"))


def _t2_2019(src: Source, rep: Report, prev: Report | None, scale: int) -> None:
    t2 = rep.table("t2")
    same = prev is not None and prev.table("t2").version == "2019"
    for row in schema.rows_with(t2, "total_published"):
        made = src.sparse(3 if row == "regulations" else 20)
        published = src.integer(0, made)
        before = prev.value("t2", row, "total_published") if same else src.integer(0, 100)
        rep.set("t2", row, "new_made", made)
        rep.set("t2", row, "new_published", published)
        rep.set("t2", row, "total_published", before + published)
    for row in schema.stock_rows(t2):
        if same:
            items = prev.value("t2", row, "prev_items") + prev.value("t2", row, "change")
        else:
            items = src.sparse(200, 60)
        rep.set("t2", row, "prev_items", items)
        rep.set("t2", row, "change", src.integer(-items, 20) if src.chance(40) else 0)
        if row in schema.rows_with(t2, "decisions"):
            rep.set("t2", row, "decisions", src.sparse(10 ** (scale + 2), 70))
    rep.set("t2", "procurement", "items", src.sparse(50))
    rep.set("t2", "procurement", "amount", _amount(src, 10 ** (scale + 3)) if src.chance(50) else Decimal("0"))


# --- table 三 ------------------------------------------------------------------------------------
def _t3(src: Source, rep: Report, prev: Report | None, scale: int) -> None:
    t3 = rep.table("t3")
    outcomes = schema.outcome_rows(t3)
    cap = SCALES[scale]
    for i, col in enumerate(schema.T3_APPLICANT_COLUMNS):
        active = cap > 0 and (i == 0 or src.chance(30))
        col_cap = cap if i == 0 else max(cap // 20, 3)
        carried_over = prev.value("t3", "carried_forward", col) if prev is not None \
            else (src.sparse(col_cap // 10 + 1) if active else 0)
        new = src.integer(0, col_cap) if active else 0
        forward = src.sparse(min(new + carried_over, col_cap // 10 + 1), 60)
        processed = new + carried_over - forward
        used = [r for r in outcomes if r == "granted" or src.chance(35)]
        amounts = dict(zip(used, src.split(processed, len(used))))
        rep.set("t3", "new_received", col, new)
        rep.set("t3", "carried_over", col, carried_over)
        for r in outcomes:
            rep.set("t3", r, col, amounts.get(r, 0))
        rep.set("t3", "processed_total", col, processed)
        rep.set("t3", "carried_forward", col, forward)
    for row in t3.rows:
        rep.set("t3", row.key, "total", sum(rep.value("t3", row.key, c) for c in schema.T3_APPLICANT_COLUMNS))


# --- table 四 ------------------------------------------------------------------------------------
def _t4(src: Source, rep: Report, scale: int) -> None:
    t4 = rep.table("t4")
    cap = SCALES[scale] // 10
    for group in t4.rows:
        parts = [c.key for c in t4.columns if c.key != "total"]
        values = [src.sparse(cap, 40) for _ in parts]
        for c, v in zip(parts, values):
            rep.set("t4", group.key, c, v)
        rep.set("t4", group.key, "total", sum(values))


# --- narrative -----------------------------------------------------------------------------------
def consistent_narrative(rep: Report, previous: Report | None = None) -> dict[str, str]:
    """A plain narrative whose figures and years agree with the tables (rules narrative_numbers,
    section5_empty, year_mismatch pass)."""
    v = lambda row: rep.value("t3", row, "total")  # noqa: E731
    t3 = rep.table("t3")
    rows_of = lambda prefix: [r.key for r in t3.rows if r.key.startswith(prefix)]  # noqa: E731
    denied = sum(v(r) for r in rows_of("denied_"))
    y = rep.year
    growth = ""
    prev = _consecutive(previous, y)
    if prev is not None and prev.value("t3", "new_received", "total"):
        before = prev.value("t3", "new_received", "total")
        rate = (v("new_received") - before) / before * 100
        growth = f"，同比{'增长' if rate >= 0 else '下降'} {abs(rate):.2f}%"
    suits = rep.value("t4", "suit_direct", "total") + rep.value("t4", "suit_after_review", "total")
    return {
        schema.PREAMBLE: (f"本报告依据《中华人民共和国政府信息公开条例》编制。本报告所列数据的统计期限自{y}年1月1日起"
                          f"至{y}年12月31日止。"),
        "overview": (
            f"{y}年，本机关认真落实《中华人民共和国政府信息公开条例》，依法做好政府信息公开工作。\n\n"
            f"本年新收政府信息公开申请 {v('new_received')} 件{growth}，上年结转 {v('carried_over')} 件；"
            f"全年办结申请 {v('processed_total')} 件，其中予以公开 {v('granted')} 件，部分公开 {v('partial')} 件，"
            f"不予公开 {denied} 件；结转下年度继续办理 {v('carried_forward')} 件。\n\n"
            f"因政府信息公开被申请行政复议 {rep.value('t4', 'review', 'total')} 件，"
            f"提起行政诉讼 {suits} 件。"),
        "problems": "一是政策解读形式仍较单一；二是公开平台栏目更新不够及时。下一步将丰富解读形式，加强栏目日常巡查。",
        "other": "本年度未收取政府信息公开信息处理费。",
    }


# --- reports -------------------------------------------------------------------------------------
def consistent_report(rng_or_draw, agency: str, year: int, layout: str | None = None,
                      previous: Report | None = None, *, scale: int | None = None,
                      narrative: bool = True) -> Report:
    """One report in which every hard rule holds. With `previous` (the year before, same agency)
    上年结转 equals its 结转下年度 and the table 二 stocks continue (same table 二 version only).
    `scale` 0–4 sets the size (0: no requests at all); drawn when None."""
    src = Source(rng_or_draw)
    prev = _consecutive(previous, year)
    rep = Report(agency, year, _layout_for(year, prev, layout))
    scale = src.integer(0, len(SCALES) - 1) if scale is None else scale
    (_t2_2021 if rep.table("t2").version == "2021" else _t2_2019)(src, rep, prev, scale)
    _t3(src, rep, prev, scale)
    _t4(src, rep, scale)
    rep.cells = {k: rep.cells[k] for k in schema.cell_order(rep.layout)}   # exchange order, nothing extra
    if narrative:
        rep.narrative = consistent_narrative(rep, prev)
    return rep


def consistent_series(rng_or_draw, agency: str, years: Iterable[int],
                      layout: str | Callable[[int], str] | None = None, *, scale: int | None = None,
                      narrative: bool = True) -> list[Report]:
    """Reports of consecutive years that carry over from one to the next. `layout` may be a layout
    id, a function of the year, or None (2019 format before 2021, else 2021)."""
    src = Source(rng_or_draw)
    scale = src.integer(0, len(SCALES) - 1) if scale is None else scale
    out: list[Report] = []
    for y in years:
        lay = layout(y) if callable(layout) else layout
        prev = out[-1] if out else None
        out.append(consistent_report(src, agency, y, lay, prev, scale=scale, narrative=narrative))
    return out



def with_blanks(rep: Report, rng_or_draw, percent: int = 10) -> Report:
    """Some zero cells left blank and some marked 不适用, as published reports have them (the hard
    rules still hold: both count as 0 in a sum). In place; returns `rep`."""
    src = Source(rng_or_draw)
    for key, cell in list(rep.cells.items()):
        if cell.state == schema.NUMBER and cell.value == 0 and src.chance(percent):
            rep.cells[key] = Cell(schema.BLANK if src.chance(50) else schema.NA)
    return rep


def any_report(rng_or_draw, agency: str) -> Report:
    """A report as the round-trip property draws it (tests/importers/test_roundtrip.py, and
    bench/roundtrip_property.py at random): any layout and a year of its format, any scale, large
    numbers (table 二 decisions up to 10⁹, requests added where every identity still holds), and
    0, 10 or 40 % of the zero cells blank or 不适用."""
    src = Source(rng_or_draw)
    layouts = list(schema.LAYOUTS)
    layout = layouts[src.integer(0, len(layouts) - 1)]
    year = src.integer(2019, 2020) if layout == "2019" else src.integer(2021, 2025)
    rep = consistent_report(src, agency, year, layout, scale=src.integer(0, 4))
    rep.set("t2", "licensing", "decisions", src.integer(0, 10 ** 9))
    more = src.integer(0, 10 ** 6)
    for row in ("new_received", "granted", "processed_total"):
        for col in ("natural_person", "total"):
            rep.set("t3", row, col, rep.value("t3", row, col) + more)
    return with_blanks(rep, src, percent=(0, 10, 40)[src.integer(0, 2)])
