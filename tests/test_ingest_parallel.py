"""`xxgk import FOLDER`: one process per file on all cores, and on a Dask cluster (--scheduler),
with the same summary and the same stored data as one file after the other."""
from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.importers.exchange_csv import to_text
from helpers.store import Store
from helpers.synth.series import consistent_series

XXGK = str(Path(sys.executable).with_name("xxgk"))


@pytest.fixture
def folder(tmp_path, samples_dir) -> Path:
    """Exchange CSVs of 4 agencies × 2 years, a published text report, and one broken file."""
    d = tmp_path / "in"
    d.mkdir()
    for i in range(4):
        for rep in consistent_series(random.Random(i), f"unit-{i}", [2022, 2023]):
            (d / f"unit-{i}-{rep.year}.csv").write_text(to_text([rep]), encoding="utf-8")
    (d / "qianjindao-2023.txt").write_bytes((samples_dir / "qianjindao-2023.txt").read_bytes())
    (d / "broken.csv").write_text("agency,year,table,row,col,value\nunit-9,2023,t2,regulations,issued,-1\n",
                                  encoding="utf-8")
    return d


def xxgk(db: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([XXGK, "--db", db, "import", *args], capture_output=True, text=True, timeout=600)


def summary(stdout: str) -> list[str]:
    """The summary table and its last line (the messages above it come as files finish)."""
    lines = stdout.splitlines()
    return lines[next(i for i, line in enumerate(lines) if line.startswith("文件 file")):]


def stored(db: str) -> dict:
    store = Store(db)
    return {(a, y): (store.load_report(a, y).fingerprint(), [r["source"] for r in store.revisions(a, y)])
            for a, y in store.report_keys()}


def test_folder_imported_in_parallel_as_one_by_one(folder, tmp_path):
    serial, parallel = (f"sqlite:///{tmp_path / name}.sqlite" for name in ("serial", "parallel"))
    one = xxgk(serial, str(folder), "--workers", "1")
    two = xxgk(parallel, str(folder), "--workers", "2")
    assert one.returncode == two.returncode == 1          # the broken file
    assert summary(two.stdout) == summary(one.stdout)
    assert summary(two.stdout)[-1].startswith("9 个文件已导入，1 个失败")
    assert f"{folder / 'broken.csv'}" in two.stderr and "失败 (failed)" in two.stderr
    assert sorted(line for line in two.stdout.splitlines() if "第 1 版" in line) == \
        sorted(line for line in one.stdout.splitlines() if "第 1 版" in line)
    assert stored(parallel) == stored(serial) and len(stored(serial)) == 9
    again = xxgk(parallel, str(folder), "--workers", "2")   # each file its own transaction: all refused
    assert again.returncode == 1 and summary(again.stdout)[-1].startswith("0 个文件已导入，10 个失败")
    assert stored(parallel) == stored(serial)


@pytest.mark.cluster
@pytest.mark.slow
def test_folder_imported_on_the_cluster(folder, pg_url, pg_server, dask_cluster, tmp_path):
    local_db = pg_server.create_database("import_local")
    local = xxgk(local_db, str(folder))
    remote = xxgk(pg_url, str(folder), "--scheduler", dask_cluster.address)
    assert remote.returncode == local.returncode == 1, (remote.stderr, local.stderr)
    assert summary(remote.stdout) == summary(local.stdout)
    assert stored(pg_url) == stored(local_db)
    # The workers read copies; messages and the import log name the user's files.
    assert f"{folder / 'broken.csv'}" in remote.stderr and "xxgk-import-" not in remote.stderr + remote.stdout
    assert {e["source"] for e in Store(pg_url).import_log()} == {str(p) for p in folder.iterdir()
                                                                 if p.name != "broken.csv"}
