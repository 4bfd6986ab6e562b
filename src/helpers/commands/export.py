"""`xxgk export`: stored data in the exchange CSV (or JSON), to standard output or a file."""
from __future__ import annotations

import json
import sys

from ..errors import XxgkError
from .arguments import year


def register(sub) -> None:
    p = sub.add_parser("export", help="导出数据 (export data as exchange CSV or JSON)",
                       description="按交换格式导出 (export in the exchange format of FORMAT.md)")
    p.add_argument("--agency", help="机构标识 (agency id)")
    p.add_argument("--year", type=year, help="年度 (year)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("-o", "--output", metavar="PATH", help="输出文件；默认标准输出 (default: stdout)")
    p.set_defaults(func=run)


def reports_as_json(reports) -> list[dict]:
    return [{
        "agency": r.agency, "year": r.year, "layout": r.layout,
        "cells": [{"table": t, "row": row, "col": c, "state": cell.state, "value": cell.text()}
                  for (t, row, c), cell in r.ordered_cells()],
        "narrative": r.narrative,
    } for r in reports]


def run(args) -> int:
    from ..atomic import write_text
    from ..importers.exchange_csv import to_text
    from ..store import Store

    store = Store(args.db)
    keys = store.report_keys(args.agency, args.year)
    if not keys:
        raise XxgkError("没有符合条件的数据 (no stored data matches)")
    reports = [store.load_report(a, y) for a, y in keys]
    if args.format == "csv":
        text = to_text(reports)
    else:
        text = json.dumps(reports_as_json(reports), ensure_ascii=False, indent=1) + "\n"
    if args.output:
        write_text(args.output, text)
    else:
        sys.stdout.write(text)
    return 0
