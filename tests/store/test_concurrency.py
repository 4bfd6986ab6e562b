"""Several analysts importing into one store at once, with concurrent processes: on a real
PostgreSQL server (started by the test) and on SQLite.

The racing processes meet at a barrier right before they write, so that their transactions
overlap every time (with the old read-then-write code, two of them read the same last revision).
"""
from __future__ import annotations

import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.config import samples_dir
from helpers.errors import ExistingDataError
from helpers.format.model import Report
from helpers.store import Store
from helpers.synth.series import consistent_series

pytestmark = pytest.mark.cluster
XXGK = str(Path(sys.executable).with_name("xxgk"))
RACERS = 4


def report(agency: str, year: int, issued: int) -> Report:
    import random

    rep = consistent_series(random.Random(3), agency, [year])[0]
    rep.set("t2", "regulations", "issued", issued)   # tells the racers' reports apart
    rep.narrative = {"overview": f"第 {issued} 位分析员的导入。"}
    return rep


def _racer(url: str, barrier, i: int, agencies: list[str], replace: bool, queue) -> None:
    try:
        reports = [report(a, 2024, 100 + i) for a in agencies]
        store = Store(url)
        store.agencies()   # connected before the barrier: the race is in the transaction, not the log-in
        barrier.wait(timeout=60)
        saved = store.save_reports(reports, source=f"racer {i}", replace=replace)
        queue.put((i, "ok", [s.revision for s in saved]))
    except ExistingDataError as exc:
        queue.put((i, "refused", str(exc)))
    except Exception as exc:   # anything else is a failure of the test
        queue.put((i, "error", f"{type(exc).__name__}: {exc}"))


def race(url: str, agencies_of, replace: bool) -> list[tuple]:
    ctx = multiprocessing.get_context("spawn")   # fresh processes: no connection inherited
    barrier, queue = ctx.Barrier(RACERS), ctx.Queue()
    procs = [ctx.Process(target=_racer, args=(url, barrier, i, agencies_of(i), replace, queue))
             for i in range(RACERS)]
    for p in procs:
        p.start()
    results = sorted(queue.get(timeout=180) for _ in procs)
    for p in procs:
        p.join(30)
    return results


@pytest.fixture(params=["postgresql", "sqlite"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'x.sqlite'}"
    return request.getfixturevalue("pg_url")


def test_same_agency_year_replaced_at_once_gives_one_whole_revision_each(store_url):
    store = Store(store_url)
    store.save_reports([report("county", 2024, 1), report("town", 2024, 1)], source="first")
    # Each racer replaces both agencies, half of them naming them in the other order (no deadlock).
    results = race(store_url, lambda i: ["county", "town"] if i % 2 else ["town", "county"], replace=True)
    assert [status for _, status, _ in results] == ["ok"] * RACERS, results
    for agency in ("county", "town"):
        revs = store.revisions(agency, 2024)
        assert [r["revision"] for r in revs] == list(range(1, RACERS + 2))          # no gap, no duplicate
        assert [r["current"] for r in revs] == [0] * RACERS + [1]                   # the last one is current
        sources = [r["source"] for r in revs[1:]]
        assert sorted(sources) == [f"racer {i}" for i in range(RACERS)]
        for r in revs[1:]:   # each revision is one racer's report, whole: never a mix
            i = int(r["source"].split()[1])
            loaded = store.load_report(agency, 2024, revision=r["revision"])
            assert loaded.fingerprint() == report(agency, 2024, 100 + i).fingerprint()
    # Both agencies went through the racers in the same order: one transaction at a time.
    order = [[r["source"] for r in store.revisions(a, 2024)] for a in ("county", "town")]
    assert order[0] == order[1]
    current = store.load_report("county", 2024)
    assert current.value("t2", "regulations", "issued") == 100 + int(order[0][-1].split()[1])


def test_same_new_agency_year_at_once_one_is_stored_the_others_refused(store_url):
    results = race(store_url, lambda i: ["newtown"], replace=False)
    statuses = [status for _, status, _ in results]
    assert statuses.count("ok") == 1 and statuses.count("refused") == RACERS - 1, results
    assert all("已有数据" in msg and "--replace" in msg for _, status, msg in results if status == "refused")
    store = Store(store_url)
    assert [r["revision"] for r in store.revisions("newtown", 2024)] == [1]
    winner = next(i for i, status, _ in results if status == "ok")
    assert store.load_report("newtown", 2024).fingerprint() == report("newtown", 2024, 100 + winner).fingerprint()
    assert [a.id for a in store.agencies()] == ["newtown"]


def test_different_agencies_in_parallel_all_stored(store_url):
    results = race(store_url, lambda i: [f"unit-{i}"], replace=False)
    assert [status for _, status, _ in results] == ["ok"] * RACERS, results
    store = Store(store_url)
    assert store.report_keys() == [(f"unit-{i}", 2024) for i in range(RACERS)]


def test_import_commands_at_once_on_postgresql(pg_url):
    """The real command, four processes started together on one file with --replace."""
    csv = str(samples_dir() / "huaian-2024.expected.csv")
    assert subprocess.run([XXGK, "--db", pg_url, "import", csv], capture_output=True).returncode == 0
    procs = [subprocess.Popen([XXGK, "--db", pg_url, "import", "--replace", csv], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(RACERS)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * RACERS, outs
    revisions = sorted(int(out.split("第 ")[1].split(" 版")[0]) for out, _ in outs)
    assert revisions == list(range(2, RACERS + 2))
    store = Store(pg_url)
    assert [r["current"] for r in store.revisions("huaian", 2024)] == [0] * RACERS + [1]
