"""Per-report render times: execute (papermill), HTML (nbconvert), PDF (WeasyPrint), Word (python-docx).

    .venv/bin/python bench/render_times.py [--runs 5] [--engine nbclient] [--profile 25]

Builds a temporary database from the bundled samples as `make demo` stores them (numbers from the
exchange CSVs, narrative from the published files), warms up once, then renders each report `--runs` times
and prints the median of each step in seconds (wall) and the CPU seconds of one render per step.
With --profile N it then profiles --runs renders of huaian 2024 (cProfile) and prints the top N
entries by own time and by cumulative time: where a report's time goes.
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
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="print the profile's top N entries")
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
        print("CPU seconds of one render (huaian 2024), median of --runs: " + ", ".join(
            f"{k} {v:.3f}" for k, v in cpu_per_step(pipeline, url, Path(tmp) / "cpu", options, args.runs).items()))
        if args.profile:
            import cProfile
            import pstats
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.runs):
                pipeline.render_report("huaian", 2024, out_dir=Path(tmp) / "profile", db=url, options=options)
            profile.disable()
            stats = pstats.Stats(profile)
            stats.sort_stats("tottime").print_stats(args.profile)
            stats.sort_stats("cumulative").print_stats(args.profile)


def cpu_per_step(pipeline, url: str, out: Path, options, runs: int) -> dict[str, float]:
    """CPU time (this process: the in-process engine runs the notebook here) of each step of a
    render: the pipeline's execute and the exporters it calls, wrapped for the measurement."""
    import functools

    from helpers.render.export import docx, html, pdf

    runs_spent: list[dict[str, float]] = []      # per render: CPU seconds per step (summed over calls)

    def timed(module, name: str, step: str):
        original = getattr(module, name)

        @functools.wraps(original)
        def wrapper(*args, **kw):
            t = time.process_time()
            try:
                return original(*args, **kw)
            finally:
                runs_spent[-1][step] = runs_spent[-1].get(step, 0.0) + time.process_time() - t
        setattr(module, name, wrapper)
        return module, name, original

    undo = [timed(pipeline, "execute", "execute"), timed(html, "notebook_to_html", "html"),
            timed(pdf, "html_to_pdf", "pdf"), timed(docx, "html_to_docx", "docx")]
    try:
        for _ in range(runs):
            runs_spent.append({})
            t = time.process_time()
            pipeline.render_report("huaian", 2024, out_dir=out, db=url, options=options)
            runs_spent[-1]["total"] = time.process_time() - t
    finally:
        for module, name, original in undo:
            setattr(module, name, original)
    steps = ("execute", "html", "pdf", "docx", "total")
    return {k: statistics.median(r.get(k, 0.0) for r in runs_spent) for k in steps}


if __name__ == "__main__":
    main()
