"""`xxgk narrative` writes the file analysts edit, prefilled from the store, and the notebook reads it."""

from helpers.cli import main
from helpers.config import samples_dir
from helpers.report.narrative import narrative_for, parse_narrative_file
from helpers.store import Store

SAMPLES = samples_dir()



def test_narrative_file_prefilled_from_the_store_and_read_back(db_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XXGK_ROOT", str(tmp_path))
    assert main(["--db", db_url, "import", str(SAMPLES / "qianjindao-2023.txt"), "--agency", "qianjindao"]) == 0
    assert main(["--db", db_url, "narrative", "--agency", "qianjindao", "--year", "2023"]) == 0
    path = tmp_path / "params" / "narratives" / "qianjindao" / "2023.md"
    stored = Store(db_url).load_report("qianjindao", 2023)
    parsed = parse_narrative_file(path)
    assert parsed["problems"] == stored.narrative["problems"]
    # an edit in the file overrides the store for that section only
    path.write_text(path.read_text(encoding="utf-8").replace(stored.narrative["problems"], "（一）存在的问题。新写的。"),
                    encoding="utf-8")
    merged = narrative_for(stored, params_dir=tmp_path / "params")
    assert merged["problems"] == "（一）存在的问题。新写的。"
    assert merged["overview"] == stored.narrative["overview"]
    # an existing file is not overwritten without --force
    capsys.readouterr()
    assert main(["--db", db_url, "narrative", "--agency", "qianjindao", "--year", "2023"]) == 2
    assert "已存在" in capsys.readouterr().err


def test_unknown_agency_is_refused(db_url, capsys):
    assert main(["--db", db_url, "narrative", "--agency", "nobody", "--year", "2023"]) == 2
    assert "nobody" in capsys.readouterr().err
