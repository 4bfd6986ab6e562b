"""What `xxgk export` writes, `xxgk import` takes back: the exchange CSV (figures only) replaces the
figures and keeps the stored narrative; the JSON is the whole stored report (cells with their
states, layout, narrative, agency record) and comes back identical."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from helpers.cli import main
from helpers.config import samples_dir
from helpers.format import schema
from helpers.format.model import Cell, Report
from helpers.format.schema import Agency
from helpers.store import Store
from helpers.xlsx.template import write_template

NARRATIVE = {"preamble": "根据《条例》编制。", "overview": "一年来，我局认真贯彻……", "problems": "存在的问题：……",
             "other": "本年度未收取信息处理费。"}


def xxgk(db_url, *args) -> int:
    return main(["--db", db_url, *args])


@pytest.fixture
def stored(db_url):
    """huaian 2024 (the sample's figures) with a narrative and a full agency record."""
    from helpers.importers import exchange_csv

    (rep,) = exchange_csv.read(samples_dir() / "huaian-2024.expected.csv")
    rep.narrative = dict(NARRATIVE)
    rep.narrative_complete = True
    Store(db_url).save_reports([rep], agencies=[Agency("huaian", "淮安市人民政府", "市", None, "江苏省淮安市",
                                                       "淮安市健康东路 1 号", "223001", "0517-12345678")])
    return rep


def test_csv_export_then_replace_keeps_the_narrative_and_says_so(db_url, stored, tmp_path, capsys):
    out = tmp_path / "huaian.csv"
    assert xxgk(db_url, "export", "--agency", "huaian", "-o", str(out)) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    edited = [l[: l.rindex(",") + 1] + "2" if l.startswith("huaian,2024,t2,regulations,issued,") else l for l in lines]
    out.write_text("\n".join(edited) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert xxgk(db_url, "import", "--replace", str(out)) == 0
    said = capsys.readouterr().out
    assert "替换为 huaian 2024 第 2 版" in said and "4 段正文" in said
    assert "4 段沿用第 1 版" in said and "此文件不含这些部分的正文" in said
    now = Store(db_url).load_report("huaian", 2024)
    assert now.narrative == NARRATIVE
    assert now.value("t2", "regulations", "issued") == 2
    # the next publish has what it needs: no section missing
    from helpers.report.narrative import missing_sections, narrative_for
    assert not list(missing_sections(narrative_for(now), "publish"))


def test_template_with_empty_narrative_cells_keeps_those_sections(db_url, stored, tmp_path, capsys):
    """The same class: a template filled with figures only, or with one section, replaces the
    figures and the sections it states; the other sections stay."""
    figures_only = Report("huaian", 2024, stored.layout, cells=dict(stored.cells))
    path = write_template(tmp_path / "t.xlsx", stored.layout, agency={"id": "huaian", "name": "淮安市人民政府"},
                          year=2024, report=figures_only)
    assert xxgk(db_url, "import", "--replace", str(path)) == 0
    assert Store(db_url).load_report("huaian", 2024).narrative == NARRATIVE
    one = Report("huaian", 2024, stored.layout, cells=dict(stored.cells), narrative={"problems": "新写的问题。"})
    path = write_template(tmp_path / "t2.xlsx", stored.layout, agency={"id": "huaian", "name": "淮安市人民政府"},
                          year=2024, report=one)
    capsys.readouterr()
    assert xxgk(db_url, "import", "--replace", str(path)) == 0
    assert "3 段沿用第 2 版" in capsys.readouterr().out
    assert Store(db_url).load_report("huaian", 2024).narrative == {**NARRATIVE, "problems": "新写的问题。"}


def _various(db_url) -> list[Report]:
    """Reports in every layout and cell state: counts, a decimal amount with trailing zero, a
    negative 2019 delta, blank, 不适用, narrative with line breaks; agencies with parents."""
    reps = []
    for i, (agency, year, layout) in enumerate((("town-a", 2020, "2019"), ("town-a", 2023, "2021"),
                                                ("county", 2023, "2021-single-other"))):
        rep = Report.zeros(agency, year, layout)
        for n, key in enumerate(schema.cell_order(layout)):
            kind = schema.field_of(layout, *key).kind
            rep.cells[key] = (Cell(schema.BLANK) if n % 11 == 3 else Cell(schema.NA) if n % 13 == 5 else
                              Cell.number(Decimal("12.50") if kind == schema.AMOUNT else
                                          -(n + i) if kind == schema.DELTA else n + i))
        rep.narrative = {"overview": f"第 {i} 份。\n\n第二段，含“引号”和 <标记>。", "problems": "无\n"}
        reps.append(rep)
    Store(db_url).save_reports(reps, agencies=[
        Agency("county", "某县人民政府", "县", None, "某省某县", "某路 1 号", "100000", "010-1", rollup=True),
        Agency("town-a", "某县甲镇人民政府", "镇", "county", "", "", "", "")])
    return reps


def test_json_export_imports_back_to_the_same_reports_and_agencies(db_url, tmp_path, capsys):
    reps = _various(db_url)
    first = tmp_path / "all.json"
    assert xxgk(db_url, "export", "--format", "json", "-o", str(first)) == 0
    disguised = tmp_path / "exported-data.txt"       # detected by its content, not by its name
    disguised.write_bytes(first.read_bytes())
    other = f"sqlite:///{tmp_path / 'other.sqlite'}"
    capsys.readouterr()
    assert xxgk(other, "import", str(disguised)) == 0
    a, b = Store(db_url), Store(other)
    for rep in reps:
        back = b.load_report(rep.agency, rep.year)
        assert (back.layout, back.cells, back.narrative) == (rep.layout, rep.cells, rep.narrative)
        assert back.fingerprint() == a.load_report(rep.agency, rep.year).fingerprint()
    for agency in ("county", "town-a"):
        assert b.agency(agency) == a.agency(agency)
    again = tmp_path / "again.json"
    assert xxgk(other, "export", "--format", "json", "-o", str(again)) == 0
    assert again.read_bytes() == first.read_bytes()


@pytest.mark.parametrize("change,message", [
    (lambda d: d["reports"][0]["cells"][0].update(state="na"), "state"),
    (lambda d: d["reports"][0]["cells"][0].update(value="-1"), "件数不能为负数"),
    (lambda d: d["reports"][0]["cells"].pop(), "缺少单元格"),
    (lambda d: d["reports"][0]["cells"].append(dict(d["reports"][0]["cells"][0])), "单元格重复"),
    (lambda d: d["reports"][0].update(agency="../x"), "机构标识"),
    (lambda d: d["reports"][0]["narrative"].update(foreword="x"), "未知的正文部分"),
    (lambda d: d["reports"][0]["agency_record"].update(name={"a": 1}), "应为文本"),
    (lambda d: d["reports"][0]["agency_record"].update(rollup="yes"), "应为 true 或 false"),
    (lambda d: d.update(version=99), "不是 xxgk 导出的 JSON"),
])
def test_json_import_checks_like_the_csv(db_url, tmp_path, capsys, change, message):
    _various(db_url)
    path = tmp_path / "one.json"
    assert xxgk(db_url, "export", "--format", "json", "--agency", "county", "-o", str(path)) == 0
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    other = f"sqlite:///{tmp_path / 'other.sqlite'}"
    capsys.readouterr()
    assert xxgk(other, "import", str(path)) == 1
    err = capsys.readouterr().err
    assert message in err and str(path) in err
    assert Store(other).report_keys() == []
