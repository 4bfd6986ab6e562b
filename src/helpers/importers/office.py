"""Office files the readers don't parse themselves, read through LibreOffice: old Word and Excel
(.doc, .xls), WPS (.wps, .et, the same binary formats) and OpenDocument (.odt, .ods).

Portals post many reports as .doc, and units often fill the spreadsheet template in WPS and save it
as .xls. Each such file is converted headless by LibreOffice to .docx or .xlsx in a private
temporary folder (a profile of its own, so that parallel imports don't share one; killed after
OFFICE_SECONDS, without network access) and read by the docx or xlsx reader; messages and the stored source name the file
the user gave.

    kind(path, head) -> "docx" | "xlsx" | None     what a file converts to (None: not one of these)
    read(path, ...)                                like every reader
"""
from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from ..errors import InputError
from ..limits import OFFICE_SECONDS
from . import identity

OLE2 = b"\xd0\xcf\x11\xe0"
# the stream an OLE2 compound file's directory names (UTF-16) tells Word from Excel
_WORD = "WordDocument".encode("utf-16-le")
_EXCEL = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_ODF = {b"application/vnd.oasis.opendocument.text": "docx",
        b"application/vnd.oasis.opendocument.spreadsheet": "xlsx"}
_FILTERS = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML"}


def kind(path: Path, head: bytes) -> str | None:
    """"docx" or "xlsx": what LibreOffice is to make of the file; None if it is none of these."""
    if head.startswith(OLE2):
        data = path.read_bytes()            # bounded by check_file
        if _WORD in data:
            return "docx"
        if any(name in data for name in _EXCEL):
            return "xlsx"
        return None
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                first = zf.infolist()[0] if zf.infolist() else None
                if first is not None and first.filename == "mimetype" and first.file_size < 100:
                    return _ODF.get(zf.read(first).strip())
        except (zipfile.BadZipFile, OSError, EOFError):
            return None
    return None


_UNSHARE = ["unshare", "--net", "--map-root-user"]     # a network namespace of its own: loopback only, down


@functools.cache
def _can_go_offline() -> bool:
    try:
        return subprocess.run([*_UNSHARE, "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _offline(path: Path) -> list[str]:
    if not _can_go_offline():
        raise InputError("无法在断开网络的环境中运行 LibreOffice（需要 unshare 和用户命名空间），为安全起见不转换此文件；"
                         "请在 Word/WPS/Excel 中另存为 .docx/.xlsx 后导入"
                         " (cannot run LibreOffice without network access here)", file=str(path))
    return _UNSHARE


def _convert(path: Path, target: str, work: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise InputError("读取 .doc/.xls/.wps/.et/.odt/.ods 需要 LibreOffice（make demo 会安装 libreoffice-writer-nogui、"
                         "libreoffice-calc-nogui）；或在 Word/WPS/Excel 中另存为 .docx/.xlsx 后导入"
                         " (LibreOffice is needed to read this file)", file=str(path))
    source = work / f"input{path.suffix.lower() if path.suffix.isascii() else ''}"
    shutil.copyfile(path, source)           # a fixed name: soffice reads a leading '-' as an option
    out = work / "out"
    # Without a network: a document's linked images and objects would otherwise be fetched while it
    # is converted (a hostile file could make this machine request any URL it can reach).
    cmd = [*_offline(path), soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
           "--norestore", "--nolockcheck", "--convert-to", _FILTERS[target], "--outdir", str(out), str(source)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True, env={**os.environ, "HOME": str(work)})
    try:
        _, err = proc.communicate(timeout=OFFICE_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)     # soffice starts helpers of its own: the whole group
        proc.wait()
        raise InputError(f"LibreOffice 在 {OFFICE_SECONDS} 秒内未能转换此文件，已停止"
                         f" (LibreOffice did not convert the file in {OFFICE_SECONDS} s)", file=str(path)) from None
    made = out / f"{source.stem}.{target}"
    if proc.returncode != 0 or not made.is_file():
        raise InputError(f"LibreOffice 无法打开此文件（已损坏，或不是 Word/Excel 文件）"
                         f" (LibreOffice could not convert it: exit {proc.returncode})", file=str(path))
    return made


def read(path: Path, *, agency: str | None = None, year: int | None = None, partial: bool = False):
    from . import docx, xlsx

    path = Path(path)
    with open(path, "rb") as fh:
        target = kind(path, fh.read(8))
    if target is None:
        raise InputError("旧版 Office 文件既不是 Word 文档也不是 Excel 工作簿 (an Office file of another kind)",
                         file=str(path))
    if agency is None and target == "docx":
        agency = identity.agency_from_path(path)    # from the user's file name, not the copy's
    with tempfile.TemporaryDirectory(prefix="xxgk-office-") as work:
        made = _convert(path, target, Path(work))
        try:
            reports = (docx if target == "docx" else xlsx).read(made, agency=agency, year=year, partial=partial)
        except InputError as exc:
            raise exc.at(file=str(path)) from None
    for rep in reports:
        rep.source = str(path)
    return reports
