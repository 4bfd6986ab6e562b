"""Publishing never loses or leaks (issue 12, items 1-5): file modes, a report's files replaced as a
set or not at all, no password in any output, no writing through links planted in the output
folder, no live formula in any CSV."""
from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from helpers import atomic
from helpers.cli import main
from helpers.config import samples_dir
from helpers.render.folder import ReportFolder
from helpers.sweep.site import STALE_LABEL
from helpers.sweep.testhooks import ENV as CRASH_ENV

XXGK = str(Path(sys.executable).with_name("xxgk"))
SAMPLES = samples_dir()
HUAIAN = SAMPLES / "huaian-2024.expected.csv"


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def modes(root: Path) -> dict[str, str]:
    """relative path -> octal mode of everything below `root` (links not followed)."""
    return {p.relative_to(root).as_posix(): oct(stat.S_IMODE(p.lstat().st_mode)) for p in sorted(root.rglob("*"))}


def digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


@contextmanager
def tmpfs(path: Path, options: str):
    """A real small (or read-only) file system at `path` for the block; skipped where mounting
    is not allowed (not root)."""
    path.mkdir(parents=True, exist_ok=True)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


# --- item 1: modes ---------------------------------------------------------------------------
def test_atomic_writes_get_the_mode_open_gives(tmp_path, umask_022):
    new = atomic.write_text(tmp_path / "sub" / "new.txt", "x")
    assert oct(stat.S_IMODE(new.stat().st_mode)) == "0o644"
    assert oct(stat.S_IMODE(new.parent.stat().st_mode)) == "0o755"
    private = tmp_path / "private.txt"
    private.write_text("old")
    private.chmod(0o600)
    atomic.write_text(private, "new")               # an existing file keeps its mode, as open("w")
    assert oct(stat.S_IMODE(private.stat().st_mode)) == "0o600" and private.read_text() == "new"
    os.umask(0o077)
    assert oct(stat.S_IMODE(atomic.write_text(tmp_path / "strict.txt", "x").stat().st_mode)) == "0o600"


@pytest.mark.slow
def test_everything_a_sweep_and_the_commands_publish_is_readable_by_others(tmp_path, synth_db, sweep, umask_022):
    db = synth_db(tmp_path / "x.sqlite", n=1, years=(2023,))
    out = tmp_path / "out"
    assert sweep(db, out, pdf=True).rendered == 1
    found = modes(out)
    assert found and {m for p, m in found.items() if (out / p).is_dir()} == {"0o755"}, found
    assert {m for p, m in found.items() if (out / p).is_file()} == {"0o644"}, found
    assert {"index.html", "summary.csv", "manifest.json", "2023/demo-0001/report.ipynb",
            "2023/demo-0001/report.pdf"} <= set(found)

    export = tmp_path / "export.csv"
    export.write_text("")
    export.chmod(0o644)
    assert main(["--db", db, "export", "-o", str(export)]) == 0
    assert oct(stat.S_IMODE(export.stat().st_mode)) == "0o644"     # was turned into 0600
    assert main(["--db", db, "template", "-o", str(tmp_path / "t.xlsx")]) == 0
    assert oct(stat.S_IMODE((tmp_path / "t.xlsx").stat().st_mode)) == "0o644"


# --- item 2: a failed re-render keeps the published set -------------------------------------------
@pytest.mark.slow
def test_a_failed_rerender_keeps_the_previous_set_and_the_index_says_it_is_stale(tmp_path, synth_db, sweep, manifest,
                                                                                   monkeypatch):
    db = synth_db(tmp_path / "x.sqlite", n=1, years=(2022, 2023))
    out = tmp_path / "out"
    assert sweep(db, out).rendered == 2
    folders = {y: ReportFolder(out, "demo-0001", y) for y in (2022, 2023)}
    before = {y: digests(f.path) for y, f in folders.items()}

    # one report raises in a cell, the other's worker is killed (and killed again on the rerun)
    monkeypatch.setenv(CRASH_ENV, "demo-0001:2022:raise,demo-0001:2023:kill")
    r = sweep(db, out, force=True)
    assert (r.rendered, r.failed) == (0, 2)
    for year, folder in folders.items():
        after = digests(folder.path)
        published = {k: v for k, v in after.items() if k in before[year]}
        assert published == before[year], year                 # the set as it was, byte for byte
        record = json.loads(folder.output("provenance").read_text(encoding="utf-8"))
        assert record["files"]["report.html"] == after["report.html"]
        assert (folder.path / "report.failed.ipynb").is_file()
        entry = manifest(out)[f"{year}/demo-0001"]
        assert entry["result"] == "failed" and entry["stale"] is True and entry["published_key"]
    assert not [p for p in (out / "2022").iterdir() if p.name.startswith(".")]   # no staging left
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count(STALE_LABEL) == 2 and 'href="2022/demo-0001/report.html"' in index

    # the next good render replaces the set and drops the traces
    monkeypatch.delenv(CRASH_ENV)
    assert sweep(db, out, retry_failed=True).rendered == 2
    assert not (folders[2022].path / "report.failed.ipynb").exists()
    assert STALE_LABEL not in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_disk_full_during_a_sweep_ends_with_a_message_and_valid_files(tmp_path, synth_db):
    with tmpfs(tmp_path / "disk", "size=4m") as disk:
        db = synth_db(tmp_path / "x.sqlite", n=1, years=(2022, 2023))
        out = disk / "out"
        cmd = [XXGK, "--db", db, "sweep", "--out", str(out), "--no-pdf", "--workers", "1", "-q"]
        first = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        assert first.returncode == 0, first.stderr
        before = digests(out / "2022")
        # fill the disk but for a few kilobytes: the manifest still fits, a report does not
        free = shutil.disk_usage(disk).free
        (disk / "filler").write_bytes(b"\0" * max(0, free - 48 * 1024))
        res = subprocess.run(cmd + ["--force"], capture_output=True, text=True, timeout=300)
        assert res.returncode == 1, res.stderr
        assert "磁盘已满" in res.stderr and "Traceback" not in res.stderr, res.stderr
        after = digests(out / "2022")
        assert {k: after.get(k) for k in before} == before          # the published set as it was
        m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))      # valid JSON
        assert set(m["reports"]) == {"2022/demo-0001", "2023/demo-0001"}
        assert "</html>" in (out / "index.html").read_text(encoding="utf-8")
        assert not [p for p in out.rglob(".*") if "staging" in p.name or p.name.endswith(".tmp")]


@pytest.mark.slow
def test_read_only_out_is_a_message(tmp_path, synth_db):
    with tmpfs(tmp_path / "ro", "ro,size=1m") as ro:
        db = synth_db(tmp_path / "x.sqlite", n=1, years=(2023,))
        for command in (["sweep", "--out", str(ro / "out"), "--no-pdf", "-q"],
                        ["run", "--agency", "demo-0001", "--year", "2023", "--out", str(ro), "--no-pdf"],
                        ["export", "-o", str(ro / "x.csv")]):
            res = subprocess.run([XXGK, "--db", db, *command], capture_output=True, text=True, timeout=120)
            assert res.returncode == 2 and "只读" in res.stderr and str(ro) in res.stderr, res.stderr
            assert "Traceback" not in res.stderr


# --- item 3: no password in any output ---------------------------------------------------------
PASSWORD = "S3cret-Pw_7f0c"


@pytest.fixture(scope="module")
def pg_password_url():
    """A throwaway PostgreSQL server on 127.0.0.1 whose role needs a password (scram-sha-256)."""
    from helpers.cluster.local import LocalPostgres, postgres_bin

    if postgres_bin() is None:
        pytest.skip("PostgreSQL server programs not installed")
    with LocalPostgres(user="xxgk", password=PASSWORD) as server:
        yield server.url


@pytest.mark.slow
def test_the_database_password_reaches_no_output(pg_password_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("XXGK_DB_PASSWORD", "PGPASSWORD")}
    run = lambda *args: subprocess.run([XXGK, "--db", pg_password_url, *args], capture_output=True, text=True,  # noqa: E731
                                       timeout=300, env=env)
    said = []
    for args in (["import", str(HUAIAN), str(SAMPLES / "qianjindao-2023.expected.csv")],
                 ["sweep", "--out", str(tmp_path / "out"), "--no-pdf", "--draft", "-q"],
                 ["run", "--agency", "huaian", "--year", "2024", "--out", str(tmp_path / "run"), "--draft",
                  "--no-pdf", "--engine", "nbclient"],
                 ["run", "--agency", "huaian", "--year", "2024", "--out", str(tmp_path / "run")],   # refused
                 ["export", "-o", str(tmp_path / "export.csv")]):
        res = run(*args)
        said += [res.stdout, res.stderr]
        assert "Traceback" not in res.stderr, res.stderr
    assert (tmp_path / "out" / "2024" / "huaian" / "report.html").is_file()        # the notebook connected
    assert (tmp_path / "run" / "2024" / "huaian" / "report.failed.ipynb").is_file()
    nb = json.loads((tmp_path / "out" / "2024" / "huaian" / "report.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["papermill"]["parameters"]["db"].startswith("postgresql+psycopg://xxgk@127.0.0.1")
    # a server that refuses the connection: the message names it, without the password
    wrong = pg_password_url.replace("@127.0.0.1:", "@127.0.0.1:1").rsplit(":", 1)[0] + ":1/xxgk"
    res = subprocess.run([XXGK, "--db", wrong, "agencies"], capture_output=True, text=True, timeout=60, env=env)
    assert res.returncode == 2 and "127.0.0.1" in res.stderr and "Traceback" not in res.stderr
    said += [res.stdout, res.stderr]
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) > 10
    leaked = [str(p) for p in files if PASSWORD.encode() in p.read_bytes()]
    assert leaked == []
    assert not [s for s in said if PASSWORD in s]


# --- item 4: links planted in the output folder -----------------------------------------------------
@pytest.mark.slow
def test_links_planted_in_the_output_folder_are_not_followed(tmp_path, synth_db, sweep, manifest):
    db = synth_db(tmp_path / "x.sqlite", n=2, years=(2023,))
    outside = tmp_path / "outside"
    outside.mkdir()
    victims = {name: outside / name for name in ("log", "lock", "index", "manifest", "summary")}
    for name, path in victims.items():
        path.write_text(f"precious {name}\n")
    elsewhere = outside / "dir"
    elsewhere.mkdir()
    out = tmp_path / "out"
    (out / "2023" / "demo-0001").mkdir(parents=True)
    (out / "2023" / "demo-0001" / "sweep.log").symlink_to(victims["log"])
    (out / ".xxgk-sweep.lock").symlink_to(victims["lock"])
    (out / "index.html").symlink_to(victims["index"])
    (out / "manifest.json").symlink_to(victims["manifest"])
    (out / "summary.csv").symlink_to(victims["summary"])
    (out / "2023" / "demo-0002").symlink_to(elsewhere, target_is_directory=True)
    before = digests(outside)

    r = sweep(db, out)
    assert digests(outside) == before and list(elsewhere.iterdir()) == []      # nothing outside changed
    assert (r.rendered, r.failed) == (1, 1)
    entry = manifest(out)["2023/demo-0002"]
    assert entry["result"] == "failed" and "符号链接" in entry["error"]
    for name in ("index.html", "manifest.json", "summary.csv"):
        assert (out / name).is_file() and not (out / name).is_symlink()         # the link itself replaced
    assert not (out / ".xxgk-sweep.lock").exists() and not (out / ".xxgk-sweep.lock").is_symlink()
    assert 'href="2023/demo-0002/' not in (out / "index.html").read_text(encoding="utf-8")


# --- item 5: formulas in CSV -------------------------------------------------------------------
HOSTILE_NAMES = ['=HYPERLINK("http://example.invalid/x","点击")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
                 "-2+3", "\t=1+1", "\r=1+1"]


def _calc_cells(path: Path, tmp_path: Path) -> list[list]:
    """The CSV as LibreOffice Calc reads it: (value, formula) of every cell, via a .xlsx it saves."""
    from openpyxl import load_workbook

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    outdir = tmp_path / "calc"
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--infilter=CSV:44,34,76,1", "--outdir", str(outdir), str(path)],
                   check=True, capture_output=True, timeout=120)
    wb = load_workbook(outdir / f"{path.stem}.xlsx")
    return [[c.value for c in row] for row in wb.active.iter_rows()]


@pytest.mark.slow
def test_no_cell_of_any_csv_written_becomes_a_formula(tmp_path):
    from helpers.format.schema import Agency
    from helpers.store import Store
    from helpers.sweep.manifest import Manifest
    from helpers.sweep.site import write_site

    out = tmp_path / "site"
    m = Manifest(out)
    agencies = {}
    for i, name in enumerate(HOSTILE_NAMES):
        agency = f"evil-{i}"
        agencies[agency] = Agency(agency, name, level=name)
        m.put(dict(agency=agency, year=2024, status="failed", result="failed", errors=1, warnings=0,
                   error=name, input_key="k", duration=1.0))
    m.save()
    _, summary = write_site(m, agencies)
    with open(summary, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert {r[1] for r in rows[1:]} == {"'" + n for n in HOSTILE_NAMES if n != "-2+3"} | {"'-2+3"}
    cells = _calc_cells(summary, tmp_path)
    texts = [v for row in cells[1:] for v in row[1:3]]
    assert all(isinstance(v, str) and not v.startswith("=") for v in texts), texts
    assert not any(isinstance(v, str) and v.startswith("=") for row in cells for v in row)

    # the exchange CSV: a negative 2019 本年增/减 stays a number for Calc too
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    from helpers import importers
    rep = importers.read(HUAIAN)[0]
    rep.year = 2019
    from helpers.format import schema
    from helpers.format.model import Report
    old = Report.zeros("huaian", 2019, "2019")
    key = next(k for k in schema.cell_order("2019") if schema.field_of("2019", *k).kind == schema.DELTA)
    old.set(*key, -3)
    Store(db).save_reports([old], source="test")
    export = tmp_path / "export.csv"
    assert main(["--db", db, "export", "-o", str(export)]) == 0
    line = next(l for l in export.read_text(encoding="utf-8").splitlines() if l.startswith(f"huaian,2019,{','.join(key)},"))
    assert line.endswith(",-3")
    cells = _calc_cells(export, tmp_path)
    assert any(row[:5] == ["huaian", 2019, *key] and row[5] == -3 for row in cells)


# --- item 10: a sweep stopped or killed ----------------------------------------------------------
def _wait_for(condition, seconds: float = 120) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _gone(pid: int) -> bool:
    """The process has ended (a zombie nobody reaps counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except OSError:
        return True


@pytest.mark.slow
def test_sigterm_after_a_worker_published_still_records_the_report(tmp_path, synth_db, manifest):
    db = synth_db(tmp_path / "x.sqlite", n=1, years=(2023,))
    out = tmp_path / "out"
    folder = ReportFolder(out, "demo-0001", 2023)
    env = dict(os.environ, **{CRASH_ENV: "demo-0001:2023:linger"})
    proc = subprocess.Popen([XXGK, "--db", db, "sweep", "--out", str(out), "--no-pdf", "-q"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert _wait_for(lambda: folder.output("provenance").is_file())      # published, not yet reported
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    entry = manifest(out)["2023/demo-0001"]
    assert entry["result"] in ("rendered", "warnings") and entry["input_key"]
    assert 'href="2023/demo-0001/report.html"' in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_what_a_killed_sweep_left_is_cleaned_by_the_next_run(tmp_path, synth_db, sweep):
    db = synth_db(tmp_path / "x.sqlite", n=1, years=(2023,))
    out = tmp_path / "out"
    assert sweep(db, out).rendered == 1
    folder = ReportFolder(out, "demo-0001", 2023)
    before = digests(folder.path)
    env = dict(os.environ, **{CRASH_ENV: "demo-0001:2023:hang"})
    proc = subprocess.Popen([XXGK, "--db", db, "sweep", "--out", str(out), "--no-pdf", "-q", "--force"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    leftovers = lambda: [p for p in (out / "2023").iterdir() if p.name.startswith(".")]  # noqa: E731
    assert _wait_for(lambda: any(p.glob(".report.*.tmp.ipynb") for p in leftovers()))
    worker = int(leftovers()[0].name.split("-")[-2])   # .demo-0001.staging-<pid>-<hex>
    proc.kill()                                        # kill -9: no clean-up of its own
    proc.wait(timeout=30)
    assert _wait_for(lambda: _gone(worker), 30)        # its worker dies with it (PR_SET_PDEATHSIG)
    assert leftovers()                                 # its worker's staging folder with papermill's notebook
    r = sweep(db, out)                                 # unchanged: the report is skipped ...
    assert (r.rendered, r.skipped) == (0, 1)
    assert leftovers() == []                           # ... and what the killed run left is gone
    assert digests(folder.path) == before
