"""`xxgk agencies --sync FILE`: the tree and the rollup flag loaded; cycles, unknown parents,
duplicate ids, YAML aliases and bad flags refused naming the ids, with nothing loaded."""
from __future__ import annotations

from helpers.cli import main
from helpers.store import Store
from helpers.synth import tree as example


def sync(db_url, path, capsys):
    code = main(["--db", db_url, "agencies", "--sync", str(path)])
    return code, capsys.readouterr()


def test_sync_loads_the_tree_and_the_rollup_flag(db_url, tmp_path, capsys):
    f = tmp_path / "units.yaml"
    f.write_text(example.declarations_yaml(), encoding="utf-8")
    code, out = sync(db_url, f, capsys)
    assert code == 0, out.err
    store = Store(db_url)
    assert {a.id: a.rollup for a in store.agencies()} == {i: r for i, _, _, _, r in example.TREE}
    assert store.tree().below("city")[:4] == ["dept-c", "dist-a", "street-a1", "street-a2"]   # depth first, by id
    assert "dist-a\t示例市甲区\t区\tcity\t-\t汇总 (rollup)" in out.out


def test_sync_refuses_a_cycle_naming_the_ids(db_url, tmp_path, capsys):
    rows = [("x", "甲", "", "z", False), ("y", "乙", "", "x", False), ("z", "丙", "", "y", False),
            ("ok", "丁", "", None, False)]
    f = tmp_path / "cycle.yaml"
    f.write_text(example.declarations_yaml(rows), encoding="utf-8")
    code, out = sync(db_url, f, capsys)
    assert code == 2
    assert "x → z → y → x" in out.err and str(f) in out.err
    assert Store(db_url).agencies() == []            # nothing loaded


def test_sync_refuses_unknown_parent_and_duplicates(db_url, tmp_path, capsys):
    f = tmp_path / "unknown.yaml"
    f.write_text(example.declarations_yaml([("a", "甲", "", "nowhere", False)]), encoding="utf-8")
    code, out = sync(db_url, f, capsys)
    assert code == 2 and "a → nowhere" in out.err
    twice = [("a", "甲", "", None, False), ("a", "乙", "", None, False)]
    f.write_text(example.declarations_yaml(twice), encoding="utf-8")
    code, out = sync(db_url, f, capsys)
    assert code == 2 and "a 重复" in out.err
    f.write_text("agencies:\n  - &x {id: a, name: 甲}\n  - *x\n", encoding="utf-8")
    code, out = sync(db_url, f, capsys)
    assert code == 2 and "别名" in out.err
    f.write_text("agencies:\n  - {id: a, name: 甲, rollup: maybe}\n", encoding="utf-8")
    code, out = sync(db_url, f, capsys)
    assert code == 2 and "rollup" in out.err
