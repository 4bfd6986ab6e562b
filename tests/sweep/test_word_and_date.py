"""A sweep's Word documents and publication date: --no-docx leaves report.docx out, asking for it
(or for another date) renders again, the index links the Word document, sweep definitions name both."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from helpers.errors import InputError
from helpers.render.folder import ReportFolder
from helpers.sweep import plan
from helpers.sweep.options import sweep_options


@pytest.fixture
def db(tmp_path, synth_db):
    return synth_db(tmp_path / "x.sqlite", n=1, years=(2023,))


def test_word_document_asked_for_later_renders_again_and_is_linked(db, tmp_path, manifest, sweep):
    out = tmp_path / "out"
    sweep(db, out)                                               # no PDF, no Word
    folder = ReportFolder(out, "demo-0001", 2023)
    assert not folder.output("docx").exists() and manifest(out)["2023/demo-0001"]["docx"] is False
    assert {i.reason for i in sweep(db, out, dry_run=True).planned} == {plan.UNCHANGED}
    assert {i.reason for i in sweep(db, out, docx=True, dry_run=True).planned} == {plan.OPTIONS_CHANGED}
    sweep(db, out, docx=True)
    assert folder.output("docx").read_bytes()[:2] == b"PK"
    assert 'href="2023/demo-0001/report.docx"' in (out / "index.html").read_text(encoding="utf-8")
    row, = csv.DictReader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8-sig")))
    assert row["docx"] == "2023/demo-0001/report.docx"
    # a Word document deleted by hand is missing output
    folder.output("docx").unlink()
    assert {i.reason for i in sweep(db, out, docx=True, dry_run=True).planned} == {plan.OUTPUTS_MISSING}


def test_a_date_given_renders_again_and_reaches_the_report(db, tmp_path, manifest, sweep):
    out = tmp_path / "out"
    sweep(db, out)
    before = manifest(out)["2023/demo-0001"]["input_key"]
    date = dt.date(2024, 2, 1)
    assert {i.reason for i in sweep(db, out, date=date, dry_run=True).planned} == {plan.OPTIONS_CHANGED}
    sweep(db, out, date=date)
    entry = manifest(out)["2023/demo-0001"]
    assert entry["date"] == "2024-02-01" and entry["input_key"] != before
    record = json.loads(ReportFolder(out, "demo-0001", 2023).output("provenance").read_text(encoding="utf-8"))
    assert record["date"] == "2024-02-01"
    assert "2024年2月1日" in ReportFolder(out, "demo-0001", 2023).output("html").read_text(encoding="utf-8")
    assert {i.reason for i in sweep(db, out, date=date, dry_run=True).planned} == {plan.UNCHANGED}


def test_sweep_definitions_name_word_and_date(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("docx: no\ndate: 2025-01-20\n", encoding="utf-8")
    options = sweep_options(str(path))
    assert options.render.docx is False and options.render.date == dt.date(2025, 1, 20)
    assert sweep_options(str(path), docx=True, date="2025-03-01").render.date == dt.date(2025, 3, 1)
    path.write_text("date: 2025-1-20\n", encoding="utf-8")
    with pytest.raises(InputError, match="YYYY-MM-DD") as info:
        sweep_options(str(path))
    assert str(path) in str(info.value)
