import pytest

from helpers import config
from helpers.format.ids import InvalidAgencyId, check_agency_id


def test_db_resolution_order(monkeypatch, tmp_path):
    monkeypatch.delenv("XXGK_DB", raising=False)
    assert config.resolve_db().endswith("data/xxgk.sqlite")
    monkeypatch.setenv("XXGK_DB", "sqlite:////x/env.sqlite")
    assert config.resolve_db() == "sqlite:////x/env.sqlite"
    assert config.resolve_db("postgresql://u@h/db") == "postgresql://u@h/db"
    assert config.resolve_db(str(tmp_path / "a.sqlite")) == f"sqlite:///{tmp_path / 'a.sqlite'}"


@pytest.mark.parametrize("bad", ["", "A", "-x", "a b", "../x", "a/b", "x" * 65, "乙", 29, None, "a_b"])
def test_invalid_agency_ids(bad):
    with pytest.raises(InvalidAgencyId):
        check_agency_id(bad)


@pytest.mark.parametrize("good", ["a", "029", "huaian", "shuyang-fgj", "x" * 64])
def test_valid_agency_ids(good):
    assert check_agency_id(good) == good
