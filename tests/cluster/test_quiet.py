"""Dask's housekeeping at batch intervals (cluster.quiet), on a real scheduler and real workers:
on the servers we start through their environment, and on a worker someone started with Dask's
defaults through the plugins the client registers."""
from __future__ import annotations

import subprocess
import sys

import pytest

from helpers.cluster.executor import connect_checked
from helpers.cluster.quiet import SETTINGS, environment, intervals

pytestmark = [pytest.mark.cluster, pytest.mark.slow]

# Dask's own defaults, as a worker started by hand on another machine has them.
DEFAULTS = {"DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "True", "DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL": "20ms",
            "DASK_DISTRIBUTED__ADMIN__SYSTEM_MONITOR__INTERVAL": "500ms",
            "DASK_DISTRIBUTED__WORKER__MEMORY__MONITOR_INTERVAL": "100ms"}


def test_environment_names_the_dask_settings():
    env = environment()
    assert env["DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL"] == "1s"
    assert env["DASK_DISTRIBUTED__WORKER__MEMORY__MONITOR_INTERVAL"] == "1s"
    assert env["DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED"] == "False"
    assert len(env) == len(SETTINGS)


def test_a_worker_started_with_dask_defaults_is_quietened_by_the_client(dask_cluster):
    assert set(DEFAULTS) == set(environment())
    stranger = dask_cluster.add_worker(env=DEFAULTS)
    try:
        dask_cluster.wait_for_workers()
        client = connect_checked(dask_cluster.address)
        try:
            workers = client.run(intervals)
            nannies = client.run(intervals, nanny=True)
            scheduler = client.run_on_scheduler(intervals)
        finally:
            client.close()
        assert len(workers) == len(dask_cluster.workers)
        for found in workers.values():
            assert found["tick"] == 1000 and found["monitor"] == 2000 and found["memory_monitor"] == 1000
            assert found.get("profile") is None
        for found in nannies.values():
            assert found["tick"] == 1000 and found["memory_monitor"] == 1000
        assert scheduler["tick"] == 1000          # started by LocalDask with quiet.environment()
    finally:
        dask_cluster.stop_worker(stranger)


def test_the_scheduler_command_line_of_the_readme_takes_the_settings():
    """README: `env $(python -m helpers.cluster.quiet) dask scheduler …`."""
    line = subprocess.run([sys.executable, "-m", "helpers.cluster.quiet"], capture_output=True, text=True,
                          check=True).stdout.split()
    env = dict(item.split("=", 1) for item in line)
    assert env == environment()
    got = subprocess.run(["env", *line, sys.executable, "-c",
                          "import dask, distributed; print(dask.config.get('distributed.admin.tick.interval'),"
                          " dask.config.get('distributed.worker.profile.enabled'))"],
                         capture_output=True, text=True, check=True).stdout.split()
    assert got == ["1s", "False"]
