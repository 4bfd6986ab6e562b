"""The roll-up's sums, statuses and --store on a generated tree of three levels (synth.tree):
sums equal hand sums across a single-row （六） unit, blanks and 不适用; a missing unit; hard errors
block --store; the parent's own figures are not overwritten; stored sums pass `xxgk check --rollup`."""
from __future__ import annotations

import json
import re
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.checks import check_store
from helpers.cli import main
from helpers.errors import ExistingDataError
from helpers.format import schema
from helpers.rollup import aggregate as agg_mod
from helpers.rollup import status as status_mod
from helpers.rollup.store import UnitErrors, store_rollup
from helpers.store import Store
from helpers.synth import tree as example
from helpers.synth.series import consistent_report


@pytest.fixture
def store(tree_store):
    return tree_store


def _reports(store):
    return store.load_reports()


def test_sums_equal_hand_sums_across_layouts_blanks_and_na(store):
    reports = _reports(store)
    a1, a2 = reports[("street-a1", example.YEAR)], reports[("street-a2", example.YEAR)]
    agg = agg_mod.aggregate("dist-a", example.YEAR, store.tree(), reports)
    total = agg.report
    assert [u.agency for u in agg.units] == ["street-a1", "street-a2"]
    assert total.layout == "2021-single-other"          # one unit has the single-row （六）
    for col in ("natural_person", "total"):
        by_hand = a1.value("t3", "processed_total", col) + a2.value("t3", "processed_total", col)
        assert total.value("t3", "processed_total", col) == by_hand
        three_rows = sum(a1.value("t3", r, col) for r in schema.T3_OTHER_ROWS_2021)
        assert total.value("t3", "other_processing", col) == three_rows + a2.value("t3", "other_processing", col)
    # 不适用 in one unit counts as 0; the sum is the other unit's number (exact Decimal)
    assert total.get("t2", "fees", "amount").value == a1.get("t2", "fees", "amount").value
    assert total.get("t2", "licensing", "decisions").value == a1.value("t2", "licensing", "decisions")
    assert not agg.unsupplied and not agg.missing


def test_missing_unit_and_unit_added_up_from_its_own_units(store):
    reports = _reports(store)
    tree = store.tree()
    b = agg_mod.aggregate("dist-b", example.YEAR, tree, reports)
    assert b.missing == [example.MISSING] and [u.agency for u in b.units] == ["street-b2"]
    city = agg_mod.aggregate("city", example.YEAR, tree, reports)
    assert city.computed == ["dist-a", "dist-b"]       # neither district stored its sum yet
    leaves = [reports[(u, example.YEAR)] for u in example.LEAVES]
    assert city.report.value("t3", "new_received", "total") == sum(r.value("t3", "new_received", "total") for r in leaves)
    statuses = {u.agency: u
                for u in status_mod.statuses("city", example.YEAR, tree, reports, computed=city.computed)}
    assert statuses[example.MISSING].status == status_mod.MISSING
    assert statuses["dist-a"].status == status_mod.COMPUTED
    assert statuses["street-a1"].status in (status_mod.CLEAN, status_mod.WARNINGS)
    assert statuses["street-a1"].depth == 2 and statuses["dist-a"].depth == 1
    assert status_mod.counts(list(statuses.values()))["missing"] == 1


def test_store_then_check_rollup_finds_nothing(store):
    for parent in ("dist-a", "dist-b", "city"):      # bottom-up, as an office would
        res = store_rollup(store, parent, example.YEAR)
        assert res.revision == 1
    findings = check_store(store, year=example.YEAR, rollup=True)
    assert [f for f in findings if f.rule == "rollup"] == []
    log = store.import_log()[-1]
    assert log["agency_id"] == "city" and "rollup of 3 units" in next(
        r["source"] for r in store.revisions("city", example.YEAR))
    # again: unchanged, not a new revision
    assert store_rollup(store, "city", example.YEAR).revision is None


def test_hard_errors_block_store_naming_the_unit(store, tmp_path, capsys):
    rep = store.load_report("street-a1", example.YEAR)
    cell = rep.get("t3", "carried_forward", "natural_person")
    rep.set("t3", "carried_forward", "natural_person", cell.numeric + 1)   # breaks balance
    store.save_reports([rep], replace=True)
    with pytest.raises(UnitErrors, match="street-a1") as exc:
        store_rollup(store, "dist-a", example.YEAR)
    assert "balance" in str(exc.value)
    assert store.load_report("dist-a", example.YEAR) is None      # nothing written
    # the command renders nothing to store but says why, exit 2 (rendering is tested elsewhere)
    assert store_rollup(store, "dist-a", example.YEAR, allow_errors=True).revision == 1


def test_own_figures_are_not_overwritten_without_replace(store):
    own = consistent_report(random.Random(5), "dist-a", example.YEAR, scale=1)
    own.narrative = {"overview": "甲区自己的正文。"}
    store.save_reports([own], source="dist-a.xlsx")
    with pytest.raises(ExistingDataError, match="--replace"):
        store_rollup(store, "dist-a", example.YEAR)
    res = store_rollup(store, "dist-a", example.YEAR, replace=True)
    stored = store.load_report("dist-a", example.YEAR)
    assert res.revision == 2 and stored.narrative == own.narrative   # the text is kept
    assert len(store.revisions("dist-a", example.YEAR)) == 2               # the old revision too


def test_rollup_command_refuses_store_without_parent(store, capsys):
    assert main(["--db", store.url, "rollup", "--year", str(example.YEAR), "--store"]) == 2
    assert "--parent" in capsys.readouterr().err


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_property_store_then_check_rollup_is_clean(tmp_path_factory, data):
    """Any consistent units (both format versions, the single-row （六）) stored bottom-up pass the rule."""
    store = example.store_tree(Store(f"sqlite:///{tmp_path_factory.mktemp('prop') / 'p.sqlite'}"))
    reports = []
    for unit in example.LEAVES:
        layout = data.draw(st.sampled_from(["2021", "2021-single-other"]), label=f"layout {unit}")
        reports.append(consistent_report(data.draw, unit, example.YEAR, layout, narrative=False))
    store.save_reports(reports, replace=True)
    for parent in ("dist-a", "dist-b", "city"):
        store_rollup(store, parent, example.YEAR, allow_errors=True)
    assert [f for f in check_store(store, year=example.YEAR, rollup=True) if f.rule == "rollup"] == []


def test_rollup_json_counts_shape(store):
    from helpers.rollup.context import check_parameters, load
    ctx = load(check_parameters("city", example.YEAR, store.url))
    summary = json.loads(json.dumps(ctx.summary(), ensure_ascii=False))
    assert summary["counts"]["total"] == 7 and summary["missing"] == []
    assert summary["computed"] == ["dist-a", "dist-b"]
    assert {u["agency"]: u["status"] for u in summary["units"]}[example.MISSING] == "missing"


def test_differences_from_the_sum_equal_the_rule(store):
    """The page's differences come from the sum already made; they are the rule `rollup`'s findings."""
    from helpers.checks import check_rollup

    own = consistent_report(random.Random(7), "dist-a", example.YEAR, "2021-single-other", scale=1)
    store.save_reports([own], source="dist-a.xlsx")
    reports = store.load_reports()
    agg = agg_mod.aggregate("dist-a", example.YEAR, store.tree(), reports)
    diffs = agg_mod.differences(reports[("dist-a", example.YEAR)], agg)
    assert diffs and diffs == check_rollup(reports[("dist-a", example.YEAR)], agg.units)


def test_fix_list_names_each_cell_once(store):
    """The checks' messages start with the cell; the fix list and the problems table show it once."""
    from helpers.report.tables import finding_message
    from helpers.rollup import page

    rep = store.load_report("street-a1", example.YEAR)
    rep.set("t3", "processed_total", "natural_person", rep.value("t3", "processed_total", "natural_person") + 1)
    store.save_reports([rep], replace=True)
    reports = _reports(store)
    items = status_mod.statuses("dist-a", example.YEAR, store.tree(), reports)
    layouts = {a: r.layout for (a, _), r in reports.items()}
    unit = next(u for u in items if u.agency == "street-a1")
    finding = next(f for f in unit.findings if f.rule == "outcome_total")
    where = page.finding_place(finding, layouts["street-a1"])
    assert finding.message.startswith(where + "：")          # what made the place appear twice
    fixes = str(page.fix_list(items, layouts))
    shown = re.findall(r'<span class="where">([^<]*)</span>：<span class="message">([^<]*)</span>', fixes)
    assert (where, finding_message(finding, where)) in shown
    assert all(not message.startswith(place) for place, message in shown), shown
    problems = str(page.problems_table([(unit, finding)], layouts))
    assert f"<td>{finding_message(finding, where)}</td>" in problems and f"<td>{where}：" not in problems
