"""Set-up shared by the sweep tests: small synthetic stores, a sweep with test defaults, the manifest."""
from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def synth_db():
    """synth_db(path, n=2, years=(2022, 2023), seed=1) -> URL of a store with `n` synthetic agencies."""
    from helpers.store import Store
    from helpers.synth.dataset import synthesize

    def make(path: Path, n: int = 2, years=(2022, 2023), seed: int = 1) -> str:
        url = f"sqlite:///{path}"
        synthesize(Store(url), n=n, years=list(years), seed=seed)
        return url
    return make


@pytest.fixture(scope="session")
def sweep():
    """sweep(db, out, pdf=False, docx=False, draft=False, **options): a sweep without PDF and Word,
    two workers, no progress bar; `timeout` and `date` go to the render options."""
    from helpers.render.options import RenderOptions
    from helpers.sweep.options import SweepOptions
    from helpers.sweep.runner import run_sweep

    def run(db: str, out: Path, *, pdf=False, docx=False, draft=False, **kw):
        kw.setdefault("workers", 2)
        kw.setdefault("progress", False)
        given = {k: kw.pop(k) for k in ("timeout", "date") if k in kw}
        render = RenderOptions(mode="draft" if draft else "publish", pdf=pdf, docx=docx, **given)
        return run_sweep(SweepOptions(out_dir=out, render=render, db=db, **kw))
    return run


@pytest.fixture(scope="session")
def manifest():
    """manifest(out) -> the reports of out/manifest.json."""
    def read(out: Path) -> dict:
        return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    return read


@pytest.fixture(scope="session")
def finished(manifest):
    """finished(out, n, seconds) -> the manifest's reports once it has at least `n` of them (a sweep
    running in another process), or what it has when `seconds` have passed."""
    import time

    def wait(out: Path, n: int, seconds: float = 120) -> dict:
        deadline = time.time() + seconds
        while True:
            m = manifest(out) if (out / "manifest.json").exists() else {}
            if len(m) >= n or time.time() > deadline:
                return m
            time.sleep(0.2)
    return wait
