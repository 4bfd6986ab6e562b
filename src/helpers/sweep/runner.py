"""A sweep from start to end: lock the folder, plan, render what changed in forked workers,
record each report in the manifest as it finishes, publish index.html and summary.csv. The
roll-ups of the agencies with units go the same way, in the same pool (first: they take longest).

A failed report keeps its previously published set (marked stale in the manifest and the index)
and, beside it, what helps to debug it (render.folder): report.failed.ipynb (the notebook up to
the failing cell; a report whose worker died is run once more, saving the notebook before each
cell, to get it), sweep.log (the worker's output, with the cells it started) and
checks.failed.json (when the notebook got as far as checking the data).

A full disk stops the sweep: reports running finish (or fail), no more start, and the manifest
and index are still written (the failed render's staging folder has been freed by then). A sweep
killed by SIGTERM or Ctrl-C records a report whose set its worker had already published."""
from __future__ import annotations

import dataclasses
import errno
import json
import signal
import sys
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from .. import dburl
from ..checks.findings import count
from ..errors import EnvironmentProblem
from ..render.folder import FOLDERS, ReportFolder, clean_stale, is_regular_file, remove
from ..store.tree import AgencyTree
from . import plan as planning
from .lock import SweepLock
from .manifest import FAILED, RENDERED, REPORT, ROLLUP, SKIPPED, WARNINGS, Manifest, now
from .options import SweepOptions
from .worker import Job


@dataclass
class SweepResult:
    planned: list = field(default_factory=list)
    rendered: int = 0
    warnings: int = 0
    skipped: int = 0
    failed: int = 0
    interrupted: bool = False
    stopped: str = ""               # why the sweep stopped early (a full disk), else ""
    index: Path | None = None
    maxrss_kb: int = 0
    durations: list = field(default_factory=list)
    rollups_rendered: int = 0       # the same for the roll-ups of agencies with units
    rollups_warnings: int = 0
    rollups_skipped: int = 0
    rollups_failed: int = 0

    @property
    def exit_status(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.failed or self.rollups_failed or self.stopped else 0

    def count(self, kind: str, what: str, n: int = 1) -> None:
        """Add to a report counter (rendered, warnings, skipped, failed) or its roll-up twin."""
        name = what if kind == REPORT else f"rollups_{what}"
        setattr(self, name, getattr(self, name) + n)


@contextmanager
def _sigterm_as_interrupt():
    """SIGTERM stops a sweep the way Ctrl-C does: children killed, finished reports kept."""
    def handler(signum, frame):
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def _count(value) -> int | str:
    return value if isinstance(value, int) and not isinstance(value, bool) else ""


def _checks_counts(folder: ReportFolder) -> tuple[int | str, int | str]:
    """(errors, warnings) of the published checks.json, ('', '') if it cannot be read."""
    if "checks" not in folder.FILES:      # a roll-up: its units' counts are in rollup.json
        return "", ""
    try:
        return count(json.loads(folder.output("checks").read_text(encoding="utf-8")))
    except (OSError, ValueError, AttributeError, TypeError):
        return "", ""


def _published_key(folder: ReportFolder) -> str:
    """The input key the folder's published set records (a roll-up's rollup.json keeps it in its
    provenance), '' if none can be read."""
    path = folder.output("provenance")
    if not folder.is_safe() or not folder.is_complete(pdf=False, docx=False):   # the set without extras
        return ""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return str(record.get("input_key") or record.get("provenance", {}).get("input_key", ""))
    except (OSError, ValueError, AttributeError):
        return ""


class Sweep:
    def __init__(self, opts: SweepOptions):
        self.opts = opts
        self.out = Path(opts.out_dir)
        self.result = SweepResult()
        self.bar = None
        self.client = None   # a Dask client when rendering on a cluster

    # -- entry -----------------------------------------------------------------------------------
    def run(self) -> SweepResult:
        from ..store import Store

        store = Store(self.opts.db)
        self.db_url = store.url
        if self.opts.scheduler:
            from ..cluster.store import require_shared_store
            require_shared_store(self.db_url)
        # A dry run only reads (the manifest is replaced atomically): no lock, no folder created.
        with (nullcontext() if self.opts.dry_run else SweepLock(self.out)) as lock:
            self.lock = lock
            self.manifest = Manifest.load(self.out)
            agency_records = store.agencies()
            self.agencies = {a.id: a for a in agency_records}
            pairs = planning.select(store, agencies=self.opts.agencies, parent=self.opts.parent,
                                    years=self.opts.years, agency_records=agency_records)
            render = self.opts.render
            keys, static = planning.compute_keys(store, pairs, mode=render.mode, date=render.date,
                                                 agency_records=agency_records)
            tree = self.tree = AgencyTree(agency_records)
            rollups = planning.select_rollups(tree, pairs, agencies=self.opts.agencies, parent=self.opts.parent)
            rollup_keys, rollup_static = planning.compute_rollup_keys(store, rollups, mode=render.mode, tree=tree)
            self.statics = {REPORT: static, ROLLUP: rollup_static}
            plan_options = dict(mode=render.mode, pdf=render.pdf, force=self.opts.force,
                                retry_failed=self.opts.retry_failed)
            # the Word document and the publication date are the annual report's (a roll-up has neither)
            items = (planning.decide(pairs, keys, static, self.manifest, self.out, docx=render.docx,
                                     date=render.date, **plan_options)
                     + planning.decide(rollups, rollup_keys, rollup_static, self.manifest, self.out, kind=ROLLUP,
                                       **plan_options))
            self.result.planned = items
            if self.opts.dry_run:
                return self.result
            clean_stale(self.out)        # what killed runs left (we hold the folder's lock)
            self._drop_orphan_logs()
            # roll-ups first: they take longest, and the pool then fills in with reports
            todo = sorted((i for i in items if i.render), key=lambda i: i.kind != ROLLUP)
            # Connected (and the workers checked) before anything is written.
            self.client = self._connect() if todo and self.opts.scheduler else None
            self._mark_skipped([i for i in items if not i.render])
            store.engine.dispose()   # no pooled database connection is shared with the forks
            try:
                with _sigterm_as_interrupt():
                    if todo:
                        self._render(todo)
            except KeyboardInterrupt:
                self.result.interrupted = True
            finally:
                if self.bar is not None:
                    self.bar.close()
                if self.client is not None:
                    self.client.close()
                self._publish_results()
        return self.result

    def _publish_results(self) -> None:
        """manifest.json, index.html and summary.csv at the end. On a full disk each keeps its
        previous (whole) version and the sweep ends with the message."""
        from .site import write_site

        self.manifest.sweep.update(finished_at=now(), interrupted=self.result.interrupted,
                                   **({"stopped": self.result.stopped} if self.result.stopped else {}))
        try:
            self.manifest.save()
            self.result.index, _ = write_site(self.manifest, self.agencies, self.opts.title, self.opts.timezone)
        except EnvironmentProblem as exc:
            self.result.stopped = self.result.stopped or str(exc)
            if exc.errno != errno.ENOSPC and not self.result.interrupted:
                raise

    # -- steps -----------------------------------------------------------------------------------
    def _drop_orphan_logs(self) -> None:
        """A worker's log that no manifest entry names was left by a sweep killed while the
        worker ran (no worker runs now: we hold the lock)."""
        for kind, cls in FOLDERS.items():
            for e in self.manifest.entries(kind):
                folder = cls(self.out, e["agency"], e["year"])
                if not e.get("log") and folder.is_safe() and is_regular_file(folder.log):
                    folder.log.unlink()

    def _mark_skipped(self, skipped) -> None:
        for item in skipped:
            prev = self.manifest.get(item.agency, item.year, item.kind)
            if prev is not None:
                prev.update(status=SKIPPED, reason=item.reason)
            self.result.count(item.kind, "skipped")
        r = self.opts.render
        self.manifest.sweep = {"started_at": now(), "mode": r.mode.value, "pdf": r.pdf, "docx": r.docx,
                               "date": r.date.isoformat() if r.date else None, "engine": r.engine,
                               "workers": self.opts.workers, "timeout": r.timeout, "static": self.statics[REPORT],
                               "rollup_static": self.statics[ROLLUP]}
        if self.client is not None:
            from ..cluster.executor import worker_names
            self.manifest.sweep.update(scheduler=self.opts.scheduler, workers=len(worker_names(self.client)))
        self.manifest.save()

    def _jobs(self, todo) -> list[Job]:
        return [Job(i.agency, i.year, i.key, i.reason, options=self.opts.render, out_dir=str(self.out),
                    db=self.db_url, kind=i.kind) for i in todo]

    def _connect(self):
        from ..cluster import executor

        return executor.connect_checked(self.opts.scheduler)

    def _render(self, todo) -> None:
        from tqdm import tqdm

        from . import pool, worker

        tqdm.monitor_interval = 0   # no monitor thread in the parent we fork from
        if self.client is None:
            worker.preload(self.opts.render.engine, rollups=any(item.kind == ROLLUP for item in todo))
        self.bar = tqdm(total=len(todo), unit="份", desc="生成报告 (rendering)", file=sys.stderr,
                        disable=None if self.opts.progress is None else not self.opts.progress,
                        dynamic_ncols=True)
        self._postfix()
        if self.client is not None:
            from ..cluster import executor, task
            from . import remote

            executor.run_jobs(remote.remote_jobs(self._jobs(todo), task.identity(), self._narratives_read),
                              remote.render_task,
                              client=self.client, on_result=self._record_remote, name="xxgk-report",
                              stop=lambda: bool(self.result.stopped))
            return
        pool.run_jobs(self._jobs(todo), worker.render, workers=min(self.opts.workers, len(todo)),
                      timeout=self.opts.render.timeout, on_result=self._record, open_log=worker.open_log,
                      close_fds=(self.lock.fd,), on_abort=self._abort, stop=lambda: bool(self.result.stopped),
                      # a report and its agency's roll-up share a folder: never both at once
                      exclusive=lambda job: job.folder.path)

    def _narratives_read(self, job: Job) -> list[str]:
        """Whose narrative files a job reads: the report's own; a roll-up's, every unit's below."""
        from ..rollup.context import subtree

        return [job.agency] if job.kind == REPORT else subtree(self.tree, job.agency)

    def _abort(self, job: Job) -> None:
        """A report killed by Ctrl-C / SIGTERM: remove its temporary files and log. If its worker
        had published the new set already, the manifest records it; otherwise the entry and the
        earlier set stay as they were."""
        folder = job.folder
        if not folder.is_safe():
            return
        folder.clean_stale(everything=True)
        remove(folder.log)
        if _published_key(folder) == job.key:
            errors, warnings = _checks_counts(folder)
            status = WARNINGS if errors or warnings else RENDERED
            entry = self._entry(job, {})
            entry.update(status=status, result=status, errors=errors, warnings=warnings,
                         note="工作进程被中断，但报告已发布 (interrupted after publishing)")
            self.manifest.put(entry)
            self.manifest.save()

    def _record_remote(self, rjob, res: dict) -> list:
        """A result from a cluster worker: its files are written into the report's folder as a
        local render writes them (remote.receive), then it is recorded as a local one. What stops
        the writing here (a full disk, a link planted in the folder) fails the report as it would
        have failed a local render."""
        from .remote import receive

        files = res.pop("files", None) or {}
        try:
            receive(rjob.job.folder, files)
        except EnvironmentProblem as exc:
            res = {**res, "ok": False, "value": None, "error": str(exc), "errno": exc.errno}
        return [dataclasses.replace(rjob, job=job) for job in self._record(rjob.job, res)]

    def _postfix(self) -> None:
        r = self.result
        if self.bar is not None:
            self.bar.set_postfix_str(f"已生成 {r.rendered} · 跳过 {r.skipped} · 有提示 {r.warnings} · 失败 {r.failed}")

    def _record(self, job: Job, res: dict) -> list[Job]:
        folder = job.folder
        if res.get("crashed") and not job.save_each_cell:
            # The worker died with the notebook in its memory. Run the report once more, saving
            # the notebook before every cell: the crash, if it repeats, leaves it behind.
            if folder.is_safe():
                folder.clean_stale(everything=True)
                remove(folder.failed_notebook)
            return [dataclasses.replace(job, save_each_cell=True)]
        log = folder.log
        value = res.get("value") or {}
        entry = self._entry(job, res)
        self.result.maxrss_kb = max(self.result.maxrss_kb, res.get("maxrss_kb", 0))
        self.result.durations.append(res.get("duration") or 0)
        if res.get("ok") and value.get("ok"):
            s = value["summary"]
            status = WARNINGS if (s.get("warnings") or s.get("errors")) else RENDERED
            entry.update(status=status, result=status, errors=s.get("errors", 0), warnings=s.get("warnings", 0),
                         input_key=s.get("input_key") or job.key, durations=s.get("durations", {}))
            if "counts" in s:
                entry["counts"] = s["counts"]      # a roll-up's units by status
            log.unlink(missing_ok=True)
            self.result.count(job.kind, "rendered")
            self.result.count(job.kind, "warnings", status == WARNINGS)
        else:
            counts = value.get("counts") or {}
            safe = folder.is_safe()      # a report folder that is a planted link is not touched
            log_text = log.read_text(encoding="utf-8", errors="replace") if safe and is_regular_file(log) else ""
            from .worker import last_cell_in_log
            error = dburl.redact(value.get("error") or res.get("error", ""))
            if res.get("timeout"):
                limit = job.options.timeout
                error = f"超过时限 {limit:g} 秒 (timed out after {limit:g} s)" + (f"：{error}" if error else "")
            if errno.ENOSPC in (value.get("errno"), res.get("errno")):
                self.result.stopped = error
            partial = folder.rescue_partial() if safe else None
            published = _published_key(folder)     # the earlier set, still published: stale now
            entry.update(status=FAILED, result=FAILED, errors=_count(counts.get("errors")),
                         warnings=_count(counts.get("warnings")), error=error, stale=bool(published),
                         **({"published_key": published} if published else {}),
                         failing_cell=(value.get("failing_cell") if value.get("failing_cell") not in (None, "", "?")
                                       else last_cell_in_log(log_text)),
                         timeout=bool(res.get("timeout")), crashed=bool(res.get("crashed")),
                         refused=bool(value.get("refused")),
                         partial_notebook=folder.relative(partial) if partial else "",
                         log=folder.relative(log) if log_text else "")
            if res.get("traceback"):
                entry["traceback"] = dburl.redact(res["traceback"][-4000:])
            if safe and not log_text:
                log.unlink(missing_ok=True)
            self.result.count(job.kind, "failed")
            if self.bar is not None:
                self.bar.write(f"失败 (failed) {job.year} {job.name}: {error}", file=sys.stderr)
            else:
                print(f"失败 (failed) {job.year} {job.name}: {error}", file=sys.stderr)
        self.manifest.put(entry)
        self.manifest.save_soon()
        if self.bar is not None:
            self.bar.update(1)
            self._postfix()
        return []


    def _entry(self, job: Job, res: dict) -> dict:
        report = job.kind == REPORT
        return {"kind": job.kind, "agency": job.agency, "year": job.year, "input_key": job.key,
                "static": self.statics[job.kind],
                "mode": job.options.mode.value, "pdf": job.options.pdf, "docx": report and job.options.docx,
                "date": job.options.date.isoformat() if report and job.options.date else None,
                "engine": job.options.engine,
                "reason": job.reason,
                "duration": res.get("duration"), "maxrss_mb": round(res.get("maxrss_kb", 0) / 1024, 1),
                "finished_at": now(),
                **({"worker": res["worker"]} if res.get("worker") else {})}   # rendered on a cluster: which worker


def run_sweep(opts: SweepOptions) -> SweepResult:
    return Sweep(opts).run()
