"""Rules across two consecutive years of one agency: carry_over (error) and stock_continuity (warning)."""
from __future__ import annotations

from ..format import schema
from ..format.model import Report
from .findings import Finding, finding, number_text


def _consecutive(rep: Report, previous: Report | None) -> bool:
    return previous is not None and previous.year == rep.year - 1


def check_carry_over(rep: Report, previous: Report | None) -> list[Finding]:
    """Each column of 表三: 上年结转 of year y = 结转下年度 of year y−1 (both 表三 versions have these rows)."""
    if not _consecutive(rep, previous):
        return []
    out = []
    for col in rep.table("t3").columns:
        expected = previous.value("t3", "carried_forward", col.key)
        actual = rep.value("t3", "carried_over", col.key)
        if expected != actual:
            prev_label = previous.table("t3").row_label("carried_forward")
            out.append(finding(
                "carry_over", rep,
                f"{schema.cell_label(rep.layout, 't3', 'carried_over', col.key)}：{previous.year} 年度报告的"
                f"“{prev_label}”为 {number_text(expected)}，本年填报为 {number_text(actual)}",
                table="t3", row="carried_over", col=col.key, expected=expected, actual=actual))
    return out


def check_stock_continuity(rep: Report, previous: Report | None) -> list[Finding]:
    """Stocks of table 二 continue from the year before; only between reports with the same table 二
    version (never across the 2020→2021 change of format).

    2021 format: 现行有效件数(y) = 现行有效件数(y−1) + 本年制发件数(y) − 本年废止件数(y).
    2019 format: 上一年项目数量(y) = 上一年项目数量(y−1) + 本年增/减(y−1).
    """
    if not _consecutive(rep, previous):
        return []
    t2, prev_t2 = rep.table("t2"), previous.table("t2")
    if t2.version != prev_t2.version:
        return []
    out = []
    if t2.version == "2021":
        for row in schema.stock_rows(t2):
            p = previous.value("t2", row, "in_force")
            i, r = rep.value("t2", row, "issued"), rep.value("t2", row, "repealed")
            expected, actual = p + i - r, rep.value("t2", row, "in_force")
            if expected != actual:
                lab = lambda c: t2.col_label(row, c)  # noqa: E731
                out.append(finding(
                    "stock_continuity", rep,
                    f"{schema.cell_label(rep.layout, 't2', row, 'in_force')}：上年{lab('in_force')} {number_text(p)}"
                    f" + {lab('issued')} {number_text(i)} − {lab('repealed')} {number_text(r)} = {number_text(expected)}，"
                    f"填报为 {number_text(actual)}",
                    table="t2", row=row, col="in_force", expected=expected, actual=actual))
    else:
        for row in schema.stock_rows(t2):
            p, d = previous.value("t2", row, "prev_items"), previous.value("t2", row, "change")
            expected, actual = p + d, rep.value("t2", row, "prev_items")
            if expected != actual:
                lab = lambda c: t2.col_label(row, c)  # noqa: E731
                out.append(finding(
                    "stock_continuity", rep,
                    f"{schema.cell_label(rep.layout, 't2', row, 'prev_items')}：{previous.year} 年度报告的"
                    f"{lab('prev_items')} {number_text(p)} + {lab('change')} {number_text(d)} = {number_text(expected)}，"
                    f"本年填报为 {number_text(actual)}",
                    table="t2", row=row, col="prev_items", expected=expected, actual=actual))
    return out
