"""Table rules of helpers.checks on the real samples and on mutated copies: each rule fires at the
right cell with the right numbers, and only there."""
from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest

from helpers.checks import FINDING_KEYS, Finding, has_errors, run_checks
from helpers.config import samples_dir
from helpers.format import schema
from helpers.format.model import Cell, Report
from helpers.importers import exchange_csv

SAMPLES = samples_dir()
HARD = [r.id for r in schema.RULES.values() if r.severity == schema.ERROR]


def sample(name: str) -> Report:
    (rep,) = exchange_csv.read(SAMPLES / f"{name}.expected.csv")
    return rep


def mutated(rep: Report, table: str, row: str, col: str, value) -> Report:
    out = copy.deepcopy(rep)
    out.cells[(table, row, col)] = value if isinstance(value, Cell) else Cell(schema.NUMBER, value)
    return out


def only(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


@pytest.mark.parametrize("name", ["huaian-2024", "qianjindao-2023", "shuyang-2025"])
def test_complete_samples_pass_every_rule(name):
    assert run_checks(sample(name)) == []


@pytest.mark.parametrize("name", ["huaian-2024", "qianjindao-2023", "shuyang-2025", "shuyang-fgj-2023"])
def test_every_sample_passes_every_hard_rule(name):
    assert not has_errors(run_checks(sample(name)))


def test_sample_with_blank_cells_fails_only_blank_at_its_blank_cells():
    # shuyang-fgj-2023 left the 法人或其他组织 columns of 表三 blank where 0 was meant (FORMAT.md):
    # every identity holds (blank counts as 0), and `blank` names each of those cells.
    rep = sample("shuyang-fgj-2023")
    findings = run_checks(rep)
    blanks = [k for k, c in rep.ordered_cells() if c.state == schema.BLANK]
    assert len(blanks) == 125
    assert {f.rule for f in findings} == {"blank"}
    assert [(f.table, f.row, f.col) for f in findings] == blanks
    assert findings[0].message == "表三 一、本年新收政府信息公开申请数量 · 商业企业：为空（空白不等于 0：没有的填 0，不适用的填“不适用”）"
    # a blank is worth a look, not proof of an error: published reports leave 0 blank (FORMAT.md)
    assert {f.severity for f in findings} == {"warning"}


def test_outcome_total_message_and_numbers():
    rep = mutated(sample("huaian-2024"), "t3", "granted", "natural_person", 1288 + 6)
    findings = run_checks(rep)
    oc = only(findings, "outcome_total")
    assert [(f.table, f.row, f.col, f.expected, f.actual) for f in oc] == [
        ("t3", "processed_total", "natural_person", 2938, 2932)]
    assert oc[0].message == ("表三 （七）总计 · 自然人：各项之和为 2938，填报为 2932；申请人合计也指向 "
                             "表三 （一）予以公开 · 自然人：它若为 1288（填报为 1294），这几项勾稽关系都成立")
    assert oc[0].severity == "error" and oc[0].agency == "huaian" and oc[0].year == 2024
    # the same change breaks the row's 总计 too
    at = only(findings, "applicant_total")
    assert [(f.row, f.col, f.expected, f.actual) for f in at] == [("granted", "total", 1368, 1362)]
    assert {f.rule for f in findings} == {"outcome_total", "applicant_total"}


def test_balance_names_no_cell_the_identities_cannot_single_out():
    """Two cells of 四、结转下年度 changed together keep 总计 = Σ applicants: nothing but balance
    breaks, so nothing tells which of the four cells of each column is wrong; the finding states
    the sides and concerns the column (its four cells), blaming none."""
    rep = sample("shuyang-2025")
    rep = mutated(rep, "t3", "carried_forward", "legal_service", 2)
    rep = mutated(rep, "t3", "carried_forward", "total", 33)   # keep applicant_total intact
    findings = run_checks(rep)
    assert {f.rule for f in findings} == {"balance"}
    by_col = {f.col: f for f in findings}
    assert set(by_col) == {"legal_service", "total"}
    f = by_col["legal_service"]
    assert (f.table, f.row, f.expected, f.actual) == ("t3", None, 5, 7)
    assert f.cells == tuple(("t3", r, "legal_service") for r in
                            ("new_received", "carried_over", "processed_total", "carried_forward"))
    assert f.message == ("表三 法律服务机构 列：本年新收 + 上年结转 = 5 + 0 = 5，办理结果总计 + 结转下年度 = 5 + 2 = 7，"
                         "两边相差 2；其他勾稽关系不能确定是哪个数有误，请核对这四个数")
    assert "应为" not in f.message
    assert by_col["total"].actual - by_col["total"].expected == 2 and by_col["total"].row is None


def test_balance_names_the_cell_other_identities_single_out():
    """The issue's case: （七）总计 · 总计 mistyped (one too many). balance used to blame
    四、结转下年度 · 总计 ("应为 102，填报为 103"); 申请人合计 and 办理结果合计 both point at （七）总计."""
    rep = sample("huaian-2024")
    typed = rep.value("t3", "processed_total", "total") + 1
    findings = run_checks(mutated(rep, "t3", "processed_total", "total", typed))
    (b,) = only(findings, "balance")
    assert (b.row, b.col, b.expected, b.actual, b.cells) == ("processed_total", "total", typed - 1, typed, ())
    assert b.message.startswith("表三 （七）总计 · 总计：")
    assert "办理结果合计、申请人合计也指向 表三 （七）总计 · 总计" in b.message
    assert "结转下年度继续办理" not in b.message
    # a mistyped part: the sums it takes part in name it too
    rep2 = mutated(rep, "t3", "denied_state_secret", "natural_person", rep.value("t3", "denied_state_secret", "natural_person") + 4)
    found = run_checks(rep2)
    assert {f.rule for f in found} == {"outcome_total", "applicant_total"}
    assert all("指向 表三 1.属于国家秘密 · 自然人" in f.message for f in found)


def test_balance_with_a_carried_forward_typo_is_pinned_by_the_row_total():
    rep = sample("shuyang-2025")
    was = rep.value("t3", "carried_forward", "legal_service")
    (f, at) = run_checks(mutated(rep, "t3", "carried_forward", "legal_service", was + 2))
    assert (f.rule, f.row, f.col, f.expected, f.actual) == ("balance", "carried_forward", "legal_service", was, was + 2)
    assert at.rule == "applicant_total"


def test_applicant_total_on_every_row():
    rep = mutated(sample("huaian-2024"), "t3", "denied_admin_query", "total", 100)
    findings = run_checks(rep)
    assert {f.rule for f in findings} == {"applicant_total", "outcome_total"}
    (at,) = only(findings, "applicant_total")
    assert (at.row, at.col, at.expected, at.actual) == ("denied_admin_query", "total", 105, 100)
    assert at.message == "表三 8.属于行政查询事项 · 总计：各类申请人之和为 105，填报为 100"


@pytest.mark.parametrize("group", [g for g, _ in schema.T4_GROUPS])
def test_review_total_per_group(group):
    rep = sample("huaian-2024")
    before = rep.value("t4", group, "pending")
    rep = mutated(rep, "t4", group, "pending", before + 3)
    (f,) = run_checks(rep)
    total = rep.value("t4", group, "total")
    assert (f.rule, f.table, f.row, f.col, f.expected, f.actual) == ("review_total", "t4", group, "total", total + 3, total)
    label = dict(schema.T4_GROUPS)[group]
    assert f.message == f"表四 {label} · 总计：各项之和为 {total + 3}，填报为 {total}"


@pytest.mark.parametrize("cell,value,problem", [
    (("t2", "regulations", "issued"), -1, "件数不能为负数"),
    (("t2", "licensing", "decisions"), Decimal("2.5"), "件数应为整数"),
    (("t2", "fees", "amount"), Decimal("-0.01"), "金额不能为负数"),
    (("t2", "penalty", "decisions"), "12", "不是数字"),
    (("t2", "penalty", "decisions"), Decimal("NaN"), "不是数字"),
    (("t2", "coercion", "decisions"), 0.5, "件数应为整数"),
])
def test_domain_on_table_two(cell, value, problem):
    rep = mutated(sample("huaian-2024"), *cell, value)
    findings = run_checks(rep)
    assert [f.rule for f in findings] == ["domain"]
    f = findings[0]
    assert (f.table, f.row, f.col) == cell
    assert problem in f.message and f.message.startswith(schema.cell_label("2021", *cell))
    json.dumps(f.as_dict())


def test_domain_accepts_integral_decimals_and_decimal_amounts():
    rep = mutated(sample("huaian-2024"), "t2", "licensing", "decisions", Decimal("447228"))
    assert run_checks(rep) == []
    rep = mutated(rep, "t2", "fees", "amount", Decimal("0.000001"))
    assert run_checks(rep) == []


def test_domain_deltas_may_be_negative_but_integers():
    rep = Report.zeros("old", 2019, "2019")
    rep.set("t2", "licensing", "change", -5)
    assert run_checks(rep) == []
    rep.set("t2", "licensing", "change", Decimal("-1.5"))
    (f,) = run_checks(rep)
    assert (f.rule, f.row, f.col) == ("domain", "licensing", "change") and "增减数应为整数" in f.message


def test_negative_count_in_table_three_is_a_domain_error_at_that_cell():
    rep = Report.zeros("x", 2023)
    for row in ("new_received", "granted", "processed_total"):
        rep.set("t3", row, "natural_person", 3)
        rep.set("t3", row, "total", 3)
    assert run_checks(rep) == []
    rep.set("t3", "carried_over", "research", -2)
    rep.set("t3", "new_received", "research", 2)   # keeps every identity
    rep.set("t3", "carried_over", "total", -2)
    rep.set("t3", "new_received", "total", 5)
    findings = run_checks(rep)
    assert [(f.rule, f.row, f.col) for f in findings] == [
        ("domain", "carried_over", "research"), ("domain", "carried_over", "total")]


def test_blank_versus_na_versus_missing():
    rep = sample("qianjindao-2023")
    na = mutated(rep, "t2", "fees", "amount", Cell(schema.NA))
    assert run_checks(na) == []          # 不适用 is an explicit statement
    blank = mutated(rep, "t2", "fees", "amount", Cell(schema.BLANK))
    (f,) = run_checks(blank)
    assert (f.rule, f.table, f.row, f.col, f.severity) == ("blank", "t2", "fees", "amount", "warning")
    assert f.message == "表二 行政事业性收费 · 本年收费金额（单位：万元）：为空（空白不等于 0：没有的填 0，不适用的填“不适用”）"
    missing = copy.deepcopy(rep)
    del missing.cells[("t4", "review", "total")]
    (f,) = run_checks(missing)
    assert (f.rule, f.row, f.col) == ("blank", "review", "total") and "缺少该单元格" in f.message


def test_blank_meant_as_nonzero_breaks_identities_too():
    rep = mutated(sample("shuyang-2025"), "t3", "granted", "natural_person", Cell(schema.BLANK))
    rules = [f.rule for f in run_checks(rep)]
    assert rules == ["outcome_total", "applicant_total", "blank"]   # order of schema.RULES


def test_2019_layout_single_other_row():
    rep = Report.zeros("old", 2020, "2019")
    rep.set("t3", "new_received", "natural_person", 4)
    rep.set("t3", "other_processing", "natural_person", 4)
    rep.set("t3", "processed_total", "natural_person", 4)
    for row in ("new_received", "other_processing", "processed_total"):
        rep.set("t3", row, "total", 4)
    assert run_checks(rep) == []
    bad = mutated(rep, "t3", "other_processing", "natural_person", 3)
    bad = mutated(bad, "t3", "other_processing", "total", 3)
    findings = run_checks(bad)
    assert [(f.rule, f.row, f.col, f.expected, f.actual) for f in findings] == [
        ("outcome_total", "processed_total", "natural_person", 3, 4),
        ("outcome_total", "processed_total", "total", 3, 4)]


def test_2021_single_other_layout():
    rep = Report.zeros("kept", 2023, "2021-single-other")
    assert "other_processing" in [r.key for r in rep.table("t3").rows]
    rep.set("t3", "new_received", "commercial", 2)
    rep.set("t3", "new_received", "total", 2)
    rep.set("t3", "other_processing", "commercial", 2)
    rep.set("t3", "other_processing", "total", 2)
    rep.set("t3", "processed_total", "commercial", 2)
    rep.set("t3", "processed_total", "total", 2)
    assert run_checks(rep) == []
    findings = run_checks(mutated(rep, "t3", "processed_total", "total", 1))
    assert [(f.rule, f.row, f.col, f.expected, f.actual) for f in findings] == [
        ("balance", "processed_total", "total", 2, 1),
        ("outcome_total", "processed_total", "total", 2, 1),
        ("applicant_total", "processed_total", "total", 2, 1)]


def test_finding_as_dict_is_json_ready_with_exact_keys():
    rep = mutated(sample("huaian-2024"), "t2", "fees", "amount", Decimal("-96171.6"))
    (f,) = run_checks(rep)
    d = f.as_dict()
    assert tuple(d) == FINDING_KEYS
    assert d["actual"] == "-96171.6" and d["expected"] is None
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    rep = mutated(sample("huaian-2024"), "t4", "review", "total", 350)
    d = run_checks(rep)[0].as_dict()
    assert (d["expected"], d["actual"]) == (351, 350) and isinstance(d["expected"], int)


def test_order_follows_rules_then_tables():
    rep = sample("huaian-2024")
    rep = mutated(rep, "t4", "suit_direct", "total", 0)           # review_total
    rep = mutated(rep, "t2", "regulations", "issued", -1)          # domain
    rep = mutated(rep, "t3", "unable_unclear", "total", 0)         # applicant_total + outcome_total
    rep = mutated(rep, "t3", "granted", "total", 0)                # applicant_total (earlier row)
    findings = run_checks(rep)
    assert [(f.rule, f.row) for f in findings] == [
        ("outcome_total", "processed_total"),
        ("applicant_total", "granted"), ("applicant_total", "unable_unclear"),
        ("review_total", "suit_direct"), ("domain", "regulations")]
