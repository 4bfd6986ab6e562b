"""The notebook in real Jupyter clients: `make lab` starts JupyterLab as the README documents it (as
root too) with .venv's Python as its kernel, and no kernel started by xxgk or by its JupyterLab
shows analysts ipykernel's English "Kernel is running over TCP without encryption" warning: their
connections are encrypted (CurveZMQ keys from the kernel manager)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from helpers.config import project_root

ROOT = project_root()
TCP_WARNING = "without encryption"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(port: int, token: str, path: str, data: dict | None = None) -> dict:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/{path}", headers={"Authorization": f"token {token}"},
                                 data=None if data is None else json.dumps(data).encode(),
                                 method="GET" if data is None else "POST")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


@pytest.mark.slow
def test_make_lab_starts_jupyterlab_with_the_project_kernel(tmp_path):
    # the first run installs JupyterLab into .venv-lab (about a minute); later runs find it there
    subprocess.run(["make", "-s", "lab-venv"], cwd=ROOT, check=True, capture_output=True, timeout=900)
    port, token = _free_port(), "xxgk-test-token"
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), HOME=str(tmp_path))
    log = open(tmp_path / "lab.log", "w+")
    lab = subprocess.Popen(["make", "-s", "lab", f"LAB_ARGS=--no-browser --port={port} --IdentityProvider.token={token}"],
                           cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _api(port, token, "status")
                break
            except OSError:
                assert lab.poll() is None, (tmp_path / "lab.log").read_text()
                assert time.monotonic() < deadline, "JupyterLab did not answer within 60 s"
                time.sleep(0.5)
        spec = _api(port, token, "kernelspecs")["kernelspecs"]["python3"]["spec"]
        assert Path(spec["argv"][0]) == Path(sys.executable)          # .venv's Python, where helpers is
        kernel = _api(port, token, "kernels", {"name": "python3"})
        from jupyter_client import BlockingKernelClient

        client = BlockingKernelClient(connection_file=str(tmp_path / "runtime" / f"kernel-{kernel['id']}.json"))
        deadline = time.monotonic() + 30
        while not Path(client.connection_file).exists():
            assert time.monotonic() < deadline
            time.sleep(0.2)
        client.load_connection_file()
        assert client.transport == "tcp" and client.curve_publickey     # encrypted: CurveZMQ keys
        client.start_channels()
        out = []
        try:
            client.wait_for_ready(timeout=60)
            reply = client.execute_interactive(
                "from helpers.report.context import check_parameters; print(check_parameters('huaian', 2024).agency)",
                timeout=60, output_hook=lambda m: out.append(m["content"].get("text", "")))
        finally:
            client.stop_channels()
        assert reply["content"]["status"] == "ok" and "huaian" in "".join(out)
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        try:
            lab.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
    text = (tmp_path / "lab.log").read_text()
    assert "Running as root is not recommended" not in text
    assert TCP_WARNING not in text


@pytest.mark.slow
def test_the_nbclient_engine_starts_kernels_without_the_tcp_warning(tmp_path, samples_db):
    xxgk = Path(sys.executable).parent / "xxgk"
    res = subprocess.run([str(xxgk), "--db", samples_db, "run", "--agency", "qianjindao", "--year", "2023",
                          "--engine", "nbclient", "--no-pdf", "--out", str(tmp_path / "out")],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert TCP_WARNING not in res.stderr + res.stdout
    assert (tmp_path / "out" / "2023" / "qianjindao" / "report.html").is_file()
