"""`xxgk rollup --parent ID --year Y`: the roll-up of a parent's units (notebook, HTML, PDF, rollup.json)."""
from __future__ import annotations

import sys

HELP = """汇总一个上级机关的下级单位：执行 notebooks/rollup.ipynb，输出 rollup.ipynb、rollup.html、rollup.pdf
和 rollup.json（每个单位的报送状态和问题数）到 OUT/<年度>/<上级机构>/。不给 --parent 时汇总数据库中全部机构。
未报送或有错误的单位在报告中列出，不会使命令失败。
--store 把下级单位之和写入数据库，作为上级机关本年度的报告（新版本，旧版本保留）；有单位数据有错误时拒绝
（--allow-errors 强制），上级机关已有自己填报的数据时拒绝（--replace 替换）。
(render the roll-up of a parent's units; --store writes their sum as the parent's report)"""


def register(sub) -> None:
    p = sub.add_parser("rollup", help="汇总下级单位 (roll-up of a parent's units)", description=HELP)
    p.add_argument("--parent", metavar="ID", help="上级机构标识；省略为全部机构 (parent agency; default: everything)")
    p.add_argument("--year", required=True, help="年度 (report year)")
    p.add_argument("--out", default="outputs", metavar="DIR", help="输出目录 (output folder; default: outputs/)")
    p.add_argument("--draft", action="store_true", help="草稿模式 (draft: blank cells marked in the tables)")
    p.add_argument("--no-pdf", action="store_true", help="不生成 PDF (skip the PDF)")
    p.add_argument("--store", action="store_true", help="把汇总数写入数据库 (store the sum as the parent's report)")
    p.add_argument("--replace", action="store_true", help="与 --store 一起：替换上级机关自己填报的数据")
    p.add_argument("--allow-errors", action="store_true", help="与 --store 一起：下级单位有错误也写入")
    from ..render.options import DEFAULT_ENGINE

    p.add_argument("--engine", metavar="NAME", default=DEFAULT_ENGINE,
                   help="papermill 引擎：xxgk（进程内，默认）或 nbclient（Jupyter 内核）(papermill engine)")
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS", help="每个单元格的超时 (cell timeout)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..errors import XxgkError
    from ..format.ids import check_agency_id, check_year
    from ..render.options import RenderOptions
    from ..render.pipeline import render_rollup
    from ..rollup.store import store_rollup
    from ..store import Store

    year = check_year(args.year, "--year")
    parent = check_agency_id(args.parent, "--parent") if args.parent else None
    if (args.replace or args.allow_errors) and not args.store:
        raise XxgkError("--replace 和 --allow-errors 只能与 --store 一起使用 (only with --store)")
    refused = None
    if args.store:
        if parent is None:
            raise XxgkError("--store 需要 --parent (store needs a parent agency)")
        try:
            res = store_rollup(Store(args.db), parent, year, replace=args.replace, allow_errors=args.allow_errors)
        except XxgkError as exc:
            refused = exc       # the roll-up is still rendered: it shows what must be fixed
        else:
            what = f"第 {res.revision} 版" if res.revision else "与已存汇总相同，未写入 (unchanged)"
            print(f"已写入 {parent} {year} 年汇总数：{res.units} 家单位之和，{what} (stored the sum)")
    options = RenderOptions(mode="draft" if args.draft else "publish", pdf=not args.no_pdf,
                            engine=args.engine, timeout=args.timeout).checked()
    summary = render_rollup(parent, year, out_dir=args.out, db=args.db, options=options)
    c = summary["counts"]
    print(f"{parent or '全部机构'} {year}：下级单位 {c.get('total', 0)} 家，已报送 {c.get('reported', 0)} 家，"
          f"未报送 {c.get('missing', 0)} 家，有错误 {c.get('errors', 0)} 家，仅有提示 {c.get('warnings', 0)} 家"
          f" (units, reported, missing, with errors, warnings only)")
    for kind, path in summary["paths"].items():
        print(f"  {kind:10} {path}")
    if refused is not None:
        print(f"xxgk rollup: {refused}", file=sys.stderr)
        return 2
    return 0
