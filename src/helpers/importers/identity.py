"""The agency id of an imported report when --agency is not given: the file name, if it is a slug."""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..format.ids import AGENCY_ID

_YEAR_SUFFIX = re.compile(r"[-_.]?(19|20)\d\d$")


def agency_from_path(path: Path | str) -> str:
    """`huaian-2024.pdf` -> `huaian`; a Chinese or otherwise non-slug file name is refused."""
    stem = Path(path).stem.lower().replace("_", "-")
    stem = _YEAR_SUFFIX.sub("", stem).strip("-")
    if AGENCY_ID.fullmatch(stem):
        return stem
    raise InputError(f"无法从文件名得出机构标识（{Path(path).name}），请用 --agency 指定机构标识（小写字母、数字、连字符，如 huaian）"
                     f" (cannot derive an agency id from the file name: give --agency)", file=str(path))
