"""How a report is rendered: one object that `xxgk run`, the pipeline, the sweep, its workers and
the notebook's parameters all derive from.

    RenderOptions(mode, allow_errors, pdf, docx, date, engine, timeout)
    options.notebook_parameters(agency, year, db) -> what papermill injects into the notebook
    options.checked() -> the same options, or an XxgkError naming what is wrong

Defaults are the same for every caller:
- engine DEFAULT_ENGINE ("xxgk"): cells run in-process, no Jupyter kernel to start; it gives the
  same bytes as the kernel engine (tests/sweep/test_engine.py), a second faster per report.
- timeout DEFAULT_TIMEOUT seconds: the most a report may take. A sweep enforces it on the whole
  report from the parent process (sweep.pool); `xxgk run`, one process with nothing outside to
  stop it, hands it to papermill as the limit of each cell.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from ..errors import XxgkError
from ..report.mode import Mode

DEFAULT_ENGINE = "xxgk"
DEFAULT_TIMEOUT = 120.0


@dataclass(frozen=True)
class RenderOptions:
    mode: Mode = Mode.PUBLISH
    allow_errors: bool = False        # publish even when the data break a hard rule
    pdf: bool = True
    docx: bool = True                 # report.docx, the Word document
    date: _dt.date | None = None      # the publication date (落款); None: the day the data last changed
    engine: str = DEFAULT_ENGINE      # papermill engine name
    timeout: float | None = DEFAULT_TIMEOUT

    def __post_init__(self):
        object.__setattr__(self, "mode", Mode(self.mode))

    @property
    def draft(self) -> bool:
        return self.mode == Mode.DRAFT

    def notebook_parameters(self, agency: str, year: int, db: str) -> dict:
        """The notebook's parameters cell (agency, year, db, mode, allow_errors, date) as plain values."""
        return {"agency": agency, "year": year, "db": db, "mode": self.mode.value,
                "allow_errors": self.allow_errors, "date": self.date.isoformat() if self.date else None}

    def checked(self) -> RenderOptions:
        """These options, if papermill knows the engine and the timeout is positive."""
        from papermill.engines import papermill_engines
        from papermill.exceptions import PapermillException

        try:
            papermill_engines.get_engine(self.engine)
        except PapermillException:
            raise XxgkError(f"--engine: 没有名为 {self.engine!r} 的 papermill 引擎 (no such engine)；"
                            f"可用 (available): xxgk（进程内）、nbclient（Jupyter 内核）") from None
        if self.timeout is not None and self.timeout <= 0:
            raise XxgkError("--timeout 应大于 0 (must be positive)")
        return self
