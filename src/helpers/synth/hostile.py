"""Hostile inputs, made small and on the fly (never committed) for the tests of the input bounds
(helpers.limits): PDFs with many pages or a decompression bomb, an xlsx of a million rows, a YAML
alias bomb."""
from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF file of the numbered objects (1 is the catalog)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def pdf_with_pages(n: int) -> bytes:
    """n pages, each with one line of text (all pages share one content stream)."""
    content = _stream(b"BT /F1 12 Tf 72 720 Td (2024 annual report page) Tj ET")
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               content]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
                b" /Contents 4 0 R >>"] * n
    return _pdf(objects)


def deflate_bomb(inflated: int, chunk: int = 1 << 20) -> bytes:
    """A zlib stream of `inflated` spaces, about 1/1000 of that in size, made without compressing
    it all: each 1 MB block, compressed after a full flush, is the same bytes."""
    c = zlib.compressobj(9)
    block = b" " * chunk
    first = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    unit = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.flush(zlib.Z_FINISH)[:-4]
    adler = 1
    for _ in range(inflated // chunk):
        adler = zlib.adler32(block, adler)
    return first + unit * (inflated // chunk - 1) + tail + struct.pack(">I", adler)


def pdf_bomb(inflated: int = 1 << 30) -> bytes:
    """One page whose content stream inflates to `inflated` bytes (1 GiB from about 1 MB)."""
    content = _stream(deflate_bomb(inflated), b"/Filter /FlateDecode ")
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
                 content,
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"])


def xlsx_with_rows(template: Path, target: Path, rows: int) -> Path:
    """The spreadsheet template with `rows` rows appended to its first table sheet (the sheet's
    XML written directly: openpyxl would take 20 s for a million rows)."""
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED,
                                                             compresslevel=1) as dst:
        names = src.namelist()
        sheet = sorted(n for n in names if n.startswith("xl/worksheets/sheet"))[1]
        for name in names:
            data = src.read(name)
            if name == sheet:
                head, _, rest = data.partition(b"</sheetData>")
                start = 1000
                body = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r)
                                for r in range(start, start + rows))
                data = head + body + b"</sheetData>" + rest
            dst.writestr(name, data)
    return target


def yaml_alias_bomb(levels: int = 12) -> str:
    """The billion-laughs pattern: each level refers to the one before nine times."""
    lines = ["a0: &a0 [\"lol\"]"]
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines.append(f"agencies: *a{levels - 1}")
    return "\n".join(lines) + "\n"
