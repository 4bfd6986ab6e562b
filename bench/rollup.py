"""Benchmark of the roll-up level: frames.cells() over many agency-years, and the roll-up of one
parent with many units rendered end to end (notebook with the in-process engine, HTML, PDF).

    .venv/bin/python bench/rollup.py                    # 500 units, 1000 agency-years
    .venv/bin/python bench/rollup.py --units 100 --no-pdf

Prints (goals on this 2-core machine):
 (a) frames.cells() over 1000 agency-years (500 units x 2 years): seconds, rows   goal < 2 s
 (b) frames.indicators() over the same                                             (no goal)
 (c) `render_rollup` of a parent with 500 units: seconds (execute / HTML / PDF)    goal < 10 s
     with the xxgk engine, as a sweep runs it; the first render in a process also pays for
     imports and fonts, so it is run twice and both are printed. Of the units, 1 in 50 has not
     reported the last year and 1 in 40 has an error in it (what an office sees in January).
The machine is shared: the load average is printed with each figure; compare figures taken at
similar load.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


MISSING_EVERY, ERROR_EVERY = 50, 40   # 1 unit in 50 has not reported, 1 in 40 breaks `balance`


def build(url: str, units: int, years: list[int]) -> None:
    """A district (bench-0001, a 汇总 that stored figures of its own) with `units` street offices;
    the last year has what an office sees in January: units that have not reported, units with errors."""
    from helpers.format.schema import Agency
    from helpers.store import Store
    from helpers.synth import dataset

    agencies = dataset.agencies(units + 1, "bench")
    agencies[0] = Agency(agencies[0].id, agencies[0].name, agencies[0].level, None, rollup=True)
    reports = []
    for rep in dataset.reports(agencies, years):
        i = int(rep.agency.split("-")[-1])
        if rep.year == years[-1] and i % MISSING_EVERY == 2:
            continue
        if rep.year == years[-1] and i % ERROR_EVERY == 3:
            rep.set("t3", "carried_forward", "total", rep.value("t3", "carried_forward", "total") + 1)
        reports.append(rep)
    Store(url).save_reports(reports, source="bench", agencies=agencies)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=500)
    ap.add_argument("--no-pdf", action="store_true")
    args = ap.parse_args()
    from helpers import frames
    from helpers.render.options import RenderOptions
    from helpers.render.pipeline import render_rollup, warm_up
    from helpers.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="xxgk-bench-rollup-"))
    url = f"sqlite:///{tmp / 'bench.sqlite'}"
    t = time.perf_counter()
    build(url, args.units, [2023, 2024])
    print(f"load {os.getloadavg()[0]:.2f}; store: {args.units} units x 2 years built in {time.perf_counter() - t:.1f} s")
    store = Store(url)
    frames.cells(store, years=[2009])          # imports and label table, not measured
    t = time.perf_counter()
    cells = frames.cells(store)
    dt = time.perf_counter() - t
    n = cells.groupby(["agency", "year"]).ngroups
    print(f"(a) frames.cells(): {n} agency-years, {len(cells)} rows in {dt:.2f} s (goal < 2 s)")
    t = time.perf_counter()
    ind = frames.indicators(store)
    print(f"(b) frames.indicators(): {len(ind)} rows in {time.perf_counter() - t:.2f} s")
    warm_up()
    for run in (1, 2):
        t = time.perf_counter()
        res = render_rollup("bench-0001", 2024, out_dir=tmp / "out", db=url,
                            options=RenderOptions(pdf=not args.no_pdf, engine="xxgk"))
        d = res["durations"]
        pages = ""
        if not args.no_pdf:
            import subprocess
            info = subprocess.run(["pdfinfo", res["paths"]["pdf"]], capture_output=True, text=True).stdout
            pages = next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages")), "?")
            pages = f", {pages} PDF pages"
        print(f"(c) roll-up of {args.units} units, run {run}: {time.perf_counter() - t:.2f} s "
              f"(execute {d['execute']:.2f}, HTML {d['html']:.2f}, PDF {d['pdf']:.2f}{pages}) (goal < 10 s); "
              f"load {os.getloadavg()[0]:.2f}")
    print(f"outputs in {tmp}")


if __name__ == "__main__":
    main()
