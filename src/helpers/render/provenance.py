"""What a rendered report was made from: fingerprints, the input key, and the provenance record.

`input_key` hashes everything one report reads, so that a sweep can skip reports whose inputs have
not changed, and a reader can tell which data a published file shows. `static_fingerprint` covers
what every report shares (notebook, template, CSS, code, library versions, fonts).
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..config import PACKAGE_DIR, REPORT_TEMPLATE_DIR, project_root
from ..report.mode import Mode
from . import records

# Libraries whose version changes what a report looks like.
KEY_LIBRARIES = ("papermill", "nbconvert", "nbclient", "nbformat", "jinja2", "weasyprint", "pydyf",
                 "matplotlib", "pandas")
# Font families the CSS and the charts name; fontconfig resolves them to files.
FONT_FAMILIES = ("Noto Serif CJK SC", "Noto Serif CJK SC:bold", "Noto Sans CJK SC", "Noto Sans CJK SC:bold")
NOTEBOOK_NAME = "annual_report.ipynb"
ROLLUP_NOTEBOOK = "rollup.ipynb"


def notebook_path(name: str = NOTEBOOK_NAME) -> Path:
    return project_root() / "notebooks" / name


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_text(text: str) -> str:
    return sha256_bytes(text.encode("utf-8"))


def file_hash(path: Path | str) -> str:
    """sha256 of a file's bytes; '' if it does not exist (a missing file is a state too)."""
    path = Path(path)
    return sha256_bytes(path.read_bytes()) if path.is_file() else ""


def package_version() -> str:
    from .. import __version__
    return __version__


@cache
def library_versions() -> dict[str, str]:
    out = {"xxgk": package_version()}
    for name in KEY_LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = ""
    return out


@cache
def font_files() -> tuple[str, ...]:
    """Files fontconfig resolves the named families to (what WeasyPrint and matplotlib use)."""
    fc = shutil.which("fc-match")
    if not fc:
        return ()
    files = set()
    for family in FONT_FAMILIES:
        res = subprocess.run([fc, "-f", "%{file}", family], capture_output=True, text=True, check=False)
        if res.returncode == 0 and res.stdout.strip():
            files.add(res.stdout.strip())
    return tuple(sorted(files))


def _font_identity(path: str) -> str:
    # Font collections are 20-30 MB each; size plus head and tail identify a font build
    # (the version sits in the head table) at a fraction of the cost of hashing it whole.
    p = Path(path)
    size = p.stat().st_size
    with open(p, "rb") as fh:
        head = fh.read(65536)
        fh.seek(max(0, size - 65536))
        tail = fh.read()
    return f"{p.name}:{size}:{sha256_bytes(head + tail)}"


def _tree_hashes(root: Path, patterns: tuple[str, ...]) -> list[str]:
    files = sorted(f for pat in patterns for f in root.rglob(pat) if "__pycache__" not in f.parts)
    return [f"{f.relative_to(root).as_posix()}:{file_hash(f)}" for f in files]


# Subpackages whose code decides what a report shows. The others (importers, commands, sweep, xlsx,
# synth) and the top-level glue (cli, config, errors, atomic, demo) never run inside a report.
RENDERING_PACKAGES = ("format", "report", "render", "checks", "store", "rollup")
RENDERING_MODULES = ("frames.py",)


@cache
def static_fingerprint(notebook: str = NOTEBOOK_NAME) -> str:
    """Hash of what every report of a notebook shares: the notebook, the template and CSS, the
    package's code, the versions of the package and key libraries, and the font files. Computed
    once per process and notebook."""
    h = hashlib.sha256()
    parts = [f"notebook:{file_hash(notebook_path(notebook))}"]
    parts += _tree_hashes(REPORT_TEMPLATE_DIR, ("*",))
    # The code of the helpers decides the content of the tables and paragraphs as much as the
    # template does, so a change of code is a change of every report. Code a report never runs
    # (reading files in, the commands, the sweep machinery) is left out: editing it re-renders nothing.
    for package in RENDERING_PACKAGES:
        parts += [f"{package}/{p}" for p in _tree_hashes(PACKAGE_DIR / package, ("*.py",))]
    parts += [f"{m}:{file_hash(PACKAGE_DIR / m)}" for m in RENDERING_MODULES]
    parts += [f"{k}=={v}" for k, v in sorted(library_versions().items())]
    parts += [_font_identity(f) for f in font_files()]
    for part in parts:
        h.update(part.encode() + b"\n")
    return h.hexdigest()


def compared_years(agency: str, year: int, fingerprints: dict[tuple[str, int], str]) -> list[int]:
    """Years of the same agency a report of `year` reads: itself, the previous year, and every
    earlier year (the trend chart shows the years up to the report year)."""
    return sorted(y for (a, y) in fingerprints if a == agency and y <= year)


def input_key(agency: str, year: int, *, fingerprints: dict[tuple[str, int], str], agency_record: dict,
              narrative_file_hash: str, static: str, mode: str, date: str = "") -> str:
    """Hash of everything one report reads; equal keys mean byte-identical outputs. `date` is the
    publication date (the 落款), ISO."""
    year = int(year)
    record = {
        "agency": agency,
        "year": year,
        "data": fingerprints.get((agency, year), ""),
        "compared": {str(y): fingerprints[(agency, y)] for y in compared_years(agency, year, fingerprints)
                     if y != year},
        "agency_record": agency_record,
        "narrative_file": narrative_file_hash,
        "static": static,
        "mode": str(mode),   # Mode is a str enum; the record holds plain text
        "date": str(date),
    }
    return sha256_bytes(json.dumps(record, sort_keys=True, ensure_ascii=False, default=str).encode())


def narrative_file_hash(agency: str, year: int) -> str:
    """Hash of the narrative file a report reads, '' if there is none (narrative from the database)."""
    from ..report.narrative import (
        narrative_path,  # where narrative files live is decided there
    )
    return file_hash(narrative_path(agency, year))


def publication_date(store, agency: str, year: int, given=None):
    """The report's publication date: `given`, else the day its data last changed (closing.py)."""
    from ..report.closing import publication_date as resolve
    return resolve(year, given, store.changed_on(agency, year).get((agency, int(year))))


def report_input_key(store, agency: str, year: int, mode: str = Mode.PUBLISH, date=None) -> str:
    agency_obj = store.agency(agency)
    return input_key(agency, int(year), fingerprints=store.fingerprints(),
                     agency_record=agency_obj.as_dict() if agency_obj else {},
                     narrative_file_hash=narrative_file_hash(agency, int(year)),
                     static=static_fingerprint(), mode=mode,
                     date=publication_date(store, agency, year, date).isoformat())


def provenance_record(*, agency: str, year: int, mode: str, allow_errors: bool,
                      data_fingerprint: str, key: str, layout: str, title: str = "",
                      notebook: str = NOTEBOOK_NAME, kind: str = "report", date: str = "",
                      agency_name: str = "") -> dict:
    """The record written into the HTML head, the PDF metadata and provenance.json. It holds
    nothing that varies between runs on the same inputs (no time, no paths): same key, same bytes."""
    return {
        "kind": kind,
        "agency": agency,
        "year": int(year),
        "title": title,
        "agency_name": agency_name,
        "date": str(date),
        "mode": str(mode),   # Mode is a str enum; the record holds plain text
        "allow_errors": bool(allow_errors),
        "layout": layout,
        "data_fingerprint": data_fingerprint,
        "input_key": key,
        "notebook_sha256": file_hash(notebook_path(notebook)),
        "static_fingerprint": static_fingerprint(notebook),
        "versions": library_versions(),
    }


def from_notebook(nb) -> dict:
    """The provenance record a notebook's provenance cell displayed (it travels as output
    metadata, see render.records), or {} if it has none."""
    return dict(records.read(nb, records.PROVENANCE) or {})
