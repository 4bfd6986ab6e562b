"""A report's output folder, OUT/<year>/<agency>/, and every name in it.

Every path of one report goes through `ReportFolder`: the pipeline writes there, the sweep plans
from it, cleans up after killed workers, keeps the failure's traces and links to the files.

    report.ipynb                            the executed notebook
    report.html, report.pdf, report.docx    the page, printed, and the Word document made from it
    checks.json, provenance.json            the check findings; what the report was made from
    report.failed.ipynb, checks.failed.json the notebook up to the cell that failed; its findings
    sweep.log                               a sweep worker's output, kept when its report failed

The report's files are published as a set or not at all. A render writes them into a staging
folder beside the report's, OUT/<year>/.<agency>.staging-<pid>-<random>/, and `publish` swaps the
two folders in one rename (renameat2 RENAME_EXCHANGE; other files of the folder, such as a
roll-up's, are carried over as hard links first). A render that fails, times out or runs out of
disk leaves the published set as it was, with the failure's traces beside it. Staging folders and
temporary files of processes that died (kill -9) are removed by the next run (`clean_stale`).

Nothing is written through a symbolic link found in the output folder (atomic.check_inside): a
year or report folder that is a link is refused with a message.

The roll-up of the agency's units (notebooks/rollup.ipynb) lives in the same folder under its own
names, through `RollupFolder` (ReportFolder with other names): rollup.ipynb, rollup.html,
rollup.pdf, rollup.json (its status and provenance, in place of provenance.json),
rollup.failed.ipynb and rollup.log. It is staged and published the same way, carrying the report's
files over as the report carries its; one publish at a time in a year folder (a lock on the
folder) so that neither loses the other's new files. The roll-up of everything in the store is in
OUT/<year>/_all/.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import shutil
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .. import atomic
from ..format.ids import check_agency_id

# kind -> file name of what a rendered report leaves in its folder
OUTPUT_FILES = {"ipynb": "report.ipynb", "html": "report.html", "pdf": "report.pdf", "docx": "report.docx",
                "checks": "checks.json", "provenance": "provenance.json"}
FAILED_NOTEBOOK = "report.failed.ipynb"
FAILED_CHECKS = "checks.failed.json"
LOG = "sweep.log"
# papermill wants the .ipynb ending for the notebook it writes while running
TMP_NOTEBOOK_PREFIX, TMP_NOTEBOOK_SUFFIX = ".report.", ".tmp.ipynb"
TMP_NOTEBOOK_GLOB = f"{TMP_NOTEBOOK_PREFIX}*{TMP_NOTEBOOK_SUFFIX}"
TMP_WRITE_GLOB = f".*{atomic.TMP_SUFFIX}"
# The roll-up of a parent's units beside the parent's report; the roll-up of everything in `_all`.
ROLLUP_FILES = {"ipynb": "rollup.ipynb", "html": "rollup.html", "pdf": "rollup.pdf", "provenance": "rollup.json"}
ROLLUP_ALL = "_all"      # no agency id starts with "_"
# OUT/<year>/.<agency>.staging-<pid>-<hex>: a render in progress (or, after the swap, the old set
# on its way out); .<agency>.old-<pid>-<hex>: the old set when the swap had to take two renames
_SPARE = re.compile(r"^\.(?P<agency>[a-z0-9][a-z0-9-]*|_all)\.(?P<kind>staging|old)-(?P<pid>\d+)-[0-9a-f]+$")
_TMP_PID = re.compile(r"\.(\d+)-[0-9a-f]+(?:\.tmp|\.tmp\.ipynb)$")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a child that died but was not waited for yet is a zombie: not alive for our purpose
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return True


def _remove_tree(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


@contextmanager
def _one_publish_at_a_time(folder: Path):
    """An exclusive lock on `folder` (no lock file: a descriptor of the folder itself)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Staging:
    """Where one render writes the report's (or roll-up's) files before they are published together."""
    path: Path
    files: dict | None = None           # kind -> file name (the folder's FILES; None: a report's)
    notebook_prefix: str = TMP_NOTEBOOK_PREFIX

    def output(self, kind: str) -> Path:
        return self.path / (self.files or OUTPUT_FILES)[kind]

    def new_notebook(self) -> Path:
        """An empty file for papermill to write the running notebook to."""
        return atomic.new_file(self.path, self.notebook_prefix, TMP_NOTEBOOK_SUFFIX)

    def discard(self) -> None:
        _remove_tree(self.path)


@dataclass(frozen=True)
class ReportFolder:
    out_dir: Path
    agency: str
    year: int
    # this kind of output and its names (class attributes: RollupFolder has its own)
    KIND = "report"
    FILES = OUTPUT_FILES
    TRACES = (FAILED_NOTEBOOK, FAILED_CHECKS)      # a failed render's, beside the published set
    LOG_NAME = LOG
    TMP_PREFIX = TMP_NOTEBOOK_PREFIX

    def __post_init__(self):
        object.__setattr__(self, "out_dir", Path(self.out_dir))
        object.__setattr__(self, "agency", check_agency_id(self.agency))   # it becomes a folder name
        object.__setattr__(self, "year", int(self.year))

    @cached_property
    def path(self) -> Path:
        # cached: a sweep's plan asks 10 000 folders for their files, and pathlib joins dominate
        return self.out_dir / str(self.year) / self.agency

    def output(self, kind: str) -> Path:
        """One of FILES by its kind: ipynb, html, pdf, docx (a report's), checks, provenance."""
        return self.path / self.FILES[kind]

    def outputs(self, pdf: bool = True, docx: bool = True) -> dict[str, Path]:
        """kind -> path of every output a rendered report has (without the PDF if not `pdf`, without
        the Word document if not `docx`)."""
        wanted = {"pdf": pdf, "docx": docx}
        return {kind: self.output(kind) for kind in self.FILES if wanted.get(kind, True)}

    @property
    def failed_notebook(self) -> Path:
        return self.path / self.TRACES[0]

    @property
    def failed_checks(self) -> Path:
        return self.path / FAILED_CHECKS

    @property
    def log(self) -> Path:
        return self.path / self.LOG_NAME

    def relative(self, path: Path) -> str:
        """`path` as written in the manifest and linked from index.html: 2024/huaian/report.html."""
        return Path(os.path.relpath(path, self.out_dir)).as_posix()

    def is_safe(self) -> bool:
        """No link on the way from the output folder to this folder (nothing is followed out).
        atomic.check_inside's test for the two levels a report folder has (year and agency are
        checked names, never .. or a path), with plain strings: the plan asks it of every report."""
        cur = os.fspath(self.out_dir)
        for part in (str(self.year), self.agency):
            cur = os.path.join(cur, part)
            if os.path.islink(cur):
                return False
        return True

    def is_complete(self, pdf: bool, docx: bool = True) -> bool:
        """Every output of the set is there (as a file, not a link)."""
        if not self.is_safe():
            return False
        base = str(self.path)      # plain strings: the plan asks this of every report of a sweep
        wanted = {"pdf": pdf, "docx": docx}
        return all(is_regular_file(os.path.join(base, name)) for kind, name in self.FILES.items()
                   if wanted.get(kind, True))

    # -- writing ---------------------------------------------------------------------------------
    def prepare(self) -> Path:
        """The folder, made if missing, after refusing links on the way from the output folder and
        removing what dead runs of this report left."""
        atomic.make_dirs(self.path, inside=self.out_dir)
        self.clean_stale()
        return self.path

    def stage(self) -> Staging:
        """A new, empty staging folder beside the report's folder (call `prepare` first)."""
        for _ in range(100):
            path = self.path.parent / f".{self.agency}.staging-{os.getpid()}-{os.urandom(4).hex()}"
            try:
                path.mkdir()          # mode from the umask, like the folder it will replace
                return Staging(path, self.FILES, self.TMP_PREFIX)
            except FileExistsError:
                continue
        raise FileExistsError(path)

    def write_trace(self, path: Path, data: bytes) -> Path:
        """A failure's trace (failed notebook, its findings) into the published folder."""
        return atomic.write_bytes(path, data, inside=self.out_dir)

    def publish(self, staging: Staging) -> None:
        """Make the staged files the report's published set, in one step. Files of the folder that
        are not the report's (a roll-up, a worker's log) are carried over; the report's failure
        traces are not. Afterwards `staging` holds what was replaced (discard it). One publish at a
        time in the year folder: the report and the roll-up of one agency, published at the same
        moment, would each carry over the other's old files."""
        atomic.check_inside(self.out_dir, self.path / "x")
        with _one_publish_at_a_time(self.path.parent):
            self._swap(staging)

    def _swap(self, staging: Staging) -> None:
        target = self.path
        if not target.exists():
            os.rename(staging.path, target)
            return
        own = set(self.FILES.values()) | set(self.TRACES)
        moved_dirs = []
        for entry in os.scandir(target):
            if entry.name in own or _SPARE.match(entry.name) or entry.name.endswith(atomic.TMP_SUFFIX) \
                    or entry.name.endswith(TMP_NOTEBOOK_SUFFIX):
                continue
            dest = staging.path / entry.name
            if entry.is_dir(follow_symlinks=False):
                os.rename(entry.path, dest)
                moved_dirs.append((dest, Path(entry.path)))
            else:
                try:
                    os.link(entry.path, dest, follow_symlinks=False)
                except OSError:
                    shutil.copy2(entry.path, dest, follow_symlinks=False)
        try:
            if _exchange(staging.path, target):
                return
            old = target.parent / f".{self.agency}.old-{os.getpid()}-{os.urandom(4).hex()}"
            os.rename(target, old)      # a crash right here is repaired by clean_stale
            os.rename(staging.path, target)
            os.rename(old, staging.path)
        except BaseException:
            for dest, src in moved_dirs:
                if dest.exists() and not src.exists():
                    os.rename(dest, src)
            raise

    # -- after a run -----------------------------------------------------------------------------
    def _spares(self) -> list[tuple[Path, str, int]]:
        return spares_in(self.path.parent).get(self.agency, [])

    def clean_stale(self, everything: bool = False, spares: list | None = None) -> None:
        """Remove staging folders and temporary files that processes which died left for this
        report (all of them with `everything`, when no render of it can be running). An old set
        caught between the two renames of a swap without RENAME_EXCHANGE is put back. `spares`:
        this report's entries of spares_in(), when the caller has scanned the folder already."""
        for path, kind, pid in self._spares() if spares is None else spares:
            if not everything and _alive(pid):
                continue
            if kind == "old" and not self.path.exists():
                os.rename(path, self.path)
            else:
                _remove_tree(path)
        if self.path.is_dir() and not self.path.is_symlink():
            for tmp in self.temporary_files():
                m = _TMP_PID.search(tmp.name)
                if everything or not m or not _alive(int(m.group(1))):
                    tmp.unlink(missing_ok=True)

    def temporary_files(self) -> list[Path]:
        """Atomic writes in progress and papermill notebooks in the folder (the report's and the roll-up's)."""
        return [*self.path.glob(TMP_WRITE_GLOB), *self.path.glob(f".*{TMP_NOTEBOOK_SUFFIX}")]

    def rescue_partial(self) -> Path | None:
        """After a worker died or failed: the partial notebook it left (saved before each cell on
        the rerun after a crash) is kept; without one, papermill's running notebook from its
        staging folder, if it holds anything, becomes it. Then nothing of the run remains but its
        traces. Returns the partial notebook, if any."""
        failed = self.failed_notebook
        for path, kind, _ in self._spares():
            if kind != "staging":
                continue
            for tmp in sorted(path.glob(f"{self.TMP_PREFIX}*{TMP_NOTEBOOK_SUFFIX}")):
                if not failed.is_file() and tmp.stat().st_size > 0:
                    atomic.make_dirs(self.path, inside=self.out_dir)
                    os.replace(tmp, failed)
        self.clean_stale(everything=True)
        return failed if failed.is_file() else None


@dataclass(frozen=True)
class RollupFolder(ReportFolder):
    """The roll-up of `agency`'s units for `year` (agency None: of everything in the store)."""
    KIND = "rollup"
    FILES = ROLLUP_FILES
    TRACES = ("rollup.failed.ipynb",)
    LOG_NAME = "rollup.log"
    TMP_PREFIX = ".rollup."

    def __post_init__(self):
        if self.agency in (None, ROLLUP_ALL):
            object.__setattr__(self, "out_dir", Path(self.out_dir))
            object.__setattr__(self, "agency", ROLLUP_ALL)
            object.__setattr__(self, "year", int(self.year))
        else:
            super().__post_init__()


FOLDERS = {f.KIND: f for f in (ReportFolder, RollupFolder)}   # kind -> its folder class


def spares_in(year_dir: Path) -> dict[str, list[tuple[Path, str, int]]]:
    """The staging folders and old sets in a year's folder, by agency: (path, kind, pid)."""
    if not year_dir.is_dir() or year_dir.is_symlink():
        return {}
    found: dict[str, list] = {}
    for entry in os.scandir(year_dir):
        m = _SPARE.match(entry.name)
        if m:
            found.setdefault(m["agency"], []).append((Path(entry.path), m["kind"], int(m["pid"])))
    return found


def clean_stale(out_dir: Path) -> int:
    """Remove, in every report folder of `out_dir`, what processes that died left (staging
    folders, temporary files); returns how many report folders were looked at. Called at the start
    of a sweep, whose lock guarantees no other sweep writes there."""
    out_dir = Path(out_dir)
    seen = set()
    for year_dir in (p for p in out_dir.iterdir() if p.name.isdigit()) if out_dir.is_dir() else ():
        if year_dir.is_symlink() or not year_dir.is_dir():
            continue
        spares = spares_in(year_dir)   # once per year: per report it was n² (20 s for 10 000)
        for entry in os.scandir(year_dir):
            m = _SPARE.match(entry.name)
            key = (year_dir.name, m["agency"] if m else entry.name)
            if key in seen or not (m or entry.is_dir(follow_symlinks=False)):
                continue
            try:   # _all holds only a roll-up; an agency's folder its report and its roll-up
                folder = (RollupFolder if key[1] == ROLLUP_ALL else ReportFolder)(out_dir, key[1], int(year_dir.name))
            except Exception:   # not a report folder (no valid agency id): not ours
                continue
            seen.add(key)
            folder.clean_stale(spares=spares.get(key[1], []))
    return len(seen)


def remove(*paths: Path) -> None:
    for path in paths:
        Path(path).unlink(missing_ok=True)


def is_regular_file(path: Path) -> bool:
    """A file that is not a link (links planted in the output folder are not followed)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
