"""Errors of the machine rather than of the data, turned into messages that name the thing and
say what to do (Chinese, English in brackets): a full disk, a read-only or missing folder, a file
where a folder is expected, a database locked by another writer, a file at the store's path that
is no database, a server that refuses the connection.

    os_problem(exc, path) -> EnvironmentProblem      an OSError met while writing or reading `path`
    database_problem(exc, db) -> EnvironmentProblem  an SQLAlchemy/driver error, without the SQL
    explain(exc, db=None) -> XxgkError | None        either of them, or None if `exc` is neither

The command line (cli.main), the import loop (ingest) and the sweep's workers all go through
`explain`, so the same fault reads the same everywhere. No message carries a password (dburl).
"""
from __future__ import annotations

import errno as E

from . import dburl
from .errors import EnvironmentProblem, XxgkError

_OS_ADVICE = {
    E.ENOSPC: "磁盘已满，请腾出空间后重试 (disk full)",
    E.EDQUOT: "超出磁盘配额，请腾出空间后重试 (disk quota exceeded)",
    E.EROFS: "所在的文件系统是只读的，请换一个可写的目录 (read-only file system)",
    E.EACCES: "没有权限，请换一个目录或检查权限 (permission denied)",
    E.EPERM: "不允许这样操作，请检查权限 (operation not permitted)",
    E.ENOTDIR: "路径中有一部分是文件而不是目录，请指定一个目录 (a path component is a file, not a folder)",
    E.EEXIST: "已存在同名文件，而这里需要一个目录，请指定一个目录 (a file is in the way of a folder)",
    E.EISDIR: "这是一个目录，请给出文件名 (is a folder: give a file name)",
    E.ENOENT: "不存在，请检查路径 (no such file or folder)",
    E.ELOOP: "是符号链接，拒绝跟随 (symbolic link refused)",
    E.ENAMETOOLONG: "路径太长 (file name too long)",
    E.EMFILE: "打开的文件太多，请关闭其他程序后重试 (too many open files)",
    E.EIO: "读写出错（磁盘或网络盘故障？）(input/output error)",
}


def os_problem(exc: OSError, path=None) -> EnvironmentProblem:
    """An OSError as a message naming `path` (else the file the error names) and what to do."""
    where = str(path if path is not None else (exc.filename or ""))
    advice = _OS_ADVICE.get(exc.errno, f"{exc.strerror or exc} ({E.errorcode.get(exc.errno, 'OSError')})")
    return EnvironmentProblem(f"{where + '：' if where else ''}{advice}", errno=exc.errno)


def _where(db: str) -> str:
    """The database as messages name it: the SQLite file, else the URL without password."""
    return db[len("sqlite:///"):] if db.startswith("sqlite:///") else dburl.split(db)[0]


def database_problem(exc: Exception, db: str | None = None) -> EnvironmentProblem:
    """A database error as a message: what is wrong with which database and what to do; never the
    SQL statement or its parameters."""
    from .config import busy_timeout, resolve_db

    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    lower = text.lower()
    db = resolve_db(db)
    where = _where(db)
    if "database is locked" in lower or "database table is locked" in lower:
        msg = (f"数据库 {where} 正被另一个程序写入（已等待 {busy_timeout():g} 秒仍被锁定），请等它结束后重试"
               f" (database is locked by another writer)")
    elif "file is not a database" in lower or "malformed" in lower or "not a database" in lower:
        msg = (f"{where} 不是 SQLite 数据库或已损坏；请检查 --db / $XXGK_DB 指向的文件，"
               f"或把它移走后重新导入 (not a database, or a damaged one)")
    elif "unable to open database file" in lower:
        msg = f"无法打开数据库文件 {where}：目录不存在、是文件或没有权限 (cannot open the database file)"
    elif "readonly database" in lower or "read-only" in lower:
        msg = f"数据库 {where} 是只读的，无法写入；请检查文件权限 (read-only database)"
    elif "disk is full" in lower or "database or disk is full" in lower:
        msg = f"数据库 {where} 所在的磁盘已满，请腾出空间后重试 (disk full)"
    elif not db.startswith("sqlite") and type(exc).__name__ == "OperationalError":
        msg = f"无法使用数据库 {where}：{text}；请检查地址、服务器是否运行、用户名和密码 (database unavailable)"
    else:
        msg = f"数据库 {where} 出错：{type(orig).__name__}: {text} (database error)"
    return EnvironmentProblem(dburl.redact(msg))


def explain(exc: BaseException, db: str | None = None) -> XxgkError | None:
    """A message for an error of the environment, or None when `exc` is not one."""
    if isinstance(exc, XxgkError):
        return exc
    if isinstance(exc, OSError) and exc.errno is not None:
        return os_problem(exc)
    try:
        from sqlalchemy.exc import DBAPIError, DatabaseError, OperationalError
    except ImportError:  # pragma: no cover - a dependency
        return None
    if isinstance(exc, (DBAPIError, DatabaseError, OperationalError)):
        return database_problem(exc, db)
    return None
