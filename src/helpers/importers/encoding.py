"""Decode the bytes of a text or HTML report: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK."""
from __future__ import annotations

import codecs

from ..errors import InputError


def decode(raw: bytes, path: str = "", declared: str | None = None) -> str:
    """The text of `raw`: UTF-8 first (strict UTF-8 almost never fits GBK bytes by accident, while
    GBK decodes UTF-8 bytes into nonsense, and pages often declare a charset they do not use), then
    a declared charset (HTML meta), then GB18030 (a superset of GBK and GB2312)."""
    bom = ("utf-8-sig" if raw.startswith(codecs.BOM_UTF8) else
           "utf-16" if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else None)
    if bom:
        # a byte-order mark names the encoding: bytes that do not fit it are damage, not GBK
        try:
            return raw.decode(bom)
        except UnicodeDecodeError:
            raise InputError(f"文件开头标明是 {bom.upper().removesuffix('-SIG')} 编码，但内容不符：文件已损坏或编码被改动"
                             f" (byte-order mark does not match the content)", file=path) from None
    tries = ["utf-8"]
    if declared:
        d = declared.strip().lower()
        tries.append("gb18030" if d in ("gbk", "gb2312", "gb18030", "x-gbk", "cp936") else d)
    tries.append("gb18030")
    for enc in tries:
        try:
            return raw.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputError("无法识别文件编码（不是 UTF-8，也不是 GBK/GB18030）(unknown text encoding)", file=path)
