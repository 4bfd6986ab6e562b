"""The `xxgk` command: one subcommand per module in helpers.commands."""
from __future__ import annotations

import argparse
import difflib
import importlib
import os
import re
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


class Parser(argparse.ArgumentParser):
    """argparse with its complaints said in Chinese (the English in brackets), and a misspelt
    command or option answered with the closest ones."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        said = chinese(message, self)
        self.exit(2, f"{self.prog}: {said}{'' if said.endswith(')') else f' ({message})'}\n")


def _closest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.5)
    return f"是不是 {' 或 '.join(close)}？" if close else ""


def _options(parser: argparse.ArgumentParser):
    """Every option string of `parser` and its subcommands (argparse reports a misspelt option
    of a subcommand from the top-level parser)."""
    for action in parser._actions:
        yield from action.option_strings
        for sub in (action.choices or {}).values() if isinstance(action, argparse._SubParsersAction) else ():
            yield from _options(sub)


def _choice(m: re.Match, parser) -> str:
    what, word, choices = m[1], m[2], re.findall(r"'([^']*)'", m[3])
    if what == "COMMAND":
        return f"没有 {word} 这个命令。{_closest(word, choices)}可用的命令：{'、'.join(choices)}"
    return f"{what} 不能是 {word}。{_closest(word, choices)}可选：{'、'.join(choices)}"


def _unrecognized(m: re.Match, parser) -> str:
    words = m[1].split()
    options = sorted(set(_options(parser))) if parser else []
    hints = "".join(_closest(w, options) for w in words if w.startswith("-"))
    return f"不认识的参数 {' '.join(words)}。{hints}用 --help 查看用法"


_KINDS = {"int": "整数", "float": "数字"}
# argparse's messages (Python 3.11) and what we say instead
MESSAGES = (
    (r"argument (\S+): invalid choice: '(.*?)' \(choose from (.*)\)$", _choice),
    (r"the following arguments are required: (.*)$", lambda m, p: f"缺少参数 {m[1]}"),
    (r"argument (\S+): invalid (\w+) value: '(.*)'$", lambda m, p: f"{m[1]} 应为{_KINDS.get(m[2], m[2])}，读到的是 {m[3]!r}"),
    (r"argument (\S+): expected one argument$", lambda m, p: f"{m[1]} 后面要跟一个值"),
    (r"unrecognized arguments: (.*)$", _unrecognized),
    # an argument type of ours (commands.arguments) said it already, with the English in brackets
    (r"argument (\S+): (.*[\u4e00-\u9fff].*)$", lambda m, p: f"{m[1]}：{m[2]}"),
)


def chinese(message: str, parser: argparse.ArgumentParser | None = None) -> str:
    """argparse's error `message` in Chinese, with a hint where a word was misspelt."""
    for pattern, say in MESSAGES:
        m = re.match(pattern, message)
        if m:
            return say(m, parser)
    return "命令行有误，用 --help 查看用法"


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
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
