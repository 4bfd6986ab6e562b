"""Every file xxgk writes goes through here.

- Atomic: a temporary file in the same folder, renamed over the target; readers see the old file
  or the new one, never half of one.
- Modes as a plain open() gives them: a new file gets 0666 less the umask (0644 under umask 022),
  a file that exists keeps its mode, folders get 0777 less the umask. (mkstemp's 0600 left
  published reports unreadable to a web server running as another user.)
- No writing through links: the temporary file is made with O_EXCL | O_NOFOLLOW, and the rename
  replaces a link that has the target's name instead of writing where it points. With
  `inside=ROOT`, every folder from ROOT down to the file must be a real folder, not a link: a link
  planted in an output folder cannot send anything outside it (UnsafeOutput).
- Failures name the file and what to do (environment.os_problem): disk full, read-only, …

    write_bytes(path, data, inside=None) / write_text(path, text, inside=None) -> Path
    make_dirs(path, inside=None) -> Path          mkdir -p, refusing links below `inside`
    check_inside(root, path) -> Path              the same check without creating anything
    new_file(folder, prefix, suffix) -> Path      an empty file with a normal mode, for a writer
                                                  that wants a path (papermill's notebook)
    open_for_writing(path, inside=None) -> fd     truncating open that replaces a link, never follows it
"""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from .errors import UnsafeOutput

TMP_SUFFIX = ".tmp"
_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def _refuse_link(path: Path, root: Path) -> UnsafeOutput:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return UnsafeOutput(f"{path} 是指向 {target} 的符号链接：输出目录 {root} 中的链接不会被跟随，"
                        f"什么也没有写入；请删除这个链接后重试 (symbolic link in the output folder refused)")


def check_inside(root, path) -> Path:
    """`path`, if it lies under `root` and no existing folder between them (nor `path` itself,
    unless it is the file to be replaced) is a symbolic link; else UnsafeOutput. `root` itself may
    be a link: the user chose it."""
    root, path = Path(root), Path(path)
    try:
        rel = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root)))
    except ValueError:
        rel = Path("..")
    if rel.parts and rel.parts[0] == "..":
        raise UnsafeOutput(f"{path} 不在输出目录 {root} 之内，拒绝写入 (outside the output folder)")
    cur = root
    for part in rel.parts[:-1] if rel.parts else ():
        cur = cur / part
        if cur.is_symlink():
            raise _refuse_link(cur, root)
    return path


def make_dirs(path, inside=None) -> Path:
    """mkdir -p with the umask's mode; below `inside` no part may be a link (or a file)."""
    from .environment import os_problem

    path = Path(path)
    if inside is not None:
        check_inside(inside, path / "x")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:                   # FileExistsError: a file where a folder is needed
        raise os_problem(exc, path) from None
    return path


def _existing_mode(path: Path) -> int | None:
    """Permission bits of the regular file at `path` (not followed), or None."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, "Is a directory", str(path))
    return stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else None


def _create(folder: Path, prefix: str, suffix: str) -> tuple[int, Path]:
    for _ in range(100):
        # the pid in the name tells the next run whether the writer is still alive (render.folder)
        tmp = folder / f"{prefix}{os.getpid()}-{secrets.token_hex(4)}{suffix}"
        try:
            return os.open(tmp, _NEW, 0o666), tmp   # the kernel applies the umask, as open() does
        except FileExistsError:
            continue
    raise FileExistsError(f"{folder}: no free temporary name")


def write_bytes(path, data: bytes, *, inside=None) -> Path:
    from .environment import os_problem

    path = Path(path)
    make_dirs(path.parent, inside)
    if inside is not None:
        check_inside(inside, path)
    tmp = None
    try:
        mode = _existing_mode(path)
        fd, tmp = _create(path.parent, f".{path.name}.", TMP_SUFFIX)
        with os.fdopen(fd, "wb") as fh:
            if mode is not None:
                os.fchmod(fh.fileno(), mode)     # replacing a file keeps its mode, as open("w") would
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise os_problem(exc, path) from None
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text(path, text: str, *, inside=None) -> Path:
    return write_bytes(path, text.encode("utf-8"), inside=inside)


def new_file(folder, prefix: str, suffix: str) -> Path:
    """An empty new file in `folder` with the umask's mode (for a writer that needs a path)."""
    from .environment import os_problem

    try:
        fd, tmp = _create(Path(folder), prefix, suffix)
    except OSError as exc:
        raise os_problem(exc, folder) from None
    os.close(fd)
    return tmp


def open_for_writing(path, *, inside=None) -> int:
    """A file descriptor for writing `path` from its start. Whatever had that name (a file, or a
    link planted there) is replaced, never followed."""
    from .environment import os_problem

    path = Path(path)
    make_dirs(path.parent, inside)
    if inside is not None:
        check_inside(inside, path)
    try:
        if path.is_symlink():
            path.unlink()
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise os_problem(exc, path) from None
