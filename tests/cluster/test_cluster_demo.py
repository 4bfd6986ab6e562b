"""`make cluster-demo` (python -m helpers.cluster.demo): the demo through a throw-away PostgreSQL
server and a two-worker Dask cluster, which are stopped at the end, also after Ctrl-C."""
from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time

import pytest

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


def test_cluster_demo_stops_its_servers_on_ctrl_c(tmp_path):
    proc = subprocess.Popen(DEMO + ["--out", str(tmp_path / "out")], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    log = ""
    deadline = time.time() + 300
    while time.time() < deadline and "scheduler" not in log:   # both servers are up
        log += proc.stdout.readline()
    assert len(ports(log)) == 2, log
    proc.send_signal(signal.SIGINT)
    log += proc.communicate(timeout=120)[0]
    assert proc.returncode in (1, 130), log            # interrupted in the sweep (1) or before it (130)
    assert "stopped" in log and not any(listening(p) for p in ports(log))
