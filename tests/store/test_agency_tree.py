"""The agencies' tree in the store: a store made before the rollup flag existed gets its column."""
from __future__ import annotations

import sqlite3

from helpers.store import Store


def test_a_store_made_before_the_rollup_column_gets_it(tmp_path):
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE agencies (id VARCHAR(64) PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL, "
                "parent_id VARCHAR(64), region TEXT NOT NULL, address TEXT NOT NULL, postcode TEXT NOT NULL, "
                "telephone TEXT NOT NULL)")
    con.execute("INSERT INTO agencies VALUES ('old', '旧机构', '', NULL, '', '', '', '')")
    con.commit()
    con.close()
    assert [(a.id, a.rollup) for a in Store(f"sqlite:///{path}").agencies()] == [("old", False)]
