"""Sweep definitions: params/sweeps/NAME.yaml names a set of reports and how to render them.

Keys (all optional; the command line overrides them):

    title:     text shown on top of index.html
    agencies:  [id, ...]        only these agencies
    parent:    id               this agency and every agency below it (parent_id, any depth)
    years:     2021-2024        a range, one year, or a list: [2022, 2024]
    out:       outputs/demo     output folder, relative to the project root
    workers:   2                worker processes (default: one per core)
    timeout:   120              seconds per report
    engine:    xxgk             papermill engine: xxgk (in-process) or nbclient (a Jupyter kernel)
    draft:     false            draft mode: render reports with errors, show the check panel
    pdf:       true             also print report.pdf
    timezone:  Asia/Shanghai    the zone index.html shows times in (default config.DEFAULT_TIMEZONE)
    docx:      true             also write report.docx, the Word document
    date:      2025-01-20       the publication date of the 落款 (default: the day each report's
                                data last changed)
    scheduler: tcp://host:8786  render on this Dask cluster (the store must be PostgreSQL)

Every value is read as text (helpers.yamlfile: YAML 1.1 would turn the id 027 into 23 and `no`
into False; no aliases, no duplicate keys) and converted here, so agency ids stay strings.
"""
from __future__ import annotations

from pathlib import Path

from .. import yamlfile
from ..config import params_dir
from ..errors import InputError
from ..format.ids import check_agency_id

KEYS = ("title", "agencies", "parent", "years", "out", "workers", "timeout", "engine", "draft", "pdf", "docx",
        "date", "timezone", "scheduler")


def sweeps_dir() -> Path:
    return params_dir() / "sweeps"


def definition_path(name: str) -> Path:
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    return sweeps_dir() / f"{name}.yaml"


def load_definition(name: str) -> dict:
    path = definition_path(name)
    if not path.is_file():
        known = sorted(p.stem for p in sweeps_dir().glob("*.yaml")) if sweeps_dir().is_dir() else []
        raise InputError(f"找不到批量生成定义 (no sweep definition)；已有 (available): {', '.join(known) or '无'}",
                         file=str(path))
    data = yamlfile.load(path) or {}
    if not isinstance(data, dict):
        raise InputError("应为键值对 (expected a mapping of keys)", file=str(path))
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise InputError(f"未知的键 {', '.join(unknown)}；可用的键 (known keys): {', '.join(KEYS)}", file=str(path))
    out: dict = {}
    for key, value in data.items():
        out[key] = _convert(key, value, str(path))
    return out


def _convert(key: str, value, file: str):
    def bad(msg):
        return InputError(f"{key}: {msg}", file=file)

    if key in ("agencies", "years") and isinstance(value, list):
        items = [yamlfile.text(v, key, file).strip() for v in value]
        if key == "years":
            return ",".join(items)
        return [check_agency_id(v, f"{file}: agencies") for v in items]
    value = yamlfile.text(value, key, file)
    if key == "agencies":
        return [check_agency_id(v.strip(), f"{file}: agencies") for v in value.replace(",", " ").split()]
    if key == "parent":
        return check_agency_id(value.strip(), f"{file}: parent")
    if key == "years":
        return value
    if key in ("workers", "timeout"):
        try:
            number = int(str(value)) if key == "workers" else float(str(value))
        except ValueError:
            raise bad(f"应为数字，读到 {value!r} (expected a number)") from None
        if not 0 < number < float("inf"):
            raise bad("应大于 0 (must be positive)")
        return number
    if key == "date":
        from ..errors import XxgkError
        from ..report.closing import parse_date
        try:
            return parse_date(str(value))
        except XxgkError as exc:
            raise bad(str(exc).removeprefix("参数 date ")) from None
    if key in ("draft", "pdf", "docx"):
        return yamlfile.flag(value, key, file)
    if key == "timezone":
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise bad(f"未知的时区 {value!r}，应写成 Asia/Shanghai 这样的名称 (unknown time zone)") from None
    return value
