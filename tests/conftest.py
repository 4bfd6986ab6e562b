"""Fixtures every test folder may use: a fresh database URL, the bundled samples, the test data, a
store holding a small agency tree, the text of a PDF, a command started to be stopped with Ctrl-C;
and the Hypothesis profile every property test runs under."""
from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
from hypothesis import settings

from helpers.config import samples_dir as _samples_dir

# Property tests draw the same examples on every run (`ci`, the default): a run passes or fails by
# the code alone, never by the draw (the round-trip property once failed CI at random). Random
# exploration is asked for: HYPOTHESIS_PROFILE=random (Hypothesis' own defaults), or at length
# bench/roundtrip_property.py.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("random")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def db_url(tmp_path) -> str:
    """A fresh SQLite store of its own for one test."""
    return f"sqlite:///{tmp_path / 'xxgk.sqlite'}"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """data/samples: real published reports, each with its numbers in `X.expected.csv`."""
    return _samples_dir()


@pytest.fixture(scope="session")
def expected_csvs(samples_dir) -> list[Path]:
    return sorted(samples_dir.glob("*.expected.csv"))


@pytest.fixture(scope="session")
def test_data_dir() -> Path:
    """tests/data: files made for the tests (the blank official Word template, a stand-in notebook)."""
    return Path(__file__).resolve().parent / "data"


@pytest.fixture
def tree_store(db_url):
    """A store of its own holding helpers.synth.tree: three levels, 汇总 units, a unit that has not
    reported, one in the single-row （六） layout."""
    from helpers.store import Store
    from helpers.synth.tree import store_tree
    return store_tree(Store(db_url))


@pytest.fixture(scope="session")
def pdf_text():
    """pdf_text(path) -> the PDF's text as `pdftotext -layout` extracts it."""
    def read(path) -> str:
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    return read


def _sigint_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(scope="session")
def popen_for_ctrl_c():
    """popen_for_ctrl_c(args, **popen_kwargs): subprocess.Popen of a command the test will stop
    with SIGINT, as Ctrl-C in a terminal does. The child starts with SIGINT at its default action
    whatever this process inherited: a CI job started in the background by a non-interactive shell
    has SIGINT ignored, an ignored signal stays ignored across exec, and the command would then
    never see the test's Ctrl-C (a program started like that is meant to be immune to it)."""
    def start(args, **kwargs) -> subprocess.Popen:
        return subprocess.Popen(args, preexec_fn=_sigint_default, **kwargs)
    return start


@pytest.fixture(scope="session")
def pg_server():
    """A throw-away PostgreSQL server on 127.0.0.1 for the whole session (one per xdist worker)."""
    from helpers.cluster.local import LocalPostgres, postgres_bin

    if postgres_bin() is None:
        pytest.skip("PostgreSQL server programs not installed")
    with LocalPostgres() as server:
        yield server


@pytest.fixture
def pg_url(pg_server, request) -> str:
    """A fresh, empty database on the session's server."""
    import re

    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:50] + f"_{id(request) % 100000}"
    return pg_server.create_database(name)


@pytest.fixture(scope="session")
def dask_cluster():
    """A Dask scheduler and two workers on 127.0.0.1 for the session. The workers inject faults
    (testhooks) into the reports of agencies fault-0001 and fault-0002 only."""
    from helpers.cluster.local import LocalDask
    from helpers.sweep.testhooks import ENV

    with LocalDask(workers=2, env={ENV: WORKER_FAULTS}) as dask:
        yield dask


WORKER_FAULTS = "fault-0001:2022:raise,fault-0001:2023:exit,fault-0002:2022:kill,fault-0002:2023:hang"


@pytest.fixture
def watched_url():
    """(base URL of a server on 127.0.0.1, the paths it was asked for): a file or page that makes
    a program fetch from it shows up in the list. Answers 404 to everything."""
    import http.server
    import threading

    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_error(404)
        do_OPTIONS = do_HEAD = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", asked
    finally:
        server.shutdown()
        server.server_close()
