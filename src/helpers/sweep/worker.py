"""What the parent preloads, and what a forked worker does for one report or roll-up."""
from __future__ import annotations

import dataclasses
import importlib
import sys
from dataclasses import dataclass

from ..render import provenance
from ..render.folder import FOLDERS, ReportFolder
from ..render.options import DEFAULT_ENGINE, RenderOptions
from .manifest import REPORT, ROLLUP

CELL_MARK = "▶ xxgk-cell "   # written to the worker's log as each cell starts (names the cell after a crash)
HEAVY = ("matplotlib", "matplotlib.pyplot", "matplotlib_inline.backend_inline",
         "IPython.core.interactiveshell", "papermill", "nbformat", "nbconvert", "weasyprint")
ROLLUP_HEAVY = ("pandas",)     # the roll-ups' tables; an annual report does not import it
ROLLUP_PACKAGE = "rollup"


@dataclass
class Job:
    """One report (or roll-up of an agency's units) of a sweep: which, why (the plan's reason),
    how, and where."""
    agency: str
    year: int
    key: str                       # input key the plan computed
    reason: str
    options: RenderOptions
    out_dir: str
    db: str
    save_each_cell: bool = False   # second run after a crash: keep the notebook up to the crash
    kind: str = REPORT             # or ROLLUP

    @property
    def folder(self) -> ReportFolder:
        return FOLDERS[self.kind](self.out_dir, self.agency, self.year)

    @property
    def name(self) -> str:
        """How messages and the test hooks name it: the agency, or "<parent>.rollup"."""
        return self.agency if self.kind == REPORT else f"{self.agency}.{self.kind}"


def rendering_modules(rollups: bool = True) -> list[str]:
    """Every module of the subpackages a report runs (provenance.RENDERING_PACKAGES), preloaded so
    each fork starts with them; the roll-up's only if `rollups`."""
    import pkgutil

    from .. import __name__ as package
    from .. import __path__ as package_path

    names = []
    for info in pkgutil.iter_modules(package_path):
        if info.ispkg and info.name in provenance.RENDERING_PACKAGES and (rollups or info.name != ROLLUP_PACKAGE):
            sub = importlib.import_module(f"{package}.{info.name}")
            names.append(sub.__name__)
            names += [m.name for m in pkgutil.walk_packages(sub.__path__, f"{sub.__name__}.")]
    return sorted(names)


def preload(engine: str = DEFAULT_ENGINE, rollups: bool = True) -> None:
    """Import the heavy libraries and the rendering code once, and warm the pipeline up. Without
    `rollups` (a sweep of annual reports only) pandas and the roll-up code are left out: 0.4 s of
    the sweep's start."""
    for name in HEAVY + (ROLLUP_HEAVY if rollups else ()) + tuple(rendering_modules(rollups)):
        try:
            importlib.import_module(name)
        except ImportError:
            pass   # the notebook itself will report it
    if engine == "xxgk":
        from ..render.engine import warm_up
        warm_up()
    from ..render import pipeline

    pipeline.warm_up()
    import matplotlib.pyplot as plt

    plt.close("all")


def _trace_cells(folder: ReportFolder, save: bool) -> None:
    """In the worker only: note each cell start in the log, so a crash can name its cell; with
    `save`, also save the notebook before each cell (atomically, as the report's failed notebook),
    so that a crash leaves the notebook as it was when the crashing cell started."""
    import nbformat
    from papermill.engines import NotebookExecutionManager

    original = NotebookExecutionManager.cell_start

    def cell_start(self, cell, cell_index=None, **kwargs):
        sys.stderr.write(f"{CELL_MARK}{cell.get('id', cell_index)}\n")
        sys.stderr.flush()
        result = original(self, cell, cell_index, **kwargs)   # marks the cell "running"
        if save and cell.get("cell_type") == "code":
            folder.write_trace(folder.failed_notebook, nbformat.writes(self.nb).encode("utf-8"))
        return result

    NotebookExecutionManager.cell_start = cell_start


def open_log(job: Job) -> int:
    """The descriptor the worker's output goes to: the report's sweep.log (the roll-up's
    rollup.log), never through a link."""
    from .. import atomic

    return atomic.open_for_writing(job.folder.log, inside=job.folder.out_dir)


def render(job: Job) -> dict:
    """Runs in the forked worker: the report, or the roll-up. A notebook error, a refusal and an
    error of the machine (disk full, a locked database: environment.explain) are returned as a
    failure with their message; anything else that goes wrong propagates to the pool (which
    records it)."""
    from ..environment import explain
    from ..errors import EnvironmentProblem, NotebookFailed
    from ..render import pipeline
    from . import testhooks

    _trace_cells(job.folder, job.save_each_cell)
    testhooks.install(job.name, job.year)
    try:
        # The timeout is the whole report's, enforced by the parent (pool); no per-cell alarm here.
        options = dataclasses.replace(job.options, timeout=None)
        run = pipeline.render_rollup if job.kind == ROLLUP else pipeline.render_report
        summary = run(job.agency, job.year, out_dir=job.out_dir, db=job.db, options=options)
        return {"ok": True, "summary": summary}
    except NotebookFailed as exc:
        return {"ok": False, "error": str(exc), "failing_cell": exc.cell, "ename": exc.ename,
                "refused": exc.refused, "partial_notebook": str(exc.notebook) if exc.notebook else "",
                "counts": exc.counts}
    except Exception as exc:
        problem = explain(exc, job.db)
        if problem is None:
            raise
        return {"ok": False, "error": str(problem), "failing_cell": "", "ename": type(problem).__name__,
                "errno": problem.errno if isinstance(problem, EnvironmentProblem) else None}


def last_cell_in_log(text: str) -> str:
    marks = [line[len(CELL_MARK):].strip() for line in text.splitlines() if line.startswith(CELL_MARK)]
    return marks[-1] if marks else ""
