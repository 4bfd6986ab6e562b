"""One result of a consistency check (勾稽关系), in the form the command line and the notebooks print."""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from ..format import schema

FINDING_KEYS = ("rule", "severity", "agency", "year", "table", "row", "col", "expected", "actual", "message", "cells")


@dataclass(frozen=True)
class Finding:
    rule: str                 # rule id of schema.RULES
    severity: str             # schema.ERROR / schema.WARNING
    agency: str
    year: int
    table: str | None         # t2 / t3 / t4; None for narrative findings
    row: str | None
    col: str | None
    expected: object          # int / Decimal / float / str / None
    actual: object
    message: str              # Chinese, with the official labels
    # the cells concerned when the finding names no single one (a broken balance that no other
    # identity pins on a cell: its four cells); (table, row, col) each
    cells: tuple = ()

    def __post_init__(self):
        # read back from JSON the cells are lists
        object.__setattr__(self, "cells", tuple(tuple(c) for c in self.cells or ()))

    def as_dict(self) -> dict:
        """JSON-ready: ints stay ints, floats stay floats, Decimals become their exact text."""
        return {k: [list(c) for c in self.cells] if k == "cells" else _plain(getattr(self, k)) for k in FINDING_KEYS}


def _plain(value):
    if isinstance(value, bool) or value is None or isinstance(value, (int, float, str)):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return str(value)


def finding(rule: str, report, message: str, *, table=None, row=None, col=None,
            expected=None, actual=None, cells=()) -> Finding:
    """A finding of `rule` on `report`, with the severity the schema gives the rule."""
    return Finding(rule, schema.RULES[rule].severity, report.agency, report.year, table, row, col,
                   expected, actual, message, cells)


def findings_json(findings) -> str:
    """The findings as JSON (checks.json of a rendered report, `xxgk check --format json`)."""
    return json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=1) + "\n"


def is_error(finding) -> bool:
    """Whether a finding is an error (anything else is a warning). A finding is a Finding, an object
    with a `severity` (the check panel takes any), or its `as_dict()` form read back from checks.json."""
    severity = finding.get("severity") if isinstance(finding, dict) else getattr(finding, "severity", None)
    return severity == schema.ERROR


def count(findings) -> tuple[int, int]:
    """(errors, warnings) among `findings`: what summaries, the sweep and `xxgk check` report."""
    findings = list(findings)
    errors = sum(map(is_error, findings))
    return errors, len(findings) - errors


def has_errors(findings) -> bool:
    return any(map(is_error, findings))


def number_text(value) -> str:
    """A number as printed in messages (Decimal without exponent, floats with up to 2 decimals)."""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, Decimal):
        return _plain(value)
    return str(value)
