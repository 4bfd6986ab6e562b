"""The tables of docs/format.md, generated from the schema so that the documentation cannot drift.

docs/format.md is prose written by hand around blocks marked

    <!-- generated: NAME -->
    ...
    <!-- end generated -->

whose content is `BLOCKS[NAME]()`. `python -m helpers.format.docs` rewrites the blocks in place;
tests/format/test_docs.py fails when the committed file differs from what this module generates.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from . import schema

DOC = Path("docs") / "format.md"
_BLOCK = re.compile(r"(<!-- generated: (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- end generated -->)", re.S)


def _table(header: tuple[str, ...], rows) -> str:
    def cell(v) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _code(key: str) -> str:
    return f"`{key}`"


def sections() -> str:
    return _table(("序号 no.", "键 key", "标题 heading", "表 table", "必填 required"), (
        (s.number, _code(s.key), s.title, schema.table_name(s.table) if s.table else "",
         "是" if s.required else "") for s in schema.SECTIONS)) + \
        f"\n引言（报告开头、第一部分之前的文字）的键为 {_code(schema.PREAMBLE)}。\n"


def kinds() -> str:
    names = {schema.COUNT: "件数 (count)", schema.AMOUNT: "金额 (amount)", schema.DELTA: "增减数 (delta)"}
    return _table(("值的种类 kind", "键 key", "整数 integer", "可为负 negative"), (
        (names[k], _code(k), "是" if v.integer else "否", "是" if v.negative else "否")
        for k, v in schema.KINDS.items()))


def _t2(version: str) -> str:
    t = schema.table("t2", version)
    return _table(("栏目 block", "行 row", "行标签 label", "列 col", "列标签 label", "种类 kind"), (
        (b.caption, _code(r.key), r.label, _code(f.key), f.label, f.kind)
        for b in t.blocks for r in b.rows for f in r.fields))


def t2_2021() -> str:
    return _t2("2021")


def t2_2019() -> str:
    return _t2("2019")


def t3_columns() -> str:
    return _table(("列 col", "标签 label"), ((_code(c.key), c.label) for c in schema.T3_COLUMNS))


def _t3_rows(rows) -> str:
    return _table(("行 row", "标签 label", "所属 group"), (
        (_code(r.key), r.label, " / ".join(r.groups)) for r in rows))


def t3_rows() -> str:
    return _t3_rows(schema.table("t3", "2021").rows)


def t3_2019() -> str:
    rows = [r for r in schema.table("t3", "2019").rows if r.key not in {x.key for x in schema.table("t3", "2021").rows}]
    return _t3_rows(rows)


def t4() -> str:
    t = schema.table("t4")
    return (_table(("组 row", "标签 label"), ((_code(r.key), r.label) for r in t.rows)) + "\n" +
            _table(("列 col", "标签 label"), ((_code(c.key), c.label) for c in t.columns)))


def layouts() -> str:
    years = range(schema.FIRST_YEAR, schema.LAST_YEAR + 1)
    switch = next(y for y in years if schema.default_layout_for_year(y) == schema.DEFAULT_LAYOUT)
    return _table(("格式 layout", "表二", "表三", "说明"), (
        (_code(lay.id), lay.t2, lay.t3, lay.description) for lay in schema.LAYOUTS.values())) + \
        f"\n表四各格式相同。未指明时，{switch} 年度以前的报告用 `{schema.default_layout_for_year(switch - 1)}`，" \
        f"之后用 `{schema.DEFAULT_LAYOUT}`。年度范围 {schema.FIRST_YEAR}–{schema.LAST_YEAR}。\n"


def rules() -> str:
    return _table(("规则 rule", "名称 name", "级别 severity", "内容 what it checks", "说明 advice"), (
        (_code(r.id), r.name, f"{schema.SEVERITY_LABELS[r.severity]} ({r.severity})", r.title, r.advice)
        for r in schema.RULES.values()))


def exchange_header() -> str:
    return "```\n" + ",".join(schema.EXCHANGE_HEADER) + "\n```\n"


def agency_fields() -> str:
    return _table(("字段 field", "标签 label"), ((_code(k), v) for k, v in schema.AGENCY_FIELD_LABELS.items()))


BLOCKS = {
    "sections": sections, "kinds": kinds, "t2-2021": t2_2021, "t2-2019": t2_2019, "t3-columns": t3_columns,
    "t3-rows": t3_rows, "t3-2019": t3_2019, "t4": t4, "layouts": layouts, "rules": rules,
    "exchange-header": exchange_header, "agency-fields": agency_fields,
}


def update(text: str) -> str:
    """`text` with every generated block filled from the schema; an unknown block name is an error."""
    def fill(m: re.Match) -> str:
        name = m.group("name")
        if name not in BLOCKS:
            raise KeyError(f"unknown generated block {name!r}; known: {', '.join(BLOCKS)}")
        return m.group(1) + BLOCKS[name]() + m.group(4)
    return _BLOCK.sub(fill, text)


def blocks_in(text: str) -> list[str]:
    return [m.group("name") for m in _BLOCK.finditer(text)]


def main(argv: list[str] | None = None) -> int:
    from ..atomic import write_text
    from ..config import project_root

    path = project_root() / DOC
    old = path.read_text(encoding="utf-8")
    new = update(old)
    if new != old:
        write_text(path, new)
        print(f"updated {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
