"""Rules across years (carry_over, stock_continuity) and across units (rollup)."""
from __future__ import annotations

import copy
import random
from decimal import Decimal

import pytest

from helpers.checks import check_rollup, run_checks
from helpers.format import schema
from helpers.format.model import Report
from helpers.synth.series import consistent_report, consistent_series


def series(seed: int, years, layout=None, scale=2):
    return consistent_series(random.Random(seed), "county", years, layout, scale=scale, narrative=False)


def test_carry_over_error_at_the_column_with_previous_carried_forward():
    prev, cur = series(1, [2022, 2023])
    assert run_checks(cur, prev) == []
    cur = copy.deepcopy(cur)
    was = cur.value("t3", "carried_over", "natural_person")
    # shift one request from 上年结转 to 本年新收: table 三 of 2023 stays balanced, only carry_over breaks
    cur.set("t3", "carried_over", "natural_person", was + 1)
    cur.set("t3", "carried_over", "total", cur.value("t3", "carried_over", "total") + 1)
    cur.set("t3", "new_received", "natural_person", cur.value("t3", "new_received", "natural_person") - 1)
    cur.set("t3", "new_received", "total", cur.value("t3", "new_received", "total") - 1)
    if cur.value("t3", "new_received", "natural_person") < 0:
        pytest.skip("seed gives no new requests")
    findings = run_checks(cur, prev)
    assert [(f.rule, f.severity, f.table, f.row, f.col) for f in findings] == [
        ("carry_over", "error", "t3", "carried_over", "natural_person"),
        ("carry_over", "error", "t3", "carried_over", "total")]
    f = findings[0]
    assert (f.expected, f.actual) == (prev.value("t3", "carried_forward", "natural_person"), was + 1)
    assert f.message == (f"表三 二、上年结转政府信息公开申请数量 · 自然人：2022 年度报告的“四、结转下年度继续办理”为 "
                         f"{f.expected}，本年填报为 {was + 1}")


def test_carry_over_only_between_consecutive_years():
    a, b = series(2, [2020, 2021]), series(3, [2021, 2022])
    other = b[1]
    assert [f.rule for f in run_checks(other, a[0])] == []            # 2020 is not the year before 2022
    assert {f.rule for f in run_checks(other, b[0])} == set()
    assert run_checks(other, None) == []


def test_carry_over_across_the_2019_to_2021_layouts():
    prev, cur = series(4, [2020, 2021], scale=3)
    assert (prev.layout, cur.layout) == ("2019", "2021")
    assert run_checks(cur, prev) == []
    broken = copy.deepcopy(prev)
    broken.set("t3", "carried_forward", "total", broken.value("t3", "carried_forward", "total") + 7)
    (f,) = run_checks(cur, broken)
    assert (f.rule, f.col, f.expected) == ("carry_over", "total", prev.value("t3", "carried_forward", "total") + 7)


def test_stock_continuity_2021_warning_at_in_force():
    prev, cur = series(5, [2022, 2023])
    cur = copy.deepcopy(cur)
    in_force = cur.value("t2", "normative_docs", "in_force")
    cur.set("t2", "normative_docs", "in_force", in_force + 4)
    (f,) = run_checks(cur, prev)
    assert (f.rule, f.severity, f.table, f.row, f.col) == ("stock_continuity", "warning", "t2", "normative_docs", "in_force")
    assert (f.expected, f.actual) == (in_force, in_force + 4)
    p, i, r = (prev.value("t2", "normative_docs", "in_force"), cur.value("t2", "normative_docs", "issued"),
               cur.value("t2", "normative_docs", "repealed"))
    assert f.message == (f"表二 行政规范性文件 · 现行有效件数：上年现行有效件数 {p} + 本年制发件数 {i} − 本年废止件数 {r}"
                         f" = {in_force}，填报为 {in_force + 4}")


def test_stock_continuity_2019_items():
    prev, cur = series(6, [2019, 2020])
    assert run_checks(cur, prev) == []
    cur = copy.deepcopy(cur)
    cur.set("t2", "penalty", "prev_items", cur.value("t2", "penalty", "prev_items") + 1)
    (f,) = run_checks(cur, prev)
    assert (f.rule, f.row, f.col) == ("stock_continuity", "penalty", "prev_items")
    assert f.expected == prev.value("t2", "penalty", "prev_items") + prev.value("t2", "penalty", "change")


def test_stock_continuity_never_across_the_format_change():
    prev, cur = series(7, [2020, 2021])
    assert prev.table("t2").version != cur.table("t2").version
    cur = copy.deepcopy(cur)
    cur.set("t2", "regulations", "in_force", 999)
    assert run_checks(cur, prev) == []
    # a 2021-format report keeping the single （六） row still has table 二 of 2021: checked
    a, b = series(8, [2022, 2023], layout="2021-single-other")
    b = copy.deepcopy(b)
    b.set("t2", "regulations", "in_force", b.value("t2", "regulations", "in_force") + 1)
    assert [f.rule for f in run_checks(b, a)] == ["stock_continuity"]


# --- rollup ----------------------------------------------------------------------------------------
def _units(n=3, year=2023, layout=None):
    return [consistent_report(random.Random(10 + i), f"town-{i}", year, layout, scale=2, narrative=False)
            for i in range(n)]


def _sum_report(agency, children, layout=None):
    parent = Report.zeros(agency, children[0].year, layout or children[0].layout)
    for key in schema.cell_order(parent.layout):
        parent.set(*key, sum((c.value(*key) for c in children), 0))
    return parent


def test_rollup_silent_when_parent_is_the_sum():
    kids = _units()
    parent = _sum_report("county", kids)
    assert check_rollup(parent, kids) == []
    assert run_checks(parent) == []          # a sum of consistent reports is consistent


def test_rollup_warns_per_differing_cell():
    kids = _units()
    parent = _sum_report("county", kids)
    parent.set("t2", "fees", "amount", parent.value("t2", "fees", "amount") + Decimal("0.5"))
    parent.set("t4", "review", "upheld", parent.value("t4", "review", "upheld") + 1)
    findings = check_rollup(parent, kids)
    assert [(f.rule, f.severity, f.table, f.row, f.col) for f in findings] == [
        ("rollup", "warning", "t2", "fees", "amount"), ("rollup", "warning", "t4", "review", "upheld")]
    f = findings[1]
    assert (f.expected, f.actual, f.agency) == (parent.value("t4", "review", "upheld") - 1,
                                                 parent.value("t4", "review", "upheld"), "county")
    assert f.message.startswith("表四 行政复议 · 结果维持：下级单位（town-0、town-1、town-2 共 3 家）之和为")
    assert isinstance(findings[0].as_dict()["expected"], str)


def test_rollup_across_table_three_versions():
    kids = _units(2, layout="2021")
    parent = _sum_report("county", kids, layout="2021-single-other")
    parent.set("t3", "other_processing", "natural_person",
               sum(k.value("t3", r, "natural_person") for k in kids for r in schema.T3_OTHER_ROWS_2021))
    parent.set("t3", "other_processing", "total",
               sum(k.value("t3", r, "total") for k in kids for r in schema.T3_OTHER_ROWS_2021))
    for col in schema.T3_APPLICANT_COLUMNS[1:]:
        parent.set("t3", "other_processing", col,
                   sum(k.value("t3", r, col) for k in kids for r in schema.T3_OTHER_ROWS_2021))
    assert check_rollup(parent, kids) == []
    parent.set("t3", "other_processing", "total", parent.value("t3", "other_processing", "total") + 1)
    assert [(f.row, f.col) for f in check_rollup(parent, kids)] == [("other_processing", "total")]
    # cells of table 二 that the other format version lacks cannot be compared: skipped, not reported;
    # 处理决定数量 (licensing/penalty/coercion · decisions) exists in both and is compared
    old = consistent_report(random.Random(1), "old", 2023, "2019", scale=1, narrative=False)
    t2_rows = {f.row for f in check_rollup(parent, kids + [old]) if f.table == "t2"}
    assert t2_rows <= {"licensing", "penalty", "coercion"}


def test_rollup_refuses_mixed_years():
    kids = _units(2)
    with pytest.raises(ValueError):
        check_rollup(_sum_report("county", kids), kids + _units(1, year=2022))
