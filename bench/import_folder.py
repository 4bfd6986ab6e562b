"""Benchmark of `xxgk import FOLDER`: one file after the other, one process per file on all cores,
and on a two-worker Dask cluster.

    .venv/bin/python bench/import_folder.py              # 1000 PDFs (250 rendered first: a few minutes)
    .venv/bin/python bench/import_folder.py --n 60       # a quick run
    .venv/bin/python bench/import_folder.py --files DIR  # a folder of <agency>-<year>.pdf made before (--keep)

The files are our own published reports: N/4 synthetic agency-years rendered to PDF by a local
sweep, each saved under 4 names <agency>-<year>.pdf (the importer takes agency and year from the
name): N different agency-years to import.
Whole commands are timed, each into an empty store:
 (a) `xxgk import --workers 1` on the first 60 files (the figure the issue starts from: 60 PDFs in
     34 s on one core), per file;
 (b) `xxgk import FOLDER` (one process per file, as many as cores) into SQLite;
 (c) `xxgk import FOLDER --scheduler` on a scheduler and two `dask worker --nthreads 1` on this
     machine, into a throw-away PostgreSQL server; and (d) the same folder locally into PostgreSQL.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cluster import children_cpu, load, stop_servers_on_sigterm, tree_cpu  # noqa: E402  (bench/cluster.py)

XXGK = str(Path(sys.executable).with_name("xxgk"))
BASELINE = 60
COPIES = 4


def make_files(n: int, work: Path) -> Path:
    """n PDFs named for n different agency-years: n/COPIES reports rendered, each saved under
    COPIES agency ids (p1-demo-0001-2021.pdf, p2-demo-0001-2021.pdf, ...; the importer takes the
    agency from the name), which costs a quarter of the rendering and the same importing."""
    from helpers.render.folder import ReportFolder
    from helpers.store import Store
    from helpers.synth.dataset import synthesize

    db = f"sqlite:///{work / 'render.sqlite'}"
    rendered = -(-n // COPIES)
    synthesize(Store(db), n=max(1, -(-rendered // 4)), years=range(2021, 2025), seed=2)
    t0 = time.perf_counter()
    subprocess.run([XXGK, "--db", db, "sweep", "--out", str(work / "rendered"), "-q"], check=True,
                   capture_output=True)
    files = work / "files"
    files.mkdir()
    pdfs = [ReportFolder(work / "rendered", a, y).output("pdf") for a, y in Store(db).report_keys()[:rendered]]
    names = [(f"p{copy}-{pdf.parent.name}-{pdf.parent.parent.name}.pdf", pdf)
             for copy in range(1, COPIES + 1) for pdf in pdfs if pdf.is_file()]
    for name, pdf in names[:n]:
        shutil.copy(pdf, files / name)
    print(f"files: {min(n, len(names))} PDFs ({len(pdfs)} rendered in {time.perf_counter() - t0:.0f} s, "
          f"each under {COPIES} agency ids)   [load {load()}]")
    return files


def import_(db: str, what: list[str], *extra: str) -> tuple[float, float, str]:
    c0, t0 = children_cpu(), time.perf_counter()
    res = subprocess.run([XXGK, "--db", db, "import", "-q", *what, *extra], capture_output=True, text=True)
    elapsed, cpu = time.perf_counter() - t0, children_cpu() - c0
    last = res.stdout.strip().splitlines()[-1] if res.stdout.strip() else res.stderr[-500:]
    if res.returncode not in (0, 1):
        raise SystemExit(f"import failed ({res.returncode}): {res.stderr[-2000:]}")
    return elapsed, cpu, last


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="files (default 1000)")
    ap.add_argument("--files", type=Path, help="use this folder of <agency>-<year>.pdf instead of rendering")
    ap.add_argument("--keep", action="store_true", help="keep the rendered files (printed path)")
    args = ap.parse_args()
    stop_servers_on_sigterm()
    from helpers.cluster.local import LocalDask, LocalPostgres

    cores = os.cpu_count() or 1
    print(f"machine: {cores} cores, load average: {load()}")
    work = Path(tempfile.mkdtemp(prefix="xxgk-bench-import-"))
    try:
        files = args.files or make_files(args.n, work)
        names = sorted(files.iterdir())
        n = len(names)

        first = [str(p) for p in names[:BASELINE]]
        t, cpu, last = import_(f"sqlite:///{work / 'a.sqlite'}", first, "--workers", "1")
        per = t / len(first)
        print(f"(a) one after the other, {len(first)} files: {t:.1f} s = {per:.2f} s per file, CPU {cpu / len(first):.2f} s "
              f"per file; {last}   [load {load()}]")

        t, cpu, last = import_(f"sqlite:///{work / 'b.sqlite'}", [str(files)], "--workers", str(cores))
        print(f"(b) {n} files, {cores} processes, SQLite: {t:.1f} s = {n / t:.1f} files/s "
              f"({per * n / t:.1f}x one after the other), CPU {cpu / n:.2f} s per file; {last}   [load {load()}]")

        with LocalPostgres() as pg, LocalDask(workers=2) as dask:
            remote_db = pg.create_database("remote")
            servers = [dask.scheduler.pid] + [w.pid for w in dask.workers]
            s0 = tree_cpu(servers)
            t, cpu, last = import_(remote_db, [str(files)], "--scheduler", dask.address)
            cpu += tree_cpu(servers) - s0
            print(f"(c) {n} files on the cluster (2 workers x 1 thread, this machine), PostgreSQL: {t:.1f} s = "
                  f"{n / t:.1f} files/s ({per * n / t:.1f}x one after the other), CPU {cpu / n:.2f} s per file "
                  f"(client, scheduler, workers); {last}   [load {load()}]")
            dask.stop()   # (d) without the idle cluster's processes
            t, cpu, last = import_(pg.url, [str(files)], "--workers", str(cores))
            print(f"(d) {n} files, {cores} processes, PostgreSQL: {t:.1f} s = {n / t:.1f} files/s, CPU {cpu / n:.2f} s "
                  f"per file; {last}   [load {load()}]")
        if args.keep and not args.files:
            kept = Path(tempfile.mkdtemp(prefix="xxgk-bench-files-"))
            shutil.move(str(files), kept / "files")
            print(f"kept: {kept / 'files'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
