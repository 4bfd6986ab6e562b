"""Consistency checks (勾稽关系, docs/format.md), rule ids, names and severities from `schema.RULES`.

    run_checks(report, previous=None) -> [Finding]   every rule but rollup
    check_rollup(parent, children) -> [Finding]       rule rollup
    check_store(store, agency=None, year=None)        every stored report against its previous year
    count(findings) -> (errors, warnings)             is_error(finding), has_errors(findings)
    listing.finding_lines(findings) -> [line]         for a terminal: grouped, rules named in Chinese

Choices (documented here because callers rely on them):
- blank vs 不适用: a blank or missing cell where a number belongs is reported (`blank`, a warning:
  published reports often leave 0 blank, FORMAT.md); a cell marked 不适用 (NA) is an explicit
  statement and is not reported. Arithmetic counts both as 0, so a blank
  meant as 0 yields one `blank` finding and no identity findings.
- a broken identity names a cell only when the other identities single it out (table_rules.suspect):
  balance then reports that cell (expected = the value that repairs them all, actual = the one
  filled in); otherwise it concerns the column (row None, `cells` its four cells, expected and
  actual the two sides). The sum rules report at their 总计 and name a part the others point at.
- text output (checks.listing) puts many findings of one rule in one table on one line.
- stock_continuity only between years with the same table 二 version.
- narrative rules are skipped for reports without any narrative text.
"""
from .findings import FINDING_KEYS, Finding, count, findings_json, has_errors, is_error
from .rollup import check_rollup
from .runner import SINGLE_REPORT_RULES, check_store, run_checks

__all__ = ["FINDING_KEYS", "Finding", "SINGLE_REPORT_RULES", "check_rollup", "check_store", "count",
           "findings_json", "has_errors", "is_error", "run_checks"]
