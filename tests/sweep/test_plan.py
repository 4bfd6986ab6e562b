"""The plan reads the store in bulk: the same few statements for any number of agency-years."""
from __future__ import annotations

from sqlalchemy import event

from helpers.store import Store


def statements_of_a_dry_run(db: str, sweep, out) -> int:
    engine = Store(db).engine          # the sweep's Store(db) gets this same engine
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)
    event.listen(engine, "before_cursor_execute", count)
    try:
        result = sweep(db, out, dry_run=True)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert result.planned and all(i.render for i in result.planned)
    return len(seen)


def test_planning_issues_as_many_statements_for_60_reports_as_for_6(tmp_path, synth_db, sweep):
    small = statements_of_a_dry_run(synth_db(tmp_path / "small.sqlite", n=3), sweep, tmp_path / "a")
    large = statements_of_a_dry_run(synth_db(tmp_path / "large.sqlite", n=30), sweep, tmp_path / "b")
    assert 0 < small == large <= 12, (small, large)
