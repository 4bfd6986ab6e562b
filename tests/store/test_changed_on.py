"""When a report's data last changed (Store.changed_on): the day of the revision that began the
final run of revisions with the current fingerprint; the publication date defaults to it."""
from __future__ import annotations

import datetime as dt

from helpers.format.model import Report
from helpers.render import provenance
from helpers.store import Store


def test_default_date_is_the_day_the_data_last_changed(tmp_path, monkeypatch):
    from helpers.store import database
    store = Store(f"sqlite:///{tmp_path / 'x.sqlite'}")
    days = iter(["2025-02-03T08:00:00+00:00", "2025-03-04T08:00:00+00:00", "2025-04-05T08:00:00+00:00"])
    monkeypatch.setattr(database, "_now", lambda: next(days))
    first = Report.zeros("a", 2024)
    store.save_reports([first])
    store.save_reports([Report.zeros("a", 2024)], replace=True)          # the same data again: no change
    assert store.changed_on()[("a", 2024)] == dt.date(2025, 2, 3)
    changed = Report.zeros("a", 2024)
    changed.set("t3", "new_received", "total", 1)
    store.save_reports([changed], replace=True)
    assert store.changed_on("a", 2024) == {("a", 2024): dt.date(2025, 4, 5)}
    assert provenance.publication_date(store, "a", 2024) == dt.date(2025, 4, 5)
    assert provenance.publication_date(store, "a", 2024, "2025-05-01") == dt.date(2025, 5, 1)
