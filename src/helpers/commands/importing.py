"""`xxgk import PATH...`: read files of any supported kind and store them, one transaction per file."""
from __future__ import annotations

import glob
import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import XxgkError

HELP = """导入数据：交换格式 CSV、填报模板 (.xlsx)、已发布的年报 (PDF、HTML、Word、TXT/MD)。
一个文件一个事务：出错时该文件什么也不写。目录会逐个导入其中的文件。
(import exchange CSV, the spreadsheet template, or published reports; one transaction per file)"""


def register(sub) -> None:
    p = sub.add_parser("import", help="导入数据 (import data files)", description=HELP)
    p.add_argument("paths", nargs="+", metavar="PATH", help="文件、目录或通配符 (files, folders or globs)")
    p.add_argument("--agency", help="机构标识，文件中读不出时使用 (agency id)")
    p.add_argument("--year", type=int, help="年度 (report year)")
    p.add_argument("--replace", action="store_true",
                   help="替换已有数据，旧版本保留为历史 (replace existing data; the old revision is kept)")
    p.add_argument("--partial", action="store_true",
                   help="读不全时也保存已读部分，并列出未读部分 (store what could be read)")
    p.add_argument("--quiet", "-q", action="store_true", help="只打印错误和汇总")
    p.set_defaults(func=run)


@dataclass
class FileResult:
    path: str
    ok: bool = False
    reports: list = field(default_factory=list)   # (agency, year, cells, errors, warnings)
    error: str = ""


def expand(paths: list[str]) -> list[Path]:
    """Files named, files inside folders (sorted, recursively), and glob matches."""
    out: list[Path] = []
    for p in paths:
        matches = sorted(glob.glob(p, recursive=True)) if glob.has_magic(p) else [p]
        if not matches:
            raise XxgkError(f"{p}: 没有匹配的文件 (no file matches)")
        for m in matches:
            path = Path(m)
            if path.is_dir():
                out.extend(sorted(f for f in path.rglob("*") if f.is_file() and not f.name.startswith(".")))
            else:
                out.append(path)
    return out


def import_file(store, path: Path, *, agency=None, year=None, replace=False, partial=False,
                declared=(), echo=print) -> FileResult:
    """Read, check and store one file in one transaction. Returns what happened (never raises for bad input)."""
    from .. import importers
    from ..checks import run_checks
    from ..store import Agency

    res = FileResult(str(path))
    try:
        reports = importers.read(path, agency=agency, year=year, partial=partial)
        known = {a.id for a in store.agencies()} | {a.id for a in declared}
        extra = []
        for rep in reports:
            record = getattr(rep, "agency_record", None)
            if record:
                # a template's details sheet fills in what it states; empty fields keep the stored value
                base = store.agency(rep.agency) or next((a for a in declared if a.id == rep.agency), None)
                merged = base.as_dict() if base else {}
                merged.update({k: v for k, v in record.items() if v not in (None, "")})
                extra.append(Agency(**merged))
            elif rep.agency not in known:
                name = getattr(rep, "agency_name", "") or rep.agency
                extra.append(Agency(rep.agency, name))
                echo(f"{path}: 新机构 {rep.agency}（{name}）已建立最小记录，请在 params/agencies.yaml 中补全"
                     f" (unknown agency: created a minimal record)")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        saved = store.save_reports(reports, source=str(path), sha256=digest, replace=replace,
                                   agencies=list(declared) + extra)
        for rep, s in zip(reports, saved):
            prev = store.load_report(rep.agency, rep.year - 1)
            findings = run_checks(rep, previous=prev)
            errs = sum(f.severity == "error" for f in findings)
            res.reports.append((rep.agency, rep.year, s.cells, errs, len(findings) - errs))
            verb = "替换为" if s.replaced else "导入"
            echo(f"{path}: {verb} {rep.agency} {rep.year} 第 {s.revision} 版，{s.cells} 个单元格，"
                 f"{s.sections} 段正文；核对：{errs} 个错误，{len(findings) - errs} 个提示")
            for line in summarise_findings(findings):
                echo(line)
            for part in rep.unread:
                echo(f"  未读出 (not read): {part}")
        res.ok = True
    except XxgkError as exc:
        res.error = str(exc)
    return res


def summarise_findings(findings, per_rule: int = 5) -> list[str]:
    """The first few findings of each rule, then a count: `xxgk check` lists them all."""
    from ..format.schema import SEVERITY_LABELS

    lines, shown = [], {}
    for f in findings:
        shown[f.rule] = shown.get(f.rule, 0) + 1
        if shown[f.rule] <= per_rule:
            lines.append(f"  [{SEVERITY_LABELS[f.severity]}] {f.rule}: {f.message}")
    for rule, n in shown.items():
        if n > per_rule:
            lines.append(f"  [{rule}] 另有 {n - per_rule} 条，用 xxgk check 查看全部 ({n - per_rule} more)")
    return lines


def run(args) -> int:
    from tqdm import tqdm

    from ..store import Store
    from ..store.declarations import load_agencies

    store = Store(args.db)
    declared = load_agencies()
    files = expand(args.paths)
    many = len(files) > 1
    results = []
    bar = tqdm(files, unit="file", desc="导入", disable=not many or not sys.stderr.isatty(), file=sys.stderr)
    echo = (lambda msg: None) if args.quiet else (lambda msg: tqdm.write(msg) if many else print(msg))
    for path in bar:
        res = import_file(store, path, agency=args.agency, year=args.year, replace=args.replace,
                          partial=args.partial, declared=declared, echo=echo)
        if not res.ok:
            tqdm.write(f"失败 (failed) {res.error}", file=sys.stderr)
        results.append(res)
    if many:
        print_summary(results)
    failed = sum(not r.ok for r in results)
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
