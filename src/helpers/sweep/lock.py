"""One sweep per output folder: an exclusive flock on DIR/.xxgk-sweep.lock."""
from __future__ import annotations

import fcntl
import os
from pathlib import Path

from ..errors import SweepLocked

LOCK_NAME = ".xxgk-sweep.lock"


class SweepLock:
    """Context manager. The lock goes with the open file: it is released when the process ends,
    however it ends, so a killed sweep never leaves a stale lock behind."""

    def __init__(self, out_dir: Path):
        self.path = Path(out_dir) / LOCK_NAME
        self.fd: int | None = None

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip()
            os.close(fd)
            raise SweepLocked(
                f"输出目录 {self.path.parent} 正被另一个批量生成任务使用（进程 {holder or '?'}），请等它结束后再试"
                f" (another sweep is running on this folder; lock file {self.path})") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
        return False
