"""Shared set-up of the notebook, render and browser tests: one database built from the bundled
samples and one rendering per (agency, year, mode), made once per test session (a module-level
cache, so test_notebook, test_render and test_browser share the executions)."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from decimal import Decimal
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
SEED_NARRATIVE_SNIPPET = "前进街道办事处坚持以习近平新时代中国特色社会主义思想为指导"


@cache
def session_dir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="xxgk-render-tests-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def sample_reports(*, narrative_overrides: dict | None = None, mutate=None):
    """qianjindao 2023 (the seed: all zeros, with the narrative of its published text) and
    huaian 2024 (real numbers, no narrative), read from the exchange CSVs."""
    from helpers import importers

    seed = importers.read(SAMPLES / "qianjindao-2023.expected.csv")[0]
    seed.narrative = dict(importers.read(SAMPLES / "qianjindao-2023.txt")[0].narrative)
    seed.narrative.update(narrative_overrides or {})
    huaian = importers.read(SAMPLES / "huaian-2024.expected.csv")[0]
    reports = [seed, huaian]
    if mutate:
        mutate(reports)
    return reports


def make_db(path: Path, **kw) -> str:
    from helpers.store import Store
    from helpers.store.declarations import load_agencies

    url = f"sqlite:///{path}"
    Store(url).save_reports(sample_reports(**kw), source="tests", agencies=load_agencies())
    return url


@cache
def database() -> str:
    return make_db(session_dir() / "samples.sqlite")


def break_balance(reports) -> None:
    """Make huaian 2024 violate `balance`: one more request carried forward by natural persons."""
    huaian = reports[1]
    cell = huaian.get("t3", "carried_forward", "natural_person")
    huaian.set("t3", "carried_forward", "natural_person", cell.value + 1)


HUAIAN_NARRATIVE = {"overview": "本年度淮安市政府信息公开工作稳步推进。",
                    "problems": "（一）存在的问题。公开内容的解读仍需加强。",
                    "other": "本年度未收取信息处理费。"}


@cache
def broken_database() -> str:
    def mutate(reports):
        break_balance(reports)
        reports[1].narrative = dict(HUAIAN_NARRATIVE)
    return make_db(session_dir() / "broken.sqlite", mutate=mutate)


HOSTILE = "<script>alert(1)</script> 与 {{ x }} 及 {% if y %}"


@cache
def hostile_database() -> str:
    return make_db(session_dir() / "hostile.sqlite",
                   narrative_overrides={"problems": f"（一）存在的问题。{HOSTILE}", "requests": REQUESTS_NOTE})


REQUESTS_NOTE = "表三的补充说明：<b>不是粗体</b>"


def rendered(agency: str, year: int, mode: str = "publish", db: str = "samples", out: str = "out") -> dict:
    """render_report once per arguments; returns its summary."""
    return _rendered(agency, year, mode, db, out)


@cache   # positional only: rendered("a", 1) and rendered("a", 1, "publish") share one execution
def _rendered(agency: str, year: int, mode: str, db: str, out: str) -> dict:
    from helpers.render.options import RenderOptions
    from helpers.render.pipeline import render_report

    url = {"samples": database, "broken": broken_database, "hostile": hostile_database}[db]()
    # one folder per database and `out`: renders of the same agency-year must not overwrite each other
    return render_report(agency, year, out_dir=session_dir() / out / db / mode, db=url,
                         options=RenderOptions(mode=mode))


def read_pdf_text(path) -> str:
    import subprocess
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def decimal_text(value) -> str:
    return format(Decimal(value).normalize(), "f")


def expected_input_key(store, agency: str, year: int, static: str, mode: str = "publish") -> str:
    """The input key recomputed from the store, with the static fingerprint the render recorded
    (the package's code is part of that fingerprint; it may change while tests run in a checkout
    others are editing)."""
    from helpers.render import provenance
    record = store.agency(agency)
    return provenance.input_key(agency, year, fingerprints=store.fingerprints(), agency_record=record.as_dict(),
                                narrative_file_hash=provenance.narrative_file_hash(agency, year),
                                static=static, mode=mode)
