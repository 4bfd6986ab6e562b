"""Benchmark of sweeps on a Dask cluster against a local sweep, on this machine.

    .venv/bin/python bench/cluster.py            # 200 reports (50 synthetic agencies x 2021-2024)
    .venv/bin/python bench/cluster.py --n 40     # a quick run

Starts a throw-away PostgreSQL server and fills it, then renders the same reports (HTML and PDF,
--force) three times, timing whole `xxgk sweep` commands:
 (a) locally: one forked worker per core (--workers = cores);
 (b) on a cluster on the same machine: `dask scheduler` and two `dask worker --nthreads 1`, the
     client, scheduler and workers sharing the cores; overhead per report against (a)
     (goal: under 10 %);
 (c) on the cluster again, SIGKILL to one `dask worker` when half the reports are done: how many
     were rendered and failed, and the time to finish against (b).
CPU seconds (user + system) of every process involved are printed too: they do not depend on the
load of the machine, which is shared.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

XXGK = str(Path(sys.executable).with_name("xxgk"))
IDLE_SECONDS = 30


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def stop_servers_on_sigterm() -> None:
    """`kill` of a benchmark unwinds it like Ctrl-C: the PostgreSQL server and Dask processes it
    started (in sessions of their own) are stopped by their context managers, not left running."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def tree_cpu(pids: list[int]) -> float:
    """CPU seconds so far of these processes and their living descendants."""
    total = 0.0
    for pid in pids:
        try:
            p = psutil.Process(pid)
            for q in [p, *p.children(recursive=True)]:
                t = q.cpu_times()
                total += t.user + t.system + t.children_user + t.children_system
        except psutil.Error:
            pass
    return total


def sweep(db: str, out: Path, *extra: str, kill_at: int | None = None, dask=None) -> tuple[float, float, dict]:
    """(seconds, seconds until the kill, manifest) of `xxgk sweep --force` with HTML and PDF."""
    cmd = [XXGK, "--db", db, "sweep", "--out", str(out), "--force", "-q", *extra]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed_at = 0.0
    if kill_at is not None:
        manifest = out / "manifest.json"
        while proc.poll() is None:
            try:
                done = len(json.loads(manifest.read_text(encoding="utf-8"))["reports"])
            except (OSError, ValueError, KeyError):
                done = 0
            if done >= kill_at:
                dask.kill_worker(0)
                killed_at = time.perf_counter() - t0
                break
            time.sleep(0.1)
    stdout, stderr = proc.communicate()
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"sweep failed ({proc.returncode}):\n{stdout}\n{stderr}")
    return elapsed, killed_at, json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]


def counts(m: dict) -> str:
    ok = sum(e["result"] in ("rendered", "warnings") for e in m.values())
    return f"{ok} rendered, {sum(e['result'] == 'failed' for e in m.values())} failed"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200, help="reports (default 200)")
    ap.add_argument("--workers", type=int, default=2, help="Dask workers (default 2)")
    args = ap.parse_args()
    stop_servers_on_sigterm()
    from helpers.cluster.local import LocalDask, LocalPostgres
    from helpers.store import Store
    from helpers.synth.dataset import synthesize

    cores = os.cpu_count() or 1
    print(f"machine: {cores} cores, load average: {load()}")
    work = Path(tempfile.mkdtemp(prefix="xxgk-bench-cluster-"))
    try:
        with LocalPostgres() as pg:
            synthesize(Store(pg.url), n=max(1, args.n // 4), years=range(2021, 2025), seed=1)
            n = len(Store(pg.url).report_keys())
            print(f"data: {n} synthetic reports in PostgreSQL")

            c0 = children_cpu()
            local_s, _, m = sweep(pg.url, work / "local", "--workers", str(cores))
            local_cpu = children_cpu() - c0
            print(f"(a) local sweep, {cores} forked workers: {counts(m)} in {local_s:.1f} s = "
                  f"{n / local_s * 60:.0f} reports/min, {local_s / n:.3f} s per report; CPU {local_cpu / n:.2f} s "
                  f"per report   [load {load()}]")
            sizes = [p.stat().st_size for p in (work / "local").glob("*/*/*") if p.is_file()]
            print(f"    files per report: {sum(sizes) / n / 2**20:.2f} MB (what comes back from a worker)")

            t0 = time.perf_counter()
            with LocalDask(workers=args.workers) as dask:
                started = time.perf_counter() - t0
                servers = [dask.scheduler.pid] + [w.pid for w in dask.workers]
                s0, c0 = tree_cpu(servers), children_cpu()
                cluster_s, _, m = sweep(pg.url, work / "cluster", "--scheduler", dask.address)
                cluster_cpu = children_cpu() - c0 + tree_cpu(servers) - s0
                over = (cluster_s - local_s) / n
                print(f"(b) cluster sweep, scheduler + {args.workers} workers x 1 thread on this machine "
                      f"(started in {started:.1f} s, not counted): {counts(m)} in {cluster_s:.1f} s = "
                      f"{n / cluster_s * 60:.0f} reports/min; overhead {over:+.3f} s per report = "
                      f"{over / (local_s / n) * 100:+.1f} % of local (goal < 10 %); CPU {cluster_cpu / n:.2f} s per "
                      f"report (client, scheduler, workers)   [load {load()}]")
                same = sum((work / "local" / k / "report.pdf").read_bytes() ==
                           (work / "cluster" / k / "report.pdf").read_bytes() for k in m)
                print(f"    identical PDFs local vs cluster: {same}/{n}")
                s0, t0 = tree_cpu(servers), time.perf_counter()
                time.sleep(IDLE_SECONDS)   # what the scheduler and workers spend doing nothing
                idle = (tree_cpu(servers) - s0) / (time.perf_counter() - t0)
                print(f"    the idle cluster (scheduler, {args.workers} workers) uses {idle * 100:.1f} % of a core; "
                      f"without that idle share the cluster's CPU per report is "
                      f"{(cluster_cpu - idle * cluster_s) / n:.2f} s (local {local_cpu / n:.2f} s)")

                killed_s, at, m = sweep(pg.url, work / "killed", "--scheduler", dask.address, kill_at=n // 2,
                                        dask=dask)
                print(f"(c) cluster sweep with worker w0 SIGKILLed after {n // 2} reports ({at:.1f} s): {counts(m)} "
                      f"in {killed_s:.1f} s ({killed_s - cluster_s:+.1f} s against (b), the rest on "
                      f"{args.workers - 1} worker(s))   [load {load()}]")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
