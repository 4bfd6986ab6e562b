"""render.folder.clean_stale: what processes that died left in an output folder, cleaned in one
scan of each year's folder, each report's leftovers to that report only."""
from __future__ import annotations

import subprocess
import sys

from helpers.render.folder import ReportFolder, clean_stale


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_leftovers_of_dead_processes_are_cleaned_per_report(tmp_path):
    out, dead = tmp_path / "out", dead_pid()
    year = out / "2023"
    for agency in ("demo-0001", "demo-00010", "demo-0002"):
        folder = ReportFolder(out, agency, 2023)
        folder.path.mkdir(parents=True)
        (folder.path / "report.html").write_text(agency)
    # demo-0001: a dead render's staging folder; a live one's (ours) stays
    (year / f".demo-0001.staging-{dead}-ab12").mkdir()
    (year / f".demo-0001.staging-{dead}-ab12" / "report.html").write_text("half")
    live = year / ".demo-00010.staging-1-cd34"        # pid 1 is alive
    live.mkdir()
    # demo-0003: its set caught between the two renames of a swap: the old set is put back
    (year / f".demo-0003.old-{dead}-ef56").mkdir()
    (year / f".demo-0003.old-{dead}-ef56" / "report.html").write_text("published")

    assert clean_stale(out) == 4
    left = sorted(p.name for p in year.iterdir())
    assert left == [".demo-00010.staging-1-cd34", "demo-0001", "demo-00010", "demo-0002", "demo-0003"]
    assert (year / "demo-0003" / "report.html").read_text() == "published"
    for agency in ("demo-0001", "demo-00010", "demo-0002"):
        assert (year / agency / "report.html").read_text() == agency
