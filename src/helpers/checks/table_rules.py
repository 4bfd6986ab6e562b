"""Rules within one report's tables: balance, outcome_total, applicant_total, review_total, domain, blank.

The four hard rules are identities over cells (schema.identities). A broken identity alone cannot
tell which of its cells is wrong; `suspect` names one only when the other identities single it out.

Arithmetic reads cells with `Report.value`, which counts blank, 不适用 and non-number cells as 0:
the `blank` rule reports blanks on its own, so a blank that was meant as 0 gives one finding, not
one per identity it takes part in.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..format import schema
from ..format.model import Report, as_number
from .findings import Finding, finding, number_text


def _label(rep: Report, table: str, row: str, col: str) -> str:
    return schema.cell_label(rep.layout, table, row, col)


def _sum(values):
    return sum(values, 0)


# --- the hard identities of one report (schema.identities) ----------------------------------------
CellKey = schema.CellKey


def gap(ident: schema.Identity, value):
    """Left side minus right side of `ident`, reading cells with `value(key)`."""
    return _sum(value(k) for k in ident.left) - _sum(value(k) for k in ident.right)


def identities(rep: Report) -> list[schema.Identity]:
    """Every hard identity of the report's tables 三 (in its version) and 四."""
    return [*schema.identities("t3", rep.table("t3").version), *schema.identities("t4")]


@dataclass(frozen=True)
class Suspect:
    """The one cell of a broken identity that the other identities single out: with `value` in it,
    every identity it takes part in holds, and at least one of the others was broken too."""
    cell: CellKey
    value: object
    confirmed_by: tuple[str, ...]     # rule ids of the other identities that point at it


def suspect(rep: Report, broken: schema.Identity, every: list[schema.Identity]) -> Suspect | None:
    """The cell of `broken` that the other identities single out, or None when they do not: a
    single identity cannot tell which of its cells is wrong, so a message names a cell only when
    exactly one cell, corrected, also repairs another broken identity and breaks none."""
    value = lambda k: rep.value(*k)  # noqa: E731
    off = gap(broken, value)
    found = []
    for cell in broken.cells:
        others = [i for i in every if i is not broken and cell in i.cells]
        if not any(gap(i, value) for i in others):
            continue
        fixed = value(cell) - off if cell in broken.left else value(cell) + off
        if fixed < 0:
            continue
        with_fix = lambda k, c=cell, v=fixed: v if k == c else value(k)  # noqa: E731
        if all(not gap(i, with_fix) for i in others):
            found.append(Suspect(cell, fixed, tuple(dict.fromkeys(i.rule for i in others if gap(i, value)))))
    return found[0] if len(found) == 1 else None


def _pointer(rep: Report, s: Suspect) -> str:
    rules = "、".join(schema.RULES[r].name for r in s.confirmed_by)
    return (f"{rules}也指向 {_label(rep, *s.cell)}：它若为 {number_text(s.value)}（填报为 "
            f"{number_text(rep.value(*s.cell))}），这几项勾稽关系都成立")


def _broken(rep: Report, rule: str) -> tuple[list[schema.Identity], list[schema.Identity]]:
    every = identities(rep)
    value = lambda k: rep.value(*k)  # noqa: E731
    return [i for i in every if i.rule == rule and gap(i, value)], every


def _balance_sides() -> tuple[str, str]:
    """'本年新收 + 上年结转' and '办理结果总计 + 结转下年度' from the rule's title in the schema."""
    left, right = schema.RULES["balance"].title.split("=")
    return left.strip(), right.strip()


def check_balance(rep: Report) -> list[Finding]:
    """Each column: new_received + carried_over = processed_total + carried_forward.

    The message gives both sides. Which of the four cells is wrong the identity cannot tell: the
    finding names a cell only when the other identities single it out (`suspect`; expected = the
    value that would repair them, actual = the one filled in); otherwise it concerns the column
    (row None, `cells` the four), expected = the left side, actual = the right side.
    """
    broken, every = _broken(rep, "balance")
    left_name, right_name = _balance_sides()
    out = []
    for ident in broken:
        col = ident.left[0][2]
        (new, carried), (processed, forward) = ([rep.value(*k) for k in side] for side in (ident.left, ident.right))
        left, right = new + carried, processed + forward
        sides = (f"{left_name} = {number_text(new)} + {number_text(carried)} = {number_text(left)}，"
                 f"{right_name} = {number_text(processed)} + {number_text(forward)} = {number_text(right)}，"
                 f"两边相差 {number_text(abs(left - right))}")
        s = suspect(rep, ident, every)
        if s:
            out.append(finding("balance", rep, f"{_label(rep, *s.cell)}：{sides}；{_pointer(rep, s)}",
                               table="t3", row=s.cell[1], col=col, expected=s.value, actual=rep.value(*s.cell)))
        else:
            column = f"{schema.table_name('t3')} {rep.table('t3').col_label('new_received', col)} 列"
            out.append(finding("balance", rep, f"{column}：{sides}；其他勾稽关系不能确定是哪个数有误，请核对这四个数",
                               table="t3", row=None, col=col, expected=left, actual=right, cells=ident.cells))
    return out


def _sum_rule(rep: Report, rule: str, what: str) -> list[Finding]:
    """A rule whose identities say: the cells on the left add up to the one on the right (a 总计).
    Reported at that total with both sides; when the other identities single out one of the parts
    instead, the message says so."""
    broken, every = _broken(rep, rule)
    out = []
    for ident in broken:
        (total,) = ident.right
        expected, actual = _sum(rep.value(*k) for k in ident.left), rep.value(*total)
        message = f"{_label(rep, *total)}：{what}之和为 {number_text(expected)}，填报为 {number_text(actual)}"
        s = suspect(rep, ident, every)
        if s and s.cell != total:
            message += f"；{_pointer(rep, s)}"
        out.append(finding(rule, rep, message, table=total[0], row=total[1], col=total[2],
                           expected=expected, actual=actual))
    return out


def check_outcome_total(rep: Report) -> list[Finding]:
    """Each column: （七）总计 = sum of the outcome rows (both 表三 versions via schema.outcome_rows)."""
    return _sum_rule(rep, "outcome_total", "各项")


def check_applicant_total(rep: Report) -> list[Finding]:
    """Each row of 表三: 总计 = sum of the six applicant columns."""
    return _sum_rule(rep, "applicant_total", "各类申请人")


def check_review_total(rep: Report) -> list[Finding]:
    """Table 四, each group: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结."""
    return _sum_rule(rep, "review_total", "各项")


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
