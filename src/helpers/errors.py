"""Every error xxgk raises for the user, in one tree.

    XxgkError                 the command line prints the message, no traceback (exit status 2)
    ├── InputError            bad input; names file, line, table, row and column where known
    │   ├── InvalidValue      a cell value that does not fit its field (not a number, negative, …)
    │   ├── InvalidAgencyId   an agency id that cannot be used (ids end up in paths and URLs)
    │   └── InvalidYear       a report year out of range or not a number
    ├── ExistingDataError     data already stored (use --replace)
    ├── FontError             the CJK font the charts need is missing or lacks a glyph
    ├── NotebookFailed        a report notebook stopped in a cell
    ├── SweepLocked           another sweep works on the same output folder
    └── EnvironmentProblem    the machine, not the data: disk full, read-only folder, locked or
        │                     corrupt database, … (helpers.environment words them)
        └── UnsafeOutput      a symbolic link planted in the output folder: nothing is written
                              through it, nothing outside the folder changes

A report notebook raises these inside a kernel; the pipeline only sees the class name, and
`is_user_error` tells from it whether the message is the whole story (a refusal) or a failure.
"""
from __future__ import annotations

from pathlib import Path


class XxgkError(Exception):
    """An error meant for the user; the command line prints it without a traceback."""


class InputError(XxgkError):
    """Bad input data. Carries the location so the message can name file, line, table, row and column."""

    def __init__(self, message: str, *, file: str = "", line: int | None = None, table: str = "",
                 row: str = "", col: str = "", problems: list[str] | None = None):
        self.file, self.line, self.table, self.row, self.col = file, line, table, row, col
        self.problems = problems or []
        where = []
        if file:
            where.append(f"{file}" + (f":{line}" if line is not None else ""))
        cell = " · ".join(p for p in (table, row, col) if p)
        if cell:
            where.append(cell)
        self.detail = message
        super().__init__(("，".join(where) + "：" if where else "") + message)

    def at(self, **where) -> "InputError":
        """The same error located (file=, line=, table=, row=, col=): a value checked without
        knowing where it came from gets its place from the reader that knows."""
        loc = {k: getattr(self, k) for k in ("file", "line", "table", "row", "col")}
        loc.update({k: v for k, v in where.items() if v not in (None, "")})
        located = type(self).__new__(type(self))
        InputError.__init__(located, self.detail, problems=self.problems, **loc)
        return located


class InvalidValue(InputError):
    """A cell value that does not fit its field; the message is for the user (in Chinese)."""


class InvalidAgencyId(InputError):
    pass


class InvalidYear(InputError):
    pass


class ExistingDataError(XxgkError):
    pass


class FontError(XxgkError):
    pass


class SweepLocked(XxgkError):
    pass


class EnvironmentProblem(XxgkError):
    """The machine stops us, not the data: names the file or database and what to do.
    `errno` is the OSError's number when there was one (the sweep stops on a full disk)."""

    def __init__(self, message: str, *, errno: int | None = None):
        self.errno = errno
        super().__init__(message)


class UnsafeOutput(EnvironmentProblem):
    pass


class NotebookFailed(XxgkError):
    """The notebook stopped in a cell; names the cell and keeps the partial notebook."""

    def __init__(self, message: str, *, cell: str, ename: str, evalue: str, notebook: Path | None,
                 refused: bool, counts: dict | None = None):
        self.cell, self.ename, self.evalue, self.notebook, self.refused = cell, ename, evalue, notebook, refused
        self.counts = counts or {"errors": None, "warnings": None}   # findings the notebook got to
        super().__init__(message)


def is_user_error(ename: str) -> bool:
    """Whether an exception class name, as a notebook reports it, is one of ours: its message is
    meant for the user, no traceback needed."""
    cls = globals().get(ename)
    return isinstance(cls, type) and issubclass(cls, XxgkError)
