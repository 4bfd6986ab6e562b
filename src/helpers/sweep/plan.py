"""Which reports a sweep covers, their input keys, and which of them need rendering and why; and
the same for the roll-ups of the agencies with units whose subtree the sweep covers."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidYear, XxgkError
from ..format.ids import check_agency_id, check_year
from ..render.folder import FOLDERS
from ..store.database import unknown_agency
from ..store.tree import AgencyTree
from .manifest import FAILED, REPORT, Manifest

# Why a report is rendered (shown by --dry-run and kept in the manifest).
NEW = "新报告 (new)"
DATA_CHANGED = "数据已变化 (data changed)"
STATIC_CHANGED = "公共输入已变化 (static inputs changed: notebook, template, code, libraries, fonts)"
OPTIONS_CHANGED = "生成选项已变化 (options changed: draft/publish, PDF, Word, date)"
PREVIOUS_FAILURE = "上次失败 (previous failure)"
OUTPUTS_MISSING = "输出文件缺失 (outputs missing)"
FORCED = "强制重新生成 (--force)"
UNCHANGED = "未变化，跳过 (unchanged, skipped)"


@dataclass
class PlanItem:
    agency: str          # the report's agency; the roll-up's parent
    year: int
    key: str
    render: bool
    reason: str
    kind: str = REPORT   # or ROLLUP

    @property
    def id(self) -> str:
        return f"{self.year}/{self.agency}" + ("" if self.kind == REPORT else f" {self.kind}")


def parse_years(text: str | None) -> set[int] | None:
    """'2021-2024', '2023', '2021,2023' (or a list of those) -> a set of years; None for all.
    Each year must be a report year (ids.check_year: the schema's range), checked before any
    range is made, so `1-999999999` is a message, not gigabytes."""
    if text is None or text == "" or text == []:
        return None
    parts = text if isinstance(text, (list, tuple)) else str(text).split(",")
    years: set[int] = set()
    for part in parts:
        part = str(part).strip()
        ends = part.split("-", 1) if "-" in part[1:] else [part]
        try:
            a, b = (check_year(x.strip()) for x in (ends[0], ends[-1]))
        except InvalidYear as exc:
            raise XxgkError(f"年度范围 {part!r} 无效，应写成 2021-2024 或 2023 (years must look like 2021-2024)："
                            f"{exc}") from None
        if a > b:
            raise XxgkError(f"年度范围 {part!r} 无效：起始年度大于结束年度 (the range runs backwards)")
        years.update(range(a, b + 1))
    return years


def select(store, *, agencies: list[str] | None = None, parent: str | None = None,
           years: set[int] | None = None, agency_records=None) -> list[tuple[str, int]]:
    """(agency, year) of the current reports in the store that match; ids are validated and
    must exist."""
    known = agency_records if agency_records is not None else store.agencies()
    known_ids = {a.id for a in known}
    wanted: set[str] | None = None
    if agencies:
        wanted = {check_agency_id(a, "--agencies") for a in agencies}
    if parent:
        check_agency_id(parent, "--parent")
        if parent not in known_ids:
            raise XxgkError(unknown_agency(parent, known, "--parent"))
        below = {parent, *AgencyTree(known).below(parent)}
        wanted = below if wanted is None else wanted & below
    unknown = sorted((wanted or set()) - known_ids)
    if agencies and unknown:
        raise XxgkError("\n".join(unknown_agency(a, known, "--agencies") for a in unknown))
    return [(a, y) for a, y in store.report_keys()
            if (wanted is None or a in wanted) and (years is None or y in years)]


def compute_keys(store, pairs: list[tuple[str, int]], *, mode: str, date=None,
                 agency_records=None) -> tuple[dict, str]:
    """Input key of every report, in bulk: fingerprints and the days the data last changed in one
    query each, agencies and the static fingerprint once. `date` is the publication date given
    (None: each report's own, the day its data last changed). Returns ({(agency, year): key},
    static fingerprint)."""
    from ..render import provenance
    from ..report.closing import publication_date

    by_agency: dict[str, dict] = {}
    for (agency, year), fp in store.fingerprints().items():
        by_agency.setdefault(agency, {})[(agency, year)] = fp
    changed = store.changed_on()
    records = {a.id: a.as_dict() for a in (agency_records if agency_records is not None else store.agencies())}
    static = provenance.static_fingerprint()
    keys = {}
    for agency, year in pairs:
        # Only the agency's own fingerprints: the key reads its earlier years, and looking
        # for them among every report's would make planning quadratic.
        keys[(agency, year)] = provenance.input_key(
            agency, year, fingerprints=by_agency.get(agency, {}), agency_record=records.get(agency, {}),
            narrative_file_hash=provenance.narrative_file_hash(agency, year), static=static, mode=mode,
            date=publication_date(year, date, changed.get((agency, year))).isoformat())
    return keys, static


def select_rollups(tree: AgencyTree, pairs, *, agencies=None, parent=None) -> list[tuple[str, int]]:
    """(parent, year) of the roll-ups a sweep over `pairs` covers: agencies with units within the
    sweep's selection (--parent and below, --agencies, else all) with a unit below that has a
    report of the year among `pairs`."""
    by_year: dict[int, set[str]] = {}
    for a, y in pairs:
        by_year.setdefault(y, set()).add(a)
    parents = tree.with_units()
    if parent:
        parents = [p for p in parents if p == parent or p in set(tree.below(parent))]
    elif agencies:
        parents = [p for p in parents if p in set(agencies)]
    out = []
    for p in parents:
        below = set(tree.below(p))
        out += [(p, year) for year in sorted(by_year) if below & by_year[year]]
    return out


def compute_rollup_keys(store, rollups, *, mode: str, tree: AgencyTree) -> tuple[dict, str]:
    """Input key of every roll-up (each covers every unit's data below it): ({(parent, year): key},
    the roll-up notebook's static fingerprint)."""
    from ..render import provenance

    static = provenance.static_fingerprint(provenance.ROLLUP_NOTEBOOK)
    if not rollups:     # (rollup.context imports pandas: not for a sweep without roll-ups)
        return {}, static
    from ..rollup.context import input_key

    fingerprints = store.fingerprints()
    keys = {(p, y): input_key(store, p, y, mode, tree, fingerprints) for p, y in rollups}
    return keys, static


def decide(pairs, keys: dict, static: str, manifest: Manifest, out_dir: Path, *, mode: str, pdf: bool,
           docx: bool = False, date=None, force: bool = False, retry_failed: bool = False,
           kind: str = REPORT) -> list[PlanItem]:
    """Which of `pairs` (reports, or roll-ups with kind ROLLUP) to render and why. `docx`: the Word
    document is asked for (reports only); `date` the publication date given (an option, as the
    manifest records it), not each report's resolved one (that is in the input key)."""
    given_date = date.isoformat() if date else None
    items = []
    for agency, year in pairs:
        key = keys[(agency, year)]
        prev = manifest.get(agency, year, kind)
        if retry_failed:
            if prev and prev.get("result") == FAILED:
                items.append(PlanItem(agency, year, key, True, PREVIOUS_FAILURE, kind))
            continue
        reason = None
        if force:
            reason = FORCED
        elif not prev:
            reason = NEW
        elif prev.get("result") == FAILED:
            reason = PREVIOUS_FAILURE
        elif (prev.get("mode") != mode or (pdf and not prev.get("pdf")) or (docx and not prev.get("docx"))
              or prev.get("date") != given_date):
            reason = OPTIONS_CHANGED
        elif prev.get("input_key") != key:
            reason = STATIC_CHANGED if prev.get("static") != static else DATA_CHANGED
        elif not FOLDERS[kind](out_dir, agency, year).is_complete(pdf, docx):
            reason = OUTPUTS_MISSING
        items.append(PlanItem(agency, year, key, reason is not None, reason or UNCHANGED, kind))
    return items
