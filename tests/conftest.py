"""Fixtures every test folder may use: a fresh database URL, the bundled samples, the test data."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers.config import samples_dir as _samples_dir


@pytest.fixture
def db_url(tmp_path) -> str:
    """A fresh SQLite store of its own for one test."""
    return f"sqlite:///{tmp_path / 'xxgk.sqlite'}"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """data/samples: real published reports, each with its numbers in `X.expected.csv`."""
    return _samples_dir()


@pytest.fixture(scope="session")
def expected_csvs(samples_dir) -> list[Path]:
    return sorted(samples_dir.glob("*.expected.csv"))


@pytest.fixture(scope="session")
def test_data_dir() -> Path:
    """tests/data: files made for the tests (the blank official Word template, a stand-in notebook)."""
    return Path(__file__).resolve().parent / "data"
