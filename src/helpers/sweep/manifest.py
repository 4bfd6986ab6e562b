"""DIR/manifest.json: what each report of the folder was made from and how its last render went.

Written atomically after every finished report, so an interrupted sweep keeps what it finished and
the file is never half-written. A large manifest (one that takes over CHEAP_SAVE seconds to write,
some thousands of reports) is written at most once per SAVE_SHARE save durations, and at the end:
rewriting 10 000 entries after each of 10 000 reports would cost more than the reports. What a
killed sweep had not written yet is rendered again next time. One entry per agency-year under
`reports`, and one per roll-up of an agency's units under `rollups` (kind "rollup", the same
fields; `counts` of its units' statuses):

    status      this sweep's action: rendered | warnings | failed | skipped
    result      outcome of the last render: rendered | warnings | failed
    input_key   provenance.input_key of the inputs the outputs were made from
    static      static fingerprint (notebook, template, code, libraries, fonts) at that render
    reason      why it was (or would have been) rendered: new, data changed, ...
    stale       a failed render left the previous set published (it is older than the data)
    errors, warnings, duration, files, error, failing_cell, partial_notebook, log, finished_at

A manifest that cannot be read as this structure (damaged, a link, another version, wrong JSON
types) is taken as none: every report is rendered again.
"""
from __future__ import annotations

import datetime as _dt
import json
import time
from pathlib import Path

from .. import atomic, limits
from ..render.folder import ReportFolder, RollupFolder, is_regular_file

MANIFEST_NAME = "manifest.json"
VERSION = 1
RENDERED, WARNINGS, FAILED, SKIPPED = "rendered", "warnings", "failed", "skipped"
REPORT, ROLLUP = ReportFolder.KIND, RollupFolder.KIND     # the kinds of output
CHEAP_SAVE = 0.05   # seconds: a manifest that saves faster is written after every report
SAVE_SHARE = 20     # else at most one save per 20 save durations: saving is under 5 % of the time


def entry_id(agency: str, year: int) -> str:
    return f"{int(year)}/{agency}"


def _well_formed(data) -> bool:
    """A manifest of this version: reports (and roll-ups) keyed by entry id, each with its agency
    and year."""
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("sweep", {}), dict):
        return False
    sections = [data.get("reports", {}), data.get("rollups", {})]
    return all(isinstance(entries, dict) and all(
        isinstance(e, dict) and isinstance(e.get("agency"), str) and isinstance(e.get("year"), int)
        and not isinstance(e.get("year"), bool) and k == entry_id(e["agency"], e["year"])
        for k, e in entries.items()) for entries in sections)


def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


class Manifest:
    def __init__(self, out_dir: Path, data: dict | None = None):
        self.out_dir = Path(out_dir)
        self.path = self.out_dir / MANIFEST_NAME
        data = data or {}
        self.reports: dict[str, dict] = dict(data.get("reports", {}))
        self.rollups: dict[str, dict] = dict(data.get("rollups", {}))   # year/parent -> roll-up outcome
        self.sweep: dict = dict(data.get("sweep", {}))
        self._saved_at, self._save_took = 0.0, 0.0

    @classmethod
    def load(cls, out_dir: Path) -> "Manifest":
        path = Path(out_dir) / MANIFEST_NAME
        # Written atomically, so anything unreadable is damage from outside (or a link planted in
        # the folder, not followed): render everything again.
        if not is_regular_file(path) or path.stat().st_size > limits.MANIFEST_BYTES:
            return cls(out_dir)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(out_dir)
        if not _well_formed(data):
            return cls(out_dir)
        return cls(out_dir, data)

    def _of(self, kind: str) -> dict[str, dict]:
        return self.rollups if kind == ROLLUP else self.reports

    def get(self, agency: str, year: int, kind: str = REPORT) -> dict | None:
        return self._of(kind).get(entry_id(agency, year))

    def put(self, entry: dict) -> None:
        self._of(entry.get("kind", REPORT))[entry_id(entry["agency"], entry["year"])] = entry

    def entries(self, kind: str = REPORT) -> list[dict]:
        return sorted(self._of(kind).values(), key=lambda e: (e["agency"], e["year"]))

    def save(self) -> Path:
        t0 = time.monotonic()
        data = {"version": VERSION, "sweep": self.sweep,
                "reports": {k: self.reports[k] for k in sorted(self.reports)},
                "rollups": {k: self.rollups[k] for k in sorted(self.rollups)}}
        path = atomic.write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n",
                                 inside=self.out_dir)
        self._saved_at = time.monotonic()
        self._save_took = self._saved_at - t0
        return path

    def save_soon(self) -> None:
        """After a finished report: save, unless saving has become slow and the last save was
        recent (then a later save_soon or save writes this report too)."""
        if self._save_took < CHEAP_SAVE or time.monotonic() - self._saved_at >= SAVE_SHARE * self._save_took:
            self.save()
