"""Forked workers: every report runs in a fresh copy of a preloaded parent process.

The parent imports the heavy libraries once (pandas, matplotlib, nbconvert, WeasyPrint, the
pipeline) and warms them up; then it forks one child per report, at most `workers` at a time. A
fork costs milliseconds and starts from the warm state, and since the child exits after its one
report, nothing a report changes (rcParams, os.environ, module globals, open figures) can leak into
the next. The child sends its result as JSON through a pipe.

A child that raises returns a failure result; one that dies (os._exit, a signal, out of memory)
is recorded as failed from its exit status; one that runs past the timeout gets SIGTERM (raised as
WorkerTimeout inside it, so the notebook cell that was running records the error and the partial
notebook can be kept), then SIGKILL after a grace period. Each child leads its own process group,
so a kernel it may start (engine nbclient) dies with it, and Ctrl-C reaches only the parent, which
then kills the running children and re-raises.
"""
from __future__ import annotations

import ctypes
import gc
import json
import os
import select
import signal
import sys
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

GRACE_SECONDS = 3.0   # between SIGTERM and SIGKILL at a timeout
POLL_SECONDS = 1.0    # how often `cancelled` is asked


class Cancelled(Exception):
    """run_jobs was ended by its `cancelled` callable (whoever submitted the job withdrew it)."""


class WorkerTimeout(BaseException):
    """Raised inside a child when the parent's timeout sends SIGTERM. BaseException so that a
    notebook's `except Exception` cannot swallow it."""


@dataclass
class _Running:
    pid: int
    fd: int
    job: Any
    started: float
    deadline: float | None
    kill_at: float | None = None
    timed_out: bool = False
    chunks: list[bytes] = field(default_factory=list)


def _die_with_parent() -> None:
    # Linux: the kernel sends SIGKILL to the child when the parent dies (even by SIGKILL).
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def _on_sigterm(signum, frame):
    raise WorkerTimeout("超时 (timeout): the sweep's --timeout was reached")


def _child_main(job, work: Callable, wfd: int, open_log: Callable[[Any], int] | None,
                close_fds: tuple[int, ...]) -> None:
    code = 0
    try:
        os.setpgid(0, 0)
        _die_with_parent()
        # A worker lives for one report (about a second): collecting garbage only costs time
        # (~5 % of a report) and touches frozen objects' pages, which copies them from the parent.
        gc.disable()
        signal.signal(signal.SIGINT, signal.SIG_IGN)   # the parent decides; it kills us if needed
        signal.signal(signal.SIGTERM, _on_sigterm)
        for fd in close_fds:
            try:
                os.close(fd)
            except OSError:
                pass
        if open_log is not None:
            # The child's own prints, warnings and tracebacks go to a log file, not into the
            # parent's progress bar.
            lfd = open_log(job)
            sys.stdout.flush(), sys.stderr.flush()
            os.dup2(lfd, 1), os.dup2(lfd, 2)
            os.close(lfd)
            # sys.stdout/err may not be fds 1/2 (pytest's capture, a tqdm wrapper): rebind them.
            sys.stdout = open(1, "w", encoding="utf-8", errors="replace", buffering=1, closefd=False)
            sys.stderr = open(2, "w", encoding="utf-8", errors="replace", buffering=1, closefd=False)
        result = {"ok": True, "value": work(job)}
    except BaseException as exc:  # everything, including the timeout, becomes a result
        result = {"ok": False, "timeout": isinstance(exc, WorkerTimeout),
                  "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc(),
                  "errno": getattr(exc, "errno", None)}
    try:
        data = json.dumps(result, ensure_ascii=False, default=str).encode()
        view = memoryview(data)
        while view:
            n = os.write(wfd, view)
            view = view[n:]
    except BaseException:
        code = 1
    finally:
        try:
            sys.stdout.flush(), sys.stderr.flush()
        except BaseException:
            pass
        os._exit(code)   # no atexit handlers, no flushing of the parent's copied buffers


def _describe_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        return f"工作进程被信号 {signal.Signals(sig).name} 终止 (worker killed by {signal.Signals(sig).name})"
    return f"工作进程异常退出，退出码 {os.WEXITSTATUS(status)} (worker exited with status {os.WEXITSTATUS(status)})"


def run_jobs(jobs: list, work: Callable[[Any], Any], *, workers: int, timeout: float | None,
             on_result: Callable[[Any, dict], None], open_log: Callable[[Any], int] | None = None,
             close_fds: tuple[int, ...] = (), on_abort: Callable[[Any], None] | None = None,
             stop: Callable[[], bool] = lambda: False, exclusive: Callable[[Any], Any] | None = None,
             cancelled: Callable[[], bool] | None = None, freeze: bool = True) -> None:
    """Run `work(job)` for every job in a forked child, `workers` at a time; call
    `on_result(job, result)` in the parent as each finishes (it may return jobs to run again). `result` is
    ``{"ok": True, "value": ..., "duration": s, "maxrss_kb": n}`` or
    ``{"ok": False, "error": ..., "timeout": bool, "crashed": bool, ...}``. `open_log(job)`, called
    in the child, gives the descriptor its output goes to. Once `stop()` is true no more jobs
    start; the running ones finish. Two jobs with the same `exclusive(job)` never run at once (the
    later waits). On an exception in the parent (Ctrl-C) the running children are killed,
    `on_abort(job)` is called for each, and the exception propagates; `cancelled()`, asked about
    once a second, ends it the same way (Cancelled). `freeze=False`: the caller has frozen its
    objects already (a long-lived process with many calls, where a full collection per call would
    cost a tenth of a second each)."""
    pending = list(jobs)[::-1]
    running: dict[int, _Running] = {}
    workers = max(1, int(workers))
    if freeze:
        gc.collect()
        gc.freeze()   # objects made so far stay out of the children's GC: fewer copied pages per fork
    try:
        while True:
            if cancelled is not None and cancelled():
                raise Cancelled("cancelled")
            if stop():
                pending.clear()
            if not (pending or running):
                break
            while pending and len(running) < workers:
                i = _next(pending, running, exclusive)
                if i is None:
                    break             # each waits for a running job it must not overlap
                job = pending.pop(i)
                rfd, wfd = os.pipe()
                sys.stdout.flush(), sys.stderr.flush()
                pid = os.fork()
                if pid == 0:  # child
                    os.close(rfd)
                    _child_main(job, work, wfd, open_log, close_fds + tuple(r.fd for r in running.values()))
                os.close(wfd)
                try:
                    os.setpgid(pid, pid)   # also done by the child; whichever runs first wins
                except OSError:
                    pass
                now = time.monotonic()
                running[rfd] = _Running(pid, rfd, job, now, now + timeout if timeout else None)
            for more in _wait_some(running, on_result, POLL_SECONDS if cancelled is not None else None):
                pending.append(more)   # runs next
    except BaseException:
        for r in running.values():
            _kill(r.pid, signal.SIGKILL)
        for r in running.values():
            try:
                os.waitpid(r.pid, 0)
            except ChildProcessError:
                pass
            os.close(r.fd)
            if on_abort:
                on_abort(r.job)
        running.clear()
        raise
    finally:
        if freeze:
            gc.unfreeze()


def _next(pending: list, running: dict[int, _Running], exclusive) -> int | None:
    """Index of the next job to start (`pending` runs from its end): the first whose exclusive key
    no running job holds; None if there is none."""
    busy = {exclusive(r.job) for r in running.values()} if exclusive else set()
    for i in range(len(pending) - 1, -1, -1):
        if not exclusive or exclusive(pending[i]) not in busy:
            return i
    return None


def _kill(pid: int, sig) -> None:
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def _wait_some(running: dict[int, _Running], on_result, poll: float | None = None) -> list:
    """Wait for output, exits or deadlines; returns the jobs `on_result` asked to run again."""
    again = []
    now = time.monotonic()
    for r in running.values():   # timeouts: SIGTERM first, SIGKILL after the grace period
        if r.deadline and now >= r.deadline and not r.timed_out:
            r.timed_out, r.kill_at = True, now + GRACE_SECONDS
            _kill(r.pid, signal.SIGTERM)
        elif r.kill_at and now >= r.kill_at:
            _kill(r.pid, signal.SIGKILL)
            r.kill_at = None
    wake = [t for r in running.values() for t in (r.deadline if not r.timed_out else r.kill_at,) if t]
    if poll is not None:
        wake.append(now + poll)
    wait = max(0.0, min(wake) - now) if wake else None
    ready, _, _ = select.select(list(running), [], [], wait)
    for fd in ready:
        r = running[fd]
        chunk = os.read(fd, 1 << 16)
        if chunk:
            r.chunks.append(chunk)
            continue
        # EOF: the child has finished or died.
        os.close(fd)
        del running[fd]
        _, status, usage = os.wait4(r.pid, 0)
        result = _result(r, status)
        result["duration"] = round(time.monotonic() - r.started, 3)
        result["maxrss_kb"] = usage.ru_maxrss
        again.extend(on_result(r.job, result) or ())
    return again


def _result(r: _Running, status: int) -> dict:
    raw = b"".join(r.chunks)
    try:
        result = json.loads(raw) if raw else None
    except ValueError:
        result = None
    if result is None:
        result = {"ok": False, "crashed": not r.timed_out, "timeout": r.timed_out,
                  "error": _describe_status(status)}
    if r.timed_out:
        result["ok"] = False
        result["timeout"] = True
    return result
