"""`xxgk check`: the consistency rules (勾稽关系) over the stored reports; exit 1 if any error."""
from __future__ import annotations

import sys

from .arguments import year

HELP = """核对数据库中的报告：表内勾稽关系、跨年结转、正文数字与年份（规则见 docs/format.md）。
同一规则在一张表中有多处时合并为一行；--format json 列出每一处。
有错误（error）时退出码为 1，只有提示（warning）或没有问题时为 0。
(check stored reports; exit status 1 when any finding is an error)"""


def register(sub) -> None:
    p = sub.add_parser("check", help="核对勾稽关系 (check consistency)", description=HELP)
    p.add_argument("--agency", help="只核对这个机构 (agency id)")
    p.add_argument("--year", type=year, help="只核对这个年度 (year)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式 (output format)")
    p.add_argument("--rollup", action="store_true",
                   help="另核对汇总数 = 下级单位之和（按机构的上级关系）(also compare parents with their units)")
    p.set_defaults(func=run)


def format_text(findings, n_reports: int) -> str:
    from ..checks import count
    from ..checks.listing import finding_lines

    lines = finding_lines(findings)
    errors, warnings = count(findings)
    lines.append(f"核对了 {n_reports} 份报告：{errors} 个错误，{warnings} 个提示"
                 f" ({n_reports} reports checked: {errors} errors, {warnings} warnings)")
    return "\n".join(lines) + "\n"


def run(args) -> int:
    from ..checks import check_store, findings_json, has_errors
    from ..format.ids import check_agency_id
    from ..store import Store

    if args.agency:
        check_agency_id(args.agency, "--agency")
    store = Store(args.db)
    findings = check_store(store, args.agency, args.year, rollup=args.rollup)
    if args.format == "json":
        sys.stdout.write(findings_json(findings))
    else:
        sys.stdout.write(format_text(findings, len(store.report_keys(args.agency, args.year))))
    return 1 if has_errors(findings) else 0
