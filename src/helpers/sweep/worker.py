"""What the parent preloads, and what a forked worker does for one report."""
from __future__ import annotations

import importlib
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import provenance

CELL_MARK = "▶ xxgk-cell "   # written to the worker's log as each cell starts (names the cell after a crash)
_HELPERS_IMPORT = re.compile(r"^\s*(?:from\s+helpers(?:\.(\w+))?\s+import\s+([^\n#]+)|import\s+helpers\.(\w+))", re.M)
HEAVY = ("pandas", "matplotlib", "matplotlib.pyplot", "matplotlib_inline.backend_inline",
         "IPython.core.interactiveshell", "papermill", "nbformat", "nbconvert", "weasyprint")


@dataclass
class Job:
    agency: str
    year: int
    key: str
    reason: str
    out_dir: str
    db: str
    mode: str
    pdf: bool
    allow_errors: bool
    engine: str
    timeout: float | None
    save_each_cell: bool = False   # second run after a crash: keep the notebook up to the crash

    def as_dict(self) -> dict:
        return asdict(self)


def notebook_modules() -> list[str]:
    """helpers modules the report notebook imports (preloaded so each fork starts with them)."""
    import nbformat

    path = provenance.notebook_path()
    if not path.exists():
        return []
    nb = nbformat.read(path, as_version=4)
    names = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for sub, imported, plain in _HELPERS_IMPORT.findall(cell.source):
            if plain:
                names.add(f"helpers.{plain}")
            elif sub:
                names.add(f"helpers.{sub}")
            else:
                names.update(f"helpers.{n.split(' as ')[0].strip(' ()')}" for n in imported.split(","))
    return sorted(n for n in names if n.replace(".", "").replace("_", "").isalnum())


def preload(engine: str = "xxgk") -> None:
    """Import the heavy libraries and the notebook's helpers once, and warm the pipeline up."""
    for name in HEAVY + tuple(notebook_modules()):
        try:
            importlib.import_module(name)
        except ImportError:
            pass   # the notebook itself will report it
    if engine == "xxgk":
        from ..inprocess_engine import _make_shell_class   # noqa: F401  (IPython import cost)
    from .. import pipeline

    pipeline.warm_up()
    import matplotlib.pyplot as plt

    plt.close("all")


def _trace_cells(save_to: Path | None = None) -> None:
    """In the worker only: note each cell start in the log, so a crash can name its cell; with
    `save_to`, also save the notebook before each cell (atomically), so that a crash leaves the
    notebook as it was when the crashing cell started."""
    import nbformat
    from papermill.engines import NotebookExecutionManager

    from .. import atomic

    original = NotebookExecutionManager.cell_start

    def cell_start(self, cell, cell_index=None, **kwargs):
        sys.stderr.write(f"{CELL_MARK}{cell.get('id', cell_index)}\n")
        sys.stderr.flush()
        result = original(self, cell, cell_index, **kwargs)   # marks the cell "running"
        if save_to is not None and cell.get("cell_type") == "code":
            atomic.write_text(save_to, nbformat.writes(self.nb))
        return result

    NotebookExecutionManager.cell_start = cell_start


def render(job: Job) -> dict:
    """Runs in the forked worker. A notebook error is returned as a failure; anything else that
    goes wrong propagates to the pool (which records it)."""
    from .. import pipeline
    from ..errors import XxgkError
    from . import testhooks

    folder = pipeline.report_dir(job.out_dir, job.agency, job.year)
    _trace_cells(folder / pipeline.FAILED_NOTEBOOK if job.save_each_cell else None)
    testhooks.install(job.agency, job.year)
    try:
        summary = pipeline.render_report(
            job.agency, job.year, out_dir=job.out_dir, db=job.db, mode=job.mode, pdf=job.pdf,
            allow_errors=job.allow_errors, engine_name=job.engine)
        # job.timeout is the whole report's, enforced by the parent (pool); no per-cell alarm here.
        return {"ok": True, "summary": summary}
    except pipeline.NotebookFailed as exc:
        return {"ok": False, "error": str(exc), "failing_cell": exc.cell, "ename": exc.ename,
                "refused": exc.refused, "partial_notebook": str(exc.notebook) if exc.notebook else ""}
    except XxgkError as exc:
        return {"ok": False, "error": str(exc), "failing_cell": "", "ename": type(exc).__name__}


def last_cell_in_log(text: str) -> str:
    marks = [line[len(CELL_MARK):].strip() for line in text.splitlines() if line.startswith(CELL_MARK)]
    return marks[-1] if marks else ""
