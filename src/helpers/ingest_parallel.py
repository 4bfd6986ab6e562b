"""Many files into the store at once: one forked process per file on this machine (sweep.pool, as
many at a time as there are cores), or one task per file on a Dask cluster (--scheduler). Each file
is still imported by ingest.import_file in its own transaction; what it would have printed comes
back with its result, and the caller prints it as each file finishes.

    import_files(files, db=…, workers=…, scheduler=None, on_result=f(index, FileResult, lines), …)

On a cluster the file's bytes travel with the task (no shared filesystem): the worker writes them
to a temporary file of the same name, imports it under the user's path (recorded as the source,
named in every message) and forgets it.
"""
from __future__ import annotations

import dataclasses
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from .ingest import FileResult, import_file


@dataclass
class ImportJob:
    index: int                      # position in the list of files: the summary keeps that order
    path: str                       # as the user named it
    db: str
    agency: str | None = None
    year: int | None = None
    replace: bool = False
    partial: bool = False
    declared: list = field(default_factory=list)   # Agency records of params/agencies.yaml
    data: bytes | None = None       # the file's bytes, for a cluster worker
    identity: dict | None = None    # the client's, checked by the worker


# What the readers import when they first read a file (they import lazily, for a quick start-up).
READER_LIBRARIES = ("pdfplumber", "openpyxl", "docx", "lxml.html", "bs4")


def preload() -> None:
    """The readers, the checks and their libraries, once in the process the children fork from:
    otherwise every child, one per file, imports them again (a third of a second for pdfplumber)."""
    import importlib

    from . import checks, importers  # noqa: F401
    from .store import Store  # noqa: F401

    for module in (*READER_LIBRARIES, *(f"{importers.__name__}.{m}" for m in importers.READERS.values())):
        try:
            importlib.import_module(module)
        except ImportError:
            pass   # the reader that needs it says so when it reads a file


def _import(job: ImportJob, path: Path) -> dict:
    """In the forked child: the file into the store; its messages collected, not printed."""
    from .store import Store

    lines: list[str] = []
    res = import_file(Store(job.db), path, agency=job.agency, year=job.year, replace=job.replace,
                      partial=job.partial, declared=job.declared, echo=lines.append, source=job.path)
    return {"result": asdict(res), "lines": lines}


def _local(job: ImportJob) -> dict:
    return _import(job, Path(job.path))


def import_task(job: ImportJob) -> dict:
    """Runs on a Dask worker: the file's bytes to a temporary file, imported in a forked child."""
    from .cluster.task import ready, run_forked

    refused = ready(job.identity, job.db, preload, "import")
    if refused:
        return refused
    with tempfile.TemporaryDirectory(prefix="xxgk-import-") as tmp:
        copy = Path(tmp) / Path(job.path).name   # the same name: importers go by the suffix
        copy.write_bytes(job.data or b"")
        result = run_forked(dataclasses.replace(job, data=None), lambda j: _import(j, copy), timeout=None)
    # Errors name the file they read; the user knows it by its own path.
    text = str(copy)
    value = result.get("value") or {}
    if value:
        value["lines"] = [line.replace(text, job.path) for line in value["lines"]]
        value["result"]["error"] = value["result"]["error"].replace(text, job.path)
    return result


def _file_result(job: ImportJob, res: dict) -> tuple[FileResult, list[str]]:
    value = res.get("value")
    if res.get("ok") and value:
        return FileResult(**value["result"]), value["lines"]
    # The child died or raised past import_file (which returns bad input as a result).
    return FileResult(job.path, ok=False, error=f"{job.path}: {res.get('error', '?')}"), []


def _readable(job: ImportJob, record) -> bool:
    from .errors import InputError
    from .importers import check_file

    try:
        check_file(job.path)
        return True
    except InputError as exc:
        record(job, {"ok": True, "value": {"result": asdict(FileResult(job.path, error=str(exc))), "lines": []}})
        return False


def import_files(files: list[Path], *, db: str, workers: int, on_result: Callable[[int, FileResult, list[str]], None],
                 scheduler: str | None = None, agency=None, year=None, replace: bool = False,
                 partial: bool = False, declared=()) -> None:
    """Import every file, `workers` at a time here or on the cluster of `scheduler`; call
    `on_result(index, result, lines)` as each finishes. Ctrl-C stops the files in progress (their
    transactions roll back) and propagates."""
    from .store import Store

    store = Store(db)
    jobs = [ImportJob(i, str(path), store.url, agency, year, replace, partial, list(declared))
            for i, path in enumerate(files)]

    def record(job: ImportJob, res: dict) -> None:
        on_result(job.index, *_file_result(job, res))

    if scheduler:
        from .cluster import executor
        from .cluster.store import require_shared_store
        from .cluster.task import identity

        require_shared_store(store.url)
        client = executor.connect_checked(scheduler)
        mine = identity()
        jobs = [job for job in jobs if _readable(job, record)]   # the bytes must be bounded before they travel
        try:
            # The bytes are read just before each job is submitted: a few at a time in memory.
            executor.run_jobs(jobs, import_task, client=client, on_result=record, name="xxgk-import",
                              prepare=lambda j: dataclasses.replace(j, data=Path(j.path).read_bytes(), identity=mine))
        finally:
            client.close()
        return
    from .sweep import pool

    preload()
    store.engine.dispose()   # no pooled connection shared with the forked children
    pool.run_jobs(jobs, _local, workers=max(1, min(workers, len(jobs))), timeout=None, on_result=record)


def default_workers() -> int:
    return os.cpu_count() or 1
