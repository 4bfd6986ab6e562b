"""Agency identifiers (ASCII slugs: they end up in file paths and URLs) and report years, validated."""
from __future__ import annotations

import re

from ..errors import InvalidAgencyId, InvalidYear
from . import schema

AGENCY_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def check_agency_id(value: object, where: str = "") -> str:
    """Return `value` if it is a valid agency id, else raise with a message naming `where`."""
    if not isinstance(value, str) or not AGENCY_ID.fullmatch(value):
        prefix = f"{where}: " if where else ""
        raise InvalidAgencyId(
            f"{prefix}机构标识 {value!r} 无效：只能用小写字母、数字和连字符，以字母或数字开头，最长 64 个字符"
            f" (agency id must match [a-z0-9][a-z0-9-]{{0,63}})")
    return value


def check_year(value: object, where: str = "") -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        year = None
    if year is None or not schema.FIRST_YEAR <= year <= schema.LAST_YEAR or str(value).strip() != str(year):
        prefix = f"{where}: " if where else ""
        raise InvalidYear(f"{prefix}年度 {value!r} 无效 (year must be a number such as 2023)")
    return year
