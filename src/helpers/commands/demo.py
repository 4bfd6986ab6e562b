"""`xxgk demo` (what `make demo` runs): store the demo data (helpers.demo), then sweep with
params/sweeps/demo.yaml into outputs/. Idempotent: the sweep skips reports whose inputs have not
changed."""
from __future__ import annotations

DEFINITION = "demo"   # params/sweeps/demo.yaml


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
    definition applies), with this command's --out, --no-pdf and --workers on top (and the scheduler
    and --force of `make cluster-demo`, helpers.cluster.demo)."""
    from ..sweep.options import sweep_options as options

    return options(DEFINITION, db=args.db, out=args.out, workers=args.workers, pdf=None if args.pdf else False,
                   scheduler=getattr(args, "scheduler", None), force=getattr(args, "force", False))


def run(args) -> int:
    from ..demo import store_samples, store_synthetic
    from ..store import Store
    from ..sweep.manifest import FAILED, Manifest
    from ..sweep.runner import run_sweep
    from .sweep import print_rollups

    store = Store(args.db)
    n = store_samples(store)
    print(f"样例报告：新写入 {n} 份 (sample reports stored: {n})")
    res = store_synthetic(store)
    print(f"示例数据：{res['reports']} 份，新写入 {res['stored']} 份 (synthetic reports: {res['reports']}, stored {res['stored']})")
    opts = sweep_options(args)
    r = run_sweep(opts)
    print(f"已生成 {r.rendered} 份，跳过 {r.skipped} 份，失败 {r.failed} 份 (rendered, skipped, failed)")
    print_rollups(r)
    print(f"请打开 (open): {r.index}")
    failed = [e for e in Manifest.load(opts.out_dir).entries() if e.get("result") == FAILED]
    for e in failed:
        print(f"  未生成 (not rendered) {e['year']} {e['agency']}: {e.get('error', '').splitlines()[0]}")
    # A sample whose published data break a hard rule is refused in publish mode: that is the
    # demo showing the checks at work, not a failure of the demo.
    return 1 if r.interrupted or r.rollups_failed or any(not e.get("refused") for e in failed) else 0
