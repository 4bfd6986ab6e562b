"""`xxgk export`: stored data in the exchange CSV (or JSON), to standard output or a file."""
from __future__ import annotations

import sys

from ..errors import XxgkError
from .arguments import year


def register(sub) -> None:
    p = sub.add_parser("export", help="导出数据 (export data as exchange CSV or JSON)",
                       description="导出为交换格式 CSV（只有表格数字，格式见 docs/format.md），或 JSON（数字及其状态、"
                                   "报告格式、正文、机构信息：用 xxgk import 导入即得原样）"
                                   "(exchange CSV: the figures; JSON: everything stored, importable again)")
    p.add_argument("--agency", help="机构标识 (agency id)")
    p.add_argument("--year", type=year, help="年度 (year)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("-o", "--output", metavar="PATH", help="输出文件；默认标准输出 (default: stdout)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..atomic import write_text
    from ..importers import exchange_csv, exchange_json
    from ..store import EMPTY_STORE, Store

    store = Store(args.db)
    if args.agency:
        store.require_agency(args.agency, "--agency")
    keys = store.report_keys(args.agency, args.year)
    if not keys:
        raise XxgkError(EMPTY_STORE if not store.report_keys() else "没有符合条件的数据 (no stored data matches)")
    reports = [store.load_report(a, y) for a, y in keys]
    if args.format == "csv":
        text = exchange_csv.to_text(reports)
    else:
        text = exchange_json.to_text(reports, {a: store.agency(a) for a in dict.fromkeys(r.agency for r in reports)})
    if args.output:
        write_text(args.output, text)
    else:
        sys.stdout.write(text)
    return 0
