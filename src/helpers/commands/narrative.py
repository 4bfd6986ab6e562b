"""`xxgk narrative`: start the narrative file an analyst edits (params/narratives/<agency>/<year>.md)."""
from __future__ import annotations

from .arguments import year


def register(sub) -> None:
    p = sub.add_parser("narrative", help="生成正文文件供编辑 (write the narrative file to edit)",
                       description="生成 params/narratives/<机构>/<年度>.md：引言和六个部分的标题；"
                                   "数据库中已有的正文（导入的报告）预先填入。格式见 params/narratives/README.md")
    p.add_argument("--agency", required=True, help="机构标识 (agency id)")
    p.add_argument("--year", type=year, required=True, help="年度 (year)")
    p.add_argument("--force", action="store_true", help="覆盖已有文件 (overwrite an existing file)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..format.model import Report
    from ..report.narrative import write_narrative_template
    from ..store import Store

    store = Store(args.db)
    agency = store.require_agency(args.agency, "--agency")
    report = store.load_report(args.agency, args.year) or Report(args.agency, args.year)
    path = write_narrative_template(report, agency, overwrite=args.force)
    print(f"已写入 (written): {path}")
    return 0
