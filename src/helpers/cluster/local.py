"""Throw-away servers on 127.0.0.1 for tests, benchmarks and `make cluster-demo`: a PostgreSQL
server in a temporary folder, a Dask scheduler and workers. Each is a context manager that stops
what it started (its own processes, by process group) and deletes its folder, also on an error or
Ctrl-C.

    with LocalPostgres() as pg, LocalDask(workers=2) as dask:
        pg.url        postgresql+psycopg://postgres@127.0.0.1:PORT/xxgk
        dask.address  tcp://127.0.0.1:PORT
        dask.kill_worker(0)   SIGKILL to one `dask worker` (what a dying machine does)

PostgreSQL refuses to run as root: as root its programs run as the `postgres` user (runuser).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..errors import XxgkError


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_bin() -> Path | None:
    """The folder of the PostgreSQL server programs (initdb, pg_ctl), newest version first."""
    for base in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (base / "initdb").exists():
            return base
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _stop_group(proc: subprocess.Popen, grace: float = 5.0) -> None:
    """SIGTERM to the process group we started, SIGKILL after `grace` seconds."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


class _Servers:
    """A context manager over start() and stop(); stop() also when start() fails half-way."""

    def start(self):
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> bool:
        self.stop()
        return False


class LocalPostgres(_Servers):
    """initdb + pg_ctl start on a free port of 127.0.0.1 (and a Unix socket in the folder); a
    database `xxgk`; trust authentication (nothing but this machine can connect), or with
    `password` a role that must give it (scram-sha-256; `url` then holds it, as a user's would)."""

    def __init__(self, dbname: str = "xxgk", port: int | None = None, *, user: str = "postgres",
                 password: str | None = None):
        self.dbname, self.port, self.user, self.password = dbname, port, user, password
        self.dir: Path | None = None
        bindir = postgres_bin()
        if bindir is None:
            raise XxgkError("找不到 PostgreSQL 服务器程序 (PostgreSQL server programs not installed: "
                            "apt-get install postgresql)")
        self.bin = bindir
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @property
    def url(self) -> str:
        login = f"{self.user}:{self.password}" if self.password else self.user
        return f"postgresql+psycopg://{login}@127.0.0.1:{self.port}/{self.dbname}"

    def _run(self, *cmd: str) -> subprocess.CompletedProcess:
        env = dict(os.environ, PGPASSWORD=self.password) if self.password else None
        res = subprocess.run(self.run_as + list(cmd), capture_output=True, text=True, env=env)
        if res.returncode != 0:
            raise XxgkError(f"PostgreSQL: {' '.join(cmd[:1])} 失败 (failed): {res.stderr.strip() or res.stdout.strip()}")
        return res

    def start(self) -> "LocalPostgres":
        self.dir = Path(tempfile.mkdtemp(prefix="xxgk-pg-"))
        if self.run_as:
            shutil.chown(self.dir, "postgres")
        data = self.dir / "data"
        auth = ["-A", "trust"]
        if self.password:
            pwfile = self.dir / "pw"
            pwfile.write_text(self.password)
            if self.run_as:
                shutil.chown(pwfile, "postgres")
            auth = ["--pwfile", str(pwfile), "--auth-host=scram-sha-256", "--auth-local=scram-sha-256"]
        self._run(str(self.bin / "initdb"), "-D", str(data), "-U", self.user, *auth, "-E", "UTF8",
                  "--locale=C.UTF-8")
        for attempt in range(3):   # a free port can be taken between our check and the server's bind
            self.port = self.port or free_port()
            try:
                self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-w", "-t", "60", "-l", str(self.dir / "log"),
                          "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                                f"-c fsync=off -c max_connections=200", "start")
                break
            except XxgkError:
                if attempt == 2:
                    raise
                self.port = None
        self.create_database(self.dbname)
        return self

    def create_database(self, name: str) -> str:
        """A further empty database on the same server; returns its URL."""
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, name)
        return self.url.rsplit("/", 1)[0] + f"/{name}"

    def stop(self) -> None:
        if self.dir is None:
            return
        subprocess.run(self.run_as + [str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate",
                                      "-w", "stop"], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None


def dask_command() -> list[str]:
    """The `dask` command of the environment we run in."""
    exe = Path(sys.executable).with_name("dask")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "dask"]


class LocalDask(_Servers):
    """`dask scheduler` and `workers` × `dask worker` (one thread each) on 127.0.0.1. `env` is
    added to the workers' environment."""

    def __init__(self, workers: int = 2, *, nthreads: int = 1, env: dict | None = None, start_timeout: float = 60):
        self.n, self.nthreads, self.env, self.start_timeout = workers, nthreads, env or {}, start_timeout
        self.dir: Path | None = None
        self.scheduler: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.address = ""

    def _spawn(self, args: list[str], log: str, env: dict | None = None) -> subprocess.Popen:
        from . import quiet

        out = open(self.dir / log, "ab")
        try:
            # Its own session: stopping the group stops the worker's nanny and its child together.
            return subprocess.Popen(dask_command() + args, stdout=out, stderr=subprocess.STDOUT, cwd=self.dir,
                                    env={**os.environ, **quiet.environment(), **(env or {})},
                                    start_new_session=True)
        finally:
            out.close()

    def start(self) -> "LocalDask":
        self.dir = Path(tempfile.mkdtemp(prefix="xxgk-dask-"))
        info = self.dir / "scheduler.json"
        self.scheduler = self._spawn(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                      "--scheduler-file", str(info)], "scheduler.log")
        deadline = time.monotonic() + self.start_timeout
        while not self.address:
            if self.scheduler.poll() is not None or time.monotonic() > deadline:
                raise XxgkError(f"Dask 调度器未能启动 (scheduler did not start): {self.log('scheduler.log')[-2000:]}")
            time.sleep(0.1)
            try:   # the scheduler writes the file in place: it can be seen empty or half-written
                self.address = json.loads(info.read_text())["address"]
            except (OSError, ValueError, KeyError):
                continue
        for _ in range(self.n):
            self.add_worker()
        self.wait_for_workers(self.n)
        return self

    def add_worker(self, env: dict | None = None) -> subprocess.Popen:
        """One more `dask worker` named w<i> (i counts every worker started, dead ones too)."""
        i = len(self.workers)
        proc = self._spawn(["worker", self.address, "--nthreads", str(self.nthreads), "--name", f"w{i}",
                            "--no-dashboard", "--local-directory", str(self.dir / f"w{i}")],
                           f"worker{i}.log", {**self.env, **(env or {})})
        self.workers.append(proc)
        return proc

    def stop_worker(self, proc: subprocess.Popen) -> None:
        _stop_group(proc)

    def wait_for_workers(self, n: int | None = None) -> None:
        """Until `n` workers (default: every worker process still running) have joined."""
        from distributed import Client

        n = sum(p.poll() is None for p in self.workers) if n is None else n
        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(n, timeout=self.start_timeout)

    def kill_worker(self, i: int) -> None:
        """SIGKILL to the `dask worker` process (its nanny): as if the machine died."""
        self.workers[i].send_signal(signal.SIGKILL)
        self.workers[i].wait()

    def log(self, name: str) -> str:
        path = self.dir / name if self.dir else None
        return path.read_text(errors="replace") if path and path.exists() else ""

    def stop(self) -> None:
        for proc in self.workers + ([self.scheduler] if self.scheduler else []):
            _stop_group(proc)
        self.workers, self.scheduler = [], None
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None
