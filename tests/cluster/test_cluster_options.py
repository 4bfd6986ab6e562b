"""How a sweep is pointed at a cluster, and what is refused before any server is contacted."""
from __future__ import annotations

import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import pytest

from helpers.cluster.executor import check_address
from helpers.commands.sweep import options_from
from helpers.errors import XxgkError

XXGK = str(Path(sys.executable).with_name("xxgk"))


def test_sqlite_store_is_refused_with_a_scheduler_saying_what_to_use(tmp_path):
    res = subprocess.run([XXGK, "--db", f"sqlite:///{tmp_path / 'x.sqlite'}", "sweep", "--out", str(tmp_path / "o"),
                          "--scheduler", "tcp://127.0.0.1:8786"], capture_output=True, text=True, timeout=60)
    assert res.returncode == 2 and "SQLite" in res.stderr and "PostgreSQL" in res.stderr
    assert "postgresql+psycopg://" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "o" / "manifest.json").exists()


def test_scheduler_from_option_definition_and_environment(tmp_path, monkeypatch):
    definition = tmp_path / "big.yaml"
    definition.write_text("scheduler: tcp://10.0.0.5:8786\nyears: 2024\n", encoding="utf-8")
    base = dict(db=None, out=str(tmp_path / "o"), workers=None, pdf=None, docx=None, date=None, agencies=None,
                parent=None, years=None,
                timeout=None, engine=None, draft=False, force=False, dry_run=False, retry_failed=False, quiet=True)
    monkeypatch.setenv("XXGK_SCHEDULER", "tcp://10.0.0.9:8786")
    assert options_from(Namespace(name=None, scheduler=None, **base)).scheduler == "tcp://10.0.0.9:8786"
    assert options_from(Namespace(name=str(definition), scheduler=None, **base)).scheduler == "tcp://10.0.0.5:8786"
    assert options_from(Namespace(name=str(definition), scheduler="tcp://h:1", **base)).scheduler == "tcp://h:1"
    monkeypatch.delenv("XXGK_SCHEDULER")
    assert options_from(Namespace(name=None, scheduler=None, **base)).scheduler is None


@pytest.mark.parametrize("bad", ["127.0.0.1:8786", "tcp://host", "http://h:1", "tcp://h:1; rm -rf /", ""])
def test_scheduler_address_is_checked(bad):
    with pytest.raises(XxgkError, match="tcp://"):
        check_address(bad)
    assert check_address(" tcp://127.0.0.1:8786 ") == "tcp://127.0.0.1:8786"


def test_import_with_a_scheduler_refuses_sqlite(tmp_path):
    csv = tmp_path / "a.csv"
    csv.write_text("agency,year,table,row,col,value\n", encoding="utf-8")
    res = subprocess.run([XXGK, "--db", f"sqlite:///{tmp_path / 'x.sqlite'}", "import", str(csv), str(csv),
                          "--scheduler", "tcp://127.0.0.1:8786"], capture_output=True, text=True, timeout=60)
    assert res.returncode == 2 and "PostgreSQL" in res.stderr and "Traceback" not in res.stderr
