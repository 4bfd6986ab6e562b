"""What a sweep renders and how: one RenderOptions plus what selects and plans the reports, made
from a sweep definition (params/sweeps/NAME.yaml) with the values given on the command line on top.

    SweepOptions(out_dir, render=RenderOptions(), db=None, agencies=None, parent=None, years=None, ...)
    sweep_options(name=None, **given) -> SweepOptions    `xxgk sweep NAME` and `xxgk demo` both use it
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..config import DEFAULT_TIMEZONE, project_root
from ..errors import XxgkError
from ..render.options import DEFAULT_ENGINE, DEFAULT_TIMEOUT, RenderOptions
from ..report.mode import Mode

SCHEDULER_ENV = "XXGK_SCHEDULER"


@dataclass
class SweepOptions:
    out_dir: Path
    render: RenderOptions = field(default_factory=RenderOptions)
    db: str | None = None
    agencies: list[str] | None = None
    parent: str | None = None
    years: set[int] | None = None
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    force: bool = False
    dry_run: bool = False
    retry_failed: bool = False
    progress: bool | None = None     # None: a bar when stderr is a terminal
    title: str | None = None
    timezone: str = DEFAULT_TIMEZONE  # index.html shows times in it
    scheduler: str | None = None     # tcp://HOST:PORT of a Dask scheduler: render on its workers


def default_out_dir() -> Path:
    return project_root() / "outputs"


def sweep_options(name: str | None = None, *, db: str | None = None, out: str | None = None,
                  agencies: list[str] | None = None, parent: str | None = None, years: str | None = None,
                  workers: int | None = None, timeout: float | None = None, engine: str | None = None,
                  draft: bool = False, pdf: bool | None = None, docx: bool | None = None, date: str | None = None,
                  force: bool = False, dry_run: bool = False,
                  retry_failed: bool = False, progress: bool | None = None,
                  scheduler: str | None = None) -> SweepOptions:
    """The options of the sweep definition `name` (none: every report, defaults) with the values
    given here on top; None (False for draft) means not given. `out` given here is relative to the
    working folder, the definition's to the project root. Agencies and parent exclude each other:
    giving one drops the definition's other. The scheduler comes from here, else the definition,
    else $XXGK_SCHEDULER."""
    from ..report.closing import parse_date
    from .definition import load_definition
    from .plan import parse_years

    d = load_definition(name) if name else {}

    def pick(given, key, default=None):
        return given if given is not None else d.get(key, default)

    if not agencies and not parent:
        agencies, parent = d.get("agencies"), d.get("parent")
    workers = pick(workers, "workers", os.cpu_count() or 1)
    if workers < 1:
        raise XxgkError("--workers 应至少为 1 (need at least one worker)")
    render = RenderOptions(mode=Mode.DRAFT if draft or d.get("draft", False) else Mode.PUBLISH,
                           pdf=pick(pdf, "pdf", True), docx=pick(docx, "docx", True),
                           date=parse_date(pick(date, "date"), "--date"),
                           engine=pick(engine, "engine", DEFAULT_ENGINE),
                           timeout=pick(timeout, "timeout", DEFAULT_TIMEOUT)).checked()
    out_dir = Path(out) if out else (project_root() / d["out"] if d.get("out") else default_out_dir())
    return SweepOptions(out_dir=out_dir, render=render, db=db, agencies=agencies, parent=parent,
                        years=parse_years(years if years else d.get("years")), workers=workers, force=force,
                        dry_run=dry_run, retry_failed=retry_failed, progress=progress, title=d.get("title"),
                        timezone=d.get("timezone", DEFAULT_TIMEZONE),
                        scheduler=scheduler or d.get("scheduler") or os.environ.get(SCHEDULER_ENV) or None)
