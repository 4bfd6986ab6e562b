"""`xxgk import PATH...`: read files of any supported kind and store them, one transaction per file."""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from .arguments import year

if TYPE_CHECKING:
    from ..ingest import FileResult

HELP = """导入数据：交换格式 CSV、填报模板 (.xlsx)、已发布的年报 (PDF、HTML、Word、TXT/MD)；
.doc/.xls/.wps/.et/.odt/.ods 经 LibreOffice 转换后读取。
一个文件一个事务：出错时该文件什么也不写。多个文件时每个文件一个进程，按核数并行；
加 --scheduler 则在 Dask 集群上导入（数据库须为 PostgreSQL）。
(import exchange CSV, the spreadsheet template, or published reports; old and open office formats
through LibreOffice; one transaction per file;
many files run in parallel, one process per file, or on a Dask cluster with --scheduler)"""


def register(sub) -> None:
    p = sub.add_parser("import", help="导入数据 (import data files)", description=HELP)
    p.add_argument("paths", nargs="+", metavar="PATH", help="文件、目录或通配符 (files, folders or globs)")
    p.add_argument("--agency", help="机构标识，文件中读不出时使用 (agency id)")
    p.add_argument("--year", type=year, help="年度 (report year)")
    p.add_argument("--replace", action="store_true",
                   help="替换已有数据，旧版本保留为历史 (replace existing data; the old revision is kept)")
    p.add_argument("--partial", action="store_true",
                   help="读不全时也保存已读部分，并列出未读部分 (store what could be read)")
    p.add_argument("--workers", type=int, metavar="N", help="并行进程数 (processes; default: one per core)")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="在该 Dask 集群上导入（数据库须为 PostgreSQL） (import on the Dask cluster of this scheduler; "
                        "default $XXGK_SCHEDULER)")
    p.add_argument("--quiet", "-q", action="store_true", help="只打印错误和汇总")
    p.set_defaults(func=run)


def run(args) -> int:
    from tqdm import tqdm

    from ..errors import XxgkError
    from ..ingest import expand, import_file
    from ..ingest_parallel import default_workers, import_files
    from ..store import Store
    from ..store.declarations import load_agencies
    from ..sweep.options import SCHEDULER_ENV

    store = Store(args.db)
    declared = load_agencies()
    files = expand(args.paths)
    scheduler = args.scheduler or os.environ.get(SCHEDULER_ENV) or None
    workers = args.workers or default_workers()
    if workers < 1:
        raise XxgkError("--workers 应至少为 1 (need at least one worker)")
    many = len(files) > 1
    results: dict = {}
    bar = tqdm(total=len(files), unit="file", desc="导入", disable=not many or not sys.stderr.isatty(),
               file=sys.stderr)
    echo = (lambda msg: None) if args.quiet else (lambda msg: tqdm.write(msg) if many else print(msg))

    def finished(index, res, lines) -> None:
        for line in lines:
            echo(line)
        if not res.ok:
            tqdm.write(f"失败 (failed) {res.error}", file=sys.stderr)
        results[index] = res
        bar.update(1)

    interrupted = False
    try:
        if many or scheduler:   # one process per file (here or on the cluster), as they finish
            import_files(files, db=store.url, workers=workers, scheduler=scheduler, on_result=finished,
                         agency=args.agency, year=args.year, replace=args.replace, partial=args.partial,
                         declared=declared)
        else:
            finished(0, import_file(store, files[0], agency=args.agency, year=args.year, replace=args.replace,
                                    partial=args.partial, declared=declared, echo=echo), [])
    except KeyboardInterrupt:      # the files being read are rolled back; those finished stay
        interrupted = True
    finally:
        bar.close()
    ordered = [results[i] for i in sorted(results)]
    if many:
        print_summary(ordered)
        if interrupted:
            print(f"已中断：还有 {len(files) - len(ordered)} 个文件未导入 (interrupted)", file=sys.stderr)
    if interrupted:
        return 130
    failed = sum(not r.ok for r in ordered)
    return 1 if failed else 0


def print_summary(results: list[FileResult]) -> None:
    rows = [("文件 file", "机构 agency", "年度 year", "单元格 cells", "错误 errors", "提示 warnings", "状态 status")]
    for r in results:
        if r.ok:
            for ag, yr, cells, errs, warns in r.reports:
                rows.append((r.path, ag, str(yr), str(cells), str(errs), str(warns), "ok"))
        else:
            rows.append((r.path, "", "", "", "", "", "失败 failed"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths)))
    ok = sum(r.ok for r in results)
    print(f"{ok} 个文件已导入，{len(results) - ok} 个失败 ({ok} imported, {len(results) - ok} failed)")
