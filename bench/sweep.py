"""Benchmark of `xxgk sweep` against the pipeline a user would write by hand.

    .venv/bin/python bench/sweep.py            # N = 60 reports (20 synthetic agencies x 3 years)
    .venv/bin/python bench/sweep.py --n 1000   # the 1000-report targets, measured (about 10 min)

Measures and prints, on the same notebook and data:
 (a) the sweep's throughput: reports with HTML, PDF and Word per minute (N reports, --force, one worker
     per core);
 (b) the hand-written pipeline per report: `papermill` command, `jupyter nbconvert --to html`,
     `weasyprint` (timed on --hand reports, extrapolated per minute) and the speed-up;
 (c) a re-run with nothing changed (all N skipped), and the 1000-report figure (measured with
     --n 1000, else projected from N);
 (d) peak memory per worker: the children's RSS high-water mark (getrusage via wait4, which counts
     pages shared with the preloaded parent) and their PSS/USS sampled from /proc (psutil).
Targets (2-core machine): >= 10x the hand pipeline, >= 100 reports/min, 1000 unchanged <= 10 s,
<= 400 MB per worker; issue 11: with the Word document too, a sweep of 30 reports >= 12x faster per
report than the hand pipeline (HTML + PDF), and CPU per report >= 10x below the hand pipeline's at 300.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
XXGK = str(BIN / "xxgk")
sys.path.insert(0, str(ROOT / "src"))


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def synth(db: str, n: int) -> None:
    from helpers.synth.dataset import synthesize
    from helpers.store import Store

    years = next(y for y in (4, 3, 2, 1) if n % y == 0)   # exactly n reports
    agencies = max(1, n // years)
    store = Store(db)
    synthesize(store, n=agencies, years=list(range(2024 - years + 1, 2025))[: years], seed=1)
    # No agency above another: the sweep then renders the n annual reports only, no roll-up of the
    # district's units, so that it does the work the hand pipeline is timed doing.
    store.upsert_agencies([replace(a, parent_id=None) for a in store.agencies()])


class ChildMemory(threading.Thread):
    """Samples PSS/USS of the sweep process's children (the workers) every 50 ms."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.stop, self.pss, self.uss, self.rss = pid, False, 0, 0, 0

    def run(self):
        import psutil

        try:
            parent = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self.stop:
            try:
                children = parent.children(recursive=True)
            except psutil.Error:
                break
            for c in children:
                try:
                    m = c.memory_full_info()
                except psutil.Error:
                    continue
                self.pss, self.uss, self.rss = max(self.pss, m.pss), max(self.uss, m.uss), max(self.rss, m.rss)
            time.sleep(0.05)


def snapshot(work: Path) -> dict:
    """A frozen copy of the code, notebook and params: other people editing the working tree
    during the benchmark would change the static fingerprint (and so every input key)."""
    tree = work / "tree"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in ("src", "notebooks", "params"):
        shutil.copytree(ROOT / part, tree / part, ignore=ignore)
    return dict(os.environ, PYTHONPATH=str(tree / "src"), XXGK_ROOT=str(tree))


ENV: dict = dict(os.environ)


def cpu_of_children() -> float:
    """CPU seconds (user + system) of every finished descendant: load-independent cost."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_sweep(db: str, out: Path, *extra: str) -> tuple[float, int, ChildMemory]:
    cmd = [XXGK, "--db", db, "sweep", "--out", str(out), "-q", *extra]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    mem = ChildMemory(proc.pid)
    mem.start()
    stdout, stderr = proc.communicate()
    elapsed = time.perf_counter() - t0
    mem.stop = True
    if proc.returncode != 0:
        print(stdout, stderr, file=sys.stderr)
        raise SystemExit(f"sweep failed ({proc.returncode})")
    return elapsed, proc.returncode, mem


def hand_pipeline(db: str, reports: list[tuple[str, int]], work: Path) -> list[float]:
    """What a user would type per report: papermill, jupyter nbconvert --to html, weasyprint."""
    nb = Path(ENV.get("XXGK_ROOT", ROOT)) / "notebooks" / "annual_report.ipynb"
    times = []
    for agency, year in reports:
        base = work / f"{agency}-{year}"
        t0 = time.perf_counter()
        subprocess.run([str(BIN / "papermill"), str(nb), f"{base}.ipynb", "-k", "python3", "--no-progress-bar",
                        "-p", "agency", agency, "-p", "year", str(year), "-p", "db", db],
                       check=True, capture_output=True, env=ENV)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", f"{base}.ipynb"],
                       check=True, capture_output=True, env=ENV)
        subprocess.run([str(BIN / "weasyprint"), f"{base}.html", f"{base}.pdf"], check=True, capture_output=True,
                       env=ENV)
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=60, help="reports in the sweep (default 60; 1000 for the targets)")
    ap.add_argument("--hand", type=int, default=3, help="reports timed through the hand-written pipeline")
    ap.add_argument("--workers", type=int, default=os.cpu_count())
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()

    global ENV
    work = Path(tempfile.mkdtemp(prefix="xxgk-bench-"))
    ENV = snapshot(work)
    db = f"sqlite:///{work / 'bench.sqlite'}"
    out = work / "out"
    print(f"machine: {os.cpu_count()} cores, load average before: {load()}")
    synth(db, args.n)
    from helpers.store import Store
    keys = Store(db).report_keys()
    n = len(keys)
    print(f"data: {n} synthetic reports in {db}")

    # (a) the sweep, HTML, PDF and Word
    cpu0 = cpu_of_children()
    elapsed, _, mem = run_sweep(db, out, "--force", "--workers", str(args.workers))
    sweep_cpu = (cpu_of_children() - cpu0) / n
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    rendered = sum(e["status"] in ("rendered", "warnings")
                   and all((out / f"{e['year']}/{e['agency']}/report.{kind}").is_file() for kind in ("pdf", "docx"))
                   for e in manifest.values())
    per_min = rendered / elapsed * 60
    print(f"(a) sweep: {rendered}/{n} reports with HTML+PDF+Word in {elapsed:.1f} s "
          f"({args.workers} workers, including start-up and preloading) = {per_min:.0f} reports/min; "
          f"1000 reports would take {1000 / per_min:.1f} min   [load {load()}]")
    stages = {}
    for e in manifest.values():
        for k, v in (e.get("durations") or {}).items():
            stages.setdefault(k, []).append(v)
    cores = os.cpu_count() or 1
    print(f"    CPU per report (user+system, all processes, start-up included): {sweep_cpu:.2f} s "
          f"-> {cores * 60 / sweep_cpu:.0f} reports/min when the {cores} cores are not shared")
    if stages:
        med = {k: sorted(v)[len(v) // 2] for k, v in stages.items()}
        print("    median seconds per report in a worker: " + ", ".join(f"{k} {v:.2f}" for k, v in med.items()))

    # (b) the hand-written pipeline
    cpu0 = cpu_of_children()
    hand = hand_pipeline(db, keys[: args.hand], work)
    hand_cpu = (cpu_of_children() - cpu0) / len(hand)
    hand_per = sum(hand) / len(hand)
    hand_min = 60 / hand_per
    print(f"(b) by hand (papermill + jupyter nbconvert --to html + weasyprint commands, HTML+PDF only): "
          f"{', '.join(f'{t:.1f}' for t in hand)} s per report = {hand_min:.1f} reports/min; "
          f"speed-up per report of the sweep (HTML+PDF+Word): {per_min / hand_min:.1f}x "
          f"(issue 11: >= 12x at 30 reports)   [load {load()}]")
    print(f"    CPU per report by hand: {hand_cpu:.2f} s; CPU ratio (hand / sweep): {hand_cpu / sweep_cpu:.1f}x "
          f"(issue 11: >= 10x at 300 reports); "
          f"on {cores} unshared cores the sweep would do {cores * 60 / sweep_cpu:.0f}/min against "
          f"{60 / hand_per:.1f}/min by hand (one command after the other): "
          f"{cores * 60 / sweep_cpu / (60 / hand_per):.1f}x")

    # (c) nothing changed
    t_skip, _, _ = run_sweep(db, out)
    after = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    skipped = sum(e["status"] == "skipped" for e in after.values())
    if skipped < n:
        reasons = {e.get("reason") for e in after.values() if e["status"] != "skipped"}
        print(f"    not skipped: {n - skipped} ({', '.join(sorted(map(str, reasons)))})")
    print(f"(c) re-run with nothing changed: {skipped}/{n} skipped in {t_skip:.2f} s "
          + ("(measured for 1000)" if n >= 1000 else f"(projected for 1000: {t_skip * 1000 / n:.1f} s, "
             "an upper bound: start-up is a fixed part)"))

    # (d) memory
    maxrss = max(e.get("maxrss_mb", 0) for e in manifest.values())
    print(f"(d) peak memory per worker: RSS high-water mark {maxrss:.0f} MB (getrusage of each child; counts "
          f"pages shared with the preloaded parent); sampled PSS {mem.pss / 2**20:.0f} MB, "
          f"USS {mem.uss / 2**20:.0f} MB (memory private to one worker)")
    if args.keep:
        print(f"kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
