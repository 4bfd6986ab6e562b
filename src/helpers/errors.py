"""Errors for the user: every message names where the problem is (file, table, row, column)."""
from __future__ import annotations


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


class ExistingDataError(XxgkError):
    pass
