"""`make cluster-demo` (python -m helpers.cluster.demo): the demo through a throw-away PostgreSQL
server and a two-worker Dask cluster, which are stopped at the end, also after Ctrl-C."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest

from helpers.sweep.testhooks import ENV as CRASH_ENV

pytestmark = [pytest.mark.cluster, pytest.mark.slow]
DEMO = [sys.executable, "-m", "helpers.cluster.demo", "--no-pdf"]


def ports(log: str) -> list[int]:
    """The ports of the PostgreSQL server and the scheduler the demo printed."""
    return [int(p) for p in re.findall(r"127\.0\.0\.1:(\d+)", log)]


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_cluster_demo_renders_through_the_cluster_and_stops_everything(tmp_path):
    out = tmp_path / "out"
    res = subprocess.run(DEMO + ["--out", str(out)], capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stdout + res.stderr
    assert f"{out / 'index.html'}" in res.stdout and (out / "index.html").is_file()
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    assert len(m) >= 20 and {e["worker"].split()[0] for e in m.values()} == {"w0", "w1"}
    assert len(ports(res.stdout)) == 2 and not any(listening(p) for p in ports(res.stdout))


@pytest.mark.parametrize("moment", ["servers up", "sweep running"])
def test_cluster_demo_stops_its_servers_on_ctrl_c(tmp_path, popen_for_ctrl_c, moment):
    out = tmp_path / "out"
    # One demo report hangs on the workers (testhooks; LocalDask gives them the demo's environment)
    # for longer than the test waits: the demo cannot end by itself, only by the Ctrl-C. No
    # PYTHONUNBUFFERED: the demo must show its lines as they happen on its own.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env[CRASH_ENV] = "demo-0001:2022:hang"
    proc = popen_for_ctrl_c(DEMO + ["--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env)
    try:
        log = ""
        while "scheduler" not in log:        # both servers are up (the line comes as they are)
            line = proc.stdout.readline()
            assert line, log                 # the demo ended before its servers were up
            log += line
        if moment == "sweep running":        # the sweep writes its manifest before rendering
            while not (out / "manifest.json").exists():
                assert proc.poll() is None, log
                time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        log += proc.communicate(timeout=100)[0]    # < the hanging report's timeout (120 s, demo.yaml)
    finally:
        if proc.poll() is None:              # Ctrl-C did not stop it: the test fails; the servers go
            proc.terminate()
            proc.communicate(timeout=60)
    interrupted = (out / "manifest.json").exists() and json.loads(
        (out / "manifest.json").read_text(encoding="utf-8"))["sweep"].get("interrupted")
    # interrupted before the sweep (130) or in it (1, and the manifest says so)
    assert proc.returncode == 130 or (proc.returncode == 1 and interrupted), log
    if moment == "sweep running":
        assert proc.returncode == 1 and interrupted, log
    assert "stopped" in log and not any(listening(p) for p in ports(log))
