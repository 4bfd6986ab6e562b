"""Per-report render times: execute (papermill), HTML (nbconvert), PDF (WeasyPrint).

    .venv/bin/python bench/render_times.py [--runs 5] [--engine nbclient]

Builds a temporary database from the bundled samples (the seed qianjindao 2023 with its
narrative, huaian 2024 with real numbers), warms up once, then renders each report `--runs` times
and prints the median of each step in seconds.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--engine", default=None, help="papermill engine (default: that of xxgk run, in-process)")
    args = ap.parse_args()

    import render_support as rs

    from helpers.render import pipeline
    from helpers.render.options import RenderOptions

    options = RenderOptions(**({"engine": args.engine} if args.engine else {}))

    with tempfile.TemporaryDirectory() as tmp:
        url = rs.make_db(Path(tmp) / "bench.sqlite",
                         mutate=lambda reps: reps[1].narrative.update(rs.HUAIAN_NARRATIVE))
        t = time.perf_counter()
        pipeline.warm_up()
        print(f"warm_up: {time.perf_counter() - t:.2f} s")
        for agency, year in (("qianjindao", 2023), ("huaian", 2024)):
            runs = [pipeline.render_report(agency, year, out_dir=Path(tmp) / "out", db=url,
                                           options=options)["durations"] for _ in range(args.runs)]
            med = {k: statistics.median(r[k] for r in runs) for k in ("execute", "html", "pdf", "total")}
            print(f"{agency} {year} engine={options.engine}: " +
                  ", ".join(f"{k} {v:.2f} s" for k, v in med.items()))


if __name__ == "__main__":
    main()
