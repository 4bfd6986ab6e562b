"""Shared set-up for the sweep tests: a small synthetic database and a sweep runner."""
from __future__ import annotations

import json
from pathlib import Path

from helpers.commands.synth import synthesize
from helpers.store import Store
from helpers.sweep.runner import SweepOptions, run_sweep


def make_db(path: Path, n: int = 2, years=(2022, 2023), seed: int = 1) -> str:
    url = f"sqlite:///{path}"
    synthesize(Store(url), n=n, years=list(years), seed=seed)
    return url


def sweep(db: str, out: Path, **kw):
    kw.setdefault("pdf", False)
    kw.setdefault("workers", 2)
    kw.setdefault("progress", False)
    return run_sweep(SweepOptions(out_dir=out, db=db, **kw))


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
