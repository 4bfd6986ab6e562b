"""The demo's data (what `xxgk demo`, behind `make demo`, stores before it sweeps with
params/sweeps/demo.yaml): the bundled real sample reports plus a small synthetic set. Idempotent:
data already stored unchanged is left alone."""
from __future__ import annotations

from .config import project_root, samples_dir

SYNTH_AGENCIES = 6
SYNTH_YEARS = range(2022, 2025)
SAMPLE_KINDS = (".pdf", ".html", ".md", ".txt")


def sample_reports() -> tuple[list, list[str]]:
    """Numbers from each sample's exchange CSV (checked by hand), narrative from the published
    file when the published-report importer can read it."""
    from . import importers
    from .errors import XxgkError

    reports, notes = [], []
    for csv_path in sorted(samples_dir().glob("*.expected.csv")):
        stem = csv_path.name[: -len(".expected.csv")]
        for rep in importers.read(csv_path):
            published = [p for p in samples_dir().glob(f"{stem}.*") if p.suffix in SAMPLE_KINDS]
            for path in published:
                try:
                    read = importers.read(path, agency=rep.agency, year=rep.year, partial=True)
                except XxgkError as exc:
                    notes.append(f"{path.name}: 正文未读出 (narrative not read): {exc}")
                    continue
                for other in read:
                    if other.year == rep.year and other.narrative:
                        rep.narrative = dict(other.narrative)
            rep.source = str(csv_path.relative_to(project_root()))
            reports.append(rep)
    return reports, notes


def store_samples(store, echo=print) -> int:
    """Store the samples (one transaction); unchanged ones are left alone, changed ones replaced."""
    from .store.declarations import load_agencies

    reports, notes = sample_reports()
    for note in notes:
        echo(note)
    stored = store.fingerprints()
    new = [r for r in reports if stored.get((r.agency, r.year)) != r.fingerprint()]
    store.save_reports(new, source="xxgk demo: data/samples", replace=True, agencies=load_agencies())
    return len(new)


def store_synthetic(store) -> dict:
    """The demo's synthetic set (a district and its street offices, SYNTH_YEARS); a different set
    stored under the same ids is replaced."""
    from .synth.dataset import synthesize

    return synthesize(store, n=SYNTH_AGENCIES, years=SYNTH_YEARS, seed=0, prefix="demo", replace=True)
