"""`xxgk template -o FILE.xlsx`: the spreadsheet template units fill in and offices import."""
from __future__ import annotations

from ..errors import XxgkError
from ..format import schema
from .arguments import year

_BLANK = schema.RULES["blank"].advice
HELP = f"""生成填报模板 (.xlsx)：表二、表三、表四按官方格式排版，另有机构信息和报告正文两张表。
只有浅黄色单元格可以填写。{_BLANK}。
各表的“核对”区域用公式检查勾稽关系（不符时变红）和空白单元格（有空白时变黄）。
工作表有保护但没有密码（审阅 → 撤销工作表保护）。填好后用 xxgk import 导入。
(write the spreadsheet template; fill the yellow cells, then `xxgk import` it)"""


def register(sub) -> None:
    import argparse

    p = sub.add_parser("template", help="生成填报模板 (write the spreadsheet template)", description=HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx",
                   help="输出文件；与 --parent 一起时为目录 (output .xlsx; with --parent a folder)")
    p.add_argument("--parent", metavar="ID",
                   help="为该机构下的每个单位各生成一份模板，上年结转按上一年度结转下年度预填并锁定"
                        "（需 --year）(one prefilled template per unit below ID)")
    p.add_argument("--agency", help="机构标识：填入机构信息 (agency id; fills the agency sheet)")
    p.add_argument("--year", type=year, help="年度 (report year)")
    p.add_argument("--layout", choices=list(schema.LAYOUTS),
                   help="报告格式；默认按年度（2020 年及以前为 2019）(format; default from the year)")
    p.add_argument("--prefill", action="store_true",
                   help="填入数据库中已有的数字和正文（需 --agency 和 --year）(prefill the stored figures)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..format.ids import check_agency_id
    from ..xlsx.template import write_template

    if args.parent:
        return run_units(args)
    if not args.output.lower().endswith(".xlsx"):
        raise XxgkError(f"{args.output}: 输出文件应以 .xlsx 结尾 (output must be .xlsx)")
    agency_id = check_agency_id(args.agency, "--agency") if args.agency else None
    year = args.year
    if args.prefill and not (agency_id and year):
        raise XxgkError("--prefill 需要同时给出 --agency 和 --year (--prefill needs --agency and --year)")
    record, report = None, None
    if agency_id:
        record, report = _stored(args.db, agency_id, year if args.prefill else None)
    if args.prefill and report is None:
        raise XxgkError(f"数据库中没有 {agency_id} {year} 年的数据，无法预填 (nothing stored to prefill)")
    layout = args.layout or (report.layout if report else
                             schema.default_layout_for_year(year) if year else schema.DEFAULT_LAYOUT)
    if report is not None and report.layout != layout:
        raise XxgkError(f"已存数据的报告格式是 {report.layout}，不能按 {layout} 预填 (stored layout differs)")
    path = write_template(args.output, layout, agency=record, year=year, report=report)
    what = "已预填数据" if report else "空白"
    print(f"已生成填报模板 {path}（{schema.layout(layout).description}，{what}）(template written)")
    return 0


def _stored(db: str | None, agency_id: str, year: int | None):
    """The agency's details (store, else params/agencies.yaml) and, if `year`, its stored report."""
    from ..store import Store
    from ..store.declarations import load_agencies

    store = Store(db)
    agency = store.agency(agency_id) or next((a for a in load_agencies() if a.id == agency_id), None)
    record = agency.as_dict() if agency else {"id": agency_id}
    report = store.load_report(agency_id, year) if year else None
    return record, report


def run_units(args) -> int:
    from pathlib import Path

    from ..format.ids import check_agency_id, check_year
    from ..store import Store
    from ..xlsx.units import write_unit_templates

    parent = check_agency_id(args.parent, "--parent")
    if args.year is None:
        raise XxgkError("--parent 需要 --year (--parent needs --year)")
    if args.agency or args.prefill or args.layout:
        raise XxgkError("--parent 不能与 --agency、--prefill、--layout 一起使用 (--parent writes one template per unit)")
    year = check_year(args.year, "--year")
    out = Path(args.output)
    if out.suffix.lower() == ".xlsx" or (out.exists() and not out.is_dir()):
        raise XxgkError(f"{out}: 与 --parent 一起时 -o 应为目录 (with --parent, -o is a folder)")
    store = Store(args.db)
    tree = store.tree()
    if parent not in tree.by_id:
        raise XxgkError(f"未知机构 {parent}：数据库中没有这个机构 (unknown agency)；先用 xxgk agencies --sync 载入")
    if not tree.units(parent):
        raise XxgkError(f"{parent} 没有下级单位 (no units below it)")
    out.mkdir(parents=True, exist_ok=True)
    written = write_unit_templates(store, parent, year, out)
    carried = sum(t.carried for t in written)
    for t in written:
        print(f"  {t.path}" + ("（上年结转已预填）" if t.carried else ""))
    print(f"已为 {len(written)} 个单位生成 {year} 年填报模板，其中 {carried} 个按上一年度结转下年度预填了上年结转"
          f" (templates written; carry-over prefilled)")
    return 0
