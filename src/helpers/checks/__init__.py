"""Consistency checks (勾稽关系) of FORMAT.md, rule ids and severities from `schema.RULES`.

    run_checks(report, previous=None) -> [Finding]   every rule but rollup
    check_rollup(parent, children) -> [Finding]       rule rollup
    check_store(store, agency=None, year=None)        every stored report against its previous year
    count(findings) -> (errors, warnings)             is_error(finding), has_errors(findings)

Choices (documented here because callers rely on them):
- blank vs 不适用: a blank or missing cell where a number belongs is reported (`blank`, a warning:
  published reports often leave 0 blank, FORMAT.md); a cell marked 不适用 (NA) is an explicit
  statement and is not reported. Arithmetic counts both as 0, so a blank
  meant as 0 yields one `blank` finding and no identity findings.
- balance is reported at 四、结转下年度继续办理 of the column: expected = the carry-forward that would
  balance, actual = the one filled in; the message gives both sides of the identity.
- stock_continuity only between years with the same table 二 version.
- narrative rules are skipped for reports without any narrative text.
"""
from .findings import FINDING_KEYS, Finding, count, findings_json, has_errors, is_error
from .rollup import check_rollup
from .runner import SINGLE_REPORT_RULES, check_store, run_checks

__all__ = ["FINDING_KEYS", "Finding", "SINGLE_REPORT_RULES", "check_rollup", "check_store", "count",
           "findings_json", "has_errors", "is_error", "run_checks"]
