"""Roll-ups in sweeps go the way reports go: planned with a reason (--dry-run), rendered in the
forked pool with the timeout, recorded in the manifest and summary.csv, linked from index.html,
and rendered again only when their input key (every unit's data) changes."""
from __future__ import annotations

import csv
import io
import json

import pytest

from helpers.format.model import Cell
from helpers.render.folder import RollupFolder
from helpers.store import Store
from helpers.sweep import plan
from helpers.sweep.testhooks import ENV as CRASH_ENV

pytestmark = [pytest.mark.slow]


def test_sweep_plans_renders_records_and_links_rollups(tmp_path, synth_db, sweep):
    db = synth_db(tmp_path / "s.sqlite", n=3, years=(2022, 2023))
    out = tmp_path / "out"
    dry = sweep(db, out, dry_run=True)
    rollups = [(i.agency, i.year, i.reason) for i in dry.planned if i.kind == "rollup"]
    assert rollups == [("demo-0001", 2022, plan.NEW), ("demo-0001", 2023, plan.NEW)]
    assert not out.exists()                                    # a dry run writes nothing

    r = sweep(db, out, workers=2)
    assert (r.failed, r.rollups_rendered, r.rollups_failed) == (0, 2, 0)
    for year in (2022, 2023):
        folder = RollupFolder(out, "demo-0001", year)
        assert folder.is_complete(pdf=False) and (folder.path / "report.html").is_file()
        assert json.loads(folder.output("provenance").read_text(encoding="utf-8"))["counts"]["total"] == 2
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["rollups"]["2023/demo-0001"]
    assert (entry["kind"], entry["result"] in ("rendered", "warnings"), entry["reason"]) == ("rollup", True, plan.NEW)
    assert entry["counts"]["total"] == 2 and entry["duration"] > 0 and entry["input_key"]
    table = list(csv.DictReader(io.StringIO((out / "summary.csv").read_bytes().decode("utf-8-sig"))))
    rows = [row for row in table if row["kind"] == "rollup"]
    assert [(row["agency"], row["year"], row["html"]) for row in rows] == \
        [("demo-0001", "2022", "2022/demo-0001/rollup.html"), ("demo-0001", "2023", "2023/demo-0001/rollup.html")]
    assert sum(row["kind"] == "report" for row in table) == 6
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="2023/demo-0001/rollup.html"' in index and "汇总 (roll-ups)" in index
    body = index.split('<table id="reports">')[1]     # the streets right after their district, indented
    assert body.index("示例市示例区人民政府") < body.index("第2街道") and "depth-1" in body

    again = sweep(db, out)
    assert (again.rendered, again.rollups_rendered, again.rollups_skipped) == (0, 0, 2)

    # one street's data of 2023 changes: its report and the district's roll-up of 2023 only
    store = Store(db)
    rep = store.load_report("demo-0003", 2023)
    rep.cells[("t2", "regulations", "issued")] = Cell.number(rep.value("t2", "regulations", "issued") + 1)
    store.save_reports([rep], replace=True)
    dry = sweep(db, out, dry_run=True)
    assert [(i.kind, i.agency, i.year, i.reason) for i in dry.planned if i.render] == \
        [("report", "demo-0003", 2023, plan.DATA_CHANGED), ("rollup", "demo-0001", 2023, plan.DATA_CHANGED)]
    third = sweep(db, out)
    assert (third.rendered, third.rollups_rendered, third.rollups_skipped) == (1, 1, 1)


def test_a_hanging_or_crashing_rollup_is_stopped_and_recorded_alone(tmp_path, synth_db, sweep, monkeypatch):
    db = synth_db(tmp_path / "s.sqlite", n=3, years=(2022, 2023))
    out = tmp_path / "out"
    monkeypatch.setenv(CRASH_ENV, "demo-0001.rollup:2022:hang,demo-0001.rollup:2023:kill")
    r = sweep(db, out, timeout=8)
    assert (r.rendered, r.failed, r.rollups_failed, r.exit_status) == (6, 0, 2, 1)
    rollups = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["rollups"]
    hung, killed = rollups["2022/demo-0001"], rollups["2023/demo-0001"]
    assert hung["timeout"] and "8" in hung["error"] and hung["partial_notebook"] == "2022/demo-0001/rollup.failed.ipynb"
    assert killed["crashed"] and "SIGKILL" in killed["error"]
    assert (out / "2022/demo-0001/report.html").is_file()     # the district's report is not touched
    assert not list(out.rglob(".*.tmp")) and not list(out.rglob(".rollup.*.tmp.ipynb"))
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('class="failed"') >= 2

    monkeypatch.delenv(CRASH_ENV)
    dry = sweep(db, out, retry_failed=True, dry_run=True)
    assert [(i.kind, i.year) for i in dry.planned] == [("rollup", 2022), ("rollup", 2023)]
    again = sweep(db, out, retry_failed=True)
    assert (again.rollups_rendered, again.rollups_failed, again.exit_status) == (2, 0, 0)
    assert not (out / "2022/demo-0001/rollup.failed.ipynb").exists()


def test_a_report_and_its_agencys_rollup_never_run_at_once(tmp_path):
    """run_jobs(exclusive=): jobs with the same key wait for each other, the others run alongside."""
    import time

    from helpers.sweep.pool import run_jobs

    def work(job):
        start = time.time()
        time.sleep(0.6)
        return [start, time.time()]

    spans = {}
    run_jobs([("2024/a", "report"), ("2024/a", "rollup"), ("2024/b", "report")], work, workers=3, timeout=30,
             on_result=lambda job, res: spans.__setitem__(job, res["value"]), exclusive=lambda job: job[0])
    first, second = sorted([spans[("2024/a", "report")], spans[("2024/a", "rollup")]])
    other = spans[("2024/b", "report")]
    assert first[1] <= second[0]                        # one after the other
    assert other[0] < first[1] and first[0] < other[1]  # the other folder's job alongside


def test_publishing_waits_for_the_year_folders_lock(tmp_path):
    """A report and its agency's roll-up each carry the other's files into their new set: one
    publish at a time in a year folder, or the later would put back the other's old files."""
    import fcntl
    import os
    import threading

    from helpers.render.folder import ReportFolder, RollupFolder

    report, rollup = ReportFolder(tmp_path, "demo-0001", 2024), RollupFolder(tmp_path, "demo-0001", 2024)
    report.prepare()
    staged = report.stage()
    staged.output("html").write_text("报告")
    fd = os.open(report.path.parent, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX)             # as another publish in this year folder would hold it
    done = threading.Event()
    threading.Thread(target=lambda: (report.publish(staged), done.set()), daemon=True).start()
    assert not done.wait(0.5)                  # waiting for the lock
    os.close(fd)
    assert done.wait(10) and report.output("html").read_text() == "报告"
    staged.discard()
    roll = rollup.stage()
    roll.output("html").write_text("汇总")
    rollup.publish(roll)
    roll.discard()
    assert report.output("html").read_text() == "报告" and rollup.output("html").read_text() == "汇总"
