"""`xxgk agencies --sync FILE` (cycles, unknown parents, duplicate ids refused naming the ids; the
rollup flag) and `xxgk template --parent ID --year Y -o DIR` (one template per unit, 上年结转 prefilled
from last year's 结转下年度 and locked)."""
from __future__ import annotations

import pytest
import rollup_support as rs
from openpyxl import load_workbook

from helpers import importers
from helpers.cli import main
from helpers.store import Store


def sync(db_url, path, capsys):
    code = main(["--db", db_url, "agencies", "--sync", str(path)])
    return code, capsys.readouterr()


def test_sync_loads_the_tree_and_the_rollup_flag(db_url, tmp_path, capsys):
    f = tmp_path / "units.yaml"
    f.write_text(rs.yaml_text(), encoding="utf-8")
    code, out = sync(db_url, f, capsys)
    assert code == 0, out.err
    store = Store(db_url)
    assert {a.id: a.rollup for a in store.agencies()} == {i: r for i, _, _, _, r in rs.TREE}
    assert store.tree().below("city")[:4] == ["dept-c", "dist-a", "street-a1", "street-a2"]   # depth first, by id
    assert "dist-a\t示例市甲区\t区\tcity\t-\t汇总 (rollup)" in out.out


def test_sync_refuses_a_cycle_naming_the_ids(db_url, tmp_path, capsys):
    rows = [("x", "甲", "", "z", False), ("y", "乙", "", "x", False), ("z", "丙", "", "y", False),
            ("ok", "丁", "", None, False)]
    f = tmp_path / "cycle.yaml"
    f.write_text(rs.yaml_text(rows), encoding="utf-8")
    code, out = sync(db_url, f, capsys)
    assert code == 2
    assert "x → z → y → x" in out.err and str(f) in out.err
    assert Store(db_url).agencies() == []            # nothing loaded


def test_sync_refuses_unknown_parent_and_duplicates(db_url, tmp_path, capsys):
    f = tmp_path / "unknown.yaml"
    f.write_text(rs.yaml_text([("a", "甲", "", "nowhere", False)]), encoding="utf-8")
    code, out = sync(db_url, f, capsys)
    assert code == 2 and "a → nowhere" in out.err
    f.write_text(rs.yaml_text([("a", "甲", "", None, False), ("a", "乙", "", None, False)]), encoding="utf-8")
    code, out = sync(db_url, f, capsys)
    assert code == 2 and "a 重复" in out.err
    f.write_text("agencies:\n  - &x {id: a, name: 甲}\n  - *x\n", encoding="utf-8")
    code, out = sync(db_url, f, capsys)
    assert code == 2 and "别名" in out.err
    f.write_text("agencies:\n  - {id: a, name: 甲, rollup: maybe}\n", encoding="utf-8")
    code, out = sync(db_url, f, capsys)
    assert code == 2 and "rollup" in out.err


def test_a_store_made_before_the_rollup_column_gets_it(tmp_path):
    import sqlite3
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE agencies (id VARCHAR(64) PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL, "
                "parent_id VARCHAR(64), region TEXT NOT NULL, address TEXT NOT NULL, postcode TEXT NOT NULL, "
                "telephone TEXT NOT NULL)")
    con.execute("INSERT INTO agencies VALUES ('old', '旧机构', '', NULL, '', '', '', '')")
    con.commit()
    con.close()
    assert [(a.id, a.rollup) for a in Store(f"sqlite:///{path}").agencies()] == [("old", False)]


def test_template_per_unit_with_carry_over_locked(tmp_path, capsys):
    store = rs.make_store(tmp_path / "t.sqlite")
    out = tmp_path / "templates"
    assert main(["--db", store.url, "template", "--parent", "city", "--year", str(rs.YEAR + 1), "-o", str(out)]) == 0
    files = sorted(p.name for p in out.iterdir())
    # every unit below the parent except the 汇总 ones (dist-a, dist-b)
    assert files == sorted(f"{u}-{rs.YEAR + 1}.xlsx" for u in ("street-a1", "street-a2", "street-b1", "street-b2",
                                                               "dept-c"))
    for unit in ("street-a1", "street-a2"):
        path = out / f"{unit}-{rs.YEAR + 1}.xlsx"
        prev = store.load_report(unit, rs.YEAR)
        read = importers.read(path, partial=True)[0]
        assert read.agency == unit and read.year == rs.YEAR + 1 and read.layout == prev.layout
        for col in prev.table("t3").columns:
            assert read.get("t3", "carried_over", col.key) == prev.get("t3", "carried_forward", col.key)
        wb = load_workbook(path)
        ws = wb[next(n for n in wb.sheetnames if "三" in n)]
        locked = [c for row in ws.iter_rows() for c in row
                  if c.value is not None and isinstance(c.value, int) and c.protection.locked and ws.protection.sheet]
        assert len(locked) >= len(prev.table("t3").columns)
    # a unit with nothing stored the year before gets the row open
    read = importers.read(out / f"street-b1-{rs.YEAR + 1}.xlsx", partial=True)[0]
    assert all(read.get("t3", "carried_over", c.key).state == "blank" for c in read.table("t3").columns)
    assert "其中 4 个" in capsys.readouterr().out


def test_template_parent_needs_a_folder_and_a_year(tmp_path, capsys):
    store = rs.make_store(tmp_path / "t.sqlite")
    assert main(["--db", store.url, "template", "--parent", "city", "-o", str(tmp_path / "x")]) == 2
    assert main(["--db", store.url, "template", "--parent", "city", "--year", "2025", "-o",
                 str(tmp_path / "x.xlsx")]) == 2
    assert main(["--db", store.url, "template", "--parent", "street-a1", "--year", "2025", "-o",
                 str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "--year" in err and "目录" in err and "没有下级单位" in err
