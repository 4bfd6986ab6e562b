"""docs/format.md, the project's own documentation of the format, says what the schema says: its
generated tables are exactly what helpers.format.docs writes from the schema now, and the
commands' help points there (the package's users have no FORMAT.md)."""
from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from helpers.cli import build_parser
from helpers.config import project_root
from helpers.format import docs, schema

DOC = project_root() / docs.DOC


def test_committed_docs_equal_the_generated_text():
    text = DOC.read_text(encoding="utf-8")
    assert docs.update(text) == text, "docs/format.md is out of date: run python -m helpers.format.docs"


def test_every_generated_block_is_in_the_docs_once():
    names = docs.blocks_in(DOC.read_text(encoding="utf-8"))
    assert sorted(names) == sorted(docs.BLOCKS)


def test_the_docs_carry_every_key_label_and_rule():
    text = DOC.read_text(encoding="utf-8")
    for layout in schema.LAYOUTS:
        for table in schema.layout(layout).tables():
            for r, c, f in table.cells():
                assert f"`{r}`" in text and f"`{c}`" in text and f.label in text
            for row in table.rows:
                assert row.label in text
    for rule in schema.RULES.values():
        assert f"`{rule.id}`" in text and rule.name in text and rule.title in text
    assert ",".join(schema.EXCHANGE_HEADER) in text


def test_a_schema_change_shows_in_the_docs(monkeypatch):
    """The comparison above can fail: a label changed in the schema changes the generated text."""
    text = DOC.read_text(encoding="utf-8")
    rule = schema.RULES["balance"]
    monkeypatch.setitem(schema.RULES, "balance", dataclasses.replace(rule, name="改过的名称"))
    assert docs.update(text) != text and "改过的名称" in docs.update(text)


def test_regenerating_writes_the_file(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    stale = DOC.read_text(encoding="utf-8").replace("| `balance` |", "| `balance-old` |")
    (tmp_path / "docs" / "format.md").write_text(stale, encoding="utf-8")
    env = {"XXGK_ROOT": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "helpers.format.docs"], check=True, env=env, capture_output=True)
    assert (tmp_path / "docs" / "format.md").read_text(encoding="utf-8") == DOC.read_text(encoding="utf-8")


def _helps():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    yield "xxgk", parser.format_help()
    for name, p in sub.choices.items():
        yield name, p.format_help()


@pytest.mark.parametrize("name,text", list(_helps()))
def test_help_and_readme_cite_the_docs_not_format_md(name, text):
    assert "FORMAT.md" not in text
    readme = (project_root() / "README.md").read_text(encoding="utf-8")
    assert "FORMAT.md" not in readme and "docs/format.md" in readme
