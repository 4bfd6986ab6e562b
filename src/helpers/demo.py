"""`xxgk demo` (what `make demo` runs): the bundled real sample reports plus a small synthetic set,
rendered by a sweep into outputs/. Idempotent: data already stored unchanged is left alone, and
the sweep skips reports whose inputs have not changed."""
from __future__ import annotations

from pathlib import Path

from .config import project_root

SYNTH_AGENCIES = 6
SYNTH_YEARS = range(2022, 2025)
SAMPLE_KINDS = (".pdf", ".html", ".md", ".txt")


def samples_dir() -> Path:
    return project_root() / "data" / "samples"


def sample_reports(echo=print) -> tuple[list, list[str]]:
    """Numbers from each sample's exchange CSV (checked by hand), narrative from the published
    file when the published-report importer can read it."""
    from . import importers
    from .errors import XxgkError

    reports, notes = [], []
    for csv_path in sorted(samples_dir().glob("*.expected.csv")):
        stem = csv_path.name[: -len(".expected.csv")]
        for rep in importers.read(csv_path):
            published = [p for p in samples_dir().glob(f"{stem}.*") if p.suffix in SAMPLE_KINDS]
            for path in published:
                try:
                    read = importers.read(path, agency=rep.agency, year=rep.year, partial=True)
                except XxgkError as exc:
                    notes.append(f"{path.name}: 正文未读出 (narrative not read): {exc}")
                    continue
                for other in read:
                    if other.year == rep.year and other.narrative:
                        rep.narrative = dict(other.narrative)
            rep.source = str(csv_path.relative_to(project_root()))
            reports.append(rep)
    return reports, notes


def store_samples(store, echo=print) -> int:
    """Store the samples (one transaction); unchanged ones are left alone, changed ones replaced."""
    from .store.declarations import load_agencies

    reports, notes = sample_reports(echo)
    for note in notes:
        echo(note)
    stored = store.fingerprints()
    new = [r for r in reports if stored.get((r.agency, r.year)) != r.fingerprint()]
    store.save_reports(new, source="xxgk demo: data/samples", replace=True, agencies=load_agencies())
    return len(new)


def register(sub) -> None:
    p = sub.add_parser("demo", help="示例：导入样例并批量生成 (import the samples, render everything)",
                       description="导入 data/samples 中的真实样例和一小组示例数据，批量生成到 outputs/，"
                                   "然后打开 outputs/index.html。可重复运行。(the demo behind `make demo`)")
    p.add_argument("--out", metavar="DIR", help="输出目录 (default outputs/)")
    p.add_argument("--no-pdf", dest="pdf", action="store_false", help="不生成 PDF")
    p.add_argument("--workers", type=int, metavar="N")
    p.set_defaults(func=run)


def sweep_options(args):
    """The demo sweep: params/sweeps/demo.yaml read as `xxgk sweep demo` reads it (every key of the
    definition applies), with this command's --out, --no-pdf and --workers on top."""
    from argparse import Namespace

    from .commands.sweep import options_from

    return options_from(Namespace(
        name="demo", db=args.db, out=args.out, workers=args.workers, pdf=None if args.pdf else False,
        agencies=None, parent=None, years=None, timeout=None, engine=None, draft=False, force=False,
        dry_run=False, retry_failed=False, quiet=False))


def run(args) -> int:
    from .commands.synth import synthesize
    from .store import Store
    from .sweep.runner import run_sweep

    store = Store(args.db)
    n = store_samples(store)
    print(f"样例报告：新写入 {n} 份 (sample reports stored: {n})")
    res = synthesize(store, n=SYNTH_AGENCIES, years=SYNTH_YEARS, seed=0, prefix="demo", replace=True)
    print(f"示例数据：{res['reports']} 份，新写入 {res['stored']} 份 (synthetic reports: {res['reports']}, stored {res['stored']})")
    opts = sweep_options(args)
    out = opts.out_dir
    r = run_sweep(opts)
    print(f"已生成 {r.rendered} 份，跳过 {r.skipped} 份，失败 {r.failed} 份 (rendered, skipped, failed)")
    print(f"请打开 (open): {r.index}")
    from .sweep.manifest import Manifest

    failed = [e for e in Manifest.load(out).entries() if e.get("result") == "failed"]
    for e in failed:
        print(f"  未生成 (not rendered) {e['year']} {e['agency']}: {e.get('error', '').splitlines()[0]}")
    # A sample whose published data break a hard rule is refused in publish mode: that is the
    # demo showing the checks at work, not a failure of the demo.
    return 1 if r.interrupted or any(not e.get("refused") for e in failed) else 0
