"""Per-report render times: execute (papermill), HTML (nbconvert), PDF (WeasyPrint), Word (python-docx).

    .venv/bin/python bench/render_times.py [--runs 5] [--engine nbclient]

Builds a temporary database from the bundled samples as `make demo` stores them (numbers from the
exchange CSVs, narrative from the published files), warms up once, then renders each report `--runs` times
and prints the median of each step in seconds.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path



def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--engine", default=None, help="papermill engine (default: that of xxgk run, in-process)")
    args = ap.parse_args()

    from helpers.demo import store_samples
    from helpers.render import pipeline
    from helpers.render.options import RenderOptions
    from helpers.store import Store

    options = RenderOptions(**({"engine": args.engine} if args.engine else {}))

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        store_samples(Store(url))   # the bundled samples, narrative from their published files
        t = time.perf_counter()
        pipeline.warm_up()
        print(f"warm_up: {time.perf_counter() - t:.2f} s")
        for agency, year in (("qianjindao", 2023), ("huaian", 2024)):
            runs = [pipeline.render_report(agency, year, out_dir=Path(tmp) / "out", db=url,
                                           options=options)["durations"] for _ in range(args.runs)]
            med = {k: statistics.median(r[k] for r in runs) for k in ("execute", "html", "pdf", "docx", "total")}
            print(f"{agency} {year} engine={options.engine}: " +
                  ", ".join(f"{k} {v:.2f} s" for k, v in med.items()))


if __name__ == "__main__":
    main()
