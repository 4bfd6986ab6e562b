"""Sweeps on a real Dask cluster (`dask scheduler`, two `dask worker` processes) with the store on
a real PostgreSQL server, all started on 127.0.0.1 by the tests and stopped by them.

The cluster is conftest's dask_cluster. Faults are injected on its workers through XXGK_TEST_CRASH
in their environment (testhooks), for agencies of their own (fault-*), so that the other tests see
normal reports.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from helpers.cluster.local import LocalDask, free_port
from helpers.config import project_root
from helpers.render.folder import ReportFolder, RollupFolder
from helpers.store import Store
from helpers.sweep import plan
from helpers.sweep.testhooks import ENV as CRASH_ENV
from helpers.synth.dataset import synthesize

pytestmark = [pytest.mark.cluster, pytest.mark.slow]
XXGK = str(Path(sys.executable).with_name("xxgk"))
ROOT = project_root()
COMPARED = ("report.html", "report.pdf", "report.docx", "checks.json", "provenance.json")


@pytest.fixture(scope="module")
def pg(pg_server):
    url = pg_server.create_database("sweep_cluster")
    store = Store(url)
    synthesize(store, n=2, years=[2022, 2023], seed=1)                    # demo-0001, demo-0002
    synthesize(store, n=3, years=[2022, 2023], seed=1, prefix="fault")    # fault-0001 … 0003
    return url


@pytest.fixture
def cluster(dask_cluster):
    return dask_cluster


@pytest.fixture
def run(sweep):
    """run(db, out, scheduler, **options): conftest's sweep (no PDF, no progress bar) on the
    cluster of `scheduler` (None: locally)."""
    def go(db, out, scheduler, **kw):
        return sweep(db, out, scheduler=scheduler, **kw)
    return go


def report_dir(out: Path, agency: str, year) -> Path:
    return ReportFolder(out, agency, int(year)).path


def without_run_times(path: Path) -> dict:
    """An executed notebook without what differs between any two runs, local ones too: papermill's
    start/end times, durations, the name of its temporary output file and the random id it gives
    the cell of injected parameters."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell.pop("id")
    for meta in [nb["metadata"]] + [c.get("metadata", {}) for c in nb["cells"]]:
        pm = meta.get("papermill", {})
        for key in ("start_time", "end_time", "duration", "output_path"):
            pm.pop(key, None)
        meta.pop("execution", None)
    return nb


def test_cluster_sweep_is_byte_identical_to_a_local_one_and_incremental(pg, cluster, run, manifest, tmp_path,
                                                                         monkeypatch):
    narratives = tmp_path / "narratives"          # only the client has the narrative file
    (narratives / "demo-0002").mkdir(parents=True)
    (narratives / "demo-0002" / "2023.md").write_text("# 一、总体情况\n本段只在客户端的正文文件里。\n", encoding="utf-8")
    monkeypatch.setenv("XXGK_NARRATIVES", str(narratives))
    on_cluster, local = tmp_path / "cluster", tmp_path / "local"
    selection = dict(agencies=["demo-0001", "demo-0002"])

    r = run(pg, on_cluster, cluster.address, pdf=True, docx=True, **selection)
    assert (r.rendered, r.failed, r.exit_status) == (4, 0, 0)
    assert run(pg, local, None, pdf=True, docx=True, workers=2, **selection).rendered == 4
    m = manifest(on_cluster)
    assert {e["worker"].split()[0] for e in m.values()} <= {"w0", "w1"}
    for key in m:
        year, agency = key.split("/")
        a, b = report_dir(on_cluster, agency, year), report_dir(local, agency, year)
        for name in COMPARED:
            assert (a / name).read_bytes() == (b / name).read_bytes(), (key, name)
            assert (a / name).stat().st_mode & 0o777 == 0o644
        assert without_run_times(a / "report.ipynb") == without_run_times(b / "report.ipynb")
        assert sorted(p.name for p in a.iterdir()) == sorted(p.name for p in b.iterdir())
    assert "本段只在客户端的正文文件里" in (report_dir(on_cluster, "demo-0002", 2023) / "report.html").read_text()
    # the roll-ups of demo-0001's units went through the cluster too (their units' narrative
    # files travelling with them: demo-0002's makes its 2023 status differ from having none)
    rollups = json.loads((on_cluster / "manifest.json").read_text(encoding="utf-8"))["rollups"]
    assert set(rollups) == {"2022/demo-0001", "2023/demo-0001"} and r.rollups_rendered == 2
    assert {e["worker"].split()[0] for e in rollups.values()} <= {"w0", "w1"}
    for key in rollups:
        a, b = (RollupFolder(root, "demo-0001", int(key.split("/")[0])) for root in (on_cluster, local))
        for name in ("rollup.html", "rollup.pdf", "rollup.json"):
            assert (a.path / name).read_bytes() == (b.path / name).read_bytes(), (key, name)
            assert (a.path / name).stat().st_mode & 0o777 == 0o644
        assert without_run_times(a.output("ipynb")) == without_run_times(b.output("ipynb"))
    assert (on_cluster / "index.html").is_file()
    assert (on_cluster / "summary.csv").read_text(encoding="utf-8-sig").count("\n") == 1 + 4 + 2
    assert not list(on_cluster.rglob(".*"))[1:] or all(p.name == ".xxgk-sweep.lock" for p in on_cluster.rglob(".*"))

    again = run(pg, on_cluster, cluster.address, **selection)           # the client plans: nothing to do
    assert (again.rendered, again.skipped, again.rollups_skipped) == (0, 4, 2)
    (narratives / "demo-0002" / "2023.md").write_text("# 一、总体情况\n改过的正文。\n", encoding="utf-8")
    dry = run(pg, on_cluster, cluster.address, dry_run=True, **selection)
    assert [(i.kind, i.agency, i.year, i.reason) for i in dry.planned if i.render] == [
        ("report", "demo-0002", 2023, plan.DATA_CHANGED), ("rollup", "demo-0001", 2023, plan.DATA_CHANGED)]
    r = run(pg, on_cluster, cluster.address, **selection)
    assert (r.rendered, r.skipped, r.rollups_rendered) == (1, 3, 1)
    assert "改过的正文" in (report_dir(on_cluster, "demo-0002", 2023) / "report.html").read_text()
    assert not (report_dir(on_cluster, "demo-0002", 2023) / "report.pdf").exists()   # --no-pdf: as locally
    assert not (report_dir(on_cluster, "demo-0002", 2023) / "report.docx").exists()


def test_faults_on_workers_are_recorded_and_the_sweep_goes_on(pg, cluster, run, manifest, tmp_path):
    out = tmp_path / "out"
    r = run(pg, out, cluster.address, agencies=["fault-0001", "fault-0002", "fault-0003"], timeout=8)
    assert (r.rendered, r.failed, r.exit_status) == (2, 4, 1)
    m = manifest(out)
    raised, exited, killed, hung = (m[k] for k in ("2022/fault-0001", "2023/fault-0001", "2022/fault-0002",
                                                   "2023/fault-0002"))
    assert "RuntimeError" in raised["error"] and raised["failing_cell"] == "check-params"
    assert (out / raised["partial_notebook"]).is_file()
    assert "70" in exited["error"] and exited["crashed"]
    assert "SIGKILL" in killed["error"] and killed["crashed"]
    for crashed in (exited, killed):   # rerun saving before each cell, on the worker: notebook up to the crash
        partial = nbformat.read(out / crashed["partial_notebook"], as_version=4)
        states = {c.get("id"): c.metadata.papermill["status"] for c in partial.cells if c.cell_type == "code"}
        assert states["check-params"] == "running" and states["load"] == "pending"
        assert "xxgk-cell" in (out / crashed["log"]).read_text()
    assert hung["timeout"] and "8" in hung["error"] and (out / hung["partial_notebook"]).is_file()
    assert m["2022/fault-0003"]["status"] in ("rendered", "warnings")
    assert not [p for p in out.rglob(".*") if p.name != ".xxgk-sweep.lock"]

    retry = run(pg, out, cluster.address, retry_failed=True, agencies=["fault-0001"], years={2022})
    assert [(i.agency, i.year) for i in retry.planned] == [("fault-0001", 2022)] and retry.failed == 1


def test_a_report_cannot_affect_the_next_one_on_the_same_worker(pg, run, manifest, tmp_path):
    """The local pool's pollution test, on a one-worker cluster: A changes rcParams, os.environ
    and a helpers dict, then B on the same worker is the same as B alone."""
    a, b = 2022, 2023
    with LocalDask(workers=1, env={CRASH_ENV: f"demo-0001:{a}:pollute"}) as one:
        together = run(pg, tmp_path / "together", one.address, agencies=["demo-0001"])
        assert together.rendered == 2
        m = manifest(tmp_path / "together")
        assert m[f"{a}/demo-0001"]["finished_at"] <= m[f"{b}/demo-0001"]["finished_at"]
        assert m[f"{a}/demo-0001"]["worker"] == m[f"{b}/demo-0001"]["worker"]
    run(pg, tmp_path / "alone", None, agencies=["demo-0001"], years={b}, workers=1)
    html = [(tmp_path / run / str(b) / "demo-0001" / "report.html").read_bytes() for run in ("together", "alone")]
    assert b"data:image/svg+xml" in html[1]
    assert html[0] == html[1]
    polluted = (tmp_path / "together" / str(a) / "demo-0001" / "report.html").read_bytes()
    assert "六、污染".encode() in polluted      # control: the pollution did happen, in A


def test_a_worker_that_dies_has_its_reports_rerun_elsewhere(pg, cluster, manifest, finished, tmp_path):
    out = tmp_path / "out"
    env = dict(os.environ)
    proc = subprocess.Popen([XXGK, "--db", pg, "sweep", "--out", str(out), "--no-pdf", "-q", "--scheduler",
                             cluster.address, "--agencies", "demo-0001", "demo-0002", "fault-0003"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 180
        assert finished(out, 1, 180), "no report finished"
        nanny = psutil.Process(cluster.workers[0].pid)
        while time.time() < deadline:   # kill it while it renders: its worker process has a forked child
            rendering = [p for c in nanny.children() for p in c.children()]
            if rendering:
                break
            time.sleep(0.05)
        assert rendering, "worker 0 rendered nothing"
        rendering = nanny.children(recursive=True)
        cluster.kill_worker(0)
        stdout, stderr = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    m = manifest(out)
    assert len(m) == 6 and {e["result"] for e in m.values()} <= {"rendered", "warnings"}
    assert "已生成 6 份" in stdout
    assert psutil.wait_procs(rendering, timeout=10)[1] == []     # the dead worker's render child died with it
    cluster.add_worker()                        # the fixture's cluster has two workers again
    cluster.wait_for_workers()


def test_a_worker_of_another_version_is_named_and_the_sweep_refused(pg, cluster, tmp_path):
    other = tmp_path / "other-checkout"        # the same package with an edited notebook
    shutil.copytree(ROOT / "notebooks", other / "notebooks")
    nb = nbformat.read(other / "notebooks" / "annual_report.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("另一个版本"))
    nbformat.write(nb, other / "notebooks" / "annual_report.ipynb")
    n = len(cluster.workers)
    stranger = cluster.add_worker(env={"XXGK_ROOT": str(other)})
    try:
        cluster.wait_for_workers()
        res = subprocess.run([XXGK, "--db", pg, "sweep", "--out", str(tmp_path / "out"), "--no-pdf", "-q",
                              "--scheduler", cluster.address, "--agencies", "demo-0001"],
                             capture_output=True, text=True, timeout=120)
        assert res.returncode == 2, res.stderr
        assert f"w{n} (127.0.0.1)" in res.stderr and "static" in res.stderr
        assert res.stderr.count("(127.0.0.1) [") == 1            # only the stranger is named
        assert "Traceback" not in res.stderr
        assert not (tmp_path / "out" / "manifest.json").exists()      # refused before anything was written
    finally:
        cluster.stop_worker(stranger)


def test_unreachable_scheduler_is_a_clear_error_within_10_seconds(pg, tmp_path):
    t0 = time.perf_counter()
    res = subprocess.run([XXGK, "--db", pg, "sweep", "--out", str(tmp_path / "out"), "--no-pdf", "-q",
                          "--scheduler", f"tcp://127.0.0.1:{free_port()}"], capture_output=True, text=True,
                         timeout=60)
    assert time.perf_counter() - t0 < 10 + 3   # + the command's own start-up on a loaded machine
    assert res.returncode == 2 and "连不上 Dask 调度器" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_ctrl_c_on_the_client_keeps_the_finished_reports(pg, cluster, manifest, finished, popen_for_ctrl_c,
                                                          tmp_path):
    out = tmp_path / "out"
    # fault-0002 2023 hangs (900 s): the client cannot end by itself, only by the Ctrl-C
    proc = popen_for_ctrl_c([XXGK, "--db", pg, "sweep", "--out", str(out), "--no-pdf", "-q", "--scheduler",
                             cluster.address, "--agencies", "fault-0002", "fault-0003", "--timeout", "900"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    finished(out, 3, 300)                  # fault-0002 2023 hangs; wait for the three others
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:      # Ctrl-C did not stop it: the test fails, the client must not stay
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, err
    m = manifest(out)
    assert len(m) == 3 and "2023/fault-0002" not in m
    assert (out / "index.html").is_file()
    # The hanging report's child on its worker is killed too (the task sees it was cancelled),
    # long before the timeout would have stopped it.
    deadline = time.time() + 15
    while time.time() < deadline and rendering_children(cluster):
        time.sleep(0.2)
    assert not rendering_children(cluster)


def rendering_children(cluster) -> list:
    """Forked children of the workers' processes (nanny -> worker process -> child) that still run
    (a killed child its worker has not reaped yet, a zombie, has ended)."""
    out = []
    for proc in cluster.workers:
        if proc.poll() is None:
            for worker in psutil.Process(proc.pid).children():
                for child in worker.children():
                    try:
                        if child.status() != psutil.STATUS_ZOMBIE and "resource_tracker" not in " ".join(child.cmdline()):
                            out.append(child)
                    except psutil.Error:    # ended meanwhile
                        continue
    return out


def test_links_planted_in_the_output_folder_are_not_followed_by_the_client(pg, cluster, run, manifest, tmp_path):
    """The client writes what the workers send as a local render would: nothing through a link."""
    outside = tmp_path / "outside"
    (outside / "dir").mkdir(parents=True)
    (outside / "log").write_text("precious\n")
    out = tmp_path / "out"
    (out / "2023" / "demo-0001").mkdir(parents=True)
    (out / "2023" / "demo-0001" / "sweep.log").symlink_to(outside / "log")
    (out / "2023" / "demo-0002").symlink_to(outside / "dir", target_is_directory=True)
    r = run(pg, out, cluster.address, agencies=["demo-0001", "demo-0002"], years={2023})
    assert (r.rendered, r.failed) == (1, 1)
    assert (outside / "log").read_text() == "precious\n" and list((outside / "dir").iterdir()) == []
    entry = manifest(out)["2023/demo-0002"]
    assert entry["result"] == "failed" and "符号链接" in entry["error"]


def test_the_database_password_stays_on_the_machines_that_have_it(tmp_path, monkeypatch):
    """A client given a URL with a password: the tasks carry the URL without it. A worker whose
    environment lacks it fails each report with a message saying what to set (and no password);
    a worker that has it renders; the password is in no output, message or cluster log."""
    from helpers.cluster.local import LocalPostgres
    from helpers.dburl import PASSWORD_ENV

    password = "Cl-Pw_9d2e-only-here"
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with LocalPostgres(user="xxgk", password=password) as server:
        synthesize(Store(server.url), n=2, years=[2023], seed=1)
        monkeypatch.delenv(PASSWORD_ENV, raising=False)   # Store(url) remembered it for this process
        client_env = {k: v for k, v in os.environ.items() if k not in (PASSWORD_ENV, "PGPASSWORD")}
        out = tmp_path / "out"
        sweep = [XXGK, "--db", server.url, "sweep", "--out", str(out), "--no-pdf", "-q", "--agencies", "demo-0002"]
        with LocalDask(workers=1) as dask:
            said = []
            res = subprocess.run(sweep + ["--scheduler", dask.address], capture_output=True, text=True,
                                 timeout=300, env=client_env)
            said += [res.stdout, res.stderr]
            assert res.returncode == 1 and PASSWORD_ENV in res.stderr and "Traceback" not in res.stderr, res.stderr
            with_password = dask.add_worker(env={PASSWORD_ENV: password})
            dask.stop_worker(dask.workers[0])
            dask.wait_for_workers()
            res = subprocess.run(sweep + ["--scheduler", dask.address, "--retry-failed"], capture_output=True,
                                 text=True, timeout=300, env=client_env)
            said += [res.stdout, res.stderr]
            assert res.returncode == 0, res.stderr
            logs = [dask.log(name) for name in ("scheduler.log", "worker0.log", "worker1.log")]
            assert with_password.poll() is None and "w1" in logs[2]
        rendered = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]["2023/demo-0002"]
        assert rendered["result"] in ("rendered", "warnings") and rendered["worker"].startswith("w1")
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) >= 7
    assert [str(p) for p in files if password.encode() in p.read_bytes()] == []
    assert not [s for s in said + logs if password in s]
