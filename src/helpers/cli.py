"""The `xxgk` command: one subcommand per module in helpers.commands."""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from . import dburl
from .environment import explain

# Each module in helpers.commands adds its own subcommand (keeps start-up light: heavy imports
# happen inside the command functions).
COMMANDS = [
    "importing",
    "export",
    "agencies",
    "check",
    "template",
    "narrative",
    "run",
    "rollup",
    "sweep",
    "synth",
    "demo",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xxgk",
        description="政府信息公开工作年度报告：导入、核对、生成、批量发布 "
                    "(annual reports on government information disclosure: import, check, render, publish)")
    parser.add_argument("--db", metavar="URL",
                        help="数据库地址 (database URL); default: $XXGK_DB, else sqlite:///data/xxgk.sqlite")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f".commands.{name}", __package__).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        status = int(args.func(args) or 0)
        sys.stdout.flush()      # a closed pipe shows here, not at exit
        return status
    except BrokenPipeError:
        # the reader stopped (`xxgk agencies | head`): not an error; nothing more to say, and
        # Python must not complain either when it flushes stdout at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141          # as a program killed by SIGPIPE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        # an error of ours, or of the machine (disk full, locked database, ...): a message naming
        # the thing and what to do; anything else is a bug and keeps its traceback
        problem = explain(exc, getattr(args, "db", None))
        if problem is None:
            raise
        print(f"xxgk {args.command}: {dburl.redact(str(problem))}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
