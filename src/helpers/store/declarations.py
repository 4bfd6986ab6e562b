"""`params/agencies.yaml` (or an office's own file): the agencies it declares (id, name, level,
parent, contact, and `rollup: true` for a 全区/全市汇总 whose statistics are its units' sum)."""
from __future__ import annotations

from pathlib import Path

from .. import limits, yamlfile
from ..config import params_dir
from ..errors import InputError, InvalidAgencyId
from ..format.schema import AGENCY_FIELDS, Agency


def agencies_path() -> Path:
    return params_dir() / "agencies.yaml"


def load_agencies(path: Path | None = None) -> list[Agency]:
    """Read the declared agencies (yamlfile: bounded, no aliases, no duplicate keys, every value
    text; YAML 1.1 would turn the id 027 into 23)."""
    path = path or agencies_path()
    if not path.exists():
        return []
    data = yamlfile.load(path) or {}
    items = data.get("agencies", []) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InputError("应为机构列表（agencies: 下每项一个机构）(expected a list of agencies)", file=str(path))
    if len(items) > limits.DECLARED_AGENCIES:
        raise InputError(f"机构超过 {limits.DECLARED_AGENCIES} 个 (too many agencies)", file=str(path))
    out, seen = [], set()
    for i, item in enumerate(items, start=1):
        where = f"第 {i} 个机构"
        if not isinstance(item, dict) or "id" not in item or "name" not in item:
            raise InputError(f"{where}：需要 id 和 name (each agency needs id and name)", file=str(path))
        unknown = set(item) - set(AGENCY_FIELDS)
        if unknown:
            raise InputError(f"{where}：未知字段 {', '.join(sorted(unknown))} (unknown fields)", file=str(path))
        for key, value in item.items():
            yamlfile.text(value, f"{where}的 {key}", path)
        try:
            values = {k: (v or None) if k == "parent_id" else (v or "") for k, v in item.items()}
            if "rollup" in values:
                values["rollup"] = yamlfile.flag(values["rollup"], f"{where}（{item.get('id', '?')}）的 rollup", path)
            agency = Agency(**values)
        except InvalidAgencyId as exc:
            raise InputError(f"{where}：{exc}", file=str(path)) from None
        if agency.id in seen:
            raise InputError(f"{where}：机构标识 {agency.id} 重复 (duplicate id)", file=str(path))
        seen.add(agency.id)
        out.append(agency)
    return out


def load_checked(path: Path | None = None, known=()) -> list[Agency]:
    """The declarations of `path`, refused whole if they name an unknown parent (neither declared
    nor in `known`) or form a cycle; the message names the ids."""
    from .tree import check_tree

    path = path or agencies_path()
    if not path.is_file():
        raise InputError("文件不存在 (no such file)", file=str(path))
    agencies = load_agencies(path)
    check_tree(agencies, known, where=str(path))
    return agencies
