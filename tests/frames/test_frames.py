"""helpers.frames: the store as DataFrames, and the indicators evaluated on columns give exactly what
the same definitions give on one Report (the figures the report's paragraphs print)."""
from __future__ import annotations

import random
from decimal import Decimal

import pandas as pd
import pytest

from helpers import frames
from helpers.format import derived, schema
from helpers.format.model import Cell, Report
from helpers.format.schema import Agency
from helpers.store import Store
from helpers.synth.series import consistent_series


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    agencies = [Agency("top", "示例市"), Agency("mid", "示例区", parent_id="top"),
                Agency("leaf", "示例街道", parent_id="mid"), Agency("other", "别处")]
    reports = []
    for i, a in enumerate(agencies):
        lay = "2021-single-other" if a.id == "leaf" else None
        reports += consistent_series(random.Random(i), a.id, [2022, 2023, 2024], lay, scale=2 + i % 2)
    zero = Report.zeros("other", 2025)
    zero.set("t2", "fees", "amount", Cell.number(Decimal("1.2500")))
    zero.cells[("t3", "granted", "natural_person")] = Cell(schema.NA)
    zero.cells[("t3", "partial", "total")] = Cell(schema.BLANK)
    reports.append(zero)
    s.save_reports(reports, agencies=agencies)
    return s


def test_cells_one_row_per_stored_cell_with_labels_and_types(store):
    df = frames.cells(store)
    assert list(df.columns) == list(frames.CELL_COLUMNS)
    assert len(df) == sum(len(r.cells) for r in store.load_reports().values())
    assert str(df["value"].dtype) == "Int64"
    row = df[(df.agency == "mid") & (df.year == 2023) & (df.row == "processed_total") & (df.col == "total")].iloc[0]
    assert row["label"] == "（七）总计 · 总计" and row["table"] == "t3" and row["parent_id"] == "top"
    assert row["value"] == store.load_report("mid", 2023).value("t3", "processed_total", "total")
    fee = df[(df.agency == "other") & (df.year == 2025) & (df.row == "fees")].iloc[0]
    assert fee["amount"] == Decimal("1.2500") and str(fee["amount"]) == "1.2500" and pd.isna(fee["value"])
    na = df[(df.agency == "other") & (df.year == 2025) & (df.row == "granted") & (df.col == "natural_person")].iloc[0]
    blank = df[(df.agency == "other") & (df.year == 2025) & (df.row == "partial") & (df.col == "total")].iloc[0]
    assert (na["state"], blank["state"]) == (schema.NA, schema.BLANK)
    assert pd.isna(na["value"]) and pd.isna(blank["value"])
    # the single-row （六） of the leaf is labelled from its own layout
    assert "（六）其他处理 · 总计" in set(df[df.agency == "leaf"]["label"])


def test_selectors(store):
    assert set(frames.cells(store, parent="mid")["agency"]) == {"mid", "leaf"}
    assert set(frames.cells(store, parent="top")["agency"]) == {"top", "mid", "leaf"}
    assert set(frames.cells(store, agencies=["leaf", "other"], years=[2023])[["agency", "year"]]
               .itertuples(index=False)) == {("leaf", 2023), ("other", 2023)}
    assert frames.indicators(store, parent="top", years=2024)["agency"].tolist() == ["leaf", "mid", "top"]


def test_indicators_equal_the_report_definitions(store):
    table = frames.indicators(store)
    reports = store.load_reports()
    assert len(table) == len(reports)
    for row in table.itertuples(index=False):
        rep = reports[(row.agency, row.year)]
        expected = derived.indicators(rep, reports.get((row.agency, row.year - 1)))
        for key, ind in derived.INDICATORS.items():
            got = getattr(row, key)
            if expected[key] is None:
                assert pd.isna(got), (row.agency, row.year, key)
            elif ind.is_ratio:
                assert got == pytest.approx(float(expected[key]), rel=1e-15)
            else:
                assert got == expected[key]
        if expected["yoy"] is None:
            assert pd.isna(row.yoy)
        else:
            assert row.yoy == pytest.approx(float(expected["yoy"]), rel=1e-15)
    # the paragraphs' functions are these definitions
    rep = reports[("top", 2024)]
    assert derived.substantive_rate(rep) == derived.INDICATORS["substantive_rate"].of(rep)


def test_zero_denominators_are_missing_never_errors(store):
    first = frames.indicators(store, agencies=["other"], years=[2022]).iloc[0]
    assert pd.isna(first["yoy"])         # no year before
    row = frames.indicators(store, agencies=["other"], years=[2025]).iloc[0]
    for key, ind in derived.INDICATORS.items():
        if ind.is_ratio:
            assert pd.isna(row[key]), key
    before = store.load_report("other", 2024).value("t3", "new_received", "total")
    assert before and row["yoy"] == -1.0  # the year before is read for 同比 even when only 2025 is selected
    assert row["received"] == 0 and str(frames.indicators(store)["received"].dtype) == "Int64"
    assert str(frames.indicators(store)["substantive_rate"].dtype) == "Float64"
    assert not frames.indicators(store).select_dtypes("Float64").isin([float("inf"), float("-inf")]).any().any()


def test_table_in_official_labels(store):
    t3 = frames.table("top", 2024, "t3", store)
    rep = store.load_report("top", 2024)
    assert list(t3.columns) == [c.label for c in schema.T3_COLUMNS]
    assert t3.loc["（七）总计", "总计"] == rep.value("t3", "processed_total", "total")
    t4 = frames.table("top", 2024, "t4", store)
    assert list(t4.index) == [label for _, label in schema.T4_GROUPS]
    t2 = frames.table("other", 2025, "t2", store)
    assert t2.loc[("第二十条第（八）项", "行政事业性收费"), "本年收费金额（单位：万元）"] == Decimal("1.2500")
    zero = frames.table("other", 2025, "t3", store)
    assert zero.loc["（一）予以公开", "自然人"] == schema.NA_TEXT
    assert pd.isna(zero.loc["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "总计"])


def test_cells_of_reports_matches_the_store(store):
    reports = list(store.load_reports().values())
    a = frames.cells_of_reports(reports, store.agencies())
    b = frames.cells(store)
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
