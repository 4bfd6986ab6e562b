"""Exchange CSV import/export through the `xxgk` command: round trip, revisions, bad input."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from helpers.cli import main
from helpers.config import samples_dir
from helpers.importers import exchange_csv
from helpers.store import Store

SAMPLES = samples_dir()
EXPECTED = sorted(SAMPLES.glob("*.expected.csv"))


GOOD = SAMPLES / "huaian-2024.expected.csv"


def xxgk(db_url, *args) -> int:
    return main(["--db", db_url, *args])


def db_bytes(db_url: str) -> bytes:
    return hashlib.sha256(Path(db_url[len("sqlite:///"):]).read_bytes()).digest()


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name)
def test_sample_csv_round_trips_through_the_store(db_url, path, capsys, tmp_path):
    assert xxgk(db_url, "import", str(path)) == 0
    out = tmp_path / "out.csv"
    assert xxgk(db_url, "export", "-o", str(out)) == 0
    assert out.read_bytes() == path.read_bytes()


def test_export_to_stdout_and_json(db_url, capsys):
    assert xxgk(db_url, "import", *map(str, EXPECTED)) == 0
    capsys.readouterr()
    assert xxgk(db_url, "export", "--agency", "huaian") == 0
    assert capsys.readouterr().out == GOOD.read_bytes().decode("utf-8")
    assert xxgk(db_url, "export", "--agency", "huaian", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)["reports"]
    assert data[0]["agency"] == "huaian" and len(data[0]["cells"]) == 200


def test_existing_data_is_refused_without_replace_and_kept_as_history(db_url, tmp_path, capsys):
    assert xxgk(db_url, "import", str(GOOD)) == 0
    before = db_bytes(db_url)
    assert xxgk(db_url, "import", str(GOOD)) == 1
    assert "--replace" in capsys.readouterr().err
    assert db_bytes(db_url) == before
    changed = tmp_path / "changed.csv"
    changed.write_text(GOOD.read_text(encoding="utf-8").replace(
        "huaian,2024,t2,regulations,issued,1", "huaian,2024,t2,regulations,issued,2"), encoding="utf-8")
    assert xxgk(db_url, "import", "--replace", str(changed)) == 0
    store = Store(db_url)
    assert store.load_report("huaian", 2024).value("t2", "regulations", "issued") == 2
    assert store.load_report("huaian", 2024, revision=1).value("t2", "regulations", "issued") == 1
    assert [r["current"] for r in store.revisions("huaian", 2024)] == [0, 1]
    assert len(store.import_log()) == 2


def test_unknown_agency_gets_a_minimal_record(db_url, tmp_path, capsys):
    text = GOOD.read_text(encoding="utf-8").replace("huaian,", "newunit-7,")
    path = tmp_path / "new.csv"
    path.write_text(text, encoding="utf-8")
    assert xxgk(db_url, "import", str(path)) == 0
    assert "newunit-7" in capsys.readouterr().out
    assert Store(db_url).agency("newunit-7") is not None


def test_declared_agencies_are_loaded_with_their_details(db_url):
    assert xxgk(db_url, "import", str(SAMPLES / "qianjindao-2023.expected.csv")) == 0
    a = Store(db_url).agency("qianjindao")
    assert a.name == "包头市昆都仑区前进道街道办事处" and a.postcode == "014010"


def _lines():
    return GOOD.read_text(encoding="utf-8").splitlines()


def _mutate(line_no: int, new: str) -> str:
    lines = _lines()
    lines[line_no - 1] = new
    return "\n".join(lines) + "\n"


# (content, expected fragments of the message: file, line, table/row/col)
BAD = {
    "unknown_row": (_mutate(13, "huaian,2024,t3,new_recieved,commercial,53"), ["bad.csv:13", "new_recieved"]),
    "unknown_col": (_mutate(13, "huaian,2024,t3,new_received,company,53"), ["bad.csv:13", "company"]),
    "unknown_table": (_mutate(13, "huaian,2024,t9,new_received,commercial,53"), ["bad.csv:13", "t9"]),
    "text_in_count": (_mutate(13, "huaian,2024,t3,new_received,commercial,五十三"), ["bad.csv:13", "表三", "new_received", "commercial", "不是数字"]),
    "negative_count": (_mutate(13, "huaian,2024,t3,new_received,commercial,-3"), ["bad.csv:13", "commercial", "负数"]),
    "decimal_count": (_mutate(13, "huaian,2024,t3,new_received,commercial,5.5"), ["bad.csv:13", "commercial", "整数"]),
    "duplicate_cell": (_mutate(13, "huaian,2024,t3,new_received,natural_person,3001"), ["bad.csv:13", "natural_person", "重复"]),
    "wrong_header": ("agency,year,table,row,column,value\n" + "\n".join(_lines()[1:]) + "\n", ["bad.csv:1", "表头"]),
    "invalid_agency": (_mutate(13, "Huai An,2024,t3,new_received,commercial,53"), ["bad.csv:13", "Huai An"]),
    "path_agency": (_mutate(13, "../etc,2024,t3,new_received,commercial,53"), ["bad.csv:13", "../etc"]),
    "empty": ("", ["bad.csv", "空"]),
    "header_only": ("agency,year,table,row,col,value\n", ["bad.csv", "没有数据"]),
    "missing_cell": ("\n".join(l for i, l in enumerate(_lines(), 1) if i != 13) + "\n", ["bad.csv", "缺少单元格", "商业企业"]),
    "bad_year": (_mutate(13, "huaian,20x4,t3,new_received,commercial,53"), ["bad.csv:13", "20x4"]),
    # beyond the csv module's field size limit (131072 characters): its csv.Error is not a traceback
    "huge_field": (_mutate(13, 'huaian,2024,t3,new_received,commercial,"' + "5" * 200_000 + '"'), ["bad.csv:13", "CSV"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_refused_naming_the_place_and_changes_nothing(db_url, tmp_path, capsys, case):
    assert xxgk(db_url, "import", str(SAMPLES / "qianjindao-2023.expected.csv")) == 0
    before = db_bytes(db_url)
    content, fragments = BAD[case]
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    capsys.readouterr()
    assert xxgk(db_url, "import", str(bad)) == 1
    err = capsys.readouterr().err
    for frag in fragments:
        assert frag in err, (frag, err)
    assert db_bytes(db_url) == before


def test_not_utf8_is_refused(db_url, tmp_path, capsys):
    assert xxgk(db_url, "import", str(SAMPLES / "qianjindao-2023.expected.csv")) == 0
    before = db_bytes(db_url)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(GOOD.read_text(encoding="utf-8").replace("2024,t2,fees,amount,96171.6", "2024,t2,fees,amount,九").encode("gb18030"))
    assert xxgk(db_url, "import", str(bad)) == 1
    assert "UTF-8" in capsys.readouterr().err
    assert db_bytes(db_url) == before


def test_error_in_second_report_of_a_file_stores_neither(db_url, tmp_path):
    two = GOOD.read_text(encoding="utf-8")
    second = "\n".join(l.replace("huaian,2024", "huaian,2023") for l in _lines()[1:]) + "\n"
    second = second.replace("huaian,2023,t4,review,total,351", "huaian,2023,t4,review,total,x")
    (tmp_path / "two.csv").write_text(two + second, encoding="utf-8")
    assert xxgk(db_url, "import", str(tmp_path / "two.csv")) == 1
    assert Store(db_url).report_keys() == []


def test_blank_and_not_applicable_stay_apart(db_url, tmp_path, capsys):
    text = GOOD.read_text(encoding="utf-8")
    text = text.replace("huaian,2024,t2,regulations,issued,1", "huaian,2024,t2,regulations,issued,")
    text = text.replace("huaian,2024,t2,fees,amount,96171.6", "huaian,2024,t2,fees,amount,NA")
    path = tmp_path / "blank.csv"
    path.write_text(text, encoding="utf-8")
    assert xxgk(db_url, "import", str(path)) == 0
    rep = Store(db_url).load_report("huaian", 2024)
    assert rep.get("t2", "regulations", "issued").state == "blank"
    assert rep.get("t2", "fees", "amount").state == "na"
    assert exchange_csv.to_text([rep]) == text.replace("\r\n", "\n").replace("\n", "\r\n")


def test_many_files_continue_past_a_bad_one_and_summarise(db_url, tmp_path, capsys):
    (tmp_path / "in").mkdir()
    for p in EXPECTED[:2]:
        (tmp_path / "in" / p.name).write_bytes(p.read_bytes())
    (tmp_path / "in" / "zz-bad.csv").write_text("nonsense\n", encoding="utf-8")
    assert xxgk(db_url, "import", str(tmp_path / "in")) == 1
    out = capsys.readouterr().out
    assert "2 个文件已导入，1 个失败" in out
    assert len(Store(db_url).report_keys()) == 2


def test_agencies_command_lists_years(db_url, capsys):
    assert xxgk(db_url, "import", *map(str, EXPECTED)) == 0
    capsys.readouterr()
    assert xxgk(db_url, "agencies") == 0
    out = capsys.readouterr().out
    assert "huaian\t淮安市人民政府\t市\t-\t2024" in out
