"""What every task does on a Dask worker: check that the worker is the client's version, and run
the real work in a forked child with the local pool (sweep.pool), so that a task on a worker has
the timeouts, isolation and crash handling a job has on one machine.

    identity() -> {"xxgk": version, "static": rendering fingerprint}     compared by the client too
    refusal(expected) -> a failed result if this worker differs, else None
    preload_once(load, key)   heavy imports once per worker process
    open_store(url)           the database engine made once per worker process
    ready(expected, db, load, key) -> a failed result if the worker cannot take the task, else None
    run_forked(job, work, timeout=…, open_log=…) -> the pool's result dict, plus "worker"
"""
from __future__ import annotations

import gc
import os
import threading
from typing import Any, Callable


_loaded: set[str] = set()
_loaded_lock = threading.Lock()


def identity() -> dict:
    """What must be equal on the client and every worker for their outputs to be the same: the
    package version and the rendering fingerprint (notebook, templates, rendering code, fonts)."""
    from ..render import provenance

    return {"xxgk": provenance.package_version(), "static": provenance.static_fingerprint()}


def worker_name() -> str:
    try:
        from distributed import get_worker

        w = get_worker()
        return f"{w.name} ({w.address})"
    except ValueError:   # not inside a Dask worker (called directly)
        return os.uname().nodename


def refusal(expected: dict) -> dict | None:
    """A failed result naming this worker when its identity is not `expected` (a worker that
    joined after the client checked the cluster)."""
    mine = identity()
    if mine == expected:
        return None
    return {"ok": False, "refused": True, "worker": worker_name(),
            "error": f"工作进程 {worker_name()} 的程序版本与客户端不同，未执行 (worker differs from the client "
                     f"in version or rendering fingerprint: {mine} ≠ {expected})"}


def _cancelled() -> Callable[[], bool] | None:
    """Whether the client has cancelled this task (Ctrl-C): Dask cannot stop a running task, so
    the task asks, and its forked child is killed as on a local Ctrl-C."""
    try:
        from distributed import get_worker

        w = get_worker()
        key = w.get_current_task()
    except ValueError:   # not inside a Dask worker
        return None

    def cancelled() -> bool:
        task = w.state.tasks.get(key)
        return task is None or task.state in ("cancelled", "released", "forgotten")
    return cancelled


def preload_once(load: Callable[[], None], key: str) -> None:
    """`load()` once per worker process, whichever task thread comes first, then the process's
    objects frozen out of the garbage collector (what sweep.pool does once per local sweep)."""
    with _loaded_lock:
        if key not in _loaded:
            load()
            gc.collect()
            gc.freeze()
            _loaded.add(key)


def open_store(url: str) -> None:
    """The store's engine made (schema checked, driver imported) in this worker process, once per
    database, and its connections closed: every forked child would otherwise pay for that
    (0.4 s a report) and none may share a connection."""
    from ..store import Store

    def load():
        Store(url).engine.dispose()
    preload_once(load, f"store:{url}")


def ready(expected: dict, db: str, load: Callable[[], None], key: str) -> dict | None:
    """What every task does first: refuse if this worker is not the client's version, load the
    libraries (`load`, once per `key`) and open the store once. A failed result naming the worker
    when it cannot take the task (the database refuses it, say), else None. The URL that came
    with the task has no password (dburl): the worker's own environment gives it."""
    from ..dburl import PASSWORD_ENV
    from ..environment import explain

    refused = refusal(expected)
    if refused:
        return refused
    preload_once(load, key)
    try:
        open_store(db)
    except Exception as exc:
        problem = explain(exc, db)
        if problem is None:
            raise
        hint = ""
        if "password" in str(problem).lower():
            hint = (f"；数据库密码不随任务发送，请在这台机器上为 dask worker 设置 ${PASSWORD_ENV} 或 ~/.pgpass"
                    f" (the password does not travel with the tasks: set ${PASSWORD_ENV} or ~/.pgpass for the worker)")
        return {"ok": False, "worker": worker_name(), "error": f"工作进程 {worker_name()}：{problem}{hint}"}
    return None


def run_forked(job: Any, work: Callable[[Any], Any], *, timeout: float | None,
               open_log: Callable[[Any], int] | None = None) -> dict:
    """`work(job)` in a forked child of this worker process (sweep.pool.run_jobs with one job);
    killed when the client cancels the task."""
    from ..sweep import pool

    results: list[dict] = []
    pool.run_jobs([job], work, workers=1, timeout=timeout, on_result=lambda _job, res: results.append(res),
                  open_log=open_log, cancelled=_cancelled(), freeze=False)
    result = results[0]
    result["worker"] = worker_name()
    return result
