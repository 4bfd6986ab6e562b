"""`make cluster-demo`: the demo of `make demo`, on a cluster. Starts a throw-away PostgreSQL
server, a Dask scheduler and two workers on 127.0.0.1, stores the demo data in PostgreSQL, renders
the demo sweep through the cluster into outputs/cluster-demo/, prints where the index is, and stops
everything it started, also on an error, Ctrl-C or SIGTERM. The reports stay; the database goes.

    .venv/bin/python -m helpers.cluster.demo [--out DIR] [--workers N] [--no-pdf]
"""
from __future__ import annotations

import argparse
import signal
import sys
from argparse import Namespace

from ..config import project_root
from ..errors import XxgkError


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="make cluster-demo", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(project_root() / "outputs" / "cluster-demo"), metavar="DIR")
    ap.add_argument("--workers", type=int, default=2, metavar="N", help="dask workers (default 2)")
    ap.add_argument("--no-pdf", dest="pdf", action="store_false")
    args = ap.parse_args(argv)
    # Each line as it happens, also through a pipe (`make cluster-demo | tee`): the addresses are
    # printed while the servers run, not at the end with everything else.
    sys.stdout.reconfigure(line_buffering=True)
    from ..commands import demo
    from .local import LocalDask, LocalPostgres

    signal.signal(signal.SIGTERM, _interrupt)   # stopped like Ctrl-C: the servers are stopped too
    try:
        with LocalPostgres() as pg:
            print(f"PostgreSQL: {pg.url}（临时，结束时删除 / throw-away）")
            with LocalDask(workers=args.workers) as dask:
                print(f"Dask 调度器 (scheduler): {dask.address}，{args.workers} 个工作进程 (workers)")
                # --force: the point is to watch the cluster render, also on a second run.
                return demo.run(Namespace(db=pg.url, out=args.out, pdf=args.pdf, workers=None,
                                          scheduler=dask.address, force=True))
    except KeyboardInterrupt:
        print("已中断，已停止启动的服务 (interrupted; the servers started are stopped)", file=sys.stderr)
        return 130
    except XxgkError as exc:
        print(f"make cluster-demo: {exc}", file=sys.stderr)
        return 2
    finally:
        print("已停止 PostgreSQL、调度器和工作进程 (PostgreSQL, scheduler and workers stopped)")


if __name__ == "__main__":
    sys.exit(main())
