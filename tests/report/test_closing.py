"""The 落款's date (helpers.report.closing): given, or the day the data last changed, never before
the statistics period ends, never the day of rendering."""
from __future__ import annotations

import datetime as dt

import pytest

from helpers.errors import XxgkError
from helpers.report import closing


def test_date_is_never_before_the_period_ends_and_never_now():
    assert closing.publication_date(2024, None, dt.date(2024, 6, 1)) == dt.date(2025, 1, 1)
    assert closing.publication_date(2024, None, None) == dt.date(2025, 1, 1)
    assert closing.date_text(dt.date(2025, 1, 5)) == "2025年1月5日"
    for bad, message in (("2024-12-31", "不在 2025-01-01"), ("2025-13-01", "YYYY-MM-DD"), ("20250101", "YYYY-MM-DD"),
                         ("2040-01-01", "不在")):
        with pytest.raises(XxgkError, match=message):
            closing.check_date(bad, 2024)
