"""A report's output folder, OUT/<year>/<agency>/, and every name in it.

Every path of one report goes through `ReportFolder`: the pipeline writes there, the sweep plans
from it, cleans up after killed workers, keeps the failure's traces and links to the files.

    report.ipynb, report.html, report.pdf   the executed notebook and the pages made from it
    checks.json, provenance.json            the check findings; what the report was made from
    report.failed.ipynb                     the notebook up to the cell that failed
    sweep.log                               a sweep worker's output, kept when its report failed
    .report.*.tmp.ipynb                     papermill's notebook while it runs
    .*.tmp                                  atomic writes in progress (helpers.atomic)
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..format.ids import check_agency_id

# kind -> file name of what a rendered report leaves in its folder
OUTPUT_FILES = {"ipynb": "report.ipynb", "html": "report.html", "pdf": "report.pdf",
                "checks": "checks.json", "provenance": "provenance.json"}
FAILED_NOTEBOOK = "report.failed.ipynb"
LOG = "sweep.log"
# papermill wants the .ipynb ending for the notebook it writes while running
TMP_NOTEBOOK_PREFIX, TMP_NOTEBOOK_SUFFIX = ".report.", ".tmp.ipynb"
TMP_NOTEBOOK_GLOB = f"{TMP_NOTEBOOK_PREFIX}*{TMP_NOTEBOOK_SUFFIX}"
TMP_WRITE_GLOB = ".*.tmp"


@dataclass(frozen=True)
class ReportFolder:
    out_dir: Path
    agency: str
    year: int

    def __post_init__(self):
        object.__setattr__(self, "out_dir", Path(self.out_dir))
        object.__setattr__(self, "agency", check_agency_id(self.agency))   # it becomes a folder name
        object.__setattr__(self, "year", int(self.year))

    @property
    def path(self) -> Path:
        return self.out_dir / str(self.year) / self.agency

    def output(self, kind: str) -> Path:
        """One of OUTPUT_FILES by its kind: ipynb, html, pdf, checks, provenance."""
        return self.path / OUTPUT_FILES[kind]

    def outputs(self, pdf: bool = True) -> dict[str, Path]:
        """kind -> path of every output a rendered report has (without report.pdf if not `pdf`)."""
        return {kind: self.output(kind) for kind in OUTPUT_FILES if pdf or kind != "pdf"}

    @property
    def failed_notebook(self) -> Path:
        return self.path / FAILED_NOTEBOOK

    @property
    def log(self) -> Path:
        return self.path / LOG

    def relative(self, path: Path) -> str:
        """`path` as written in the manifest and linked from index.html: 2024/huaian/report.html."""
        return Path(os.path.relpath(path, self.out_dir)).as_posix()

    def is_complete(self, pdf: bool) -> bool:
        return all(p.is_file() for p in self.outputs(pdf).values())

    def new_temporary_notebook(self) -> Path:
        """An empty file for papermill to write the running notebook to (creates the folder)."""
        self.path.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=TMP_NOTEBOOK_PREFIX, suffix=TMP_NOTEBOOK_SUFFIX, dir=self.path)
        os.close(fd)
        return Path(tmp)

    def temporary_notebooks(self) -> list[Path]:
        return sorted(self.path.glob(TMP_NOTEBOOK_GLOB))

    def temporary_files(self) -> list[Path]:
        """What a killed worker may leave: atomic writes in progress and papermill's notebook."""
        return [*self.path.glob(TMP_WRITE_GLOB), *self.temporary_notebooks()]

    def rescue_partial(self) -> Path | None:
        """After a failure: the partial notebook the worker left (saved before each cell on the rerun
        after a crash) is kept; without one, papermill's temporary notebook, if it holds anything,
        becomes it. Other temporary notebooks are removed. Returns the partial notebook, if any."""
        failed = self.failed_notebook
        for tmp in self.temporary_notebooks():
            if not failed.is_file() and tmp.stat().st_size > 0:
                os.replace(tmp, failed)
            else:
                tmp.unlink(missing_ok=True)
        return failed if failed.is_file() else None


def remove(*paths: Path) -> None:
    for path in paths:
        Path(path).unlink(missing_ok=True)
