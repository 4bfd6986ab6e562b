"""Benchmark of the store at scale, on SQLite and on a throw-away PostgreSQL server (127.0.0.1).

    .venv/bin/python bench/store.py             # 10 000 agency-years (2 000 agencies x 2020-2024)
    .venv/bin/python bench/store.py --n 1000    # a quick run

For each store, with the real commands:
 (a) `xxgk synth` fills it with N synthetic agency-years (bulk inserts; seconds, reports/s);
 (b) rows and bytes per table (PostgreSQL: pg_total_relation_size, indexes included; SQLite: the
     file), per agency-year, and extrapolated to 700 000 agency-years;
 (c) a no-change sweep: a manifest is made that says every report and roll-up is up to date (with
     its output files present, empty), then `xxgk sweep --dry-run` (the plan) and `xxgk sweep` (plan, manifest,
     index.html and summary.csv of N rows) are timed, whole commands with their start-up; and the
     planning steps in-process (select, input keys, decide).
Target: planning a no-change sweep of 10 000 agency-years in under 10 s on both stores.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
XXGK = str(Path(sys.executable).with_name("xxgk"))
FULL_SCALE = 700_000
YEARS = (2020, 2024)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(*args: str) -> tuple[float, str]:
    t0 = time.perf_counter()
    res = subprocess.run([XXGK, *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if res.returncode != 0:
        raise SystemExit(f"xxgk {' '.join(args)} failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")
    return elapsed, res.stdout


def sizes(url: str, path: Path | None) -> tuple[dict, int]:
    """{table: (rows, bytes)} and the whole store's bytes."""
    from sqlalchemy import text

    from helpers.store import Store
    from helpers.store.database import metadata

    engine = Store(url).engine
    out = {}
    with engine.connect() as conn:
        for table in metadata.tables:
            rows = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            size = conn.execute(text(f"SELECT pg_total_relation_size('{table}')")).scalar() \
                if engine.dialect.name == "postgresql" else None
            out[table] = (rows, size)
        total = conn.execute(text("SELECT pg_database_size(current_database())")).scalar() \
            if engine.dialect.name == "postgresql" else path.stat().st_size
    return out, total


def up_to_date_manifest(url: str, out: Path) -> int:
    """A manifest saying every report and roll-up was rendered from its current inputs, and their files."""
    from helpers.render.folder import FOLDERS
    from helpers.store import Store
    from helpers.sweep import plan
    from helpers.sweep.manifest import REPORT, ROLLUP, Manifest, now

    store = Store(url)
    pairs = plan.select(store)
    keys, static = plan.compute_keys(store, pairs, mode="publish")
    tree = store.tree()
    rollups = plan.select_rollups(tree, pairs)
    rollup_keys, rollup_static = plan.compute_rollup_keys(store, rollups, mode="publish", tree=tree)
    manifest = Manifest(out)
    for kind, todo, keys_of, static_of in ((REPORT, pairs, keys, static), (ROLLUP, rollups, rollup_keys, rollup_static)):
        for agency, year in todo:
            folder = FOLDERS[kind](out, agency, year)
            folder.path.mkdir(parents=True, exist_ok=True)
            for path in folder.outputs(pdf=False).values():
                path.touch()
            manifest.put({"kind": kind, "agency": agency, "year": year, "input_key": keys_of[(agency, year)],
                          "static": static_of, "mode": "publish", "pdf": False, "docx": kind == REPORT,
                          "date": None, "engine": "xxgk",
                          "status": "rendered", "result": "rendered", "reason": plan.NEW, "errors": 0,
                          "warnings": 0, "duration": 1.0, "finished_at": now()})
    manifest.save()
    return len(pairs) + len(rollups)


def planning_steps(url: str, out: Path) -> dict:
    """The steps of Sweep.run's plan, timed: select, input keys, decide; the roll-ups' (select,
    keys, decide) apart."""
    from helpers.store import Store
    from helpers.store.tree import AgencyTree
    from helpers.sweep import plan
    from helpers.sweep.manifest import ROLLUP, Manifest

    t = {}
    t0 = time.perf_counter()
    store = Store(url)
    records = store.agencies()
    pairs = plan.select(store, agency_records=records)
    t["select"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    keys, static = plan.compute_keys(store, pairs, mode="publish", agency_records=records)
    t["keys"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    manifest = Manifest.load(out)
    items = plan.decide(pairs, keys, static, manifest, out, mode="publish", pdf=False)
    t["decide"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    tree = AgencyTree(records)
    rollups = plan.select_rollups(tree, pairs)
    rollup_keys, rollup_static = plan.compute_rollup_keys(store, rollups, mode="publish", tree=tree)
    items += plan.decide(rollups, rollup_keys, rollup_static, manifest, out, mode="publish", pdf=False, kind=ROLLUP)
    t["rollups"] = time.perf_counter() - t0
    t["render"] = sum(i.render for i in items)
    return t


def bench_store(name: str, url: str, path: Path | None, work: Path, n: int) -> None:
    years = YEARS[1] - YEARS[0] + 1
    agencies = n // years
    print(f"\n== {name}: {agencies} agencies x {years} years = {agencies * years} agency-years   [load {load()}]")
    elapsed, _ = run("--db", url, "synth", "--agencies", str(agencies), "--years", f"{YEARS[0]}-{YEARS[1]}")
    print(f"(a) xxgk synth: {elapsed:.1f} s = {agencies * years / elapsed:.0f} agency-years/s   [load {load()}]")
    tables, total = sizes(url, path)
    print(f"(b) rows and bytes ({'indexes included' if path is None else 'one file'}):")
    for table, (rows, size) in tables.items():
        per = f", {size / (agencies * years):,.0f} bytes per agency-year" if size else ""
        print(f"      {table:<11} {rows:>10,} rows{f', {size / 2**20:,.1f} MB' if size else ''}{per}")
    per_ay = total / (agencies * years)
    print(f"      store total {total / 2**20:,.1f} MB = {per_ay:,.0f} bytes per agency-year -> "
          f"{FULL_SCALE:,} agency-years: {per_ay * FULL_SCALE / 2**30:,.1f} GB, "
          f"{tables['cells'][0] / (agencies * years) * FULL_SCALE / 1e6:,.0f} million cell rows")
    out = work / f"out-{name}"
    up_to_date_manifest(url, out)
    steps = planning_steps(url, out)
    assert steps["render"] == 0, steps
    dry, stdout = run("--db", url, "sweep", "--out", str(out), "--no-pdf", "--dry-run")
    last = stdout.strip().splitlines()[-1]
    full, _ = run("--db", url, "sweep", "--out", str(out), "--no-pdf", "-q")
    plan_s = steps["select"] + steps["keys"] + steps["decide"] + steps["rollups"]
    print(f"(c) no-change sweep of {agencies * years} agency-years: plan in-process "
          f"{plan_s:.2f} s (select {steps['select']:.2f}, input keys {steps['keys']:.2f}, decide "
          f"{steps['decide']:.2f}, the roll-ups' {steps['rollups']:.2f}); `xxgk sweep --dry-run` {dry:.2f} s ({last}); "
          f"`xxgk sweep` (plan, manifest, index, summary) {full:.2f} s   [load {load()}]")
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(m["reports"]) == agencies * years and {e["status"] for e in m["reports"].values()} == {"skipped"}
    print(f"    manifest.json {(out / 'manifest.json').stat().st_size / 2**20:.1f} MB, index.html "
          f"{(out / 'index.html').stat().st_size / 2**20:.1f} MB for {agencies * years} reports")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000, help="agency-years (default 10 000)")
    ap.add_argument("--only", choices=("sqlite", "postgresql"))
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))   # `kill` stops the PostgreSQL server it started
    from helpers.cluster.local import LocalPostgres

    print(f"machine: {os.cpu_count()} cores, load average: {load()}")
    work = Path(tempfile.mkdtemp(prefix="xxgk-bench-store-"))
    try:
        if args.only in (None, "sqlite"):
            path = work / "bench.sqlite"
            bench_store("sqlite", f"sqlite:///{path}", path, work, args.n)
        if args.only in (None, "postgresql"):
            with LocalPostgres() as pg:
                bench_store("postgresql", pg.url, None, work, args.n)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
