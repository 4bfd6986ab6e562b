"""The output folder as a small static site: index.html (sortable, filterable, offline) and
summary.csv, both made from the manifest and written atomically."""
from __future__ import annotations

import io
from pathlib import Path

import jinja2

from .. import atomic, csvfile
from ..config import TEMPLATES_DIR
from ..format.schema import REPORT_TITLE
from ..render.folder import ReportFolder, is_regular_file
from ..report.html_fragment import without_controls
from .manifest import FAILED, RENDERED, WARNINGS, Manifest, now

STATUS_LABELS = {RENDERED: "已生成 (rendered)", WARNINGS: "有提示 (warnings)", FAILED: "失败 (failed)"}
# a failed render that left the earlier set published: the files shown are older than the data
STALE_LABEL = "链接的是上次生成的旧版本 (stale: the files are from the previous render)"
LINKS = (("HTML", "html"), ("PDF", "pdf"), ("Notebook", "ipynb"))   # label, output kind
CSV_COLUMNS = ("agency", "name", "level", "year", "status", "result", "errors", "warnings", "duration",
               "input_key", "reason", "error", "failing_cell", "html", "pdf", "notebook")


def rows(manifest: Manifest, agencies: dict) -> list[dict]:
    out = []
    for e in manifest.entries():
        agency = agencies.get(e["agency"])
        folder = ReportFolder(manifest.out_dir, e["agency"], e["year"])
        safe = folder.is_safe()        # no links to files reached through a planted link
        links = [(label, folder.relative(folder.output(kind))) for label, kind in LINKS
                 if safe and is_regular_file(folder.output(kind))]
        for label, key in (("部分结果 (partial notebook)", "partial_notebook"), ("日志 (log)", "log")):
            if safe and e.get(key) and is_regular_file(manifest.out_dir / e[key]):
                links.append((label, e[key]))
        result = e.get("result", "")
        out.append({
            "agency": e["agency"], "year": e["year"],
            "name": agency.name if agency else "", "level": agency.level if agency else "",
            "status": e.get("status", ""), "result": result,
            "status_label": STATUS_LABELS.get(result, result)
            + (f"；{STALE_LABEL}" if result == FAILED and e.get("stale") else ""),
            "errors": e.get("errors", ""), "warnings": e.get("warnings", ""),
            "duration": e.get("duration", ""), "input_key": e.get("input_key", ""),
            "reason": e.get("reason", ""),
            "error": e.get("error", "") if result == FAILED else "",
            "failing_cell": e.get("failing_cell", ""),
            "links": links, "hrefs": dict(links),
        })
    return out


def render_index(table: list[dict], title: str) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    counts = {"total": len(table), "ok": sum(r["result"] in (RENDERED, WARNINGS) for r in table),
              "warnings": sum(r["result"] == WARNINGS for r in table),
              "failed": sum(r["result"] == FAILED for r in table)}
    return without_controls(env.get_template("sweep_index.html.j2").render(
        title=title, rows=table, counts=counts, updated=now(), statuses=list(STATUS_LABELS.items())))


def render_csv(table: list[dict]) -> str:
    buf = io.StringIO()
    w = csvfile.writer(buf)
    w.writerow(CSV_COLUMNS)
    for r in table:
        h = r["hrefs"]
        w.writerow([r["agency"], r["name"], r["level"], r["year"], r["status"], r["result"], r["errors"],
                    r["warnings"], r["duration"], r["input_key"], r["reason"], r["error"], r["failing_cell"],
                    h.get("HTML", ""), h.get("PDF", ""), h.get("Notebook", "")])
    return buf.getvalue()


def write_site(manifest: Manifest, agencies: dict, title: str | None = None) -> tuple[Path, Path]:
    table = rows(manifest, agencies)
    title = title or f"{REPORT_TITLE} · 批量生成结果 (sweep results)"
    out = manifest.out_dir
    index = atomic.write_text(out / "index.html", render_index(table, title), inside=out)
    # With a BOM: Excel, which most readers will open it with, then reads UTF-8 Chinese correctly.
    summary = atomic.write_bytes(out / "summary.csv", render_csv(table).encode("utf-8-sig"), inside=out)
    return index, summary
