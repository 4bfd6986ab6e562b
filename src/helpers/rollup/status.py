"""Each unit's submission status for a year: reported or not, hard errors, warnings, narrative.

Reported means a report of the year is stored; 未报送 a declared unit without one. A unit's findings
are those of `checks.run_checks` against its year before (so carry-over breaks show here); its
narrative is complete when the sections a published report needs are written (report.narrative).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..checks import run_checks
from ..checks.findings import count, has_errors
from ..format import schema
from ..report.mode import Mode
from ..report.narrative import missing_sections, narrative_for

MISSING, ERRORS, WARNINGS, CLEAN, COMPUTED = "missing", "errors", "warnings", "clean", "computed"
STATUS_LABELS = {
    MISSING: "未报送", ERRORS: "有错误", WARNINGS: "仅有提示", CLEAN: "无问题",
    COMPUTED: "未报送汇总（按其下级单位计算）",
}
STATUS_ORDER = (MISSING, ERRORS, WARNINGS, COMPUTED, CLEAN)


@dataclass
class UnitStatus:
    agency: str
    name: str
    level: str
    parent_id: str | None
    depth: int                      # 1: a direct unit of the parent
    status: str
    fingerprint: str = ""
    findings: list = field(default_factory=list)
    missing_sections: list = field(default_factory=list)

    @property
    def reported(self) -> bool:
        return self.status not in (MISSING, COMPUTED)

    @property
    def errors(self) -> int:
        return count(self.findings)[0]

    @property
    def warnings(self) -> int:
        return count(self.findings)[1]

    @property
    def narrative_complete(self) -> bool | None:
        return None if not self.reported else not self.missing_sections

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    def as_dict(self) -> dict:
        """rollup.json: each unit's status and finding counts."""
        return {"agency": self.agency, "name": self.name, "level": self.level, "parent_id": self.parent_id,
                "depth": self.depth, "status": self.status, "status_label": self.label,
                "reported": self.reported, "errors": self.errors, "warnings": self.warnings,
                "narrative_complete": self.narrative_complete,
                "missing_sections": [schema.narrative_heading(k) for k in self.missing_sections],
                "rules": sorted({f.rule for f in self.findings}), "fingerprint": self.fingerprint}


def unit_status(agency, depth: int, report, previous, computed: bool = False, fingerprint: str = "") -> UnitStatus:
    """`fingerprint`: the report's, as the store holds it (else worked out from the report)."""
    base = dict(agency=agency.id, name=agency.name, level=agency.level, parent_id=agency.parent_id, depth=depth)
    if report is None:
        return UnitStatus(status=COMPUTED if computed else MISSING, **base)
    findings = run_checks(report, previous)
    status = ERRORS if has_errors(findings) else WARNINGS if findings else CLEAN
    narrative = narrative_for(report, agency=agency)
    return UnitStatus(status=status, fingerprint=fingerprint or report.fingerprint(), findings=findings,
                      missing_sections=missing_sections(narrative, Mode.PUBLISH), **base)


def statuses(parent: str | None, year: int, tree, reports: dict, computed=(),
             fingerprints: dict | None = None) -> list[UnitStatus]:
    """Every unit below `parent` (any depth, in tree order) for `year`; `fingerprints` as
    Store.fingerprints gives them."""
    base_depth = tree.depth(parent) + 1 if parent else 0
    fingerprints = fingerprints or {}
    return [unit_status(tree.by_id[a], tree.depth(a) - base_depth + 1, reports.get((a, year)),
                        reports.get((a, year - 1)), a in computed, fingerprints.get((a, year), ""))
            for a in tree.below(parent)]


def counts(items: list[UnitStatus]) -> dict[str, int]:
    out = {s: 0 for s in STATUS_ORDER}
    for u in items:
        out[u.status] += 1
    out["total"] = len(items)
    out["reported"] = sum(u.reported for u in items)
    out["narrative_incomplete"] = sum(u.narrative_complete is False for u in items)
    return out


def blocking(items: list[UnitStatus]) -> list[UnitStatus]:
    """Units whose hard errors refuse `--store` (the list the refusal names)."""
    return [u for u in items if u.errors]
