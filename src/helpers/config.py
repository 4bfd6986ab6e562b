"""Where things are: the project root, the database URL, the params folder, the templates."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# Jinja templates shipped with the package: the report page (an nbconvert template) and the
# sweep's index.html.
TEMPLATES_DIR = PACKAGE_DIR / "templates"
REPORT_TEMPLATE_DIR = TEMPLATES_DIR / "xxgk_report"


# Times shown to people (the sweep's index) are in this zone unless a sweep definition says
# otherwise (its `timezone:`); files keep UTC.
DEFAULT_TIMEZONE = "Asia/Shanghai"


def project_root() -> Path:
    """The checkout this package runs from (src/helpers/ -> root), or $XXGK_ROOT."""
    env = os.environ.get("XXGK_ROOT")
    if env:
        return Path(env).resolve()
    return PACKAGE_DIR.parent.parent


def samples_dir() -> Path:
    """The bundled real reports with their numbers (data/samples): the demo, tests and benchmarks."""
    return project_root() / "data" / "samples"


def params_dir() -> Path:
    return project_root() / "params"


def narratives_dir() -> Path:
    """Where the analysts' narrative files are read: $XXGK_NARRATIVES, else params/narratives.
    (A cluster worker points it at the texts that came with the task.)"""
    env = os.environ.get("XXGK_NARRATIVES")
    return Path(env) if env else params_dir() / "narratives"


def default_db_url() -> str:
    return f"sqlite:///{project_root() / 'data' / 'xxgk.sqlite'}"


def resolve_db(url: str | None = None) -> str:
    """--db URL, else $XXGK_DB, else the project's SQLite file. A bare path is taken as SQLite.
    The URL comes back without a password (dburl.public keeps it for the connection only), so
    whatever passes it on (notebook parameters, manifest, messages) cannot publish it."""
    from .dburl import public

    url = url or os.environ.get("XXGK_DB") or default_db_url()
    if "://" not in url:
        url = f"sqlite:///{Path(url).resolve()}"
    return public(url)


def busy_timeout() -> float:
    """Seconds a writer waits for another one to finish with the SQLite store before giving up
    with a message ($XXGK_DB_BUSY_SECONDS, default 30; more for a store on a slow shared drive)."""
    try:
        return max(0.0, float(os.environ.get("XXGK_DB_BUSY_SECONDS", "30")))
    except ValueError:
        return 30.0
