"""Read report data from files. Each reader module exposes

    read(path: Path, *, agency: str | None, year: int | None, partial: bool) -> list[Report]

raising `errors.InputError` (naming file, table, row and column) when the file cannot be read.
With partial=True a reader returns what it could read and lists the rest in `Report.unread`.
The kind of a file is detected from its content, not only from its name.

Published reports (pdf, html, docx, text) go through one path: the reader makes blocks (grid.py),
published.build splits the narrative (sections.py) and places the tables (tables.py); text and
Markdown (text.py) first get back the 不适用 a converter printed apart from its row (apart.py):
    placement, rows, table2/3/4   the placer: rows by their labels, values by column (exact files)
    complete                      checks the placer's tables 三/四 by the identities and completes
                                  them with the token reader where they are not whole
    tokens, regions, solve        the token reader: the document as labels and values, each table's
                                  span of them, values put into cells only where the identities prove it
                                  (a 不适用 printed apart from its row: at each place it may have left)
    labels, cells                 label matching and cell values, shared by both
    choice                        the one rule between candidate readings: the only one the
                                  identities prove whole, else what all that fit agree on
Old and open office formats (.doc .xls .wps .et .odt .ods) are converted by LibreOffice (office.py)
and read as .docx/.xlsx.
"""
from __future__ import annotations

import codecs
import importlib
import re
from pathlib import Path

from .. import limits
from ..errors import InputError
from ..format import schema
from ..format.model import Report
from . import exchange_json, office

# kind -> module in this package
READERS = {
    "csv": "exchange_csv",
    "json": "exchange_json",
    "xlsx": "xlsx",
    "pdf": "pdf",
    "html": "html",
    "docx": "docx",
    "text": "text",
    "office": "office",     # .doc .xls .wps .et .odt .ods, through LibreOffice
}
# an OLE2 compound file (old .doc/.xls) whose directory names this stream is an Office file
# encrypted with a password (its real content, .docx or .xlsx, is inside, encrypted)
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


_HEAD = 4096
_COMMENTS = re.compile(rb"^(?:\s|<!--.*?-->|<\?xml[^>]*\?>)*", re.S)


def _markup_start(path: Path, head: bytes) -> bytes:
    """The first bytes of a text after its byte-order mark, blanks, comments and XML declaration
    (an HTML comment of any length may come before <html>), lower-cased, as UTF-8."""
    def clean(raw: bytes) -> bytes:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raw = raw.decode("utf-16", errors="ignore").encode("utf-8")
        raw = raw.removeprefix(codecs.BOM_UTF8)
        return raw[_COMMENTS.match(raw).end():]
    sniff = clean(head)
    if sniff.startswith(b"<!--") and len(head) >= _HEAD:
        with open(path, "rb") as fh:          # a comment longer than the head: read on (bounded)
            sniff = clean(fh.read(limits.IMPORT_BYTES))
    return sniff[:_HEAD].lower()


def detect(path: Path, head: bytes | None = None) -> str:
    """The kind of a file from its first bytes (and its name where content is ambiguous)."""
    if head is None:
        with open(path, "rb") as fh:
            head = fh.read(_HEAD)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        # both .docx and .xlsx are zip files: look at the member names
        import zipfile
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except zipfile.BadZipFile:
            raise InputError("文件已损坏或不完整，无法作为 zip (docx/xlsx) 打开 (corrupt or truncated zip)", file=str(path))
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("word/") for n in names):
            return "docx"
        if office.kind(path, head):
            return "office"
        raise InputError("zip 文件既不是 Word (.docx)、Excel (.xlsx)，也不是 OpenDocument (.odt/.ods)"
                         " (a zip file of another kind)", file=str(path))
    if head.startswith(office.OLE2):
        if _ENCRYPTED_PACKAGE in path.read_bytes():    # the size is bounded already (read)
            raise InputError("文件有打开密码（已加密），无法读取；请在 Excel/WPS/Word 中取消密码后另存，再导入"
                             " (password-protected Office file)", file=str(path))
        return "office"
    sniff = _markup_start(path, head)
    if exchange_json.looks_like(head) or (sniff[:1] in (b"{", b"[") and path.suffix.lower() == ".json"):
        return "json"
    if sniff.startswith((b"<!doctype html", b"<html", b"<meta", b"<head", b"<body", b"<table", b"<div", b"<p")) \
            or b"<html" in sniff[:1024]:
        return "html"
    if sniff.startswith(",".join(schema.EXCHANGE_HEADER).encode()):
        return "csv"
    if path.suffix.lower() == ".csv":
        return "csv"
    return "text"


def check_file(path: Path | str) -> Path:
    """The file, if it exists and is neither empty nor too large to be read (InputError otherwise)."""
    path = Path(path)
    if not path.is_file():
        raise InputError("文件不存在 (no such file)", file=str(path))
    size = path.stat().st_size
    if size == 0:
        raise InputError("文件是空的 (empty file)", file=str(path))
    if size > limits.IMPORT_BYTES:
        raise InputError(f"文件过大（{size // limits.MB} MB，上限 {limits.IMPORT_BYTES // limits.MB} MB），"
                         f"不像一份年度报告 (file too large)", file=str(path))
    return path


def read(path: Path | str, *, agency: str | None = None, year: int | None = None,
         partial: bool = False) -> list[Report]:
    """Read one file of any supported kind into reports (not yet stored)."""
    path = check_file(path)
    kind = detect(path)
    module = importlib.import_module(f".{READERS[kind]}", __name__)
    return module.read(path, agency=agency, year=year, partial=partial)
