"""Every input is bounded before the work on it starts: the bounds, in one place.

A file beyond a bound is refused with a message naming it and the bound, before it is parsed, so
that a hostile or mistaken input (a PDF stream that inflates to gigabytes, a YAML alias bomb, a
spreadsheet of a million rows, a range of a billion years) costs milliseconds, not memory. The
bounds of the data themselves live with the format: report years (schema.FIRST_YEAR..LAST_YEAR)
and the largest count or amount a cell may hold (schema.MAX_VALUE).
"""
from __future__ import annotations

MB = 1024 * 1024

# any file `xxgk import` reads (an annual report is well under 10 MB, a scanned one rarely 30)
IMPORT_BYTES = 50 * MB
# params/agencies.yaml, params/sweeps/*.yaml (tens of thousands of agencies fit)
YAML_BYTES = 8 * MB
# agencies one declarations file may hold (xxgk agencies --sync)
DECLARED_AGENCIES = 50_000
# params/narratives/<agency>/<year>.md (a report's text is some 10 KB)
NARRATIVE_BYTES = 1 * MB
# OUT/manifest.json (about 1 KB per report)
MANIFEST_BYTES = 256 * MB

# the text of a published report (web page, PDF, Word, text) once extracted: a report has some
# 5 000 to 30 000 characters; reading a converter's text is linear in its length (~1 s per
# 100 000 characters of a crafted worst case), so this keeps any file to seconds
REPORT_CHARS = 500_000
# PDF: a report has some 5 to 30 pages; each stream and all of them together, once decompressed
PDF_PAGES = 200
PDF_STREAM_BYTES = 64 * MB
PDF_DECODED_BYTES = 256 * MB

# zip containers (.docx, .xlsx), from their directory alone: unpacked size, ratio, members
ZIP_UNPACKED_BYTES = 200 * MB
ZIP_RATIO = 100
ZIP_MEMBERS = 10_000
# .doc/.xls/.wps/.et/.odt/.ods: LibreOffice's conversion to .docx/.xlsx (about 2 s for a report)
OFFICE_SECONDS = 60
# the spreadsheet template: a table sheet has about 40 rows; cells of the whole workbook
XLSX_SHEET_ROWS = 5_000
XLSX_CELLS = 200_000
