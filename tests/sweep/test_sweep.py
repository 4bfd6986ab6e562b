"""Sweeps with the real pipeline and notebook: isolation, failures, incremental runs, locking."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from helpers.errors import XxgkError
from helpers.render import pipeline
from helpers.render.folder import TMP_NOTEBOOK_GLOB, ReportFolder
from helpers.render.options import RenderOptions
from helpers.store import Store
from helpers.sweep import plan
from helpers.sweep.lock import SweepLock, SweepLocked
from helpers.sweep.pool import run_jobs
from helpers.sweep.testhooks import ENV as CRASH_ENV

pytestmark = pytest.mark.slow
XXGK = str(Path(sys.executable).with_name("xxgk"))


@pytest.fixture
def db(tmp_path, synth_db):
    return synth_db(tmp_path / "x.sqlite", n=2, years=(2022, 2023))


def html_of(out, agency, year) -> bytes:
    return (ReportFolder(out, agency, year).path / "report.html").read_bytes()


def test_first_sweep_renders_all_then_a_rerun_skips_all(db, tmp_path, manifest, sweep):
    out = tmp_path / "out"
    r = sweep(db, out, pdf=True, docx=True)
    assert (r.rendered, r.skipped, r.failed, r.exit_status) == (4, 0, 0, 0)
    m = manifest(out)
    assert set(m) == {"2022/demo-0001", "2023/demo-0001", "2022/demo-0002", "2023/demo-0002"}
    for e in m.values():
        assert e["status"] in ("rendered", "warnings") and e["input_key"] and e["duration"] > 0
        assert all(p.is_file() for p in ReportFolder(out, e["agency"], e["year"]).outputs(pdf=True).values())
        assert (out / f"{e['year']}/{e['agency']}/report.pdf").read_bytes().startswith(b"%PDF")
        assert 0 < e["maxrss_mb"] < 1000
    before = {k: html_of(out, *k.split("/")[::-1]) for k in m}
    t0 = time.perf_counter()
    r2 = sweep(db, out)          # without PDF and Word: the earlier outputs, both included, still hold
    assert (r2.rendered, r2.skipped, r2.failed) == (0, 4, 0)
    assert time.perf_counter() - t0 < 5
    assert {e["status"] for e in manifest(out).values()} == {"skipped"}
    assert before == {k: html_of(out, *k.split("/")[::-1]) for k in m}
    assert (out / "index.html").is_file() and (out / "summary.csv").is_file()


def test_changed_data_rerenders_that_report_and_the_later_year_only(db, tmp_path, manifest, sweep):
    out = tmp_path / "out"
    sweep(db, out)
    store = Store(db)
    rep = store.load_report("demo-0001", 2022)
    rep.narrative["other"] = rep.narrative["other"] + "另：本年度新增一项说明。"
    store.save_reports([rep], replace=True)

    dry = sweep(db, out, dry_run=True)
    todo = {(i.agency, i.year): i.reason for i in dry.planned if i.render}
    assert todo == {("demo-0001", 2022): plan.DATA_CHANGED, ("demo-0001", 2023): plan.DATA_CHANGED}
    assert {e["status"] for e in manifest(out).values()} != {"skipped"}   # dry run wrote nothing

    r = sweep(db, out)
    assert (r.rendered, r.skipped) == (2, 2)
    assert "本年度新增一项说明" in html_of(out, "demo-0001", 2022).decode()
    m = manifest(out)
    assert m["2022/demo-0002"]["status"] == "skipped" and m["2022/demo-0001"]["status"] != "skipped"


def test_force_missing_outputs_and_retry_failed_selection(db, tmp_path, manifest, sweep):
    out = tmp_path / "out"
    sweep(db, out)
    (ReportFolder(out, "demo-0002", 2023).path / "report.html").unlink()
    dry = sweep(db, out, dry_run=True)
    assert [(i.agency, i.year, i.reason) for i in dry.planned if i.render] == \
        [("demo-0002", 2023, plan.OUTPUTS_MISSING)]
    r = sweep(db, out, force=True)
    assert (r.rendered, r.skipped) == (4, 0)
    assert {e["reason"] for e in manifest(out).values()} == {plan.FORCED}
    assert sweep(db, out, retry_failed=True).planned == []   # nothing failed: nothing to retry
    with_pdf = sweep(db, out, pdf=True, dry_run=True)         # rendered without PDF so far
    assert {i.reason for i in with_pdf.planned} == {plan.OPTIONS_CHANGED}
    assert {i.reason for i in sweep(db, out, draft=True, dry_run=True).planned} == {plan.OPTIONS_CHANGED}


def test_failures_are_isolated_recorded_and_retried(db, tmp_path, monkeypatch, manifest, sweep, synth_db):
    """A report that raises, one whose worker exits, one whose worker is SIGKILLed and one that
    hangs past the timeout: each is recorded as failed, the others are rendered."""
    out = tmp_path / "out"
    db3 = synth_db(tmp_path / "y.sqlite", n=3, years=(2022, 2023))
    monkeypatch.setenv(CRASH_ENV, "demo-0001:2022:raise,demo-0001:2023:exit,demo-0002:2022:kill,demo-0002:2023:hang")
    t0 = time.perf_counter()
    r = sweep(db3, out, timeout=8)
    assert time.perf_counter() - t0 < 60
    assert (r.rendered, r.failed, r.exit_status) == (2, 4, 1)
    m = manifest(out)
    raised, exited, killed, hung = (m[k] for k in ("2022/demo-0001", "2023/demo-0001", "2022/demo-0002",
                                                   "2023/demo-0002"))
    assert all(e["status"] == "failed" for e in (raised, exited, killed, hung))
    assert "RuntimeError" in raised["error"] and raised["failing_cell"] == "check-params"
    assert raised["partial_notebook"] == "2022/demo-0001/report.failed.ipynb"
    assert (out / raised["partial_notebook"]).is_file()
    assert "70" in exited["error"] and exited["crashed"] and exited["failing_cell"] == "check-params"
    assert "SIGKILL" in killed["error"] and killed["crashed"]
    for crashed in (exited, killed):   # run again saving before each cell: the notebook up to the crash
        partial = nbformat.read(out / crashed["partial_notebook"], as_version=4)
        states = {c.get("id"): c.metadata.papermill["status"] for c in partial.cells if c.cell_type == "code"}
        assert states["parameters"] == "completed" and states["check-params"] == "running"
        assert states["load"] == "pending"
    assert hung["timeout"] and "8" in hung["error"] and hung["failing_cell"] == "check-params"
    assert (out / hung["partial_notebook"]).is_file()
    assert m["2022/demo-0003"]["status"] in ("rendered", "warnings")
    assert not list(out.rglob(".*.tmp"))
    assert not list(out.rglob(TMP_NOTEBOOK_GLOB))   # killed workers leave papermill's behind
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('data-status="failed"') == 4

    monkeypatch.delenv(CRASH_ENV)
    dry = sweep(db3, out, retry_failed=True, dry_run=True)
    assert sorted((i.agency, i.year) for i in dry.planned) == \
        [("demo-0001", 2022), ("demo-0001", 2023), ("demo-0002", 2022), ("demo-0002", 2023)]
    r2 = sweep(db3, out, retry_failed=True)
    assert (r2.rendered, r2.failed, r2.exit_status) == (4, 0, 0)
    assert not (ReportFolder(out, "demo-0001", 2022).path / "report.failed.ipynb").exists()
    assert {e["result"] for e in manifest(out).values()} <= {"rendered", "warnings"}


def test_a_report_cannot_affect_the_next_one_in_the_same_worker(db, tmp_path, monkeypatch, sweep):
    """A (which changes rcParams, os.environ and a helpers module's dict) then B in one worker
    gives the same B as B alone.
    Control: the same two renders in one process without the fork do change B."""
    agency = "demo-0001"        # the district: it has requests, hence charts
    a, b = 2022, 2023           # reports A and B, rendered in this order
    monkeypatch.setenv(CRASH_ENV, f"{agency}:{a}:pollute")
    together, alone, control = tmp_path / "together", tmp_path / "alone", tmp_path / "control"
    r = sweep(db, together, workers=1, agencies=[agency])
    assert r.rendered == 2 and r.failed == 0
    sweep(db, alone, workers=1, agencies=[agency], years={b})
    assert b"data:image/svg+xml" in html_of(alone, agency, b)   # the charts are there
    assert html_of(together, agency, b) == html_of(alone, agency, b)

    def both_in_one_process(_):
        from helpers.sweep import testhooks
        testhooks.install(agency, a)
        for year in (a, b):
            pipeline.render_report(agency, year, out_dir=control, db=db, options=RenderOptions(pdf=False))
        return os.environ.get("XXGK_POLLUTED")

    results = []
    run_jobs([None], both_in_one_process, workers=1, timeout=60, on_result=lambda j, res: results.append(res))
    assert results[0]["ok"] and results[0]["value"] == "1", results
    assert html_of(control, agency, b) != html_of(alone, agency, b)
    assert "六、污染" in html_of(control, agency, b).decode() and "六、污染" not in html_of(together, agency, b).decode()
    assert "XXGK_POLLUTED" not in os.environ


def test_second_sweep_on_the_same_folder_is_refused(db, tmp_path, sweep):
    out = tmp_path / "out"
    with SweepLock(out):
        with pytest.raises(SweepLocked, match="另一个批量生成任务"):
            sweep(db, out)
        res = subprocess.run([XXGK, "--db", db, "sweep", "--out", str(out), "--no-pdf", "-q"],
                             capture_output=True, text=True, timeout=120)
        assert res.returncode == 2 and "另一个批量生成任务" in res.stderr and "Traceback" not in res.stderr
    assert sweep(db, out).rendered == 4   # released


def test_command_line_exit_status_and_sigterm_stop_cleanly(db, tmp_path, manifest, finished):
    out = tmp_path / "out"
    env = dict(os.environ, **{CRASH_ENV: "demo-0002:2023:hang"})
    cmd = [XXGK, "--db", db, "sweep", "--out", str(out), "--no-pdf", "--workers", "1", "-q"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    m = finished(out, 3, 90)        # the hanging report is running
    assert len(m) == 3, m
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    m = manifest(out)
    assert len(m) == 3 and "2023/demo-0002" not in m
    assert not list(out.rglob(".*.tmp")) and not list(out.rglob("sweep.log"))
    assert not list(out.rglob(TMP_NOTEBOOK_GLOB))
    assert not (ReportFolder(out, "demo-0002", 2023).path / "report.html").exists()
    # The killed worker's process group is gone.
    assert subprocess.run(["pgrep", "-f", "xxgk sweep --out " + str(out)], capture_output=True).stdout == b""

    res = subprocess.run(cmd + ["--timeout", "5"], env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and "demo-0002" in res.stderr and "--retry-failed" in res.stderr
    assert manifest(out)["2023/demo-0002"]["timeout"] is True


def test_selection_by_parent_years_and_unknown_ids(db, tmp_path):
    store = Store(db)
    assert plan.select(store, parent="demo-0001") == [("demo-0001", 2022), ("demo-0001", 2023),
                                                      ("demo-0002", 2022), ("demo-0002", 2023)]
    assert plan.select(store, parent="demo-0002", years={2023}) == [("demo-0002", 2023)]
    with pytest.raises(XxgkError, match="未知机构"):
        plan.select(store, agencies=["nobody"])
    with pytest.raises(XxgkError, match="机构标识"):
        plan.select(store, agencies=["../etc"])
    assert plan.parse_years("2021-2023") == {2021, 2022, 2023}
    assert plan.parse_years("2022,2024") == {2022, 2024}
    with pytest.raises(XxgkError):
        plan.parse_years("2024-2021")


def test_keys_match_what_the_pipeline_records(db, tmp_path):
    from helpers.render import provenance

    store = Store(db)
    keys, _ = plan.compute_keys(store, store.report_keys(), mode="publish")
    assert keys[("demo-0002", 2023)] == provenance.report_input_key(store, "demo-0002", 2023, "publish")
    assert len(set(keys.values())) == 4


def test_workers_render_with_the_sweeps_options(tmp_path):
    # a draft sweep used to hand its draft flag to the workers as allow_errors
    from helpers.sweep.options import SweepOptions
    from helpers.sweep.runner import Sweep

    opts = SweepOptions(out_dir=tmp_path, render=RenderOptions(mode="draft", pdf=False))
    sweep_ = Sweep(opts)
    sweep_.db_url = "sqlite:///x.sqlite"
    [job] = sweep_._jobs([plan.PlanItem("demo-0001", 2023, "key", True, plan.NEW)])
    assert job.options == opts.render and job.options.draft and not job.options.allow_errors
    assert (job.out_dir, job.db) == (str(tmp_path), "sqlite:///x.sqlite")
