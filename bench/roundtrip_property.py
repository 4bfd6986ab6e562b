"""The round-trip property explored at random: many more reports than the test suite draws.

    .venv/bin/python bench/roundtrip_property.py [--examples 150] [--seed S] [--keep DIR]
    .venv/bin/python bench/roundtrip_property.py --read DIR       (the texts kept in DIR, read again)

The test (tests/importers/test_roundtrip.py) draws 5 reports, the same ones on every run (the
`ci` Hypothesis profile, tests/conftest.py), so that a run passes or fails by the code alone. This
benchmark draws `--examples` reports with the same generator (synth.series.any_report) from a seed
(the time when not given; printed, so that a run can be repeated), renders each to HTML and PDF,
reads both back and what every converter makes of them, and prints cells read right, wrong and not
read per converter and how many reports were read under another layout (format version) than
their own, then each report with a wrong cell or another layout (seed and notes). --keep DIR: the texts and
expected CSV of every report (material for tests/data/converted); --read DIR reads them again with
the code as it is now, without rendering (the same texts before and after a change).
Exit status 1 if any cell was read wrong or any report under another layout.
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from helpers.importers import exchange_csv, read
from helpers.render.pipeline import render_report
from helpers.store import Store
from helpers.synth.converted import CONVERTERS, SUFFIX, as_printed, convert, score
from helpers.synth.series import any_report


def _arg(argv: list[str], name: str, default: str | None) -> str | None:
    return argv[argv.index(name) + 1] if name in argv else default


def one(tmp: Path, seed: int, keep: Path | None):
    """(source form, converter) -> converted.Score for the report of `seed`."""
    rep = any_report(random.Random(seed), f"prop-{seed}")
    db = f"sqlite:///{tmp / 'prop.sqlite'}"
    Store(db).save_reports([rep])
    render_report(rep.agency, rep.year, out_dir=tmp / "out", db=db)
    folder = tmp / "out" / str(rep.year) / rep.agency
    shown = as_printed(rep)
    out = {}
    for kind, name in (("html", "report.html"), ("pdf", "report.pdf")):
        got, = read(folder / name, agency=rep.agency, partial=True)
        out[(kind, "file")] = score(got, shown)
        for conv in CONVERTERS[kind]:
            path = tmp / f"{rep.agency}-{rep.year}.{kind}-{conv}{SUFFIX[conv]}"
            path.write_text(convert(folder / name, conv), encoding="utf-8")
            got, = read(path, agency=rep.agency, year=rep.year, partial=True)
            out[(kind, conv)] = score(got, shown)
            if keep:
                keep.mkdir(parents=True, exist_ok=True)
                (keep / path.name).write_bytes(path.read_bytes())
                with open(keep / f"{rep.agency}-{rep.year}.expected.csv", "w", encoding="utf-8") as f:
                    exchange_csv.write([shown], f)
    return rep, out


def kept(folder: Path):
    """(report, {(form, converter): score}) for each report whose texts --keep put in `folder`."""
    for exp in sorted(folder.glob("*.expected.csv")):
        shown = exchange_csv.read(exp)[0]
        out = {}
        for path in sorted(folder.glob(f"{shown.agency}-{shown.year}.*-*")):
            kind, conv = path.name[len(f"{shown.agency}-{shown.year}."):].split(".")[0].split("-", 1)
            got, = read(path, agency=shown.agency, year=shown.year, partial=True)
            out[(kind, conv)] = score(got, shown)
        yield shown, out


def main(argv: list[str]) -> int:
    n = int(_arg(argv, "--examples", "150"))
    seed = int(_arg(argv, "--seed", str(int(time.time()))))
    keep = Path(k) if (k := _arg(argv, "--keep", None)) else None
    again = Path(k) if (k := _arg(argv, "--read", None)) else None

    def rendered():
        for s in range(seed, seed + n):
            with tempfile.TemporaryDirectory() as tmp:
                yield one(Path(tmp), s, keep)
    print(f"the texts in {again}" if again else f"seed {seed}, {n} reports (seeds {seed}..{seed + n - 1})", flush=True)
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    failures = []
    started = time.monotonic()
    for k, (rep, got) in enumerate(kept(again) if again else rendered(), start=1):
        print(f"  {k} {rep.agency} {rep.year} {rep.layout}: unread {sum(s.unread for s in got.values())},"
              f" wrong {sum(s.wrong for s in got.values())}", flush=True)
        for key, s in got.items():
            for i, x in enumerate((s.right, s.wrong, s.unread, s.other_layout)):
                totals[key][i] += x
            if s.wrong or s.other_layout:
                failures.append((rep.agency, rep.year, rep.layout, key, s.notes[:4]))
                print(f"  WRONG {rep.agency} ({rep.year}, {rep.layout}) {key[0]} {key[1]}: {s.notes[:4]}", flush=True)
    print(f"\n{k} reports in {time.monotonic() - started:.0f} s")
    print(f"{'source':6} {'converter':16} {'right':>8} {'wrong':>6} {'unread':>7} {'right %':>8} {'other layout':>13}")
    for (kind, conv), (right, wrong, unread, other) in sorted(totals.items()):
        print(f"{kind:6} {conv:16} {right:8} {wrong:6} {unread:7} {100 * right / max(1, right + wrong + unread):7.2f}%"
              f" {other:13}")
    print(f"reports with a wrong cell or read under another layout: {len({f[0] for f in failures})}")
    for agency, year, layout, (kind, conv), notes in failures:
        print(f"  {agency}-{year} ({layout}) {kind} {conv}: {notes}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
