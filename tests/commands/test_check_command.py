"""`xxgk check` end to end through helpers.cli.main with a temporary database."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from helpers.checks import FINDING_KEYS
from helpers.cli import main
from helpers.config import samples_dir
from helpers.format import schema
from helpers.importers.exchange_csv import to_text
from helpers.synth.series import consistent_series

SAMPLES = samples_dir()


def xxgk(db_url, *args) -> int:
    return main(["--db", db_url, *args])


@pytest.fixture
def series_csv(tmp_path) -> Path:
    reps = consistent_series(random.Random(9), "demo-county", [2022, 2023], scale=2, narrative=False)
    path = tmp_path / "series.csv"
    path.write_text(to_text(reps), encoding="utf-8")
    return path


def test_consistent_series_passes(db_url, series_csv, capsys):
    assert xxgk(db_url, "import", "-q", str(series_csv)) == 0
    capsys.readouterr()
    assert xxgk(db_url, "check") == 0
    out = capsys.readouterr().out
    assert out.strip() == "核对了 2 份报告：0 个错误，0 个提示 (2 reports checked: 0 errors, 0 warnings)"
    assert xxgk(db_url, "check", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_carry_over_error_found_in_the_store(db_url, series_csv, tmp_path, capsys):
    lines = series_csv.read_text(encoding="utf-8").splitlines()
    # the 2023 report claims one more request carried over (in 自然人 and 总计) and one fewer new one
    edited = []
    for line in lines:
        a, y, t, r, c, v = line.split(",")
        if y == "2023" and t == "t3" and c in ("natural_person", "total") and r in ("carried_over", "new_received"):
            v = str(int(v) + (1 if r == "carried_over" else -1))
        edited.append(",".join((a, y, t, r, c, v)))
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(edited) + "\n", encoding="utf-8")
    assert xxgk(db_url, "import", "-q", str(bad)) == 0
    capsys.readouterr()
    assert xxgk(db_url, "check", "--format", "json") == 1
    findings = json.loads(capsys.readouterr().out)
    assert all(tuple(f) == FINDING_KEYS for f in findings)
    carry = [f for f in findings if f["rule"] == "carry_over"]
    assert [(f["agency"], f["year"], f["table"], f["row"], f["col"], f["severity"]) for f in carry] == [
        ("demo-county", 2023, "t3", "carried_over", "natural_person", "error"),
        ("demo-county", 2023, "t3", "carried_over", "total", "error")]
    assert carry[0]["actual"] == carry[0]["expected"] + 1
    assert xxgk(db_url, "check", "--year", "2022") == 0       # 2022 itself is fine
    assert xxgk(db_url, "check", "--agency", "demo-county") == 1
    text = capsys.readouterr().out
    assert "[错误] demo-county 2023 上下年结转 [carry_over]：表三 二、上年结转政府信息公开申请数量 · 自然人：" in text


def test_samples_in_the_store(db_url, capsys):
    for path in sorted(SAMPLES.glob("*.expected.csv")):
        assert xxgk(db_url, "import", "-q", str(path)) == 0
    capsys.readouterr()
    assert xxgk(db_url, "check", "--agency", "huaian") == 0
    assert "核对了 1 份报告：0 个错误，0 个提示" in capsys.readouterr().out
    assert xxgk(db_url, "check") == 0                          # shuyang-fgj's blank cells are warnings
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith("核对了 4 份报告：0 个错误，125 个提示")


BLANK = schema.RULES["blank"]


def test_blank_cells_tell_one_story_in_few_lines(db_url, capsys):
    """shuyang-fgj-2023 left 125 cells blank: import and check say so in one line per table, in the
    words of the rule (the same the template uses); JSON keeps every finding."""
    assert xxgk(db_url, "import", str(SAMPLES / "shuyang-fgj-2023.expected.csv")) == 0
    imported = capsys.readouterr().out.splitlines()
    assert xxgk(db_url, "check") == 0
    checked = capsys.readouterr().out.splitlines()
    assert xxgk(db_url, "check", "--format", "json") == 0
    blanks = [f for f in json.loads(capsys.readouterr().out) if f["rule"] == "blank"]
    assert len(blanks) == 125
    tables = sorted({f["table"] for f in blanks})
    for lines in (imported, checked):
        grouped = [line for line in lines if BLANK.label in line]
        assert len(grouped) == len(tables), lines
        for line, table in zip(grouped, tables):
            n = sum(f["table"] == table for f in blanks)
            assert f"{schema.table_name(table)} {n} 处{BLANK.title}" in line and BLANK.advice in line
    assert len(checked) == len(tables) + 1
    assert len(imported) == len(tables) + 1
    assert not any("没有请填" in line or "留空" in line for line in imported + checked)


def test_rule_names_are_chinese_with_the_id_in_brackets(db_url, series_csv, tmp_path, capsys):
    lines = series_csv.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(l.replace(",t4,review,total,", ",t4,review,total,9") if ",t4,review,total," in l
                              else l for l in lines) + "\n", encoding="utf-8")
    assert xxgk(db_url, "import", "-q", str(bad)) == 0
    capsys.readouterr()
    assert xxgk(db_url, "check") == 1
    out = capsys.readouterr().out
    assert "复议诉讼合计 [review_total]：" in out
    assert " review_total：" not in out


def test_unknown_agency_no_data_and_bad_id(db_url, series_csv, capsys):
    assert xxgk(db_url, "check") == 2
    assert "数据库中还没有数据" in capsys.readouterr().err
    xxgk(db_url, "import", "-q", str(series_csv))
    capsys.readouterr()
    assert xxgk(db_url, "check", "--agency", "nobody") == 2
    assert "未知机构 nobody" in capsys.readouterr().err
    assert xxgk(db_url, "check", "--year", "2019") == 2
    assert "2019 年没有可核对的报告数据" in capsys.readouterr().err
    assert xxgk(db_url, "check", "--agency", "../etc") == 2
    assert "机构标识" in capsys.readouterr().err


def test_rollup_option_uses_the_agency_hierarchy(db_url, tmp_path, capsys):
    from helpers.format import schema
    from helpers.format.model import Report
    from helpers.format.schema import Agency
    from helpers.store import Store
    from helpers.synth.series import consistent_report

    kids = [consistent_report(random.Random(i), f"town-{i}", 2023, scale=1, narrative=False) for i in range(2)]
    parent = Report.zeros("county", 2023)
    for key in schema.cell_order(parent.layout):
        parent.set(*key, sum((k.value(*key) for k in kids), 0))
    parent.set("t2", "licensing", "decisions", parent.value("t2", "licensing", "decisions") + 1)
    store = Store(db_url)
    store.save_reports([parent] + kids, agencies=[Agency("county", "县"), Agency("town-0", "甲镇", parent_id="county"),
                                                 Agency("town-1", "乙镇", parent_id="county")])
    assert xxgk(db_url, "check") == 0
    assert "0 个提示" in capsys.readouterr().out
    assert xxgk(db_url, "check", "--rollup", "--format", "json") == 0     # warnings only
    findings = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["agency"], f["row"], f["col"]) for f in findings] == [("rollup", "county", "licensing", "decisions")]
