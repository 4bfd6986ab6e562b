"""`xxgk sweep [NAME]`: render many reports into one folder, incrementally, as a small site."""
from __future__ import annotations

import sys

from ..render.options import DEFAULT_TIMEOUT

HELP = """批量生成年度报告：默认为数据库中每个机构的每一年度，输出到 outputs/。
只重新生成输入有变化的报告（数据、正文、模板、代码、库版本、字体），其余跳过；
单份报告出错、崩溃或超时只记为失败，其余继续。结果见 DIR/index.html、summary.csv、manifest.json。
NAME 为 params/sweeps/NAME.yaml 中的定义，命令行选项优先。
(render every agency-year incrementally and fault-tolerantly; publishes DIR/index.html)"""


def register(sub) -> None:
    p = sub.add_parser("sweep", help="批量生成报告 (render many reports)", description=HELP)
    p.add_argument("name", nargs="?", metavar="NAME", help="params/sweeps/NAME.yaml (or a path to a .yaml file)")
    sel = p.add_mutually_exclusive_group()
    sel.add_argument("--agencies", nargs="+", metavar="ID", help="只生成这些机构 (only these agencies)")
    sel.add_argument("--parent", metavar="ID", help="该机构及其全部下级 (this agency and all below it)")
    p.add_argument("--years", metavar="A-B", help="年度范围，如 2021-2024 或 2023 (years)")
    p.add_argument("--out", metavar="DIR", help="输出目录 (output folder; default outputs/)")
    p.add_argument("--workers", type=int, metavar="N", help="并行进程数 (worker processes; default: one per core)")
    p.add_argument("--timeout", type=float, metavar="S",
                   help=f"每份报告的时限，秒 (seconds per report; default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--force", action="store_true", help="全部重新生成 (render even if unchanged)")
    p.add_argument("--dry-run", action="store_true", help="只列出将要生成的报告及原因 (list what would be rendered and why)")
    p.add_argument("--retry-failed", action="store_true", help="只重试上次失败的报告 (rerun only failed reports)")
    p.add_argument("--engine", metavar="NAME", help="papermill 引擎：xxgk（进程内，默认）或 nbclient（Jupyter 内核）")
    p.add_argument("--draft", action="store_true", help="草稿模式：有错误也生成，并显示核对结果 (draft mode)")
    p.add_argument("--no-pdf", dest="pdf", action="store_false", default=None, help="不生成 PDF (skip the PDF)")
    p.add_argument("--no-docx", dest="docx", action="store_false", default=None,
                   help="不生成 Word 文档 (skip report.docx)")
    p.add_argument("--date", metavar="YYYY-MM-DD",
                   help="落款日期；默认为各报告数据最后一次变动的日期 (publication date; default: the day each "
                        "report's data last changed)")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="在该 Dask 集群上生成（数据库须为 PostgreSQL） (render on the Dask cluster of this scheduler; "
                        "default $XXGK_SCHEDULER; the store must be PostgreSQL)")
    p.add_argument("--quiet", "-q", action="store_true", help="不显示进度条 (no progress bar)")
    p.set_defaults(func=run)


def options_from(args):
    from ..sweep.options import sweep_options

    return sweep_options(args.name, db=args.db, out=args.out, agencies=args.agencies, parent=args.parent,
                         years=args.years, workers=args.workers, timeout=args.timeout, engine=args.engine,
                         draft=args.draft, pdf=args.pdf, docx=args.docx, date=args.date, force=args.force,
                         dry_run=args.dry_run,
                         retry_failed=args.retry_failed, progress=False if args.quiet else None,
                         scheduler=args.scheduler)


def print_plan(items) -> None:
    from ..sweep.manifest import ROLLUP

    todo = [i for i in items if i.render]
    for i in todo:
        what = f"{i.agency} 汇总 (roll-up)" if i.kind == ROLLUP else i.agency
        print(f"{i.year}  {what:<24} {i.reason}")
    rollups = sum(i.kind == ROLLUP for i in todo)
    print(f"将生成 {len(todo)} 份（其中汇总 {rollups} 份），跳过 {len(items) - len(todo)} 份 "
          f"(would render {len(todo)}, {rollups} of them roll-ups; skip {len(items) - len(todo)})")


def print_rollups(r) -> None:
    """The roll-ups' line of a sweep's result (none when the sweep had none)."""
    if r.rollups_rendered or r.rollups_skipped or r.rollups_failed:
        print(f"汇总：已生成 {r.rollups_rendered} 份，跳过 {r.rollups_skipped} 份，失败 {r.rollups_failed} 份"
              f" (roll-ups: rendered {r.rollups_rendered}, skipped {r.rollups_skipped}, failed {r.rollups_failed})")


def run(args) -> int:
    from ..errors import XxgkError
    from ..store import EMPTY_STORE, Store
    from ..sweep.runner import run_sweep

    opts = options_from(args)
    if opts.scheduler:   # said before anything else: a cluster cannot use this store at all
        from ..cluster.store import require_shared_store
        from ..config import resolve_db
        require_shared_store(resolve_db(opts.db))
    if not Store(opts.db).report_keys():
        raise XxgkError(EMPTY_STORE)
    result = run_sweep(opts)
    if opts.dry_run:
        print_plan(result.planned)
        return 0
    r = result
    print(f"已生成 {r.rendered} 份（其中有提示 {r.warnings} 份），跳过 {r.skipped} 份，失败 {r.failed} 份"
          f" (rendered {r.rendered}, with warnings {r.warnings}, skipped {r.skipped}, failed {r.failed})")
    print_rollups(r)
    if r.interrupted:
        print("已中断：已完成的报告已保留 (interrupted: finished reports are kept)", file=sys.stderr)
    if r.stopped:
        print(f"批量生成已停止 (sweep stopped)：{r.stopped}；已发布的报告保持原样，"
              f"腾出空间后重新运行即可继续 (published reports are unchanged; run again to go on)", file=sys.stderr)
    if r.failed:
        print(f"重试失败的报告：xxgk sweep --retry-failed --out {opts.out_dir} (retry the failed ones)", file=sys.stderr)
    if r.index:
        print(f"打开 (open): {r.index}")
    return r.exit_status
