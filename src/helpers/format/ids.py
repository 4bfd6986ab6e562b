"""Agency identifiers (ASCII slugs: they end up in file paths and URLs) and report years, validated;
ids in the order people read them (natural_key)."""
from __future__ import annotations

import re

from ..errors import InvalidAgencyId, InvalidYear
from . import schema

AGENCY_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def natural_key(text: str) -> list:
    """Sort key that orders the numbers inside ids and names by value, as people read them:
    street-9 before street-10, 第9街道 before 第100街道."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part]


def check_agency_id(value: object, where: str = "") -> str:
    """Return `value` if it is a valid agency id, else raise with a message naming `where`."""
    if not isinstance(value, str) or not AGENCY_ID.fullmatch(value):
        prefix = f"{where}: " if where else ""
        raise InvalidAgencyId(
            f"{prefix}机构标识 {value!r} 无效：只能用小写字母、数字和连字符，以字母或数字开头，最长 64 个字符"
            f" (agency id must match [a-z0-9][a-z0-9-]{{0,63}})")
    return value


def check_year(value: object, where: str = "") -> int:
    """`value` as a report year (schema.FIRST_YEAR..LAST_YEAR), else InvalidYear naming `where`."""
    text = str(value).strip()
    # a short text only: int() of thousands of digits is refused by Python itself
    year = int(text) if len(text) <= 6 and re.fullmatch(r"-?\d+", text) else None
    if year is None or not schema.FIRST_YEAR <= year <= schema.LAST_YEAR or text != str(year):
        prefix = f"{where}: " if where else ""
        shown = repr(value) if len(text) <= 40 else f"{text[:24]!r}…"
        raise InvalidYear(f"{prefix}年度 {shown} 无效：应为 {schema.FIRST_YEAR} 到 {schema.LAST_YEAR} 之间的年份"
                          f" (year must be a number from {schema.FIRST_YEAR} to {schema.LAST_YEAR})")
    return year
