"""Rules within one report's tables: balance, outcome_total, applicant_total, review_total, domain, blank.

Arithmetic reads cells with `Report.value`, which counts blank, 不适用 and non-number cells as 0:
the `blank` rule reports blanks on its own, so a blank that was meant as 0 gives one finding, not
one per identity it takes part in.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from ..format import schema
from ..format.model import Report, as_number
from .findings import Finding, finding, number_text


def _label(rep: Report, table: str, row: str, col: str) -> str:
    return schema.cell_label(rep.layout, table, row, col)


def _sum(values):
    return sum(values, 0)


def _balance_sides() -> tuple[str, str]:
    """'本年新收 + 上年结转' and '办理结果总计 + 结转下年度' from the rule's title in the schema."""
    left, right = schema.RULES["balance"].title.split("=")
    return left.strip(), right.strip()


def check_balance(rep: Report) -> list[Finding]:
    """Each column: new_received + carried_over = processed_total + carried_forward.

    Reported at 四、结转下年度继续办理 of the column: `expected` is the carry-forward that would balance
    (new + carried over − processed), `actual` the one filled in; the message states both sides.
    """
    t3 = rep.table("t3")
    left_name, right_name = _balance_sides()
    out = []
    for col in t3.columns:
        v = lambda row: rep.value("t3", row, col.key)  # noqa: E731
        left = v("new_received") + v("carried_over")
        right = v("processed_total") + v("carried_forward")
        if left != right:
            out.append(finding(
                "balance", rep,
                f"{_label(rep, 't3', 'carried_forward', col.key)}：{left_name} = {number_text(left)}，"
                f"{right_name} = {number_text(right)}（按勾稽关系应为 {number_text(left - v('processed_total'))}，"
                f"填报为 {number_text(v('carried_forward'))}）",
                table="t3", row="carried_forward", col=col.key,
                expected=left - v("processed_total"), actual=v("carried_forward")))
    return out


def check_outcome_total(rep: Report) -> list[Finding]:
    """Each column: （七）总计 = sum of the outcome rows (both 表三 versions via schema.outcome_rows)."""
    t3 = rep.table("t3")
    parts = schema.outcome_rows(t3)
    out = []
    for col in t3.columns:
        expected = _sum(rep.value("t3", r, col.key) for r in parts)
        actual = rep.value("t3", "processed_total", col.key)
        if expected != actual:
            out.append(finding(
                "outcome_total", rep,
                f"{_label(rep, 't3', 'processed_total', col.key)}：各项之和为 {number_text(expected)}，填报为 {number_text(actual)}",
                table="t3", row="processed_total", col=col.key, expected=expected, actual=actual))
    return out


def _row_totals(rep: Report, rule: str, table: str, parts: tuple[str, ...], what: str) -> list[Finding]:
    """Each row of `table`: its 总计 column equals the sum of `parts`."""
    out = []
    for row in rep.table(table).rows:
        expected = _sum(rep.value(table, row.key, c) for c in parts)
        actual = rep.value(table, row.key, "total")
        if expected != actual:
            out.append(finding(
                rule, rep, f"{_label(rep, table, row.key, 'total')}：{what}之和为 {number_text(expected)}，填报为 {number_text(actual)}",
                table=table, row=row.key, col="total", expected=expected, actual=actual))
    return out


def check_applicant_total(rep: Report) -> list[Finding]:
    """Each row of 表三: 总计 = sum of the six applicant columns."""
    return _row_totals(rep, "applicant_total", "t3", schema.T3_APPLICANT_COLUMNS, "各类申请人")


def check_review_total(rep: Report) -> list[Finding]:
    """Table 四, each group: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结."""
    parts = tuple(c.key for c in rep.table("t4").columns if c.key != "total")
    return _row_totals(rep, "review_total", "t4", parts, "各项")


def check_domain(rep: Report) -> list[Finding]:
    """Every number fits its field (`schema.value_problem`: counts integers ≥ 0, amounts ≥ 0, deltas
    integers); a float is taken at its printed value."""
    out = []
    for (t, r, c), cell in rep.ordered_cells():
        if cell.state != schema.NUMBER:
            continue
        kind, value = schema.field_of(rep.layout, t, r, c).kind, cell.value
        problem = _int_problem(kind, value) if type(value) is int else schema.value_problem(kind, as_number(value))
        if problem:
            out.append(finding("domain", rep, f"{_label(rep, t, r, c)}：{problem}，填报为 {number_text(cell.value)}",
                               table=t, row=r, col=c, expected=None, actual=_actual(cell.value)))
    return out


@lru_cache(maxsize=1 << 14)
def _int_problem(kind: str, value: int) -> str | None:
    """value_problem of an int (what the store holds): remembered, as the same small numbers recur in
    every report of a roll-up. Only ints: 2, 2.0 and Decimal("2.0") are equal keys but not equal values."""
    return schema.value_problem(kind, value)


def _actual(value):
    return value if isinstance(value, (int, Decimal, float, str)) or value is None else str(value)


def check_blank(rep: Report) -> list[Finding]:
    """A blank or missing cell where a number belongs. 不适用 (NA) is an explicit statement, not reported."""
    out = []
    for key, cell in rep.ordered_cells():
        if cell.state != schema.BLANK:
            continue
        t, r, c = key
        what = "缺少该单元格" if key not in rep.cells else "为空"
        out.append(finding("blank", rep, f"{_label(rep, t, r, c)}：{what}（{schema.RULES['blank'].advice}）",
                           table=t, row=r, col=c, expected=None, actual=None))
    return out
