"""Shared set-up for the sweep tests: a small synthetic database and a sweep runner."""
from __future__ import annotations

import json
from pathlib import Path

from helpers.synth.dataset import synthesize
from helpers.render.options import RenderOptions
from helpers.store import Store
from helpers.sweep.options import SweepOptions
from helpers.sweep.runner import run_sweep


def make_db(path: Path, n: int = 2, years=(2022, 2023), seed: int = 1) -> str:
    url = f"sqlite:///{path}"
    synthesize(Store(url), n=n, years=list(years), seed=seed)
    return url


def sweep(db: str, out: Path, *, pdf=False, draft=False, **kw):
    """A sweep without PDF, two workers, no progress bar; `timeout` goes to the render options."""
    kw.setdefault("workers", 2)
    kw.setdefault("progress", False)
    render = RenderOptions(mode="draft" if draft else "publish", pdf=pdf,
                           **({"timeout": kw.pop("timeout")} if "timeout" in kw else {}))
    return run_sweep(SweepOptions(out_dir=out, render=render, db=db, **kw))


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
