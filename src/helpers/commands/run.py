"""`xxgk run --agency ID --year YEAR`: render one report (notebook, HTML, PDF, Word, checks, provenance)."""
from __future__ import annotations

from ..render.options import DEFAULT_ENGINE, DEFAULT_TIMEOUT
from .arguments import year

HELP = """生成一份年度报告：执行笔记本，输出 report.ipynb、report.html、report.pdf、report.docx、checks.json、
provenance.json 到 OUT/<年度>/<机构>/。发布模式下数据有错误或正文缺部分时拒绝生成（退出码非 0）。
(render one report; publish mode refuses data with hard errors or missing narrative sections)"""

def register(sub) -> None:
    p = sub.add_parser("run", help="生成一份年度报告 (render one report)", description=HELP)
    p.add_argument("--agency", required=True, help="机构标识 (agency id)")
    p.add_argument("--year", type=year, required=True, help="年度 (report year)")
    p.add_argument("--out", default="outputs", metavar="DIR", help="输出目录 (output folder; default: outputs/)")
    p.add_argument("--draft", action="store_true",
                   help="草稿模式：有错误也生成，问题在表中标出并列在文末 (draft: mark findings)")
    p.add_argument("--no-pdf", action="store_true", help="不生成 PDF (skip the PDF)")
    p.add_argument("--no-docx", action="store_true", help="不生成 Word 文档 (skip report.docx)")
    p.add_argument("--date", metavar="YYYY-MM-DD",
                   help="落款日期；默认为数据最后一次变动的日期 (publication date; default: the day the data last changed)")
    p.add_argument("--allow-errors", action="store_true",
                   help="发布模式下有错误也生成 (publish even with hard errors)")
    p.add_argument("--engine", metavar="NAME", default=DEFAULT_ENGINE,
                   help="papermill 引擎：xxgk（进程内，默认）或 nbclient（Jupyter 内核）(papermill engine)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"每个单元格的时限，秒 (seconds per cell; default {DEFAULT_TIMEOUT:g})")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..render.options import RenderOptions
    from ..render.pipeline import render_report
    from ..report.closing import parse_date
    from ..report.mode import Mode

    options = RenderOptions(mode=Mode.DRAFT if args.draft else Mode.PUBLISH, allow_errors=args.allow_errors,
                            pdf=not args.no_pdf, docx=not args.no_docx, date=parse_date(args.date, "--date"), engine=args.engine,
                            timeout=args.timeout).checked()
    summary = render_report(args.agency, args.year, out_dir=args.out, db=args.db, options=options)
    d = summary["durations"]
    print(f"{summary['agency']} {summary['year']}：错误 {summary['errors']} 个，提示 {summary['warnings']} 个 "
          f"(errors, warnings)")
    for kind, path in summary["paths"].items():
        print(f"  {kind:10} {path}")
    steps = "，".join(f"{label} {d[key]:.2f}" for key, label in (("execute", "执行"), ("html", "HTML"), ("pdf", "PDF"),
                                                                  ("docx", "Word")) if key in d)
    print(f"  用时 (seconds)：{steps}，共 {d['total']:.2f}")
    return 0
