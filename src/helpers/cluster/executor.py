"""Jobs on a Dask cluster, with the contract of the local pool (sweep.pool.run_jobs): submit every
job, call `on_result(job, result)` on the client as each finishes (it may return jobs to run
again), and on Ctrl-C cancel what is left, call `on_abort(job)` for each and re-raise.

    connect(address)               a Client, or a clear error within CONNECT_TIMEOUT seconds
    check_workers(client, mine)    refuse a cluster whose workers differ from this client
    connect_checked(address)       both
    run_jobs(jobs, task, client=…, on_result=…)

`task(job)` runs on a worker and returns a result dict like the pool's (it never raises: it runs
the real work in a forked child, see sweep.remote). A worker that dies has its jobs re-run on the
others by the scheduler; a job whose workers died `allowed-failures` times (Dask's setting, 3)
comes back as a crashed result.
"""
from __future__ import annotations

import re
import uuid
from typing import Any, Callable

from ..errors import XxgkError

CONNECT_TIMEOUT = 5.0     # seconds: "a scheduler that cannot be reached gives a clear error within 10 s"
WORKERS_TIMEOUT = 60.0    # seconds to wait for a first worker to join an empty cluster
IN_FLIGHT_PER_THREAD, IN_FLIGHT_MIN = 4, 16   # tasks submitted ahead of the workers
_ADDRESS = re.compile(r"^(tcp|tls)://[A-Za-z0-9.\-\[\]:]+:\d{1,5}$")


def check_address(address: str) -> str:
    address = address.strip()
    if not _ADDRESS.match(address):
        raise XxgkError(f"调度器地址 {address!r} 无效，应写成 tcp://主机:端口 "
                        f"(scheduler address must look like tcp://HOST:PORT)")
    return address


def connect(address: str, *, timeout: float = CONNECT_TIMEOUT):
    """A Client of the scheduler at `address` that has at least one worker."""
    from distributed import Client

    address = check_address(address)
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise XxgkError(
            f"{timeout:g} 秒内连不上 Dask 调度器 {address}：请确认 `dask scheduler` 在该机器上运行、端口可达"
            f" (cannot reach the Dask scheduler at {address} within {timeout:g} s: {type(exc).__name__})") from None
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
    except (TimeoutError, OSError):
        client.close()
        raise XxgkError(f"调度器 {address} 上 {WORKERS_TIMEOUT:g} 秒内没有工作进程：请在各机器上启动 "
                        f"`dask worker {address}` (no worker joined the scheduler)") from None
    return client


def worker_names(client) -> dict[str, str]:
    """{address: 'name (host)'} of the workers the scheduler knows now."""
    info = client.scheduler_info(n_workers=-1)["workers"]
    return {addr: f"{w.get('name', addr)} ({w.get('host', '?')})" for addr, w in info.items()}


def check_workers(client, mine: dict, identity: Callable[[], dict]) -> None:
    """Refuse (XxgkError) when a worker's identity (package version, rendering fingerprint)
    differs from `mine`, naming the workers and what differs: a cluster of mixed versions would
    publish a mix of reports."""
    found = client.run(identity)
    names = worker_names(client)
    differ = []
    for addr, theirs in sorted(found.items()):
        keys = [k for k in sorted(set(mine) | set(theirs)) if mine.get(k) != theirs.get(k)]
        if keys:
            what = ", ".join(f"{k}: {str(theirs.get(k))[:12]} ≠ {str(mine.get(k))[:12]}" for k in keys)
            differ.append(f"{names.get(addr, addr)} [{what}]")
    if differ:
        raise XxgkError(f"以下工作进程的程序版本与本机不同，拒绝执行，请先在这些机器上安装相同版本："
                        f"{'; '.join(differ)} (workers differ from this client in version or rendering "
                        f"fingerprint: install the same version there)")


def connect_checked(address: str):
    """connect() and check_workers() against this client's identity: a client ready for jobs."""
    from .quiet import QuietNanny, QuietWorker
    from .task import identity

    client = connect(address)
    try:
        check_workers(client, identity(), identity)
        client.register_plugin(QuietWorker())
        client.register_plugin(QuietNanny())
    except BaseException:
        client.close()
        raise
    return client


def total_threads(client) -> int:
    return sum(w.get("nthreads", 1) for w in client.scheduler_info(n_workers=-1)["workers"].values())


def run_jobs(jobs: list, task: Callable[[Any], dict], *, client, on_result: Callable[[Any, dict], Any],
             on_abort: Callable[[Any], None] | None = None, prepare: Callable[[Any], Any] | None = None,
             stop: Callable[[], bool] = lambda: False, name: str = "xxgk") -> None:
    """Submit `task(job)` for every job, at most a few per worker thread at a time (the scheduler
    keeps every submitted task's arguments in memory: 700 000 at once would not fit), and
    `prepare(job)` just before a job is submitted (reading a file's bytes, say). Once `stop()` is
    true no more jobs are submitted; those running finish (the pool's `stop`)."""
    from distributed import as_completed

    batch = uuid.uuid4().hex[:8]
    pending = list(jobs)[::-1]
    futures: dict = {}
    counter = iter(range(1 << 62))
    in_flight = max(IN_FLIGHT_MIN, IN_FLIGHT_PER_THREAD * total_threads(client))

    def submit(job):
        # pure=False and a unique key: the same job submitted again (a rerun) is run again.
        fut = client.submit(task, prepare(job) if prepare else job, pure=False, key=f"{name}-{batch}-{next(counter)}")
        futures[fut] = job
        return fut

    done = as_completed([submit(pending.pop()) for _ in range(min(in_flight, len(pending)))], loop=client.loop)
    try:
        for fut in done:
            job = futures.pop(fut)
            result = _result_of(fut)
            fut.release()
            pending.extend((on_result(job, result) or ())[::-1])   # reruns go next
            if stop():
                pending.clear()
            while pending and len(futures) < in_flight:
                done.add(submit(pending.pop()))
    except BaseException:
        left = list(futures)
        if left:
            client.cancel(left, force=True)
        for fut in left:
            if on_abort:
                on_abort(futures[fut])
        futures.clear()
        raise


def _result_of(fut) -> dict:
    from distributed import KilledWorker

    try:
        return fut.result()
    except KilledWorker as exc:
        return {"ok": False, "crashed": True, "error":
                f"运行该任务的工作进程多次退出 (the workers running it died repeatedly): {exc}"}
    except Exception as exc:   # the task itself should not raise; say what happened if it did
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
