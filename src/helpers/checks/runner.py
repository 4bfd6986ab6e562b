"""Run every rule on one report (and its previous year), or on the reports in the store."""
from __future__ import annotations

from ..errors import XxgkError
from ..format import schema
from ..format.model import Report
from .findings import Finding
from .narrative_numbers import check_narrative_numbers
from .narrative_rules import check_section5_empty, check_year_mismatch
from .rollup import check_rollup
from .series_rules import check_carry_over, check_stock_continuity
from .table_rules import (
    check_applicant_total,
    check_balance,
    check_blank,
    check_domain,
    check_outcome_total,
    check_review_total,
)

# rule id -> callable(report, previous) -> findings. `rollup` needs the subordinate units: see check_rollup.
SINGLE_REPORT_RULES = {
    "balance": lambda rep, prev: check_balance(rep),
    "outcome_total": lambda rep, prev: check_outcome_total(rep),
    "applicant_total": lambda rep, prev: check_applicant_total(rep),
    "review_total": lambda rep, prev: check_review_total(rep),
    "domain": lambda rep, prev: check_domain(rep),
    "blank": lambda rep, prev: check_blank(rep),
    "carry_over": check_carry_over,
    "stock_continuity": check_stock_continuity,
    "narrative_numbers": check_narrative_numbers,
    "section5_empty": lambda rep, prev: check_section5_empty(rep),
    "year_mismatch": lambda rep, prev: check_year_mismatch(rep),
}


def run_checks(report: Report, previous: Report | None = None) -> list[Finding]:
    """All rules but `rollup`, in the order of schema.RULES; within a rule in the order of the tables
    (narrative findings in text order). `previous` is the report of the year before, if any."""
    out: list[Finding] = []
    for rule_id in schema.RULES:
        rule = SINGLE_REPORT_RULES.get(rule_id)
        if rule:
            out.extend(rule(report, previous))
    return out


def check_store(store, agency: str | None = None, year: int | None = None, *,
                rollup: bool = False) -> list[Finding]:
    """Check every current report in the store (optionally one agency / one year) against its
    previous year. With rollup=True also compare each agency that has subordinate agencies
    (agencies.parent_id) with the sum of their reports of the same year."""
    from ..store import EMPTY_STORE

    if agency:
        store.require_agency(agency, "--agency")
    keys = store.report_keys(agency, year)
    if not keys:
        if not store.report_keys():
            raise XxgkError(EMPTY_STORE)
        what = " ".join(p for p in (agency or "", f"{year} 年" if year else "") if p)
        raise XxgkError(f"{what}没有可核对的报告数据 (no stored reports to check)")
    cache: dict[tuple[str, int], Report | None] = {}

    def load(a, y):
        if (a, y) not in cache:
            cache[(a, y)] = store.load_report(a, y)
        return cache[(a, y)]

    out: list[Finding] = []
    for a, y in keys:
        out.extend(run_checks(load(a, y), load(a, y - 1)))
    if rollup:
        children_of: dict[str, list[str]] = {}
        for ag in store.agencies():
            if ag.parent_id:
                children_of.setdefault(ag.parent_id, []).append(ag.id)
        for a, y in keys:
            kids = [load(k, y) for k in children_of.get(a, [])]
            kids = [k for k in kids if k is not None]
            if kids:
                out.extend(check_rollup(load(a, y), kids))
    return out
