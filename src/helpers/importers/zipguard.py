"""Refuse zip files (docx, xlsx) that would unpack to far more than they weigh (zip bombs).

Checked from the zip directory alone, before any member is decompressed.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import InputError
from ..limits import ZIP_MEMBERS as MAX_MEMBERS
from ..limits import ZIP_RATIO as MAX_RATIO
from ..limits import ZIP_UNPACKED_BYTES as MAX_UNPACKED


def check(path: Path | str, *, max_unpacked: int = MAX_UNPACKED, max_ratio: int = MAX_RATIO) -> None:
    """Raise InputError if the zip at `path` is corrupt or would unpack beyond the limits."""
    path = str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(f"文件已损坏或不完整，无法作为 zip (docx/xlsx) 打开 (corrupt or truncated zip: {exc})",
                         file=path) from None
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"zip 文件内含 {len(infos)} 个成员，超过上限 {MAX_MEMBERS} (too many members)", file=path)
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > max_unpacked:
        raise InputError(f"解压后共 {total // 1048576} MB，超过上限 {max_unpacked // 1048576} MB，拒绝读取"
                         f"（疑似 zip 炸弹）(zip would unpack too large)", file=path)
    for i in infos:
        if i.file_size > 1024 * 1024 and i.file_size > max_ratio * max(i.compress_size, 1):
            raise InputError(f"zip 成员 {i.filename} 压缩比 {i.file_size // max(i.compress_size, 1)}:1 过高，"
                             f"拒绝读取（疑似 zip 炸弹）(suspicious compression ratio)", file=path)
    if total > 1024 * 1024 and total > max_ratio * max(packed, 1):
        raise InputError("zip 文件整体压缩比过高，拒绝读取（疑似 zip 炸弹）(suspicious compression ratio)", file=path)
