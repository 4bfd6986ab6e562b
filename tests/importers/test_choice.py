"""The one rule for choosing between candidate readings (importers/choice.py)."""
from __future__ import annotations

from helpers.format import schema
from helpers.format.model import Cell
from helpers.importers.choice import choose, holds, holds_where_filled, in_filled_identity


def test_the_only_reading_that_fits_is_taken_whole():
    right, wrong = {"a": 1, "b": 2}, {"a": 2, "b": 1}
    assert choose([wrong, right], [False, True]) == (right, set())


def test_readings_that_fit_alike_only_where_they_agree():
    one, two, three = {"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 3, "c": 3}, {"a": 9, "b": 9, "c": 9}
    assert choose([one, two, three], [True, True, False]) == ({"a": 1, "c": 3}, {"b"})


def test_no_reading_that_fits_reads_nothing():
    assert choose([{"a": 1}, {"a": 2}], [False, False]) is None


def _t4(review: list[int]) -> dict:
    fields = [f.key for f in schema.T4_FIELDS]
    return {("t4", "review", f): Cell(schema.NUMBER, v) for f, v in zip(fields, review)}


def test_identities_over_the_cells_a_reading_fills():
    whole = _t4([1, 2, 0, 0, 3])
    assert holds_where_filled(whole, "t4", "2021") and not holds(whole, "t4", "2021")   # other groups unread
    assert not holds_where_filled(_t4([1, 2, 0, 0, 4]), "t4", "2021")
    assert holds_where_filled(_t4([1, 2, 0, 0]), "t4", "2021")                          # total unread: nothing to break


def test_a_reading_that_fits_only_for_want_of_cells_proves_nothing():
    """The only reading that fits, but where it differs from the other its cells are in no identity
    it fills (it fits because it left them out of every sum): no proof, only what all agree on."""
    right = _t4([1, 2, 0, 0])
    wrong = _t4([2, 1, 0, 0, 4])
    proves = lambda cells, keys: all(in_filled_identity(cells, k, "2021") for k in keys)  # noqa: E731
    cells, differ = choose([right, wrong], [True, False], proves)
    assert ("t4", "review", "upheld") in differ and ("t4", "review", "upheld") not in cells
    whole = _t4([1, 2, 0, 0, 3])
    assert choose([whole, _t4([2, 2, 0, 0, 3])], [True, False], proves) == (whole, set())
