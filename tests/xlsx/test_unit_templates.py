"""`xxgk template --parent ID --year Y -o DIR`: one template per unit below the parent (not for 汇总
units), 上年结转 prefilled from last year's 结转下年度 and locked; wrong arguments refused."""
from __future__ import annotations

from openpyxl import load_workbook

from helpers import importers
from helpers.cli import main
from helpers.synth import tree as example


def test_template_per_unit_with_carry_over_locked(tree_store, tmp_path, capsys):
    store = tree_store
    out = tmp_path / "templates"
    year = str(example.YEAR + 1)
    assert main(["--db", store.url, "template", "--parent", "city", "--year", year, "-o", str(out)]) == 0
    files = sorted(p.name for p in out.iterdir())
    # every unit below the parent except the 汇总 ones (dist-a, dist-b)
    assert files == sorted(f"{u}-{example.YEAR + 1}.xlsx" for u in ("street-a1", "street-a2", "street-b1", "street-b2",
                                                               "dept-c"))
    for unit in ("street-a1", "street-a2"):
        path = out / f"{unit}-{example.YEAR + 1}.xlsx"
        prev = store.load_report(unit, example.YEAR)
        read = importers.read(path, partial=True)[0]
        assert read.agency == unit and read.year == example.YEAR + 1 and read.layout == prev.layout
        for col in prev.table("t3").columns:
            assert read.get("t3", "carried_over", col.key) == prev.get("t3", "carried_forward", col.key)
        wb = load_workbook(path)
        ws = wb[next(n for n in wb.sheetnames if "三" in n)]
        locked = [c for row in ws.iter_rows() for c in row
                  if c.value is not None and isinstance(c.value, int) and c.protection.locked and ws.protection.sheet]
        assert len(locked) >= len(prev.table("t3").columns)
    # a unit with nothing stored the year before gets the row open
    read = importers.read(out / f"street-b1-{example.YEAR + 1}.xlsx", partial=True)[0]
    assert all(read.get("t3", "carried_over", c.key).state == "blank" for c in read.table("t3").columns)
    assert "其中 4 个" in capsys.readouterr().out


def test_template_parent_needs_a_folder_and_a_year(tree_store, tmp_path, capsys):
    store = tree_store
    assert main(["--db", store.url, "template", "--parent", "city", "-o", str(tmp_path / "x")]) == 2
    assert main(["--db", store.url, "template", "--parent", "city", "--year", "2025", "-o",
                 str(tmp_path / "x.xlsx")]) == 2
    assert main(["--db", store.url, "template", "--parent", "street-a1", "--year", "2025", "-o",
                 str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "--year" in err and "目录" in err and "没有下级单位" in err
