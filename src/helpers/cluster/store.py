"""Which stores a cluster can use: every worker must reach the same database."""
from __future__ import annotations

from ..errors import XxgkError


def require_shared_store(url: str) -> str:
    """Refuse a SQLite store with a scheduler: it is a file on this machine, which the workers
    on other machines cannot open (and SQLite over a network filesystem loses its locking).
    `url` is a public one (config.resolve_db: no password)."""
    if url.startswith("sqlite"):
        raise XxgkError(
            f"使用 Dask 集群时不能用 SQLite 数据库 {url}：它是本机上的一个文件，其他机器上的工作进程"
            f"读不到。请把数据导入各机器都能连接的 PostgreSQL，并用 --db postgresql+psycopg://用户@主机/库名"
            f" (a SQLite store is a file on this machine that workers elsewhere cannot read: with --scheduler, "
            f"use a PostgreSQL server every worker can reach, --db postgresql+psycopg://USER@HOST/DB)")
    return url
