"""`xxgk synth`: the labelled synthetic district, consistent and deterministic."""
from __future__ import annotations

import pytest

from helpers.checks import run_checks
from helpers.cli import main
from helpers.errors import InputError, XxgkError
from helpers.store import Store
from helpers.sweep.definition import load_definition
from helpers.synth.dataset import MARK, synthesize


def test_synth_is_consistent_carries_over_and_is_labelled(db_url):
    assert main(["--db", db_url, "synth", "--agencies", "4", "--years", "2020-2024", "--seed", "7"]) == 0
    store = Store(db_url)
    agencies = {a.id: a for a in store.agencies()}
    assert sorted(agencies) == ["demo-0001", "demo-0002", "demo-0003", "demo-0004"]
    assert all(a.name.startswith("示例") for a in agencies.values())
    assert agencies["demo-0003"].name == "示例市示例区第3街道办事处" and agencies["demo-0003"].parent_id == "demo-0001"
    assert len(store.report_keys()) == 20
    nonzero = 0
    for agency, year in store.report_keys():
        rep, prev = store.load_report(agency, year), store.load_report(agency, year - 1)
        findings = run_checks(rep, prev)
        assert [f for f in findings if f.severity == "error"] == [], (agency, year)
        for key in ("preamble", "overview", "problems", "other"):
            assert rep.narrative[key].startswith(MARK)
        if prev is not None:
            for col in ("natural_person", "commercial", "total"):
                assert rep.value("t3", "carried_over", col) == prev.value("t3", "carried_forward", col)
                nonzero += rep.value("t3", "carried_over", col) > 0
    assert nonzero > 0   # carry-over is exercised, not all zeros


def test_synth_is_deterministic_and_idempotent(tmp_path):
    a, b = (f"sqlite:///{tmp_path / n}" for n in ("a.sqlite", "b.sqlite"))
    synthesize(Store(a), n=3, years=[2022, 2023], seed=5)
    synthesize(Store(b), n=3, years=[2022, 2023], seed=5)
    assert Store(a).fingerprints() == Store(b).fingerprints()
    again = synthesize(Store(a), n=3, years=[2022, 2023], seed=5)
    assert (again["stored"], again["unchanged"]) == (0, 6)
    assert all(len(Store(a).revisions(ag, y)) == 1 for ag, y in Store(a).report_keys())
    with pytest.raises(XxgkError, match="--replace"):
        synthesize(Store(a), n=3, years=[2022, 2023], seed=6)
    before = Store(a).fingerprints()
    synthesize(Store(a), n=3, years=[2022, 2023], seed=6, replace=True)
    assert Store(a).fingerprints() != before
    other = synthesize(Store(a), n=2, years=[2022], seed=0, prefix="town")
    assert other["stored"] == 2 and Store(a).agency("town-0002").parent_id == "town-0001"
