"""The output folder as a small static site: index.html (sortable, filterable, offline) and
summary.csv, both made from the manifest and written atomically. Reports are listed depth-first
under their parent (siblings in natural order: 第9 before 第100); the roll-ups of agencies with units
have a table of their own and a line each in summary.csv (kind rollup).

What the site shows is for the public: no path of the server (paths in messages become relative
to the folder, or just a file name), notebook cells named by their step (the analyst's heading
above them), times in the office's zone (SweepOptions.timezone)."""
from __future__ import annotations

import datetime as _dt
import io
import json
import re
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
import markupsafe

from .. import atomic, csvfile
from ..config import DEFAULT_TIMEZONE, TEMPLATES_DIR
from ..format.schema import REPORT_TITLE
from ..render.folder import FOLDERS, RollupFolder, is_regular_file
from ..report.html_fragment import content_policy, without_controls
from .manifest import FAILED, RENDERED, REPORT, ROLLUP, WARNINGS, Manifest, now

STATUS_LABELS = {RENDERED: "已生成 (rendered)", WARNINGS: "有提示 (warnings)", FAILED: "失败 (failed)"}
# a failed render that left the earlier set published: the files shown are older than the data
STALE_LABEL = "链接的是上次生成的旧版本 (stale: the files are from the previous render)"
LINKS = (("HTML", "html"), ("PDF", "pdf"), ("Word", "docx"), ("Notebook", "ipynb"))   # label, output kind
ROLLUP_LINKS = (("HTML", "html"), ("PDF", "pdf"), ("Notebook", "ipynb"), ("JSON", "provenance"))
# kind: report, or rollup (the roll-up of the agency's units; errors and warnings summed over them)
CSV_COLUMNS = ("agency", "name", "level", "year", "status", "result", "errors", "warnings", "duration",
               "input_key", "reason", "error", "failing_cell", "html", "pdf", "docx", "notebook", "kind")


# An absolute path in a message: from a slash at the start or after a space, quote or bracket, up to
# the next character no file name of ours contains.
_ABSOLUTE_PATH = re.compile(r"(?:^|(?<=[\s'\"(（：=]))/[^\s'\"<>()（）：，；。,;]+")


def public_text(text: str, out_dir: Path) -> str:
    """`text` without the server's paths: a path inside the output folder becomes relative to it
    (as the links are), any other one its file name."""
    roots = {str(Path(out_dir)), str(Path(out_dir).resolve())}

    def short(m: re.Match) -> str:
        path = m.group()
        for root in roots:
            if path == root:
                return "."
            if path.startswith(root.rstrip("/") + "/"):
                return path[len(root.rstrip("/")) + 1:]
        return Path(path).name or path
    return _ABSOLUTE_PATH.sub(short, text or "")


@cache
def notebook_steps(notebook: str) -> dict[str, str]:
    """Cell id -> the step it belongs to, as the analyst reads it in the notebook: the heading of
    the markdown note above it ('第三步：发布把关')."""
    from ..render.provenance import notebook_path

    try:
        cells = json.loads(notebook_path(notebook).read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return {}
    steps, heading = {}, ""
    for cell in cells:
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") == "markdown":
            heading = next((l.lstrip("#").strip() for l in source.splitlines() if l.startswith("#")), heading)
        elif cell.get("id"):
            steps[cell["id"]] = heading
    return steps


def failed_step(entry: dict, kind: str = REPORT) -> str:
    """Where a failed report (or roll-up) stopped, in its notebook's words; '' for a refusal (its
    message says why) or when unknown."""
    from ..render.provenance import NOTEBOOK_NAME, ROLLUP_NOTEBOOK

    cell = entry.get("failing_cell") or ""
    if not cell or entry.get("refused"):
        return ""
    return notebook_steps(ROLLUP_NOTEBOOK if kind == ROLLUP else NOTEBOOK_NAME).get(cell, "")


def local_time(iso: str, zone: str) -> str:
    """A UTC ISO time of the manifest as the office reads it: '2026-12-06 18:55（Asia/Shanghai，UTC+08:00）'."""
    try:
        when = _dt.datetime.fromisoformat(iso).astimezone(ZoneInfo(zone))
    except (TypeError, ValueError):
        return iso or ""
    offset = when.strftime("%z")
    return f"{when:%Y-%m-%d %H:%M}（{zone}，UTC{offset[:3]}:{offset[3:]}）"


def _tree_order(agencies: dict) -> dict[str, tuple[int, int]]:
    """agency id -> (position depth-first under its parent, depth): reports grouped under their parent."""
    from ..store.tree import AgencyTree

    tree = AgencyTree(agencies.values())
    return {a: (i, tree.depth(a)) for i, a in enumerate(tree.below(None))}


def _links(manifest: Manifest, e: dict, kind: str) -> list[tuple[str, str]]:
    """(label, href) of an entry's output files that are there, then its failure's traces; none
    reached through a link planted in the folder."""
    folder = FOLDERS[kind](manifest.out_dir, e["agency"], e["year"])
    if not folder.is_safe():
        return []
    links = [(label, folder.relative(folder.output(k))) for label, k in (ROLLUP_LINKS if kind == ROLLUP else LINKS)
             if is_regular_file(folder.output(k))]
    for label, key in (("部分结果 (partial notebook)", "partial_notebook"), ("日志 (log)", "log")):
        if e.get(key) and is_regular_file(manifest.out_dir / e[key]):
            links.append((label, e[key]))
    return links


def _row(manifest: Manifest, e: dict, agency, kind: str, depth: int) -> dict:
    links = _links(manifest, e, kind)
    result = e.get("result", "")
    return {
        "kind": kind, "depth": depth,
        "parent_id": agency.parent_id if agency else "",
        "agency": e["agency"], "year": e["year"],
        "name": agency.name if agency else "", "level": agency.level if agency else "",
        "status": e.get("status", ""), "result": result,
        "status_label": STATUS_LABELS.get(result, result)
        + (f"；{STALE_LABEL}" if result == FAILED and e.get("stale") else ""),
        "errors": e.get("errors", ""), "warnings": e.get("warnings", ""),
        "duration": e.get("duration", ""), "input_key": e.get("input_key", ""),
        "reason": e.get("reason", ""),
        "error": public_text(e.get("error", ""), manifest.out_dir) if result == FAILED else "",
        "failing_cell": e.get("failing_cell", ""),
        "step": failed_step(e, kind) if result == FAILED else "",
        "counts": e.get("counts", {}),
        "links": links, "hrefs": dict(links),
    }


def rows(manifest: Manifest, agencies: dict, kind: str = REPORT) -> list[dict]:
    """The reports (or roll-ups), depth-first under their parent; a report whose agency has a
    roll-up that year links to it."""
    order = _tree_order(agencies)
    out = []
    for e in sorted(manifest.entries(kind), key=lambda e: (order.get(e["agency"], (len(order), 0))[0], e["year"])):
        row = _row(manifest, e, agencies.get(e["agency"]), kind, order.get(e["agency"], (0, 0))[1])
        roll = RollupFolder(manifest.out_dir, e["agency"], e["year"])
        if kind == REPORT and manifest.get(e["agency"], e["year"], ROLLUP) and is_regular_file(roll.output("html")):
            row["links"].append(("汇总 (roll-up)", roll.relative(roll.output("html"))))
        out.append(row)
    return out


@cache
def _index_script() -> str:
    """The index's script, as the page writes it between newlines (its CSP names it by hash)."""
    return (TEMPLATES_DIR / "sweep_index.js").read_text(encoding="utf-8").rstrip("\n")


def render_index(table: list[dict], title: str, rollups: list[dict] = (), timezone: str = DEFAULT_TIMEZONE) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    # one list for the counts on top and the status filter: the same words mean the same rows
    statuses = [(value, label, sum(r["result"] == value for r in table)) for value, label in STATUS_LABELS.items()]
    script = _index_script()
    return without_controls(env.get_template("sweep_index.html.j2").render(
        title=title, rows=table, total=len(table), updated=local_time(now(), timezone), statuses=statuses,
        rollups=list(rollups), script=markupsafe.Markup(script), policy=content_policy(script)))


def render_csv(table: list[dict]) -> str:
    """summary.csv: a line per report, then a line per roll-up (kind rollup)."""
    buf = io.StringIO()
    w = csvfile.writer(buf)
    w.writerow(CSV_COLUMNS)
    for r in table:
        h = r["hrefs"]
        w.writerow([r["agency"], r["name"], r["level"], r["year"], r["status"], r["result"], r["errors"],
                    r["warnings"], r["duration"], r["input_key"], r["reason"], r["error"], r["failing_cell"],
                    *(h.get(label, "") for label, _ in LINKS), r.get("kind", REPORT)])
    return buf.getvalue()


def write_site(manifest: Manifest, agencies: dict, title: str | None = None,
               timezone: str = DEFAULT_TIMEZONE) -> tuple[Path, Path]:
    table, rollups = rows(manifest, agencies), rows(manifest, agencies, ROLLUP)
    title = title or f"{REPORT_TITLE} · 批量生成结果 (sweep results)"
    out = manifest.out_dir
    index = atomic.write_text(out / "index.html", render_index(table, title, rollups, timezone), inside=out)
    # With a BOM: Excel, which most readers will open it with, then reads UTF-8 Chinese correctly.
    summary = atomic.write_bytes(out / "summary.csv", render_csv(table + rollups).encode("utf-8-sig"), inside=out)
    return index, summary
