"""Dask's housekeeping, tuned for a batch of second-long tasks.

Dask's defaults serve an interactive dashboard: a stack sample every 10 ms, an event-loop tick
every 20 ms, memory read every 100 ms, system figures every 500 ms. An idle scheduler and two
workers with their nannies used 10.5 % of a core on this machine (1.4 % with the settings below),
CPU that a 2-core machine takes from rendering. A report takes about a second: nothing here needs
to be watched more often than once a second.

    SETTINGS          the Dask configuration keys and values
    environment()     the same as DASK_* variables, for `dask scheduler` / `dask worker` we start
    QuietWorker, QuietNanny   plugins the client registers: the same on workers started by anyone
    intervals(…)      the intervals a scheduler, worker or nanny runs them at (client.run(intervals))
"""
from __future__ import annotations

from distributed.diagnostics.plugin import NannyPlugin, WorkerPlugin

SETTINGS = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}

# The periodic callbacks these settings govern, by name, in milliseconds (0: stopped).
_CALLBACKS = {"profile": 0, "profile-cycle": 0, "tick": 1000, "monitor": 2000, "memory_monitor": 1000}


def environment() -> dict[str, str]:
    """SETTINGS as environment variables (`distributed.admin.tick.interval` ->
    DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL), which Dask reads when it starts."""
    return {"DASK_" + key.upper().replace(".", "__").replace("-", "_"): str(value)
            for key, value in SETTINGS.items()}


def _retime(server) -> None:
    """Applies _CALLBACKS to a running worker or nanny: its callbacks already run at the intervals
    its own configuration gave them."""
    for name, ms in _CALLBACKS.items():
        callback = server.periodic_callbacks.get(name)
        if callback is None:
            continue
        if ms == 0:
            callback.stop()
        else:
            callback.callback_time = ms
    if hasattr(server, "_tick_interval"):   # what the tick's unresponsiveness check expects
        server._tick_interval = _CALLBACKS["tick"] / 1000


def intervals(dask_worker=None, dask_scheduler=None) -> dict:
    """Each housekeeping callback's interval in ms, None when it does not run (the argument names
    are those Dask's client.run / run_on_scheduler fill in)."""
    server = dask_worker or dask_scheduler
    return {name: (pc.callback_time if pc.is_running() else None)
            for name, pc in server.periodic_callbacks.items() if name in _CALLBACKS}


class QuietWorker(WorkerPlugin):
    """Registered by the client; reaches the workers that join later too."""
    name = "xxgk-quiet"
    idempotent = True

    def setup(self, worker) -> None:
        _retime(worker)


class QuietNanny(NannyPlugin):
    """The nanny watches the worker's memory: once a second is enough."""
    name = "xxgk-quiet-nanny"
    idempotent = True

    def setup(self, nanny) -> None:
        _retime(nanny)


if __name__ == "__main__":   # `env $(python -m helpers.cluster.quiet) dask scheduler …` on a host of its own
    print(" ".join(f"{name}={value}" for name, value in environment().items()))
