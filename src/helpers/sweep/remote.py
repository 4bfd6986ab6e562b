"""A sweep's reports and roll-ups rendered on a Dask cluster (xxgk sweep --scheduler): what
travels with each task, what a worker does with it, and how the client writes what comes back.

Client: one RemoteJob per report or roll-up (the job with its parameters and options, the text of
the narrative files it reads — the report's own; for a roll-up, those of every unit below — the
client's identity) goes to cluster.executor.run_jobs; each result carries the
files the render left, which the client writes under --out exactly as a local render writes them
(`receive`: the report's set published as a whole, failure traces beside it), then records as a
local sweep does. No shared filesystem: a worker needs the installed package and the database.

Worker (`render_task`): refuses when its identity differs from the client's; preloads the heavy
libraries and opens the store once per worker process; renders the report in a forked child
exactly as the local pool does (sweep.pool: timeout, isolation, crash detection), into a temporary
output folder; returns the files of the job's folder there (ReportFolder or RollupFolder: only
that kind's names).
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from .. import atomic
from ..errors import XxgkError
from ..format.ids import check_agency_id
from ..render.folder import ReportFolder
from .worker import Job


def set_files(folder: ReportFolder) -> frozenset[str]:
    """The names published together, or not at all (a report's or a roll-up's)."""
    return frozenset(folder.FILES.values())


def trace_files(folder: ReportFolder) -> frozenset[str]:
    """A failure's traces, written beside the published set, and the worker's log."""
    return frozenset((*folder.TRACES, folder.LOG_NAME))


@dataclass
class RemoteJob:
    job: Job
    narratives: dict        # agency -> its narrative file's text for the job's year (those that exist)
    identity: dict          # the client's cluster.task.identity(): the worker checks it is the same

    @property
    def agency(self) -> str:
        return self.job.agency

    @property
    def year(self) -> int:
        return self.job.year


def narrative_texts(agencies, year: int) -> dict[str, str]:
    """{agency: text} of the narrative files of `year` that exist (bounded like a local read)."""
    from ..report.narrative import narrative_path

    out = {}
    for agency in agencies:
        path = narrative_path(agency, year)
        if path.is_file():
            out[agency] = path.read_text(encoding="utf-8")
    return out


def remote_jobs(jobs: list[Job], mine: dict, reads: Callable[[Job], list[str]]) -> list[RemoteJob]:
    """`reads(job)`: the agencies whose narrative files the job reads."""
    return [RemoteJob(job, narrative_texts(reads(job), job.year), mine) for job in jobs]


# -- on the worker ----------------------------------------------------------------------------------
def render_task(rjob: RemoteJob) -> dict:
    """Runs on a Dask worker: the report rendered in a forked child, its folder's files returned."""
    from ..cluster.task import ready, run_forked
    from . import worker

    engine = rjob.job.options.engine
    refused = ready(rjob.identity, rjob.job.db, lambda: worker.preload(engine), f"render:{engine}")
    if refused:
        return refused
    with tempfile.TemporaryDirectory(prefix="xxgk-task-") as tmp:
        narratives = Path(tmp) / "narratives"
        for agency, text in rjob.narratives.items():
            path = narratives / check_agency_id(agency) / f"{int(rjob.year)}.md"
            path.parent.mkdir(parents=True)
            path.write_text(text, encoding="utf-8")
        job = replace(rjob.job, out_dir=str(Path(tmp) / "out"))

        def render(j: Job) -> dict:   # in the forked child: the narrative that came with the task
            os.environ["XXGK_NARRATIVES"] = str(narratives)
            return worker.render(j)

        job.folder.prepare()
        result = run_forked(job, render, timeout=job.options.timeout, open_log=worker.open_log)
        folder = job.folder
        folder.rescue_partial()   # a crashed child's notebook becomes report.failed.ipynb, as locally
        names = set_files(folder) | trace_files(folder)
        result["files"] = {p.name: p.read_bytes() for p in sorted(folder.path.iterdir())
                           if p.name in names and p.is_file()}
        return result


# -- on the client ----------------------------------------------------------------------------------
def receive(folder: ReportFolder, files: dict[str, bytes]) -> None:
    """Write what a worker's render left as the local render would have: a new set of the
    report's files is published as a whole (ReportFolder.stage/publish: readers see the old set or
    the new one), a failure's traces go beside the published set. Names are checked: a worker
    writes nothing but a report's files, and nowhere but in its folder."""
    own_names, traces = set_files(folder), trace_files(folder)
    unknown = sorted(set(files) - own_names - traces)
    if unknown:
        raise XxgkError(f"工作进程返回了意外的文件 (a worker returned unexpected files): {', '.join(unknown)}")
    if not files:
        return
    folder.prepare()
    own = {name: data for name, data in files.items() if name in own_names}
    if own:
        staging = folder.stage()
        try:
            for name, data in own.items():
                atomic.write_bytes(staging.path / name, data, inside=folder.out_dir)
            folder.publish(staging)
        finally:
            staging.discard()
    for name in sorted(set(files) & traces):
        folder.write_trace(folder.path / name, files[name])
