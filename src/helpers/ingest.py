"""Files into the store, one transaction per file: read (helpers.importers), store, check, and say
what happened. `xxgk import` prints it; other callers get the same FileResult.

    expand(paths) -> [Path]                      files named, inside folders, and glob matches
    import_file(store, path, ...) -> FileResult   never raises for a file that cannot be imported:
                                                  bad input, an error of the machine (environment)
                                                  or a bug in a reader; the error is in the result
    summarise_findings(findings) -> [line]        as `xxgk check` lists them, indented
"""
from __future__ import annotations

import glob
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .environment import explain
from .errors import XxgkError


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
                declared=(), echo=print, source: str | None = None) -> FileResult:
    """Read, check and store one file in one transaction. Returns what happened (never raises for bad input).
    `source` is the name recorded and shown for the file (default: its path; a cluster worker
    reads a copy of the user's file)."""
    from . import importers
    from .checks import count, run_checks
    from .format.schema import Agency

    label = source or str(path)
    res = FileResult(label)
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
                echo(f"{label}: 新机构 {rep.agency}（{name}）已建立最小记录，请在 params/agencies.yaml 中补全"
                     f" (unknown agency: created a minimal record)")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        saved = store.save_reports(reports, source=label, sha256=digest, replace=replace,
                                   agencies=list(declared) + extra)
        for rep, s in zip(reports, saved):
            prev = store.load_report(rep.agency, rep.year - 1)
            findings = run_checks(s.report, previous=prev)
            errs, warns = count(findings)
            res.reports.append((rep.agency, rep.year, s.cells, errs, warns))
            verb = "替换为" if s.replaced else "导入"
            echo(f"{label}: {verb} {rep.agency} {rep.year} 第 {s.revision} 版，{s.cells} 个单元格，"
                 f"{s.sections} 段正文{_kept(s)}；核对：{errs} 个错误，{warns} 个提示")
            for line in summarise_findings(findings):
                echo(line)
            for part in rep.unread:
                echo(f"  未读出 (not read): {part}")
        res.ok = True
    except Exception as exc:
        # Whatever stops one file stops only that file: the store rolled its transaction back,
        # and the batch goes on to the next file and its summary.
        problem = explain(exc, store.url)
        res.error = str(problem) if problem is not None else (
            f"{label}：读取时出现程序错误 {type(exc).__name__}: {exc}（请把这个文件和信息报告给维护者）"
            f" (internal error while importing this file)")
    return res


def _kept(saved) -> str:
    """What the import message says about narrative it kept (store.SaveResult.kept_sections)."""
    if not saved.kept_sections:
        return ""
    return (f"（其中 {saved.kept_sections} 段沿用第 {saved.revision - 1} 版：此文件不含这些部分的正文）"
            f" (narrative kept from the replaced revision)")


def summarise_findings(findings) -> list[str]:
    """The findings as `xxgk check` lists them (many of one rule in one table on one line),
    indented under the line that names the report."""
    from .checks.listing import finding_lines

    return [f"  {line}" for line in finding_lines(findings, with_report=False)]
