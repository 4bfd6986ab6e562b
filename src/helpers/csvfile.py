"""The one way xxgk writes CSV: no cell can become a live formula when an office opens the file in
Excel or WPS.

A text cell starting with = + - @ (or a tab or carriage return, which spreadsheets skip before
reading a formula) is written with a leading apostrophe, the spreadsheet's own mark for "text, not a
formula" (OWASP's advice for CSV injection): `=HYPERLINK("http://…")` arrives as text. Numbers stay
numbers: ints, Decimals and floats, and text that is a plain number such as the "-3" of a 2019
本年增/减, are written as they are.

    writer(out, **csv_kwargs) -> a csv.writer whose rows are neutralised (CRLF line ends)
    neutral(value) -> the value as it is safe to write
"""
from __future__ import annotations

import csv
import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def neutral(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class _Writer:
    def __init__(self, out, **kwargs):
        # CRLF, as RFC 4180 has it: the csv module then also quotes a field holding a lone \r
        # (with "\n" it would not, and the row would break there)
        kwargs.setdefault("lineterminator", "\r\n")
        self._w = csv.writer(out, **kwargs)

    def writerow(self, row):
        return self._w.writerow([neutral(v) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(out, **kwargs) -> _Writer:
    return _Writer(out, **kwargs)
