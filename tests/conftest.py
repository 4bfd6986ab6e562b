"""Shared fixtures: paths to the bundled samples, a fresh database URL per test."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
EXPECTED = sorted(SAMPLES.glob("*.expected.csv"))


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'xxgk.sqlite'}"


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES
