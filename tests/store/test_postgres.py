"""The store through a real PostgreSQL server: the same code, only the URL differs.

The server is conftest's pg_server (a throw-away server on 127.0.0.1, started by the test).
"""
from __future__ import annotations

import pytest

from helpers.cli import main
from helpers.config import samples_dir
from helpers.store import Store

SAMPLES = samples_dir()
EXPECTED = sorted(SAMPLES.glob("*.expected.csv"))
pytestmark = pytest.mark.cluster


def test_import_export_replace_and_refusal_on_postgresql(pg_url, tmp_path, capsys):
    assert main(["--db", pg_url, "import", *map(str, EXPECTED)]) == 0
    out = tmp_path / "all.csv"
    assert main(["--db", pg_url, "export", "--agency", "huaian", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == (SAMPLES / "huaian-2024.expected.csv").read_text(encoding="utf-8")

    # a bad file changes nothing; a replacement keeps the old revision
    bad = tmp_path / "bad.csv"
    bad.write_text(out.read_text(encoding="utf-8").replace("regulations,issued,1", "regulations,issued,-1"),
                   encoding="utf-8")
    assert main(["--db", pg_url, "import", "--replace", str(bad)]) == 1
    store = Store(pg_url)
    assert [r["revision"] for r in store.revisions("huaian", 2024)] == [1]
    good = tmp_path / "good.csv"
    good.write_text(out.read_text(encoding="utf-8").replace("regulations,issued,1", "regulations,issued,2"),
                    encoding="utf-8")
    assert main(["--db", pg_url, "import", "--replace", str(good)]) == 0
    assert store.load_report("huaian", 2024).value("t2", "regulations", "issued") == 2
    assert store.load_report("huaian", 2024, revision=1).value("t2", "regulations", "issued") == 1
    assert main(["--db", pg_url, "check", "--agency", "huaian"]) == 0


def test_agency_tree_and_stored_rollups_on_postgresql(pg_url):
    """The rollup flag is a real boolean column there too; stored roll-ups pass the rule `rollup`;
    the bulk loader reads what load_report reads."""
    from helpers.checks import check_store
    from helpers.rollup.store import store_rollup
    from helpers.synth import tree as example

    store = example.store_tree(Store(pg_url))
    for parent in ("dist-a", "dist-b", "city"):
        assert store_rollup(store, parent, example.YEAR).revision == 1
    ids = {row[0] for row in example.TREE}
    assert {a.id: a.rollup for a in store.agencies() if a.id in ids} == {row[0]: row[4] for row in example.TREE}
    assert [f for f in check_store(store, year=example.YEAR, rollup=True) if f.rule == "rollup"] == []
    bulk = store.load_reports(sorted(ids), years=[example.YEAR])
    assert set(bulk) == {(a, example.YEAR) for a in ids - {example.MISSING}}
    for (agency, year), rep in bulk.items():
        assert rep.fingerprint() == store.load_report(agency, year).fingerprint()


def test_a_postgresql_store_made_before_the_rollup_flag_gets_its_column(pg_url):
    from sqlalchemy import create_engine, text

    old = pg_url    # an empty database: the old table made by hand before the store sees it
    with create_engine(old).begin() as conn:
        conn.execute(text("CREATE TABLE agencies (id VARCHAR(64) PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL, "
                          "parent_id VARCHAR(64), region TEXT NOT NULL, address TEXT NOT NULL, "
                          "postcode TEXT NOT NULL, telephone TEXT NOT NULL)"))
        conn.execute(text("INSERT INTO agencies VALUES ('old', '旧机构', '', NULL, '', '', '', '')"))
    assert [(a.id, a.rollup) for a in Store(old).agencies()] == [("old", False)]
