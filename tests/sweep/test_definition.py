"""Sweep definitions (params/sweeps/NAME.yaml) and the sweep command reading them."""
from __future__ import annotations

import pytest

from helpers.checks import run_checks
from helpers.cli import main
from helpers.errors import InputError, XxgkError
from helpers.store import Store
from helpers.sweep.definition import load_definition
from helpers.synth.dataset import MARK, synthesize


def test_sweep_definition_keeps_ids_as_text_and_rejects_bad_keys(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("agencies: [027, demo-0001]\nyears: 2021-2023\nworkers: 2\ntimeout: 30\npdf: no\n"
                    "draft: yes\nengine: nbclient\n", encoding="utf-8")
    d = load_definition(str(good))
    assert d == {"agencies": ["027", "demo-0001"], "years": "2021-2023", "workers": 2, "timeout": 30.0,
                 "pdf": False, "draft": True, "engine": "nbclient"}
    for text, msg in (("agency: [x]\n", "未知的键"), ("agencies: [Bad_Id]\n", "机构标识"),
                      ("workers: two\n", "workers"), ("pdf: maybe\n", "pdf"), ("years: [\n", "YAML")):
        bad = tmp_path / "bad.yaml"
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match=msg) as info:
            load_definition(str(bad))
        assert str(bad) in str(info.value)
    assert load_definition("demo")["out"] == "outputs"
    with pytest.raises(InputError, match="demo"):
        load_definition("no-such-sweep")


def test_sweep_command_dry_run_with_definition_and_overrides(db_url, tmp_path, capsys):
    synthesize(Store(db_url), n=3, years=[2022, 2023], seed=1)
    (tmp_path / "s.yaml").write_text("parent: demo-0001\nyears: 2023\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["--db", db_url, "sweep", str(tmp_path / "s.yaml"), "--out", str(out), "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert "将生成 4 份（其中汇总 1 份）" in text and "2022" not in text.replace("2023", "")   # 3 reports, the roll-up
    assert main(["--db", db_url, "sweep", str(tmp_path / "s.yaml"), "--out", str(out), "--dry-run",
                 "--agencies", "demo-0002", "--years", "2022-2023"]) == 0
    assert "将生成 2 份（其中汇总 0 份）" in capsys.readouterr().out
    assert not out.exists()   # a dry run writes nothing, not even the folder
    assert main(["--db", db_url, "sweep", "--out", str(out), "--engine", "nope", "--dry-run"]) == 2
    assert "nope" in capsys.readouterr().err
