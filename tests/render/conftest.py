"""Set-up shared by the notebook, render and browser tests: stores built from the bundled samples
and one rendering per (agency, year, mode, store), made once per test session."""
from __future__ import annotations

import pytest

HUAIAN_NARRATIVE = {"overview": "本年度淮安市政府信息公开工作稳步推进。",
                    "problems": "（一）存在的问题。公开内容的解读仍需加强。",
                    "other": "本年度未收取信息处理费。"}
HOSTILE = "<script>alert(1)</script> 与 {{ x }} 及 {% if y %}"
REQUESTS_NOTE = "表三的补充说明：<b>不是粗体</b>"


def _sample_reports(samples_dir, *, narrative_overrides: dict | None = None, mutate=None):
    """qianjindao 2023 (the seed: all zeros, with the narrative of its published text) and
    huaian 2024 (real numbers, no narrative), read from the exchange CSVs."""
    from helpers import importers

    seed = importers.read(samples_dir / "qianjindao-2023.expected.csv")[0]
    seed.narrative = dict(importers.read(samples_dir / "qianjindao-2023.txt")[0].narrative)
    seed.narrative.update(narrative_overrides or {})
    huaian = importers.read(samples_dir / "huaian-2024.expected.csv")[0]
    reports = [seed, huaian]
    if mutate:
        mutate(reports)
    return reports


def _break_balance(reports) -> None:
    """Make huaian 2024 violate `balance`: one more request carried forward by natural persons."""
    huaian = reports[1]
    cell = huaian.get("t3", "carried_forward", "natural_person")
    huaian.set("t3", "carried_forward", "natural_person", cell.value + 1)


@pytest.fixture(scope="session")
def make_samples_db(samples_dir):
    """make_samples_db(path, narrative_overrides=None, mutate=None) -> URL of a store at `path`
    holding the seed (qianjindao 2023) and huaian 2024."""
    from helpers.store import Store
    from helpers.store.declarations import load_agencies

    def make(path, **kw) -> str:
        url = f"sqlite:///{path}"
        Store(url).save_reports(_sample_reports(samples_dir, **kw), source="tests", agencies=load_agencies())
        return url
    return make


@pytest.fixture(scope="session")
def render_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("render")


@pytest.fixture(scope="session")
def samples_db(make_samples_db, render_dir) -> str:
    return make_samples_db(render_dir / "samples.sqlite")


@pytest.fixture(scope="session")
def broken_db(make_samples_db, render_dir) -> str:
    """huaian 2024 breaks `balance` and has the narrative a publish needs."""
    def mutate(reports):
        _break_balance(reports)
        reports[1].narrative = dict(HUAIAN_NARRATIVE)
    return make_samples_db(render_dir / "broken.sqlite", mutate=mutate)


@pytest.fixture(scope="session")
def hostile_db(make_samples_db, render_dir) -> str:
    """The seed's narrative carries markup and template syntax that must come out as text."""
    return make_samples_db(render_dir / "hostile.sqlite",
                           narrative_overrides={"problems": f"（一）存在的问题。{HOSTILE}", "requests": REQUESTS_NOTE})


@pytest.fixture(scope="session")
def hostile_text() -> str:
    return HOSTILE


@pytest.fixture(scope="session")
def requests_note() -> str:
    return REQUESTS_NOTE


@pytest.fixture(scope="session")
def seed_snippet() -> str:
    """A sentence of the seed's own narrative."""
    return "前进街道办事处坚持以习近平新时代中国特色社会主义思想为指导"


@pytest.fixture(scope="session")
def rendered(request, render_dir):
    """rendered(agency, year, mode="publish", db="samples"|"broken"|"hostile", out="out") -> the
    summary of render_report, rendered once per arguments in this session."""
    from helpers.render.options import RenderOptions
    from helpers.render.pipeline import render_report

    done: dict[tuple, dict] = {}

    def render(agency: str, year: int, mode: str = "publish", db: str = "samples", out: str = "out") -> dict:
        key = (agency, year, mode, db, out)
        if key not in done:
            url = request.getfixturevalue(f"{db}_db")
            # one folder per store and `out`: renders of the same agency-year must not overwrite each other
            done[key] = render_report(agency, year, out_dir=render_dir / out / db / mode, db=url,
                                      options=RenderOptions(mode=mode))
        return done[key]
    return render


@pytest.fixture(scope="session")
def seed_report(rendered) -> dict:
    """The seed (qianjindao 2023) published: all zeros, its own narrative."""
    return rendered("qianjindao", 2023)


@pytest.fixture(scope="session")
def broken_draft(rendered) -> dict:
    """huaian 2024 as a draft from the store where it breaks `balance`: marked cells, charts, a
    check panel."""
    return rendered("huaian", 2024, "draft", "broken")


@pytest.fixture(scope="session")
def expected_input_key():
    """The input key recomputed from the store, with the static fingerprint the render recorded
    (the package's code is part of that fingerprint; it may change while tests run in a checkout
    others are editing)."""
    from helpers.render import provenance

    def key(store, agency: str, year: int, static: str, mode: str = "publish") -> str:
        record = store.agency(agency)
        return provenance.input_key(agency, year, fingerprints=store.fingerprints(), agency_record=record.as_dict(),
                                    narrative_file_hash=provenance.narrative_file_hash(agency, year),
                                    static=static, mode=mode,
                                    date=provenance.publication_date(store, agency, year).isoformat())
    return key
