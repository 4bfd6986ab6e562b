"""Messages in the analyst's language: a misspelt command or option, an unknown agency among many,
an empty store, a narrative file saved as GBK. Each says in Chinese what is wrong and what to do."""
from __future__ import annotations

import random
import re

import pytest

from helpers.cli import main
from helpers.config import project_root
from helpers.format.schema import Agency
from helpers.store import Store
from helpers.synth.series import consistent_report

MANY = 250


def xxgk(db_url, *args) -> int:
    return main(["--db", db_url, *args])


@pytest.fixture
def many(db_url) -> str:
    """A store of 250 agencies (as a city's roll-up has), each with a report of 2023."""
    agencies = [Agency(f"street-{i:03d}", f"第{i}街道办事处") for i in range(MANY)]
    agencies.append(Agency("huaian", "淮安市人民政府"))
    reports = [consistent_report(random.Random(i), a.id, 2023, scale=1, narrative=False)
               for i, a in enumerate(agencies)]
    Store(db_url).save_reports(reports, agencies=agencies)
    return db_url


@pytest.mark.parametrize("argv,said", [
    (["imprt", "x.csv"], "没有 imprt 这个命令。是不是 import"),
    (["chek"], "是不是 check"),
    (["run", "--agency", "x"], "缺少参数 --year"),
    (["check", "--year", "二〇二三"], "--year：年度 '二〇二三' 无效"),
    (["check", "--limit", "x"], "不认识的参数 --limit x"),
    (["check", "--format", "xml"], "--format 不能是 xml"),
    (["check", "--agnecy", "huaian"], "是不是 --agency"),
    (["export", "--agency"], "--agency 后面要跟一个值"),
])
def test_command_line_mistakes_are_answered_in_chinese(db_url, capsys, argv, said):
    with pytest.raises(SystemExit) as exc:
        xxgk(db_url, *argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert said in err
    last = err.strip().splitlines()[-1]
    assert re.search(r"[\u4e00-\u9fff]", last.split(" (")[0])     # Chinese first, the English in brackets


@pytest.mark.parametrize("argv", [
    ["run", "--agency", "huain", "--year", "2023"],
    ["check", "--agency", "huain"],
    ["export", "--agency", "huain"],
    ["narrative", "--agency", "huain", "--year", "2023"],
    ["sweep", "--agencies", "huain", "--dry-run"],
])
def test_an_unknown_agency_gets_the_closest_ids_not_all(many, capsys, tmp_path, monkeypatch, argv):
    monkeypatch.setenv("XXGK_ROOT", str(tmp_path))     # narrative files and sweep outputs go here
    assert xxgk(many, *argv) == 2
    err = capsys.readouterr().err
    assert "未知机构 huain" in err and "是不是：huaian（淮安市人民政府）" in err
    assert err.count("street-") <= 5 and len(err) < 600


def test_a_prefix_finds_its_agencies(many, capsys):
    assert xxgk(many, "check", "--agency", "street-24") == 2
    err = capsys.readouterr().err
    assert err.count("street-24") == 1 + 5 and "street-240（第240街道办事处）" in err


@pytest.mark.parametrize("argv", [
    ["run", "--agency", "huaian", "--year", "2024"],
    ["check"],
    ["export"],
    ["sweep", "--dry-run"],
    ["narrative", "--agency", "huaian", "--year", "2024"],
])
def test_an_empty_store_says_to_import_or_sync_first(db_url, capsys, tmp_path, monkeypatch, argv):
    monkeypatch.setenv("XXGK_ROOT", str(tmp_path))
    assert xxgk(db_url, *argv) == 2
    err = capsys.readouterr().err
    assert "xxgk import" in err and "xxgk agencies --sync" in err


def test_a_gbk_narrative_file_says_how_to_convert_it(many, capsys, tmp_path, monkeypatch):
    (tmp_path / "notebooks").symlink_to(project_root() / "notebooks")
    monkeypatch.setenv("XXGK_ROOT", str(tmp_path))
    path = tmp_path / "params" / "narratives" / "huaian" / "2023.md"
    path.parent.mkdir(parents=True)
    path.write_bytes("# 一、总体情况\n\n本机关认真贯彻落实。\n".encode("gbk"))
    assert xxgk(many, "run", "--agency", "huaian", "--year", "2023", "--draft", "--no-pdf",
                "--out", str(tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert "GBK" in err and "UTF-8" in err and "另存为" in err and f"iconv -f GB18030 -t UTF-8 '{path}'" in err
