"""The one way xxgk reads YAML (params/agencies.yaml, params/sweeps/*.yaml): bounded and plain.

- size bounded before parsing (limits.YAML_BYTES);
- no anchors or aliases: an alias bomb (a few lines that expand to billions of nodes) is refused
  at its first `&` or `*`, before anything is built;
- every scalar is a string (yaml's BaseLoader: YAML 1.1 would turn the id 027 into 23 and `no`
  into False); callers check the shape they expect with `text`;
- a key given twice in one mapping is refused (PyYAML keeps the last one silently);
- UTF-8 only, and tabs, bad indentation and other syntax errors are messages naming file and line.

    load(path) -> dict | list | str | None
    text(value, where, path) -> str      a value that must be text (not a list or mapping)
    flag(value, where, path) -> bool     true/yes/on/1/是 or false/no/off/0/否
"""
from __future__ import annotations

from pathlib import Path

import yaml

from . import limits
from .errors import InputError


class _Refused(yaml.YAMLError):
    def __init__(self, message: str, mark):
        self.message, self.problem_mark = message, mark


class _Loader(yaml.BaseLoader):
    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused("不支持 YAML 锚点和别名（&name、*name），请把内容直接写出"
                           " (YAML anchors and aliases are not allowed)", event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                raise _Refused("键应为文字 (keys must be text)", key_node.start_mark)
            if key in seen:
                raise _Refused(f"键 {key!r} 重复（第一次在第 {seen[key] + 1} 行）(duplicate key)",
                               key_node.start_mark)
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def _message(exc: yaml.YAMLError) -> str:
    if isinstance(exc, _Refused):
        return exc.message
    problem = str(getattr(exc, "problem", "") or exc)
    if "'\\t'" in problem or "\t" in problem:
        return "YAML 不能用 Tab 缩进，请改用空格 (tabs are not allowed in YAML indentation)"
    return f"YAML 格式错误 (invalid YAML)：{problem}"


def load(path) -> object:
    """The document of the YAML file at `path` (None for an empty file); InputError naming the
    file and line for anything this module refuses."""
    path = Path(path)
    size = path.stat().st_size
    if size > limits.YAML_BYTES:
        raise InputError(f"文件过大（{size // limits.MB} MB，上限 {limits.YAML_BYTES // limits.MB} MB）(file too large)",
                         file=str(path))
    raw = path.read_bytes()
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError("文件不是 UTF-8 编码（GBK？），请用文本编辑器另存为 UTF-8 (not UTF-8)",
                         file=str(path), line=line) from None
    try:
        return yaml.load(source, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(_message(exc), file=str(path),
                         line=mark.line + 1 if mark is not None else None) from None


def text(value, where: str, path) -> str:
    """`value` if it is text; else an InputError naming `where` (a list or mapping where one
    value belongs)."""
    if not isinstance(value, str):
        kind = "列表" if isinstance(value, list) else "键值对" if isinstance(value, dict) else type(value).__name__
        raise InputError(f"{where}：应为文字，读到的是{kind} (expected text)", file=str(path))
    return value


_TRUE, _FALSE = {"true", "yes", "on", "1", "是"}, {"false", "no", "off", "0", "否"}


def flag(value, where: str, path) -> bool:
    """A yes/no value (draft, pdf, rollup); an InputError naming `where` for anything else."""
    word = text(value, where, path).strip().lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise InputError(f"{where}：应为 true 或 false，读到的是 {value!r} (expected true or false)", file=str(path))
