"""One sweep per output folder: an exclusive flock on the folder itself.

No lock file: a lock file would be published with the folder (and an earlier version's
.xxgk-sweep.lock, opened with truncation, could be a planted link). The lock is on an open
descriptor of the folder, so it goes with the process however it ends: a killed sweep never
leaves a stale lock behind.
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path

from .. import atomic
from ..errors import SweepLocked

LEGACY_LOCK_NAME = ".xxgk-sweep.lock"   # what earlier versions left in every output folder


class SweepLock:
    """Context manager holding the folder's lock; `fd` is the descriptor a forked worker closes."""

    def __init__(self, out_dir: Path):
        self.path = Path(out_dir)
        self.fd: int | None = None

    def __enter__(self):
        atomic.make_dirs(self.path)
        fd = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise SweepLocked(
                f"输出目录 {self.path} 正被另一个批量生成任务使用，请等它结束后再试"
                f" (another sweep is running on this folder)") from None
        self.fd = fd
        # unlink removes a link itself, never what it points to
        (self.path / LEGACY_LOCK_NAME).unlink(missing_ok=True)
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
        return False
