"""Import accuracy: cells read right, wrong and left unread, per source and per converter.

    .venv/bin/python bench/import_accuracy.py [DIR] [--no-render]      (default data/samples)
    .venv/bin/python bench/import_accuracy.py --generated 16 [--keep DIR]   (only generated reports)

Sources: each report `X.<ext>` in DIR with `X.expected.csv` beside it (agency and year from the
expected file), and, unless --no-render, synthetic reports of the three layouts rendered to HTML
and PDF by this project's pipeline (blanks print as 0, 不适用 as written). Each PDF and HTML source is
also converted by the tools people use (`helpers.synth.converted`: pdftotext, markitdown, PyMuPDF,
web page text) and the text read back. Every read uses partial=True and is compared cell by cell
(state and value): "right" must be all cells for well-formed files, "wrong" must be 0 everywhere
(an unread cell is acceptable, a wrong one is not), whatever layout (format version) the reader
decided; a report read under another layout than its own is counted apart ("other layout", must be
0: converted.score). Last, the time to import a 10-page report.

--generated N: instead, N synthetic reports (seeds 0..N-1: every layout, 0/10/40 % of the zero
cells blank or 不适用, 1-24 overview paragraphs moving the page breaks) rendered and read back through
every converter; the same tables, no samples and no timing. --keep DIR: the converters' texts and
each report's expected CSV are kept in DIR (material for tests/data/converted).
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from helpers.format.model import Report
from helpers.config import samples_dir
from helpers.importers import exchange_csv, read
from helpers.synth.converted import CONVERTERS, SUFFIX, as_printed, convert, score



def read_one(path: Path, want: Report) -> tuple[Report | None, float, str]:
    t0 = time.perf_counter()
    try:
        got, = read(path, agency=want.agency, year=want.year, partial=True)
        err = ""
    except Exception as exc:          # a refused file reads no cell
        got, err = None, str(exc)[:150]
    return got, time.perf_counter() - t0, err


def samples(folder: Path):
    for exp in sorted(folder.glob("*.expected.csv")):
        stem = exp.name[: -len(".expected.csv")]
        want = exchange_csv.read(exp)[0]
        for src in sorted(folder.glob(stem + ".*")):
            if src != exp and not src.name.endswith(".csv"):
                yield src, want


LAYOUTS = (("2021", 2023), ("2019", 2020), ("2021-single-other", 2022))


def _render(tmp: Path, reps: list[Report]):
    """Each report rendered to HTML and PDF: (file, the cells it shows)."""
    from helpers.render.pipeline import render_report
    from helpers.store import Store
    db = f"sqlite:///{tmp / 'bench.sqlite'}"
    Store(db).save_reports(reps)
    for rep in reps:
        render_report(rep.agency, rep.year, out_dir=tmp / "out", db=db)
        folder = tmp / "out" / str(rep.year) / rep.agency
        for name in ("report.html", "report.pdf"):
            target = tmp / f"{rep.agency}-{rep.year}{Path(name).suffix}"
            target.write_bytes((folder / name).read_bytes())
            yield target, as_printed(rep)


def rendered(tmp: Path):
    """Synthetic reports of every layout (blanks, 不适用, large numbers) rendered to HTML and PDF."""
    from helpers.synth.series import consistent_report, with_blanks
    reps = []
    for i, (layout, year) in enumerate(LAYOUTS):
        rep = consistent_report(random.Random(10 + i), f"synth-{i}", year, layout, scale=3 + i % 2)
        with_blanks(rep, random.Random(20 + i), percent=10)
        reps.append(rep)
    return _render(tmp, reps)


def generated(tmp: Path, n: int):
    """`n` synthetic reports of every layout, with 0/10/40 % blanks and 不适用 and overviews of 1-24
    paragraphs (which move tables 三 and 四 on the page), rendered to HTML and PDF; deterministic."""
    from helpers.synth.series import consistent_report, with_blanks
    para = "本机关坚持以公开为常态、不公开为例外，持续深化政务公开，推进决策、执行、管理、服务、结果公开。"
    reps = []
    for i in range(n):
        rng = random.Random(1000 + i)
        layout, year = LAYOUTS[i % 3]
        rep = consistent_report(rng, f"gen-{i}", year, layout, scale=1 + i % 4)
        with_blanks(rep, rng, percent=(0, 10, 40)[i // 3 % 3])
        rep.narrative["overview"] = "\n".join([para] * rng.randint(1, 24))
        reps.append(rep)
    return _render(tmp, reps)


def ten_pages(tmp: Path) -> tuple[int, float]:
    """Pages of a long rendered report and the seconds its import takes (best of 3)."""
    import pdfplumber

    from helpers.render.pipeline import render_report
    from helpers.store import Store
    from helpers.synth.series import consistent_report
    db = f"sqlite:///{tmp / 'long.sqlite'}"
    rep = consistent_report(random.Random(1), "long", 2023, scale=4)
    para = "本机关坚持以公开为常态、不公开为例外，持续深化政务公开，推进决策、执行、管理、服务、结果公开。" * 6
    rep.narrative["overview"] = "\n".join([para] * 26)
    Store(db).save_reports([rep])
    render_report("long", 2023, out_dir=tmp / "out", db=db)
    path = tmp / "out" / "2023" / "long" / "report.pdf"
    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
    best = min(read_one(path, rep)[1] for _ in range(3))
    return pages, best


def main(argv: list[str]) -> int:
    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    n_generated = int(argv[argv.index("--generated") + 1]) if "--generated" in argv else 0
    valued = {str(n_generated), str(keep)}
    args = [a for a in argv if not a.startswith("--") and a not in valued]
    folder = Path(args[0]) if args else samples_dir()
    by_form: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])   # right wrong unread cells, other layout
    files_exact = files = 0
    print(f"{'source':30s} {'converter':15s} {'right':>9s} {'wrong':>5s} {'unread':>6s} {'time':>7s}")
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        if n_generated:
            sources = list(generated(tmp, n_generated))
        else:
            sources = list(samples(folder))
            if "--no-render" not in argv:
                sources += list(rendered(tmp))
        for src, want in sources:
            form = src.suffix.lstrip(".")
            for conv in ("file",) + CONVERTERS.get(form, ()):
                if conv == "file":
                    path = src
                else:
                    path = tmp / f"{want.agency}-{want.year}.{conv}{SUFFIX[conv]}"
                    path.write_text(convert(src, conv), encoding="utf-8")
                    if keep:
                        keep.mkdir(parents=True, exist_ok=True)
                        (keep / f"{want.agency}-{want.year}.{form}-{conv}{SUFFIX[conv]}").write_bytes(path.read_bytes())
                        with open(keep / f"{want.agency}-{want.year}.expected.csv", "w", encoding="utf-8") as f:
                            exchange_csv.write([want], f)
                got, dt, err = read_one(path, want)
                right, wrong, unread, notes, other = score(got, want)
                n = right + wrong + unread
                acc = by_form[(form, conv)]
                for k, v in enumerate((right, wrong, unread, n, other)):
                    acc[k] += v
                if conv == "file":
                    files, files_exact = files + 1, files_exact + (right == n and not other)
                print(f"{src.name:30s} {conv:15s} {right:4d}/{n:<4d} {wrong:5d} {unread:6d} {dt:6.2f}s"
                      + (f"  {err}" if err else ""))
                for note in notes[:6]:
                    print("    WRONG " + note)
        print()
        print(f"{'form':6s} {'converter':15s} {'right':>11s} {'%':>7s} {'wrong':>5s} {'unread':>6s} {'other layout':>12s}")
        for (form, conv), (right, wrong, unread, n, other) in sorted(by_form.items()):
            print(f"{form:6s} {conv:15s} {right:5d}/{n:<5d} {100 * right / n:6.1f}% {wrong:5d} {unread:6d} {other:12d}")
        total_wrong = sum(v[1] for v in by_form.values())
        total_other = sum(v[4] for v in by_form.values())
        print(f"well-formed files read exactly: {files_exact}/{files}; wrong cells anywhere: {total_wrong};"
              f" reports read under another layout: {total_other}")
        if "--no-render" not in argv and not n_generated:
            pages, dt = ten_pages(tmp)
            print(f"import of a {pages}-page rendered report: {dt:.2f} s")
    return 0 if total_wrong == 0 == total_other and files_exact == files else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
